package corpus

import (
	"strings"
	"unicode"
)

// quoteFolder maps typographic quotes and dashes to their ASCII forms so that
// matching is insensitive to the typography of the source or the question.
var quoteFolder = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u2032", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u2033", `"`,
	"\u2013", "-", "\u2014", "-", "\u2212", "-",
)

// FoldQuotes replaces curly quotes and typographic dashes with ASCII ones.
// It is used for matching only; text shown to users keeps the original.
func FoldQuotes(s string) string {
	return quoteFolder.Replace(s)
}

// Fold normalises s for comparison: quotes folded, lower-cased and runs of
// white space collapsed to one space, trimmed. It is the normalisation the
// evaluation format prescribes.
func Fold(s string) string {
	s = strings.ToLower(FoldQuotes(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
