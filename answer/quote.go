package answer

import (
	"strings"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// BestQuote returns the sentence of passageText that best supports claim:
// the one sharing the most distinct content-word stems with it (see
// retrieval.Terms); ties go to the earlier
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

// stems returns the set of content-word stems of s, analysed as retrieval
// analyses passages and questions, so quotes and rankings agree.
func stems(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range retrieval.Terms(s) {
		out[t] = true
	}
	return out
}
