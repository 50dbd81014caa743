package answer

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// sourceRE finds a word asking for sources or quotes.
var sourceRE = regexp.MustCompile(`(?i)\b(sources?|citations?|cite|cited|quotes?|quoting|proof|receipts?|evidence|link|which (part|bit|passage|section|line)|where (does|did) it say|where('s| is) that from)\b`)

// sourceRequest reports whether req asks for the sources of its previous
// answer ("source?", "quote it", "which part says that?", "source? i
// wanna quote it in my essay") and returns that turn. Asking to quote
// something named ("can u quote the part about the tech") is a new
// question: besides the request it must have no content word.
func sourceRequest(req Request) (Turn, bool) {
	if len(req.History) == 0 || len([]rune(req.Question)) > 80 || !sourceRE.MatchString(req.Question) {
		return Turn{}, false
	}
	rest := sourceRE.ReplaceAllString(req.Question, " ")
	for _, t := range retrieval.Terms(rest) {
		if !sayStems[t] {
			return Turn{}, false
		}
	}
	return req.History[len(req.History)-1], true
}

// sayStems are the words of a source request besides the source word
// itself: "which part says that", "where is that from", "show me".
var sayStems = stems("say says said show part bit from exact exactly line passage section give pls wanna want essay paper homework need send drop post")

// SourcesIntro starts an answer that shows the previous answer's sources.
const SourcesIntro = "Here is what my last answer was based on:"

// sources answers a request for the previous answer's sources: its
// citations shown again, each quote followed by its [n]. When they had to
// be found again, the best passages for the previous question are quoted.
func (a *Answerer) sources(req Request, r Retrieved) Answer {
	cites := r.Sources
	if len(cites) == 0 {
		if r.Results.Abstained || len(r.Results.Hits) == 0 {
			return refusal(req.Question, ReasonOffTopic)
		}
		found := ExtractFocus(req.Question, ContextPassages(r.Results.Hits, a.opt.ContextChars), FocusOf(r.Results))
		cites = found.Citations
	}
	ans := Answer{Question: req.Question, Mode: ModeExtractive, Citations: make([]Citation, 0, len(cites))}
	parts := []string{SourcesIntro}
	for i, c := range cites {
		c.N = i + 1
		if c.Quote == "" {
			c.Quote = firstSentence(c.Text)
		}
		ans.Citations = append(ans.Citations, c)
		parts = append(parts, "\u201c"+DefuseMarkers(c.Quote)+"\u201d ["+strconv.Itoa(c.N)+"]")
	}
	ans.Text = strings.Join(parts, " ")
	return ans
}

func firstSentence(text string) string {
	if sp := corpus.Sentences(text); len(sp) > 0 {
		return text[sp[0].Start:sp[0].End]
	}
	return strings.TrimSpace(text)
}
