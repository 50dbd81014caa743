package wordvec

import (
	"testing"
)

func TestNeighbours(t *testing.T) {
	// Each word is nearer its paraphrase than an unrelated word: what
	// offline retrieval relies on.
	tests := []struct{ word, near, far string }{
		{"weapons", "arms", "bread"},
		{"drills", "exercises", "poetry"},
		{"chaotic", "turbulent", "delicious"},
		{"oil", "energy", "wedding"},
		{"friendship", "partnership", "volcano"},
		{"money", "investment", "tennis"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			w, n, f := Vector(tt.word), Vector(tt.near), Vector(tt.far)
			if w == nil || n == nil || f == nil {
				t.Fatalf("missing a vector among %q, %q, %q", tt.word, tt.near, tt.far)
			}
			if cn, cf := Cosine(w, n), Cosine(w, f); cn <= cf+0.2 {
				t.Errorf("cos(%s, %s) = %.2f, cos(%s, %s) = %.2f: want the first clearly higher", tt.word, tt.near, cn, tt.word, tt.far, cf)
			}
		})
	}
}

func TestEmbeddedTableSorted(t *testing.T) {
	if err := tab().Sorted(); err != nil {
		t.Fatalf("vectors.bin: %v; run go generate ./wordvec", err)
	}
}

func TestLookups(t *testing.T) {
	if n := Size(); n != 50000 {
		t.Errorf("Size() = %d, want 50000", n)
	}
	if r := Rank("the"); r != 1 {
		t.Errorf(`Rank("the") = %d, want 1`, r)
	}
	if r1, r2 := Rank("russia"), Rank("turbulent"); r1 == 0 || r2 == 0 || r1 >= r2 {
		t.Errorf("Rank(russia) = %d, Rank(turbulent) = %d: want both known, russia more frequent", r1, r2)
	}
	for _, w := range []string{"", "besties", "Russia", "xqzvw", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"} {
		if Vector(w) != nil || Rank(w) != 0 || Weight(w) != 1 {
			t.Errorf("%q: want no vector, rank 0 and weight 1", w)
		}
	}
	if w := Weight("the"); w > 0.02 {
		t.Errorf(`Weight("the") = %.3f, want about 0.01`, w)
	}
	if a, b := Weight("partnership"), Weight("the"); a <= b {
		t.Errorf("Weight(partnership) = %.3f <= Weight(the) = %.3f", a, b)
	}
	v := make([]float32, Dims)
	if !Add(v, "arms", 2) || Cosine(v, Vector("arms")) < 0.9999 {
		t.Error("Add with a weight should scale the word's vector")
	}
	if Cosine(make([]float32, Dims), v) != 0 {
		t.Error("Cosine with a zero vector should be 0")
	}
}

func BenchmarkWeightAdd(b *testing.B) {
	words := []string{"russia", "china", "partnership", "turbulent", "besties", "the"}
	v := make([]float32, Dims)
	for b.Loop() {
		for _, w := range words {
			Add(v, w, Weight(w))
		}
	}
}
