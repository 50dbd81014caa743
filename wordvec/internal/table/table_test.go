package table

import (
	"math"
	"strings"
	"testing"
)

func vec(seed float64) []float64 {
	v := make([]float64, Dims)
	for i := range v {
		v[i] = math.Sin(seed*float64(i+1)) * seed
	}
	return v
}

func TestRoundTrip(t *testing.T) {
	in := []Entry{{"zebra", 900, vec(3)}, {"arms", 40, vec(1.5)}, {"oil", 7, vec(0.2)}}
	raw, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 3 || tab.Word(0) != "arms" || tab.Word(2) != "zebra" {
		t.Fatalf("words not sorted: %d, %q..%q", tab.Len(), tab.Word(0), tab.Word(2))
	}
	for _, e := range in {
		i := tab.Find(e.Word)
		if i < 0 || tab.Rank(i) != e.Rank {
			t.Fatalf("Find(%q) = %d, rank %d; want rank %d", e.Word, i, tab.Rank(max(i, 0)), e.Rank)
		}
		got := make([]float32, Dims)
		tab.AddTo(got, i, 1)
		var m float64
		for _, x := range e.Vector {
			m = max(m, math.Abs(x))
		}
		for d := range got {
			// Quantised to a byte: within half a step of the original.
			if diff := math.Abs(float64(got[d]) - e.Vector[d]); diff > m/127/2+1e-6 {
				t.Fatalf("%s[%d] = %v, want %v (±%v)", e.Word, d, got[d], e.Vector[d], m/254)
			}
		}
	}
	for _, w := range []string{"", "a", "armss", "zz"} {
		if tab.Find(w) != -1 {
			t.Errorf("Find(%q) found a word the table lacks", w)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	if _, err := Encode([]Entry{{"a", 1, vec(1)}, {"a", 2, vec(2)}}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate word: err = %v", err)
	}
	if _, err := Encode([]Entry{{"a", 1, []float64{1, 2}}}); err == nil {
		t.Error("short vector accepted")
	}
}

func TestParseRejects(t *testing.T) {
	good, err := Encode([]Entry{{"arms", 1, vec(1)}})
	if err != nil {
		t.Fatal(err)
	}
	two, err := Encode([]Entry{{"arms", 1, vec(1)}, {"oil", 2, vec(2)}})
	if err != nil {
		t.Fatal(err)
	}
	patch := func(b []byte, at int, v ...byte) []byte {
		b = append([]byte(nil), b...)
		copy(b[at:], v)
		return b
	}
	offsets := len(Magic) + 6 // where the offsets start
	bad := map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("XXXXX"), good[5:]...),
		"truncated": good[:len(good)-1],
		"longer":    append(good[:len(good):len(good)], 0),
		// The middle offset past the words: would slice out of range.
		"offset past the end": patch(two, offsets+4, 100),
		// Offsets in order but the first word empty.
		"first offset not 0": patch(two, offsets, 1),
	}
	for name, b := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(b); err == nil {
				t.Errorf("Parse accepted a broken table")
			}
		})
	}
}

func TestSorted(t *testing.T) {
	two, err := Encode([]Entry{{"arms", 1, vec(1)}, {"oil", 2, vec(2)}})
	if err != nil {
		t.Fatal(err)
	}
	if tab, err := Parse(two); err != nil || tab.Sorted() != nil {
		t.Fatalf("an encoded table: Parse %v, Sorted %v", err, tab.Sorted())
	}
	// Words swapped ("oil", "arms"): the binary search would miss them.
	swapped := append([]byte(nil), two...)
	words := len(Magic) + 6 + 4*3
	copy(swapped[words:], "oilarms")
	swapped[len(Magic)+6+4] = 3
	tab, err := Parse(swapped)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Sorted() == nil {
		t.Fatal("Sorted accepted words out of order")
	}
}
