package answer

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/articlebot/articlebot/corpus"
)

// BestQuote returns the sentence of passageText that best supports claim:
// the one sharing the most distinct word stems with it, after folding case
// and typography and dropping English stop words; ties go to the earlier
// sentence. The result is always a verbatim substring of passageText. When
// no sentence shares a stem with claim, it is the first sentence; when the
// passage has no sentence at all, it is the trimmed passage.
func BestQuote(passageText, claim string) string {
	spans := corpus.Sentences(passageText)
	if len(spans) == 0 {
		return strings.TrimSpace(passageText)
	}
	want := stems(claim)
	best, bestScore := 0, 0
	if len(want) > 0 {
		for i, sp := range spans {
			score := 0
			for s := range stems(passageText[sp.Start:sp.End]) {
				if want[s] {
					score++
				}
			}
			if score > bestScore {
				best, bestScore = i, score
			}
		}
	}
	return passageText[spans[best].Start:spans[best].End]
}

// stems returns the set of stemmed content words of s.
func stems(s string) map[string]bool {
	out := map[string]bool{}
	words := strings.FieldsFunc(corpus.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		if len(w) < 2 && !unicode.IsDigit(rune(w[0])) || english.IsStopWord(w) {
			continue
		}
		out[english.Stem(w, false)] = true
	}
	return out
}
