package retrieval

import (
	"context"
	"fmt"
	"sort"

	"github.com/articlebot/articlebot/corpus"
)

// Hit is one ranked passage.
type Hit struct {
	corpus.Passage
	Rank  int     // 1-based
	Score float64 // fused score; higher is better, comparable within one query only
}

// Results is the outcome of one search.
type Results struct {
	Query string
	Hits  []Hit
	// Abstained is set when the evidence is too weak to answer from; Hits
	// still holds the best candidates, for `search` to show.
	Abstained bool
	// Coverage is the share of the query's weight (BM25 idf) that the best
	// passages contain, from 0 to 1; abstention compares it to a threshold.
	Coverage float64
}

// Fusion parameters. Reciprocal rank fusion needs no score calibration
// between BM25 and cosine similarity; the constant 60 is the customary one
// and did as well as any tried (see README, "How it works").
const (
	rrfK         = 60
	lexWeight    = 1.0
	vecWeight    = 1.0
	minCandidate = 50
)

// Search ranks the index's passages for query and returns the best k (k is
// clamped to the index size). queryVec must come from the index's embedder.
func (ix *Index) Search(ctx context.Context, query string, queryVec []float32, k int) (Results, error) {
	res := Results{Query: query}
	n := len(ix.passages)
	if n == 0 || k <= 0 {
		res.Abstained = true
		return res, nil
	}
	k = min(k, n)
	cand := min(max(k*4, minCandidate), n)

	qtoks := analyze(query)
	qstems := stems(qtoks)
	fused := make(map[int]float64, 2*cand)
	lexHits := ix.lex.search(qstems, cand)
	for r, s := range lexHits {
		fused[s.doc] += lexWeight / float64(rrfK+r+1)
	}
	if len(queryVec) > 0 && len(qtoks) > 0 {
		vres, err := ix.queryVectors(ctx, queryVec, cand)
		if err != nil {
			return res, fmt.Errorf("couldn't query vectors: %w", err)
		}
		for r, v := range vres {
			if i, ok := ix.byID[v.ID]; ok {
				fused[i] += vecWeight / float64(rrfK+r+1)
			}
		}
	}
	pos := position(query)
	if pos != posNone {
		ix.boostPosition(fused, pos)
	}

	order := make([]scored, 0, len(fused))
	for i, s := range fused {
		order = append(order, scored{doc: i, score: s})
	}
	sort.Slice(order, func(a, b int) bool {
		if order[a].score != order[b].score {
			return order[a].score > order[b].score
		}
		return order[a].doc < order[b].doc
	})
	if len(order) > k {
		order = order[:k]
	}
	for r, o := range order {
		res.Hits = append(res.Hits, Hit{Passage: ix.passages[o.doc], Rank: r + 1, Score: o.score})
	}
	res.Coverage = ix.coverage(qstems, nameStems(query), lexHits)
	res.Abstained = pos == posNone && res.Coverage < abstainBelow
	return res, nil
}
