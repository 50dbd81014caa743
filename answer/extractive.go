package answer

import (
	"slices"
	"strconv"
	"strings"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// Extractive answer shape: the few sentences that answer best, verbatim.
const (
	maxExtractSentences = 3
	maxExtractChars     = 700
	extractFromHits     = 8
	// rankDecay lowers a sentence's score by the rank of its passage, so
	// that equally matching sentences come from the better passage.
	rankDecay = 0.15
	// typeBoost raises a sentence that has what the question type asks
	// for (a reason for "why", a place for "where"); chosen on the eval
	// sets' cite_hit (README, "How it works").
	typeBoost = 0.5
	// followRatio: a further sentence must score at least this share of
	// the lead's, or it adds noise rather than evidence. Lowered from 0.5:
	// eval cite_hit on casual-own 0.62 -> 0.71, extra 0.83 -> 0.86, the
	// other sets unchanged.
	followRatio = 0.3
	// saidWeight scales a sentence the previous answer already quoted.
	saidWeight = 0.5
	// maxQuoteRunes caps one quoted sentence: a document with a
	// run-on "sentence" of 100,000 characters must not become an answer
	// split over dozens of messages. The citation keeps the whole passage.
	maxQuoteRunes = 600
	// shortWords: a sentence of fewer words is framing ("Think about
	// it:", "Let's get real, guys.") more often than content.
	shortWords = 7
)

// Focus is what an extractive answer looks for in the passages: the
// question's weighted terms, the kind of answer it wants, and whether it
// asks about the document as a whole.
type Focus struct {
	Terms []retrieval.Term
	Type  retrieval.QType
	Whole bool
	// Said holds sentences the previous answer of the conversation quoted:
	// a follow-up ("why?", "what else?") should add to them, not repeat
	// them, so they score lower.
	Said map[string]bool
}

// FocusOf returns the focus of a search: its corrected, expanded and
// weighted terms and the question's type.
func FocusOf(res retrieval.Results) Focus {
	return Focus{Terms: res.Terms, Type: res.Type, Whole: res.Whole}
}

// questionFocus is the focus of a question alone: its own stems, weighed
// alike.
func questionFocus(question string) Focus {
	f := Focus{Type: retrieval.Classify(question)}
	for s := range stems(question) {
		f.Terms = append(f.Terms, retrieval.Term{Stem: s, Weight: 1})
	}
	return f
}

// candidate is a sentence of a retrieved passage.
type candidate struct {
	hit   int // index into the hits
	span  corpus.Span
	text  string
	score float64
	fits  bool // has what the question type asks for
}

// Extract answers question from ranked passages without a model, looking
// for the question's own words; see ExtractFocus.
func Extract(question string, hits []corpus.Passage) Answer {
	return ExtractFocus(question, hits, questionFocus(question))
}

// ExtractFocus answers question from ranked passages without a model. It
// scores each sentence of the best passages by the weight of the focus
// terms it contains (rare, specific words weigh more than "partnership"),
// the rank of its passage and whether it fits the question type, and
// quotes up to three, most relevant first, each followed by its [n]. For a
// "why" or "how" question it adds the neighbouring sentence that gives the
// reason when the chosen one doesn't. Citations are numbered by first use.
func ExtractFocus(question string, hits []corpus.Passage, f Focus) Answer {
	a := Answer{Question: question, Mode: ModeExtractive, Citations: []Citation{}}
	if len(hits) == 0 {
		a.Refused, a.Text, a.Reason = true, RefusalText, ReasonOffTopic
		return a
	}
	hits = UniquePassages(hits)
	cands := candidates(hits[:min(len(hits), extractFromHits)], f)
	picked := pick(cands, f)
	num := map[int]int{}            // hit index -> citation number
	quoted := map[int]corpus.Span{} // hit index -> span of its quoted sentences
	var parts []string
	for _, c := range picked {
		n, ok := num[c.hit]
		if !ok {
			n = len(a.Citations) + 1
			num[c.hit] = n
			quoted[c.hit] = c.span
			p := hits[c.hit]
			a.Citations = append(a.Citations, Citation{N: n, ID: p.ID, Document: p.Document, Section: p.Section, Text: p.Text})
		} else {
			// The quote stays one verbatim run of the passage: from the
			// first to the last sentence quoted from it.
			sp := quoted[c.hit]
			quoted[c.hit] = corpus.Span{Start: min(sp.Start, c.span.Start), End: max(sp.End, c.span.End)}
		}
		parts = append(parts, "\u201c"+DefuseMarkers(TrimRunes(c.text, maxQuoteRunes))+"\u201d ["+strconv.Itoa(n)+"]")
	}
	for h, n := range num {
		sp := quoted[h]
		a.Citations[n-1].Quote = hits[h].Text[sp.Start:sp.End]
		a.Citations[n-1].URL = FragmentURL(hits[h].URL, a.Citations[n-1].Quote)
	}
	a.Text = strings.Join(parts, " ")
	return a
}

// candidates returns every sentence of the hits, scored for f, in passage
// and reading order.
func candidates(hits []corpus.Passage, f Focus) []candidate {
	weight := make(map[string]float64, len(f.Terms))
	var total float64
	for _, t := range f.Terms {
		if t.Weight > weight[t.Stem] {
			total += t.Weight - weight[t.Stem]
			weight[t.Stem] = t.Weight
		}
	}
	var out []candidate
	for h, p := range hits {
		for _, s := range corpus.Sentences(p.Text) {
			text := p.Text[s.Start:s.End]
			var matched float64
			terms := stems(text)
			for t := range terms {
				matched += weight[t]
			}
			score := 0.0
			if total > 0 {
				score = matched / total
			}
			fits := f.Type != retrieval.QOther && f.Type.Fits(text)
			if fits {
				score *= 1 + typeBoost
			}
			if len(strings.Fields(text)) < shortWords {
				score *= 0.5
			}
			if f.Said[text] {
				score *= saidWeight
			}
			score /= 1 + rankDecay*float64(h)
			out = append(out, candidate{hit: h, span: s, text: text, score: score, fits: fits})
		}
	}
	return out
}

// pick chooses the answer's sentences from cands (in passage and reading
// order): the best, then others scoring at least followRatio of it, at
// most maxExtractSentences and maxExtractChars, most relevant first; a
// reason sentence joins a "why" or "how" lead that lacks one.
func pick(cands []candidate, f Focus) []candidate {
	if len(cands) == 0 {
		return nil
	}
	if f.Whole || bestScore(cands) == 0 {
		return opening(cands, f.Whole)
	}
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case cands[a].score > cands[b].score:
			return -1
		case cands[a].score < cands[b].score:
			return 1
		}
		return 0
	})
	lead := cands[order[0]]
	var out []int
	size := 0
	used := map[int]bool{}
	add := func(i int) bool {
		if used[i] || len(out) == maxExtractSentences || size+len(cands[i].text) > maxExtractChars && len(out) > 0 {
			return false
		}
		used[i] = true
		out = append(out, i)
		size += len(cands[i].text)
		return true
	}
	for _, i := range order {
		if len(out) == maxExtractSentences || cands[i].score < lead.score*followRatio || cands[i].score <= 0 {
			break
		}
		if !add(i) {
			continue
		}
		if r := reasonNeighbour(cands, i, f.Type); r >= 0 && !used[r] {
			if len(out) == maxExtractSentences {
				// The reason completes the lead: it beats a weaker pick.
				used[out[len(out)-1]] = false
				size -= len(cands[out[len(out)-1]].text)
				out = out[:len(out)-1]
			}
			add(r)
		}
	}
	picked := make([]candidate, len(out))
	for i, j := range out {
		picked[i] = cands[j]
	}
	return picked
}

