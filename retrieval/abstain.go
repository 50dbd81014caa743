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
// most of their weight. Telling a member the article doesn't cover what it
// does is the worse mistake, so the threshold sits low; the measured
// trade-off is in README, "How it works".
const abstainBelow = 0.25

// plausibleBelow is the coverage under which nothing in the index
// plausibly matches a question. With a model configured, only such
// questions are refused before the model sees the passages; the model
// decides about the rest. Measured on the English on-topic questions of
// eval/casual-dev.jsonl and eval/casual-own.jsonl, whose lowest coverage
// is well above it (README, "How it works").
const plausibleBelow = 0.1

// commonWeight multiplies the weight of a common English word (see
// commonWords), found in the article or not: "make" and "good" say little
// about whether "How do I make good coffee?" is covered.
const commonWeight = 0.25

// topicOnly scales the coverage of a question that asks about something the
// document lacks ("married", "capital") and matches only names, the words
// found all over it ("xi jinping", "russia").
const topicOnly = 0.5

// coverageWindow is how many of the best lexical hits coverage looks at.
const coverageWindow = 3

// coverage returns the share of the question's weight found in the best
// lexical hits. Each concept of the question (a content word or phrase)
// weighs the idf of its own stem (the largest for a word the index lacks)
// times its concept weight: more for a name the article lacks, less for a
// real word it doesn't use, little for slang. It is found when one of its
// stems (its own, a spelling correction, an expansion) is in those hits,
// to the extent that stem's credit says.
func (ix *Index) coverage(q query, lexHits []scored) float64 {
	var total, found float64
	var absent, specific bool
	top := lexHits[:min(len(lexHits), coverageWindow)]
	seen := make(map[string]bool, len(q.concepts))
	for _, c := range q.concepts {
		if seen[c.word] {
			continue
		}
		seen[c.word] = true
		credit, by := 0.0, ""
		for _, f := range c.finds {
			if f.credit > credit && ix.together(top, f.stems) {
				credit, by = f.credit, f.stems[0]
			}
		}
		w := ix.lex.idf(c.own) * c.weight
		switch {
		case c.name && by != "":
			// A name found under another name (moscow as russia) weighs
			// what that name does: the weight of a missing name is for
			// questions about something the article never mentions.
			w = ix.lex.idf(by)
		case commonWords[c.own]:
			w *= commonWeight
		case !ix.hasWord(c.word, c.own) && c.weight >= absentWeight:
			absent = true
		}
		total += w
		found += w * credit
		specific = specific || (credit >= 1 && !commonWords[c.own] && !c.entity)
	}
	if total == 0 {
		return 0
	}
	cov := found / total
	if absent && !specific {
		// "is xi jinping married?", "what is the capital of russia?": only
		// the names the article is about were found, and something it
		// never mentions was asked.
		cov *= topicOnly
	}
	return cov
}

// together reports whether one of the hits contains all of stems.
func (ix *Index) together(hits []scored, stems []string) bool {
	for _, h := range hits {
		all := true
		for _, s := range stems {
			all = all && ix.lexContains([]scored{h}, s)
		}
		if all {
			return true
		}
	}
	return false
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
