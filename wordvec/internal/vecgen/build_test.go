package main

import (
	"testing"

	"github.com/articlebot/articlebot/wordvec/internal/table"
)

func TestBuildKeepsPlainFrequentWords(t *testing.T) {
	v := make([]float64, table.Dims+2) // dims, then norm and index as in the package
	v[0] = 1
	src := Source{Dimensions: table.Dims, Words: []string{"the", ",", "U.S.", "a", "oil", "Moscow", "arms", "gas"},
		Vectors: map[string][]float64{"the": v, ",": v, "U.S.": v, "a": v, "oil": v, "Moscow": v, "arms": v, "gas": v}}
	raw, err := Build(src, 3)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := table.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range tab.Len() {
		got = append(got, tab.Word(i))
	}
	if want := []string{"arms", "oil", "the"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("kept %q, want %q (the three most frequent plain words)", got, want)
	}
	if r := tab.Rank(tab.Find("arms")); r != 7 {
		t.Errorf("rank of arms = %d, want its position in GloVe's order, 7", r)
	}
	if _, err := Build(Source{Dimensions: 50}, 3); err == nil {
		t.Error("50-dimensional source accepted")
	}
	if _, err := Build(Source{Dimensions: table.Dims, Words: []string{"oil"}, Vectors: map[string][]float64{"oil": {1}}}, 3); err == nil {
		t.Error("short vector accepted")
	}
}
