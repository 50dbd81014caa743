package main

import (
	"fmt"

	"github.com/articlebot/articlebot/wordvec/internal/table"
)

// Source is the part of the npm package's JSON that vecgen reads: words
// in GloVe's order (most frequent first) and, for each word, its
// dimensions followed by its L2 norm and its index.
type Source struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

// Build returns the table of the n most frequent plain words of src.
func Build(src Source, n int) ([]byte, error) {
	if src.Dimensions != table.Dims {
		return nil, fmt.Errorf("vectors of %d dimensions, want %d", src.Dimensions, table.Dims)
	}
	var keep []table.Entry
	for i, w := range src.Words {
		if len(keep) == n {
			break
		}
		if !plainWord(w) {
			continue
		}
		v := src.Vectors[w]
		if len(v) < table.Dims {
			return nil, fmt.Errorf("word %q has %d values, want at least %d", w, len(v), table.Dims)
		}
		keep = append(keep, table.Entry{Word: w, Rank: i + 1, Vector: v[:table.Dims]})
	}
	return table.Encode(keep)
}

// plainWord reports whether w is a lower-case ASCII word of 2 to 24
// letters, the only kind a question's words are looked up as.
func plainWord(w string) bool {
	if len(w) < 2 || len(w) > 24 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
