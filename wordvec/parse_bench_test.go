package wordvec

import (
	"testing"

	"github.com/articlebot/articlebot/wordvec/internal/table"
)

// BenchmarkParse measures checking the embedded table, done once per
// process on first use.
//
//	go test -run '^$' -bench Parse ./wordvec/
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := table.Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
