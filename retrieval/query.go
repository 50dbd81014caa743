package retrieval

import (
	"strings"

	"github.com/articlebot/articlebot/lexicon"
	"github.com/kljensen/snowball/english"
)

// Weights of query terms by where they came from, relative to the member's
// own words (1). Expansions weigh less than what the member typed, as the
// IR literature on WordNet expansion advises; the values were chosen by
// measuring the eval sets (README, "How it works").
const (
	correctionWeight = 0.9 // a spelling correction of an unknown word
	aliasWeight      = 0.8 // another name or form of the same thing: moscow -> russia
	expansionWeight  = 0.3 // a synonym: weapons -> arms
)

// commonRank weighs a common English word ("always", "back", "make") in
// the ranking: it says little about which passage answers.
const commonRank = 0.25

func ownWeight(stem string) float64 {
	if commonWords[stem] {
		return commonRank
	}
	return 1
}

// Coverage weights of a question word the index lacks, relative to the
// idf of a word it has (see coverage). A name the article never mentions
// is strong evidence that a question is about something else; a real
// English word it doesn't use ("teamwork") is only a little, as members
// paraphrase; a word nobody knows ("besties") is chat slang or a mangled
// word, and next to no evidence.
const (
	nameWeight    = 3
	absentWeight  = 0.35
	unknownWeight = 0.1
)

// derivationCredit is how much of a concept a derived form found in the
// best passages accounts for.
const derivationCredit = 0.5

// concept is one content word (or two-word phrase) of a question, with the
// stems that count as finding it in a passage and how much each counts.
type concept struct {
	word   string
	own    string  // the word's own stem
	weight float64 // coverage weight relative to idf
	name   bool    // a name or number the index lacks
	entity bool    // a name: in a document title, proper to WordNet, or unknown to it
	finds  []find
}

// find is a way of finding a concept: all of stems (the words of one
// term, "united states") in one passage.
type find struct {
	stems  []string
	credit float64
}

// query is a question analysed for searching.
type query struct {
	terms    []weighted // for BM25; the first weight of a stem wins
	concepts []concept  // for coverage
	embed    string     // text for the query embedding
	qtype    QType
	pos      where
}

// Query is what a search looks for: a question and, for a follow-up in a
// conversation, the earlier questions, oldest first.
type Query struct {
	Text    string
	History []string
}

// historyWeight weighs the terms of the previous question of a
// conversation against the follow-up's own (1), and each older question
// half as much again: "and china?" after a question about energy looks for
// China's energy passages, ranked by China first. Measured on
// eval/conversations-dev.jsonl, 0.5 did best of 0.3, 0.5, 0.7 and 1.0
// (README, "How it works").
const historyWeight = 0.5

// understandQuery analyses a question with its conversation. The earlier
// questions' terms join the ranking at a lower weight, never the coverage:
// history can't make an unrelated question look related. A follow-up with
// no content words of its own ("why?", "how so?") continues the previous
// question, so it is judged by that question's coverage.
func (ix *Index) understandQuery(in Query) query {
	q := ix.understand(in.Text)
	w := historyWeight
	inherit := q.pos == posNone
	for _, c := range q.concepts {
		inherit = inherit && commonWords[c.own] // "like what for example"
	}
	for i := len(in.History) - 1; i >= 0 && w > 0.05; i-- {
		h := ix.understand(in.History[i])
		if len(h.concepts) == 0 {
			continue
		}
		for _, t := range h.terms {
			q.terms = append(q.terms, weighted{t.stem, t.weight * w})
		}
		// Inherit from the last question with something the index has:
		// after "against who exactly?", "and how do they show it?" still
		// continues the question before.
		if inherit && ix.substantive(h) {
			q.concepts, inherit = append(q.concepts, h.concepts...), false
			q.embed += " " + h.embed
		}
		w /= 2
	}
	return q
}

// substantive reports whether q has a concept the index has: its own word
// or a name.
func (ix *Index) substantive(q query) bool {
	for _, c := range q.concepts {
		if ix.hasWord(c.word, c.own) && !commonWords[c.own] {
			return true
		}
	}
	return false
}

