package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSentences checks the invariants every caller relies on: spans are in
// order, inside the text, never overlap, hold no leading or trailing white
// space, and together cover every non-space character.
func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"One. Two! Three?", "to U.S. financial pressure. Next.", "J. K. Rowling wrote it.",
		"He said \u201cno.\u201d Then left.", "a\n\nb", "...", "Mr.", "\u200b. \xff. x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spans := Sentences(text)
		prev := 0
		covered := 0
		for _, sp := range spans {
			if sp.Start < prev || sp.End <= sp.Start || sp.End > len(text) {
				t.Fatalf("Sentences(%q) gave bad span %v after %d", text, sp, prev)
			}
			s := text[sp.Start:sp.End]
			if strings.TrimSpace(s) != s && utf8.ValidString(s) {
				t.Fatalf("Sentences(%q) span %q has surrounding space", text, s)
			}
			covered += len(strings.Join(strings.Fields(s), ""))
			prev = sp.End
		}
		if want := len(strings.Join(strings.Fields(text), "")); covered != want && utf8.ValidString(text) {
			t.Fatalf("Sentences(%q) covers %d non-space bytes, want %d", text, covered, want)
		}
	})
}
