package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	chromem "github.com/philippgille/chromem-go"
)

// Large indexes are partitioned: chromem-go scans every document of a
// collection per query (about 0.6 µs each on the 2-core reference machine,
// most of it per-document channel and lock overhead), which at 100,000
// passages is over 60 ms. Above shardMin passages, the vectors are clustered
// with spherical k-means into shards of about shardTarget passages, each its
// own chromem-go collection, and a query scans the shards whose centroids
// (kept in a collection of their own) are nearest. BM25 still scores every
// passage, so a passage missed by the vector side can be found lexically.
const (
	// DefaultShardMin is the passage count from which an index is sharded.
	DefaultShardMin = 20_000
	shardTarget     = 2_000
	shardProbe      = 6
	kmeansIters     = 6
	kmeansTrain     = 10_000 // vectors sampled to train the centroids
	centroidsID     = "centroids"
)

func shardName(i int) string { return fmt.Sprintf("%s-%03d", collectionName, i) }

// partition assigns each vector to a shard, returning the shard of every
// vector and the shard centroids; a small index is one shard with no centroids.
func partition(vecs [][]float32, shardMin int) (assign []int, centroids [][]float32) {
	assign = make([]int, len(vecs))
	if len(vecs) < shardMin || len(vecs) < 2*shardTarget {
		return assign, nil
	}
	k := len(vecs) / shardTarget
	rng := rand.New(rand.NewPCG(uint64(len(vecs)), 7)) // deterministic per size
	train := vecs
	if len(train) > kmeansTrain {
		train = make([][]float32, kmeansTrain)
		for i, j := range rng.Perm(len(vecs))[:kmeansTrain] {
			train[i] = vecs[j]
		}
	}
	centroids = make([][]float32, k)
	for i, j := range rng.Perm(len(train))[:k] {
		centroids[i] = slices.Clone(train[j])
	}
	trainAssign := make([]int, len(train))
	for it := 0; it < kmeansIters; it++ {
		for i, v := range train {
			trainAssign[i] = nearest(centroids, v)
		}
		sums := make([][]float32, k)
		for i := range sums {
			sums[i] = make([]float32, len(centroids[0]))
		}
		for i, v := range train {
			s := sums[trainAssign[i]]
			for d, x := range v {
				s[d] += x
			}
		}
		for i, s := range sums {
			var norm float64
			for _, x := range s {
				norm += float64(x) * float64(x)
			}
			if norm > 0 { // an empty cluster keeps its old centroid
				normalize(s)
				centroids[i] = s
			}
		}
	}
	for i, v := range vecs {
		assign[i] = nearest(centroids, v)
	}
	return assign, centroids
}

func nearest(centroids [][]float32, v []float32) int {
	best, bestSim := 0, float32(-2)
	for i, c := range centroids {
		var s float32
		for d, x := range v {
			s += x * c[d]
		}
		if s > bestSim {
			best, bestSim = i, s
		}
	}
	return best
}

// queryVectors returns the n passages nearest to vec, searching the shards
// whose centroids are nearest when the index is partitioned.
func (ix *Index) queryVectors(ctx context.Context, vec []float32, n int) ([]chromem.Result, error) {
	if ix.centroids == nil {
		return ix.shards[0].QueryEmbedding(ctx, vec, min(n, ix.shards[0].Count()), nil, nil)
	}
	probe := min(shardProbe, ix.centroids.Count())
	near, err := ix.centroids.QueryEmbedding(ctx, vec, probe, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't query shard centroids: %w", err)
	}
	var all []chromem.Result
	for _, c := range near {
		var shard int
		if _, err := fmt.Sscanf(c.ID, "c%d", &shard); err != nil || shard >= len(ix.shards) {
			return nil, fmt.Errorf("bad shard centroid %q", c.ID)
		}
		col := ix.shards[shard]
		if col.Count() == 0 {
			continue
		}
		res, err := col.QueryEmbedding(ctx, vec, min(n, col.Count()), nil, nil)
		if err != nil {
			return nil, err
		}
		all = append(all, res...)
	}
	slices.SortFunc(all, func(a, b chromem.Result) int { return cmp.Compare(b.Similarity, a.Similarity) })
	return all[:min(n, len(all))], nil
}
