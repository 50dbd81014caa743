package retrieval

import (
	"cmp"
	"math"
	"slices"
)

// BM25 parameters: the usual defaults, which did best on the dev questions
// among k1 in {0.9, 1.2, 1.5} and b in {0.5, 0.75, 0.9}.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// bm25 is a small in-memory BM25 index over passage stems. It is rebuilt from
// the passages on load (about a microsecond per passage), so it needs no
// persistence of its own. Written here rather than taken from bleve because
// bleve would bring its own on-disk index, tokenizer and ~30 modules for what
// is a hundred lines over postings we already have.
type bm25 struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float64
	n        int
}

type posting struct {
	doc int32
	tf  float32
}

func newBM25(docs [][]string) *bm25 {
	ix := &bm25{postings: make(map[string][]posting), docLen: make([]float32, len(docs)), n: len(docs)}
	var total float64
	tf := make(map[string]float32)
	for i, d := range docs {
		clear(tf)
		for _, s := range d {
			tf[s]++
		}
		for s, c := range tf {
			ix.postings[s] = append(ix.postings[s], posting{doc: int32(i), tf: c})
		}
		ix.docLen[i] = float32(len(d))
		total += float64(len(d))
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	return ix
}

// idf is the BM25+ style idf, always positive; a term absent from the index
// gets the largest value.
func (ix *bm25) idf(stem string) float64 {
	df := float64(len(ix.postings[stem]))
	return math.Log(1 + (float64(ix.n)-df+0.5)/(df+0.5))
}

type scored struct {
	doc   int
	score float64
}

// weighted is a query stem with the weight of its source: 1 for the
// member's own words, less for corrections, expansions and history.
type weighted struct {
	stem   string
	weight float64
}

// search returns up to k documents with a positive score, best first. Each
// query stem's contribution is multiplied by its weight; a stem listed
// twice counts once, at its first weight.
func (ix *bm25) search(query []weighted, k int) []scored {
	if ix.n == 0 || k <= 0 {
		return nil
	}
	// A dense accumulator beats a map once postings are long: at 100,000
	// passages it cut a query from 11 ms to about 5 ms.
	acc := make([]float32, ix.n)
	var touched []int32
	seen := make(map[string]bool, len(query))
	for _, q := range query {
		if seen[q.stem] {
			continue
		}
		seen[q.stem] = true
		ps := ix.postings[q.stem]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(q.stem) * q.weight
		for _, p := range ps {
			norm := bm25K1 * (1 - bm25B + bm25B*float64(ix.docLen[p.doc])/ix.avgLen)
			tf := float64(p.tf)
			if acc[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			acc[p.doc] += float32(idf * tf * (bm25K1 + 1) / (tf + norm))
		}
	}
	return topK(acc, touched, k)
}

// better orders scored documents best first, ties by document order.
func better(a, b scored) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(a.doc, b.doc)
}

// topK returns the k best of the touched documents, best first. It keeps a
// min-heap of k rather than sorting everything touched: at 100,000
// passages a question touches tens of thousands, and sorting them all was
// most of a search.
func topK(acc []float32, touched []int32, k int) []scored {
	h := make([]scored, 0, min(k, len(touched)))
	// h[0] is the worst kept: a min-heap under better.
	worse := func(i, j int) bool { return better(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && worse(l, m) {
				m = l
			}
			if r := l + 1; r < len(h) && worse(r, m) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, d := range touched {
		s := scored{doc: int(d), score: float64(acc[d])}
		switch {
		case len(h) < k:
			h = append(h, s)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !worse(i, p) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
		case better(s, h[0]) < 0:
			h[0] = s
			down(0)
		}
	}
	slices.SortFunc(h, better)
	return h
}
