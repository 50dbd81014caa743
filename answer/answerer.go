package answer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// Searcher ranks passages for a question and its conversation.
// *retrieval.Library is the real one; tests use a Library over documents
// they build.
type Searcher interface {
	SearchQuery(ctx context.Context, q retrieval.Query, k int) (retrieval.Results, error)
}

// Generator writes an answer from numbered passages with a chat model. *LLM
// is the real one, tested against internal/fakeopenai.
type Generator interface {
	Generate(ctx context.Context, req Request, passages []corpus.Passage) (Answer, error)
}

// DefaultContextChars is the passage text a model is given per question
// unless configured otherwise (config.DefaultContextChars, the same
// figure): see there for the measurements behind it.
const DefaultContextChars = 9000

// DepthFor is how many ranked passages a search returns so that their
// text fills chars characters: passages hold up to 200 characters and
// about 160 on average, so one per 100 characters leaves room for short
// ones, and never fewer than 30.
func DepthFor(chars int) int { return max(30, chars/100+1) }

// Depth is how many ranked passages a's searches return: enough for its
// context budget and never fewer than for the default one, so that the
// ranking a question gets (the fusion's candidates grow with the depth)
// is the same whatever the budget, and eval measures the one members get.
func (a *Answerer) Depth() int { return DepthFor(max(a.opt.ContextChars, DefaultContextChars)) }

// Notes that prefix an extractive answer given instead of the model's,
// saying why (see fallbackNote).
const (
	// FallbackNote: the model could not be reached or refused the request.
	FallbackNote = "(The language model is unavailable right now, so here are the most relevant passages.) "
	// NoCitationsNote: the model answered but cited none of the passages,
	// so nothing in its answer could be checked.
	NoCitationsNote = "(The model's answer cited nothing from the article, so here are the most relevant passages.) "
	// UnusableNote: the model answered with nothing usable (empty,
	// filtered, or repeating its instructions).
	UnusableNote = "(The model's answer couldn't be used, so here are the most relevant passages.) "
)

// fallbackNote is the note for a fallback whose model error is err.
func fallbackNote(err error) string {
	switch {
	case errors.Is(err, ErrNoValidCitations):
		return NoCitationsNote
	case errors.Is(err, ErrEmptyAnswer), errors.Is(err, ErrPromptLeak):
		return UnusableNote
	}
	return FallbackNote
}

// Rewriter turns a question into a standalone English search query. *LLM
// is the real one, tested against internal/fakeopenai.
type Rewriter interface {
	Rewrite(ctx context.Context, question string, history []Turn) (string, Usage, error)
}

// Options configures an Answerer.
type Options struct {
	// ContextChars bounds the passage text given to the model. Default
	// DefaultContextChars.
	ContextChars int
	// Rewriter, when not nil, rewrites questions as Rewrite says.
	Rewriter Rewriter
	// Rewrite says which questions are rewritten. Default RewriteAuto.
	Rewrite RewriteMode
}

// Answerer answers questions: it retrieves passages, refuses when retrieval
// abstains, and otherwise answers with the model when one is configured,
// falling back to the extractive answer whenever the model's answer cannot
// be used. It never returns a bare model error.
type Answerer struct {
	lg     *slog.Logger
	search Searcher
	gen    Generator // nil: extractive only
	opt    Options
}

// NewAnswerer returns an Answerer. gen may be nil for offline, extractive
// answers.
func NewAnswerer(lg *slog.Logger, search Searcher, gen Generator, opt Options) *Answerer {
	if opt.ContextChars <= 0 {
		opt.ContextChars = DefaultContextChars
	}
	if opt.Rewrite == "" {
		opt.Rewrite = RewriteAuto
	}
	return &Answerer{lg: lg, search: search, gen: gen, opt: opt}
}

// Retrieved is a question searched: what was searched for and what was
// found.
type Retrieved struct {
	// Query is the text searched: the question without markup, or its
	// rewrite.
	Query     string
	Rewritten bool
	Results   retrieval.Results
	// Usage counts the tokens of the rewrite call; nil when none was made.
	Usage *Usage
	// Sources is set for a request for the previous answer's sources
	// ("source?"): its citations, shown again; empty when they had to be
	// found again by searching.
	Sources []Citation
}

