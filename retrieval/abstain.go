package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/articlebot/articlebot/corpus"
)

// abstainBelow is the coverage under which a search abstains. Off-topic
// questions share at most a common word with the article, and the names they
// ask about are missing from it, while on-topic ones, even paraphrased, keep
// most of their weight; see README, "How it works", for the measured margins.
const abstainBelow = 0.35

// nameWeight multiplies the weight of a name or number in the question that
// the article never mentions. A question about Tokyo or Jupiter is about
// something else, however many common words it shares with the article,
// whereas an unknown common word ("drills" for "exercises") is often just a
// paraphrase.
const nameWeight = 3

// commonWeight multiplies the weight of a common English word (see
// commonWords), found in the article or not: "make" and "good" say little
// about whether "How do I make good coffee?" is covered.
const commonWeight = 0.5

// coverageWindow is how many of the best lexical hits coverage looks at.
const coverageWindow = 3

// coverage returns the share of the query's idf weight found in the best
// lexical hits. A query word unknown to the index weighs the most, so a
// question about things the article never mentions has coverage near 0.
func (ix *Index) coverage(query []string, names map[string]bool, lexHits []scored) float64 {
	var total, found float64
	seen := make(map[string]bool, len(query))
	top := lexHits[:min(len(lexHits), coverageWindow)]
	for _, q := range query {
		if seen[q] {
			continue
		}
		seen[q] = true
		w := ix.lex.idf(q)
		switch unknown := len(ix.lex.postings[q]) == 0; {
		case unknown && names[q]:
			w *= nameWeight
		case commonWords[q]:
			w *= commonWeight
		}
		total += w
		if ix.lexContains(top, q) {
			found += w
		}
	}
	if total == 0 {
		return 0
	}
	return found / total
}

// lexContains reports whether any of the hits contains stem.
func (ix *Index) lexContains(hits []scored, stem string) bool {
	for _, p := range ix.lex.postings[stem] {
		for _, h := range hits {
			if int(p.doc) == h.doc {
				return true
			}
		}
	}
	return false
}

// nameStems returns the stems of the words of query that look like names or
// numbers: capitalised words other than the first of a sentence, all-caps
// words, and words with digits.
func nameStems(query string) map[string]bool {
	out := make(map[string]bool)
	first := true
	for _, f := range strings.Fields(corpus.FoldQuotes(query)) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" {
			r, _ := utf8.DecodeRuneInString(w)
			isName := (unicode.IsUpper(r) && !first) || strings.IndexFunc(w, unicode.IsDigit) >= 0
			if isName {
				for _, t := range analyze(w) {
					out[t.stem] = true
				}
			}
			first = false
		}
		if strings.ContainsAny(f, ".?!") && !strings.Contains(strings.Trim(f, ".?!"), ".") {
			first = true
		}
	}
	return out
}
