package retrieval

import "github.com/kljensen/snowball/english"

// where names a part of a document that a question asks about by position
// or as a whole rather than by content: "How does the article open?", "how
// does it end", "what is this article about?", "tl;dr".
type where int

const (
	posNone  where = iota
	posStart       // the opening
	posEnd         // the closing
	posAbout       // the whole: introduction and conclusion
)

var (
	startWords   = wordSet("open", "opens", "opening", "begin", "begins", "beginning", "start", "starts", "intro", "introduction", "first")
	endWords     = wordSet("end", "ends", "ending", "conclude", "concludes", "conclusion", "close", "closes", "closing", "final", "finally", "last", "wrap", "wraps")
	summaryWords = wordSet("summarize", "summarise", "summary", "summarized", "summarised", "sum", "tldr", "tl", "dr", "gist", "overview", "takeaway", "takeaways", "main", "point", "points", "idea", "ideas", "thesis", "nutshell", "recap", "short", "brief", "briefly", "key", "overall", "topic", "argument", "message")
	docWords     = wordSet("article", "author", "post", "piece", "essay", "text", "blog", "writer", "it", "this", "thing", "whole", "about")
)

// position detects a question about where the document starts or ends, or
// about the document as a whole. Besides such words it may hold only words
// that name the document ("article", "it", "this") and function words, so
// "the first joint exercise" and "whats the end goal of the military
// teamwork" stay content questions. A question with a position word needs
// a word naming the document too ("how does it end"), so a lone "first?" is
// not mistaken for one.
func position(query string) where {
	var start, end, summary, doc bool
	for _, w := range splitWords(query) {
		switch {
		case startWords[w]:
			start = true
		case endWords[w]:
			end = true
		case summaryWords[w]:
			summary = true
		case docWords[w]:
			doc = true
		case english.IsStopWord(w) || questionWords[w] || chatNoise[w]:
		default:
			return posNone
		}
	}
	switch {
	case start && doc:
		return posStart
	case end && doc:
		return posEnd
	case summary || (doc && hasWord(query, "about")):
		return posAbout
	}
	return posNone
}

func hasWord(text, word string) bool {
	for _, w := range splitWords(text) {
		if w == word {
			return true
		}
	}
	return false
}

// boostPosition puts the passages a positional question asks about ahead of
// every content match: the first (or last) passage of each document, and
// for the whole document its first passage and the first of its last
// section, its conclusion.
func (ix *Index) boostPosition(fused map[int]float64, pos where) {
	const boost = 1.0 // larger than any fused RRF score (at most 2/61)
	for i, p := range ix.passages {
		last := i+1 == len(ix.passages) || ix.passages[i+1].Source != p.Source
		switch {
		case pos == posStart && p.Ordinal == 0, pos == posEnd && last:
			fused[i] += boost
		case pos == posAbout && p.Ordinal == 0:
			fused[i] += boost + 0.1
		case pos == posAbout && ix.opensLastSection(i):
			fused[i] += boost + 0.05
		case pos == posAbout && i > 0 && ix.opensLastSection(i-1) && ix.passages[i-1].Section == p.Section:
			// A conclusion often opens with a framing line ("So, there
			// you have it."): its next passage holds the summary.
			fused[i] += boost
		}
	}
}

// opensLastSection reports whether passage i is the first passage of the
// last section of its document.
func (ix *Index) opensLastSection(i int) bool {
	p := ix.passages[i]
	if i > 0 && ix.passages[i-1].Source == p.Source && ix.passages[i-1].Section == p.Section {
		return false
	}
	for j := i + 1; j < len(ix.passages) && ix.passages[j].Source == p.Source; j++ {
		if ix.passages[j].Section != p.Section {
			return false
		}
	}
	return true
}