// Ask answers req. The error is non-nil only when retrieval itself fails
// (no index, cancelled context); every model failure becomes a fallback
// answer.
func (a *Answerer) Ask(ctx context.Context, req Request) (Answer, error) {
	if IsInjection(req.Question) {
		return refusal(req.Question, ReasonInjection), nil
	}
	r, err := a.Retrieve(ctx, req, a.Depth())
	if err != nil {
		return Answer{}, err
	}
	return a.AnswerFrom(ctx, req, r)
}

// Retrieve searches for a request, first rewriting it into a standalone
// query when the rewrite mode says so: always, or with RewriteAuto when it
// is not in English or is a follow-up. A failed rewrite is logged and the
// question searched as it is, with its conversation; it never fails the
// question. A request for the previous answer's sources ("source?")
// searches nothing when those sources are known. k is how many passages
// to return.
func (a *Answerer) Retrieve(ctx context.Context, req Request, k int) (Retrieved, error) {
	r := Retrieved{Query: SearchText(req.Question)}
	if last, ok := sourceRequest(req); ok {
		if len(last.Citations) > 0 {
			r.Sources = last.Citations
			for i, c := range last.Citations {
				r.Results.Hits = append(r.Results.Hits, retrieval.Hit{Passage: corpus.Passage{ID: c.ID, Document: c.Document, Section: c.Section, Text: c.Text}, Rank: i + 1})
			}
			return r, nil
		}
		// The sources weren't kept (an answer given elsewhere): find them
		// again for the question they answered.
		req = Request{Question: last.Question, History: req.History[:len(req.History)-1]}
		r.Query = SearchText(last.Question)
		r.Sources = []Citation{}
	}
	history := questions(req.History)
	if a.wantRewrite(r.Query, len(history) > 0) {
		q, use, err := a.opt.Rewriter.Rewrite(ctx, r.Query, req.History)
		if use != (Usage{}) {
			r.Usage = &use
		}
		switch {
		case err != nil && ctx.Err() != nil:
			return r, fmt.Errorf("couldn't rewrite: %w", ctx.Err())
		case err != nil:
			a.lg.Warn("question rewrite failed; searching the question as asked", "err", err)
		default:
			a.lg.Debug("question rewritten", "query", q)
			// The earlier questions still rank at their lower weight: a
			// rewrite that dropped the context loses nothing by it.
			r.Query, r.Rewritten = q, true
		}
	}
	if !retrieval.IsEnglish(r.Query) {
		return r, nil // refused for its language; nothing to search
	}
	res, err := a.search.SearchQuery(ctx, retrieval.Query{Text: r.Query, History: history}, k)
	if err != nil {
		return r, fmt.Errorf("couldn't search: %w", err)
	}
	r.Results = res
	return r, nil
}

// said returns the sentences the last answer of history quoted.
func said(history []Turn) map[string]bool {
	if len(history) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, c := range history[len(history)-1].Citations {
		for _, sp := range corpus.Sentences(c.Quote) {
			out[c.Quote[sp.Start:sp.End]] = true
		}
	}
	return out
}

// questions returns the searchable text of the questions of history.
func questions(history []Turn) []string {
	out := make([]string, 0, len(history))
	for _, t := range history {
		out = append(out, SearchText(t.Question))
	}
	return out
}

func (a *Answerer) wantRewrite(query string, followUp bool) bool {
	switch {
	case a.opt.Rewriter == nil || a.opt.Rewrite == RewriteOff || IsInjection(query):
		return false
	case a.opt.Rewrite == RewriteAlways:
		return true
	}
	return followUp || !retrieval.IsEnglish(query)
}

// AnswerFrom answers question from what Retrieve found for it; eval uses
// it to search once per question.
//
// A question in a language the index can't be searched in is refused with
// ReasonLanguage. Offline, retrieval's abstention refuses a question the
// article doesn't cover; with a model, only a question that nothing in
// the index plausibly matches is refused before the call, and the model
// decides the rest (ReasonModelDeclined when it declines).
func (a *Answerer) AnswerFrom(ctx context.Context, req Request, r Retrieved) (Answer, error) {
	if r.Sources != nil {
		return a.sources(req, r), nil
	}
	ans, err := a.answerFrom(ctx, req, r)
	if err == nil && r.Usage != nil {
		ans.Usage = addUsage(ans.Usage, *r.Usage)
	}
	return ans, err
}

