package answer

import (
	"slices"
	"strconv"
	"strings"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// Extractive answer shape: the few most relevant sentences, verbatim.
const (
	maxExtractSentences = 3
	maxExtractChars     = 700
	extractFromHits     = 4
)

// candidate is a sentence of a retrieved passage.
type candidate struct {
	hit   int // index into the hits
	span  corpus.Span
	text  string
	score float64
	order int // position of the sentence within its passage
}

// Extract answers question from ranked passages without a model: it picks
// the sentences that share the most question terms (the best passage's best
// sentence always), quotes them verbatim each followed by its [n], and cites
// the passages they came from, numbered by first use.
func Extract(question string, hits []corpus.Passage) Answer {
	a := Answer{Question: question, Mode: ModeExtractive, Citations: []Citation{}}
	if len(hits) == 0 {
		a.Refused, a.Text, a.Reason = true, RefusalText, ReasonOffTopic
		return a
	}
	picked := pickSentences(question, hits[:min(len(hits), extractFromHits)])
	// Read them by passage rank, and within a passage in its own order.
	slices.SortStableFunc(picked, func(a, b candidate) int {
		if a.hit != b.hit {
			return a.hit - b.hit
		}
		return a.span.Start - b.span.Start
	})
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
		parts = append(parts, "\u201c"+DefuseMarkers(c.text)+"\u201d ["+strconv.Itoa(n)+"]")
	}
	for h, n := range num {
		sp := quoted[h]
		a.Citations[n-1].Quote = hits[h].Text[sp.Start:sp.End]
	}
	a.Text = strings.Join(parts, " ")
	return a
}

// pickSentences scores every sentence of the hits by the idf-free overlap of
// question terms, boosted by the rank of its passage, and returns the best
// few in reading order of rank.
func pickSentences(question string, hits []corpus.Passage) []candidate {
	q := map[string]bool{}
	for _, t := range retrieval.Terms(question) {
		q[t] = true
	}
	var cands []candidate
	for h, p := range hits {
		for i, s := range corpus.Sentences(p.Text) {
			text := p.Text[s.Start:s.End]
			matched := 0
			seen := map[string]bool{}
			for _, t := range retrieval.Terms(text) {
				if q[t] && !seen[t] {
					seen[t] = true
					matched++
				}
			}
			score := float64(matched) / (1 + 0.5*float64(h))
			cands = append(cands, candidate{hit: h, span: s, text: text, score: score, order: i})
		}
	}
	if len(cands) == 0 {
		return nil
	}
	// The first pick is the best sentence of the best passage, so the
	// answer always leads with the top-ranked evidence.
	best := -1
	for i, c := range cands {
		if c.hit == 0 && (best < 0 || c.score > cands[best].score) {
			best = i
		}
	}
	picked := []candidate{cands[best]}
	size := len(cands[best].text)
	used := map[int]bool{best: true}
	for len(picked) < maxExtractSentences {
		next := -1
		for i, c := range cands {
			if used[i] || c.score <= 0 {
				continue
			}
			if next < 0 || c.score > cands[next].score {
				next = i
			}
		}
		if next < 0 || size+len(cands[next].text) > maxExtractChars {
			break
		}
		// A sentence matching far less than the lead adds noise, not evidence.
		if cands[next].score < cands[best].score/2 {
			break
		}
		used[next] = true
		picked = append(picked, cands[next])
		size += len(cands[next].text)
	}
	// A lead with no question terms (a positional question, "how does it
	// open?") reads better with the sentence that follows it.
	if cands[best].score == 0 && best+1 < len(cands) && cands[best+1].hit == 0 {
		picked = append(picked, cands[best+1])
	}
	return picked
}
