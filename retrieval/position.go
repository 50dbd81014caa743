package retrieval

// where names a part of a document that a question asks about by position
// rather than by content: "How does the article open?", "How does it end?".
type where int

const (
	posNone where = iota
	posStart
	posEnd
)

var (
	startWords = []string{"open", "opens", "opening", "begin", "begins", "beginning", "start", "starts", "intro", "introduction", "first"}
	endWords   = []string{"end", "ends", "ending", "conclude", "concludes", "conclusion", "close", "closes", "closing", "final", "finally", "last", "wrap"}
	docWords   = []string{"article", "author", "post", "piece", "essay", "text", "blog", "writer"}
)

// position detects a question about where the document starts or ends. It
// needs both a word naming the document and a word naming the position, so
// "the first joint exercise" is not mistaken for one.
func position(query string) where {
	words := splitWords(query)
	has := func(set []string) bool {
		for _, w := range words {
			for _, s := range set {
				if w == s {
					return true
				}
			}
		}
		return false
	}
	if !has(docWords) {
		return posNone
	}
	switch {
	case has(startWords):
		return posStart
	case has(endWords):
		return posEnd
	}
	return posNone
}

// boostPosition puts the first (or last) passage of each document ahead of
// every content match.
func (ix *Index) boostPosition(fused map[int]float64, pos where) {
	const boost = 1.0 // larger than any fused RRF score (at most 2/61)
	for i, p := range ix.passages {
		last := i+1 == len(ix.passages) || ix.passages[i+1].Source != p.Source
		if (pos == posStart && p.Ordinal == 0) || (pos == posEnd && last) {
			fused[i] += boost
		}
	}
}
