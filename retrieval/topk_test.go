package retrieval

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTopK: the heap selection returns exactly the first k of a full sort,
// ties broken by document order, for any k.
func TestTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 100, 1000} {
		acc := make([]float32, n)
		var touched []int32
		for i := range acc {
			if r.IntN(3) > 0 {
				acc[i] = float32(r.IntN(20)) // many ties
				touched = append(touched, int32(i))
			}
		}
		all := make([]scored, len(touched))
		for i, d := range touched {
			all[i] = scored{doc: int(d), score: float64(acc[d])}
		}
		slices.SortFunc(all, better)
		for _, k := range []int{1, 2, 10, n, n + 5} {
			if k <= 0 {
				continue
			}
			got := topK(acc, touched, k)
			want := all[:min(k, len(all))]
			if !slices.Equal(got, want) {
				t.Fatalf("topK(n=%d, k=%d) = %v, want %v", n, k, got, want)
			}
		}
	}
}
