package retrieval

import (
	"cmp"
	"context"
	"slices"
	"testing"
)

func BenchmarkParts100k(b *testing.B) {
	buildBig(b)
	emb := NewLocalEmbedder()
	ctx := context.Background()
	b.Run("chromem", func(b *testing.B) {
		vec, _ := emb.Embed(ctx, []string{bigQs[0]})
		for i := 0; i < b.N; i++ {
			bigIndex.queryVectors(ctx, vec[0], 50)
		}
	})
	b.Run("bm25", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bigIndex.lex.search(bigIndex.understand(bigQs[i%len(bigQs)]).terms, 50)
		}
	})
	b.Run("coverage", func(b *testing.B) {
		q := bigIndex.understand(bigQs[0])
		hits := bigIndex.lex.search(q.terms, 50)
		for i := 0; i < b.N; i++ {
			bigIndex.coverage(q, hits)
		}
	})
}

// BenchmarkShardRecall100k reports how many of the exact 10 nearest passages
// the sharded vector search returns, averaged over the benchmark queries.
func BenchmarkShardRecall100k(b *testing.B) {
	buildBig(b)
	emb := NewLocalEmbedder()
	ctx := context.Background()
	var recall float64
	for i := 0; i < b.N; i++ {
		q := bigQs[i%len(bigQs)]
		vec, _ := emb.Embed(ctx, []string{q})
		exact := map[string]bool{}
		for _, s := range bruteForce(bigIndex, vec[0], 10) {
			exact[bigIndex.passages[s.doc].ID] = true
		}
		got, err := bigIndex.queryVectors(ctx, vec[0], 10)
		if err != nil {
			b.Fatal(err)
		}
		hit := 0
		for _, r := range got {
			if exact[r.ID] {
				hit++
			}
		}
		recall += float64(hit) / 10
	}
	b.ReportMetric(recall/float64(b.N), "recall@10")
}

func bruteForce(ix *Index, vec []float32, k int) []scored {
	all := make([]scored, len(ix.vectors))
	for i, v := range ix.vectors {
		var s float32
		for d, x := range v {
			s += x * vec[d]
		}
		all[i] = scored{doc: i, score: float64(s)}
	}
	slices.SortFunc(all, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	return all[:k]
}
