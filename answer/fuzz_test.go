package answer

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var fuzzMarkerRE = regexp.MustCompile(`\[(\d+)\]`)

// FuzzCheckCitations checks the citation contract on arbitrary model text:
// every [n] left in the text has exactly one citation, numbers run 1..m in
// order, and every quote is a verbatim part of its passage.
func FuzzCheckCitations(f *testing.F) {
	for _, s := range []string{
		"Claim [1]. Other [2][3].", "Both [1, 2] and [9] and [0].", "[2] first? [1]", "[a] [1-3] [ 1 ]",
		"[99999999999999999999] x [1", "", "no markers",
	} {
		f.Add(s)
	}
	ps := testPassages()
	f.Fuzz(func(t *testing.T, text string) {
		out, cites := CheckCitations(text, ps)
		for i, c := range cites {
			if c.N != i+1 {
				t.Fatalf("CheckCitations(%q): citation %d has n=%d", text, i, c.N)
			}
			if c.Quote == "" || !strings.Contains(c.Text, c.Quote) {
				t.Fatalf("CheckCitations(%q): quote %q not in passage", text, c.Quote)
			}
		}
		for _, m := range fuzzMarkerRE.FindAllStringSubmatch(out, -1) {
			n, err := strconv.Atoi(m[1])
			if err != nil || n < 1 || n > len(cites) {
				t.Fatalf("CheckCitations(%q) = %q: marker [%s] has no citation (%d citations)", text, out, m[1], len(cites))
			}
		}
	})
}
