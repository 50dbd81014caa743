package answer

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/corpus"
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

// FuzzExtract checks the citation contract of extractive answers over the
// bundled article's passages for arbitrary questions.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{"What do pandas eat?", "russia china trade energy", "How does the article open?", "", "[1] [2]"} {
		f.Add(s)
	}
	docs, err := corpus.Bundled()
	if err != nil {
		f.Fatal(err)
	}
	ps := corpus.Split(docs[0], corpus.DefaultSplit())
	f.Fuzz(func(t *testing.T, q string) {
		for _, start := range []int{0, len(ps) / 2, len(ps) - 4} {
			a := Extract(q, ps[start:start+4])
			for i, c := range a.Citations {
				if c.N != i+1 || c.Quote == "" || !strings.Contains(c.Text, c.Quote) {
					t.Fatalf("Extract(%q): citation %+v breaks the contract", q, c)
				}
			}
			for _, m := range fuzzMarkerRE.FindAllStringSubmatch(a.Text, -1) {
				if n, _ := strconv.Atoi(m[1]); n < 1 || n > len(a.Citations) {
					t.Fatalf("Extract(%q) = %q: marker [%s] has no citation", q, a.Text, m[1])
				}
			}
		}
	})
}