func (a *Answerer) answerFrom(ctx context.Context, req Request, r Retrieved) (Answer, error) {
	question := req.Question
	res := r.Results
	switch {
	case IsInjection(question):
		return refusal(question, ReasonInjection), nil
	case !retrieval.IsEnglish(r.Query):
		return refusal(question, ReasonLanguage), nil
	}
	if res.LexicalOnly {
		a.lg.Warn("query embedding failed; ranking by words alone", "err", res.EmbedErr)
	}
	if len(res.Hits) == 0 || (a.gen == nil && res.Abstained) || (a.gen != nil && res.Unmatched) {
		return refusal(question, ReasonOffTopic), nil
	}
	passages := ContextPassages(res.Hits, a.opt.ContextChars)
	focus := FocusOf(res)
	focus.Said = said(req.History)
	if a.gen == nil {
		ans := ExtractFocus(question, passages, focus)
		if notStated(ans, focus) {
			return refusal(question, ReasonNotStated), nil
		}
		return ans, nil
	}
	ans, err := a.gen.Generate(ctx, req, passages)
	if err == nil {
		ans.Question = question
		return ans, nil
	}
	if ctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded) {
		return Answer{}, fmt.Errorf("couldn't answer: %w", ctx.Err())
	}
	a.lg.Warn("model answer unusable; answering extractively", "err", err)
	fb := ExtractFocus(question, passages, focus)
	fb.Text = fallbackNote(err) + fb.Text
	fb.Fallback = FallbackReason(err)
	fb.Usage = ans.Usage // tokens spent on an answer that couldn't be used
	return fb, nil
}

func addUsage(u *Usage, more Usage) *Usage {
	out := more
	if u != nil {
		out.PromptTokens += u.PromptTokens
		out.CompletionTokens += u.CompletionTokens
	}
	return &out
}

// notStated reports whether an extractive answer to a question asking for
// a figure ("how many troops", "what year") quotes no figure at all: the
// article covers the topic but not the fact asked, and three loosely
// related quotes would only look like an answer.
func notStated(ans Answer, f Focus) bool {
	if f.Type != retrieval.QNumber || ans.Refused {
		return false
	}
	for _, c := range ans.Citations {
		if f.Type.Fits(c.Quote) {
			return false
		}
	}
	return true
}

func refusal(question string, why Reason) Answer {
	return Answer{Question: question, Text: why.Text(), Mode: ModeExtractive, Refused: true, Reason: why, Citations: []Citation{}}
}

// codeRE matches Markdown code blocks and spans: pasted code or markup
// is not what a question about the article asks about.
var codeRE = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")

// SearchText is the question as retrieval sees it, without Markdown code.
// Markup of the place a question came from (such as a chat's mentions) is
// for the caller to remove.
func SearchText(question string) string {
	return codeRE.ReplaceAllString(question, " ")
}

// FallbackReason names why a model's answer was not used, from the
// sentinel err wraps: unavailable, rejected, empty, no_citations,
// prompt_leak, or other. It is a short, stable label for logs and metrics.
func FallbackReason(err error) string {
	for _, r := range []struct {
		err    error
		reason string
	}{
		{ErrModelUnavailable, "unavailable"},
		{ErrModelRejected, "rejected"},
		{ErrEmptyAnswer, "empty"},
		{ErrNoValidCitations, "no_citations"},
		{ErrPromptLeak, "prompt_leak"},
	} {
		if errors.Is(err, r.err) {
			return r.reason
		}
	}
	return "other"
}

// ContextPassages keeps the best hits whose text fits in chars, always at
// least one: the passages an answer is written from. A hit whose text
// repeats a better one's (the same article in two files) is skipped, so it
// neither takes room nor becomes a second citation.
func ContextPassages(hits []retrieval.Hit, chars int) []corpus.Passage {
	var out []corpus.Passage
	used := 0
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.Text] {
			continue
		}
		if len(out) > 0 && used+len(h.Text) > chars {
			break
		}
		seen[h.Text] = true
		out = append(out, h.Passage)
		used += len(h.Text)
	}
	return out
}