// understand analyses a question: it drops chat noise, corrects spelling
// against the index's own vocabulary, and expands content words through
// the lexicon (nil: no expansion), keeping only terms the index has.
func (ix *Index) understand(text string) query {
	text = dropIdioms(text)
	q := query{qtype: Classify(text), pos: position(text)}
	names := nameStems(text)
	words := contentWords(text)
	own := make(map[string]bool, len(words))
	for _, w := range words {
		own[stemOf(w)] = true
	}
	var extra []string // corrections and aliases, for the embedding
	used := make([]bool, len(words))
	// Two-word phrases first: "uncle sam", "soviet union".
	for i := 0; i+1 < len(words) && ix.lexicon != nil; i++ {
		phrase := words[i] + " " + words[i+1]
		if ix.has(stemOf(words[i])) && ix.has(stemOf(words[i+1])) {
			continue
		}
		exps := ix.lexicon.Expand(phrase)
		if len(exps) == 0 {
			continue
		}
		c := concept{word: phrase, own: stemOf(words[i]), weight: absentWeight}
		for _, w := range words[i : i+2] {
			q.terms = append(q.terms, weighted{stemOf(w), 1})
			c.finds = append(c.finds, find{[]string{stemOf(w)}, 1})
		}
		if ix.lexicon.Proper(phrase) {
			c.weight, c.name = nameWeight, true
		}
		q.expand(ix, &c, exps, own, &extra)
		q.concepts = append(q.concepts, c)
		used[i], used[i+1] = true, true
		i++
	}
	for i, w := range words {
		if used[i] {
			continue
		}
		stem := stemOf(w)
		c := concept{word: w, own: stem, weight: 1}
		q.terms = append(q.terms, weighted{stem, ownWeight(stem)})
		lexKnown := ix.lexicon != nil && ix.lexicon.Known(w)
		c.entity = ix.isName(w, stem)
		switch {
		case ix.hasWord(w, stem):
			c.finds = append(c.finds, find{[]string{stem}, 1})
		case names[stem] || (lexKnown && ix.lexicon.Proper(w)):
			c.weight, c.name = nameWeight, true
		case lexKnown:
			c.weight = absentWeight
		default:
			c.weight = unknownWeight
			fixed, ok := ix.speller().Correct(w)
			if ok && (questionWords[fixed] || chatNoise[fixed]) {
				continue // "artical": framing, like "article"
			}
			if ok {
				fs := stemOf(fixed)
				c.finds = append(c.finds, find{[]string{fs}, 1})
				c.weight = 1
				q.terms = append(q.terms, weighted{fs, correctionWeight})
				extra = append(extra, fixed)
				w, stem, c.own = fixed, fs, fs
				c.entity = ix.isName(fixed, fs)
			}
		}
		// Only words the index lacks are expanded: one it has already
		// matches, and its synonyms and aliases would pull the ranking
		// towards other senses ("russia" towards the Soviet era).
		if ix.lexicon != nil && !commonWords[stem] && (!ix.hasWord(w, stem) || ix.rare(stem)) {
			q.expand(ix, &c, ix.lexicon.Expand(w), own, &extra)
		}
		q.concepts = append(q.concepts, c)
	}
	q.embed = text
	if len(extra) > 0 {
		q.embed += " " + strings.Join(extra, " ")
	}
	return q
}

// expand adds the index's stems of exps to the query terms and as ways of
// finding c. Aliases and derived forms also join the embedded text. An
// alias of a name that the question already says explains nothing: in
// "would russia back china if it moved on taiwan", Taiwan (part of China
// to WordNet) is what is asked about, and China is no answer to it.
func (q *query) expand(ix *Index, c *concept, exps []lexicon.Expansion, own map[string]bool, extra *[]string) {
	for _, e := range exps {
		// A synonym ranks but doesn't vouch for the concept: found in the
		// best passages it may be another sense's ("sound" as healthy),
		// and with any credit the eval sets answered more off-topic
		// questions (README, "How it works").
		w, credit := expansionWeight, 0.0
		switch e.Kind {
		case lexicon.Alias, lexicon.Morphology:
			w, credit = aliasWeight, 1
		case lexicon.Derivation:
			// A derived form is the same idea in another part of speech
			// ("russian", "russia") or a neighbouring one ("capital",
			// "capitalize"): it ranks like an alias but vouches for less.
			w, credit = aliasWeight, derivationCredit
		}
		// A term counts only when the index has all its words: "united
		// states" is not found by "united" alone.
		toks := analyze(e.Term)
		ts := stems(toks)
		usable := len(ts) > 0
		for _, t := range toks {
			// A form sharing the word's own stem is the conflation
			// hasWord already turned down ("capital", "capitalize").
			usable = usable && ix.hasWord(t.word, t.stem) && t.stem != c.own && !(c.name && own[t.stem])
		}
		if !usable {
			continue
		}
		if credit > 0 {
			c.finds = append(c.finds, find{ts, credit})
		}
		for _, s := range ts {
			q.terms = append(q.terms, weighted{s, w / float64(len(ts))})
		}
		if e.Kind != lexicon.Synonym {
			*extra = append(*extra, e.Term)
		}
	}
}

// contentWords returns the lower-cased words of text that can carry
// content: not stop words, question framing or chat noise.
func contentWords(text string) []string {
	var out []string
	for _, w := range splitWords(text) {
		if english.IsStopWord(w) || questionWords[w] || chatNoise[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

func stemOf(word string) string { return english.Stem(word, true) }

// has reports whether any passage of the index contains stem.
func (ix *Index) has(stem string) bool { return len(ix.lex.postings[stem]) > 0 }

// hasWord reports whether the index has word (with stem) itself or an
// inflection of it, not merely a word the stemmer conflates with it:
// Snowball stems both "capital" and "capitalize" to "capit", but an
// article about capitalizing on interests says nothing of capital cities.
// Forms count as the same word when one extends the other's stem-sharing
// prefix by at most two letters ("supplies", "supplying").
func (ix *Index) hasWord(word, stem string) bool {
	for _, v := range ix.forms[stem] {
		short, long := v, word
		if len(short) > len(long) {
			short, long = long, short
		}
		if len(long)-len(short) <= 2 && strings.HasPrefix(long, short[:max(len(short)-2, 1)]) {
			return true
		}
	}
	return false
}

// isName reports whether a question word names something rather than
// saying something about it: a word of a document title, a word the
// passages write as a name (capitalised inside sentences, "China",
// "Putin", "SCO"), or a name to WordNet.
func (ix *Index) isName(word, stem string) bool {
	return ix.titles[stem] || ix.names[stem] || (ix.lexicon != nil && ix.lexicon.Proper(word))
}

// rareDF is the passage count up to which a word the index has is still
// expanded: "weapons" once in passing should also find "arms".
const rareDF = 4

// rare reports whether at most rareDF passages contain stem.
func (ix *Index) rare(stem string) bool { return len(ix.lex.postings[stem]) <= rareDF }
