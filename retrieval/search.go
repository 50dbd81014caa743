package retrieval

import (
	"context"
	"fmt"
	"sort"
	"strings"

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
	// Unmatched is set when nothing in the index plausibly matches: a
	// model given the passages could not answer either.
	Unmatched bool
	// Coverage is the share of the query's weight (BM25 idf) that the best
	// passages contain, from 0 to 1; abstention compares it to a threshold.
	Coverage float64
	// Terms are the stems the question was searched with, after spelling
	// correction and expansion, each weighted by its idf and its source,
	// for scoring the sentences of an answer.
	Terms []Term
	// Type is the kind of answer the question asks for.
	Type QType
	// Whole is set when the question asks about the document as a whole
	// ("what is this article about?"), not about its content.
	Whole bool
	// LexicalOnly is set when the query embedding failed or was too slow
	// and the ranking is BM25's alone; EmbedErr says why.
	LexicalOnly bool
	EmbedErr    error
}

// Term is a weighted stem of a searched question.
type Term struct {
	Stem   string
	Weight float64
}

// Fusion parameters. Reciprocal rank fusion needs no score calibration
// between BM25 and cosine similarity; the constant 60 is the customary one
// and did as well as any tried (see README, "How it works"). The local
// embedder averages GloVe word vectors: it knows that "drills" are
// "exercises", but a sentence's average blurs what it says, so its
// ranking counts a quarter of BM25's (mean reciprocal rank of the
// evidence on the casual sets: 0.49 at 0.25 and 0.5, 0.49 at 1, 0.43
// vectors alone, 0.45 with the earlier hashing embedder; on dev and
// extra 0.81 at 0.25, 0.80 at 0.5, 0.77 at 1). A model's embeddings keep
// the full weight.
const (
	rrfK           = 60
	lexWeight      = 1.0
	vecWeight      = 1.0
	localVecWeight = 0.25
	minCandidate   = 50
)

// vecWeight returns the fusion weight of the index's vector ranking.
func (ix *Index) vecWeight() float64 {
	if strings.HasPrefix(ix.embedder, localEmbedderPrefix) {
		return localVecWeight
	}
	return vecWeight
}

// Search ranks the index's passages for query and returns the best k (k is
// clamped to the index size). queryVec must come from the index's embedder;
// nil ranks by BM25 alone. Library.Search embeds the question with its
// corrections and aliases.
func (ix *Index) Search(ctx context.Context, query string, queryVec []float32, k int) (Results, error) {
	return ix.search(ctx, ix.understand(query), query, queryVec, k)
}

func (ix *Index) search(ctx context.Context, q query, text string, queryVec []float32, k int) (Results, error) {
	res := Results{Query: text, Type: q.qtype, Whole: q.pos == posAbout}
	n := len(ix.passages)
	if n == 0 || k <= 0 {
		res.Abstained, res.Unmatched = true, true
		return res, nil
	}
	k = min(k, n)
	cand := min(max(k*4, minCandidate), n)

	fused := make(map[int]float64, 2*cand)
	lexHits := ix.lex.search(q.terms, cand)
	for r, s := range lexHits {
		fused[s.doc] += lexWeight / float64(rrfK+r+1)
	}
	if len(queryVec) > 0 && len(q.terms) > 0 {
		vw := ix.vecWeight()
		vres, err := ix.queryVectors(ctx, queryVec, cand)
		if err != nil {
			return res, fmt.Errorf("couldn't query vectors: %w", err)
		}
		for r, v := range vres {
			if i, ok := ix.byID[v.ID]; ok {
				fused[i] += vw / float64(rrfK+r+1)
			}
		}
	}
	if q.pos != posNone {
		ix.boostPosition(fused, q.pos)
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
	seen := make(map[string]bool, len(q.terms))
	for _, t := range q.terms {
		if !seen[t.stem] && ix.has(t.stem) {
			seen[t.stem] = true
			res.Terms = append(res.Terms, Term{Stem: t.stem, Weight: t.weight * ix.lex.idf(t.stem)})
		}
	}
	res.Coverage = ix.coverage(q, lexHits)
	res.Abstained = q.pos == posNone && res.Coverage < abstainBelow
	res.Unmatched = q.pos == posNone && res.Coverage < plausibleBelow
	return res, nil
}