// reasonNeighbour returns the sentence next to cands[i] in the same
// passage that gives the reason or means a "why" or "how" question asks
// for, when cands[i] itself doesn't; -1 otherwise. The following sentence
// is preferred: a claim usually comes before its reason.
func reasonNeighbour(cands []candidate, i int, t retrieval.QType) int {
	if (t != retrieval.QWhy && t != retrieval.QHow) || cands[i].fits {
		return -1
	}
	for _, j := range []int{i + 1, i - 1} {
		if j >= 0 && j < len(cands) && cands[j].hit == cands[i].hit && cands[j].fits {
			return j
		}
	}
	return -1
}

// opening answers a question about the document as a whole or its opening
// or close, where no word of the question picks a sentence. For the whole
// document it quotes the first sentence of substance of each of the best
// passages (the introduction and the conclusion, which retrieval puts
// first for such questions), two at most; otherwise the first two of the
// best passage. Framing ("Hey guys!", "So, there you have it, guys.") is
// passed over.
func opening(cands []candidate, whole bool) []candidate {
	var out []candidate
	for _, c := range cands {
		switch {
		case !whole && c.hit > 0, whole && c.hit > 3, len(out) == 2:
			return out
		case len(strings.Fields(c.text)) < shortWords:
			continue
		case whole && len(out) > 0 && out[len(out)-1].hit == c.hit:
			continue
		}
		out = append(out, c)
	}
	return out
}

func bestScore(cands []candidate) float64 {
	best := 0.0
	for _, c := range cands {
		best = max(best, c.score)
	}
	return best
}

// UniquePassages returns passages without those whose text repeats an
// earlier one (the same article saved in two files): identical passages
// give one citation, of the better-ranked one.
func UniquePassages(passages []corpus.Passage) []corpus.Passage {
	seen := make(map[string]bool, len(passages))
	out := make([]corpus.Passage, 0, len(passages))
	for _, p := range passages {
		if !seen[p.Text] {
			seen[p.Text] = true
			out = append(out, p)
		}
	}
	return out
}
