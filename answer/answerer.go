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

// Searcher ranks passages for a question. *retrieval.Library is the real
// one; tests use a Library over documents they build.
type Searcher interface {
	Search(ctx context.Context, query string, k int) (retrieval.Results, error)
}

// Generator writes an answer from numbered passages with a chat model. *LLM
// is the real one, tested against internal/fakeopenai.
type Generator interface {
	Generate(ctx context.Context, question string, passages []corpus.Passage, onPartial func(string)) (Answer, error)
}

// searchK is how many passages a question retrieves before the context
// budget trims them.
const searchK = 12

// FallbackNote prefixes an extractive answer given because the model failed.
const FallbackNote = "(The language model is unavailable right now, so here are the most relevant passages.) "

// Answerer answers questions: it retrieves passages, refuses when retrieval
// abstains, and otherwise answers with the model when one is configured,
// falling back to the extractive answer whenever the model's answer cannot
// be used. It never returns a bare model error.
type Answerer struct {
	lg           *slog.Logger
	search       Searcher
	gen          Generator // nil: extractive only
	contextChars int
}

// NewAnswerer returns an Answerer. gen may be nil for offline, extractive
// answers; contextChars bounds the passage text given to the model.
func NewAnswerer(lg *slog.Logger, search Searcher, gen Generator, contextChars int) *Answerer {
	if contextChars <= 0 {
		contextChars = 1500
	}
	return &Answerer{lg: lg, search: search, gen: gen, contextChars: contextChars}
}

// Ask answers question. onPartial, if not nil, receives the model's text as
// it streams. The error is non-nil only when retrieval itself fails (no
// index, cancelled context); every model failure becomes a fallback answer.
func (a *Answerer) Ask(ctx context.Context, question string, onPartial func(string)) (Answer, error) {
	if IsInjection(question) {
		return refusal(question, ReasonInjection), nil
	}
	res, err := a.search.Search(ctx, SearchText(question), searchK)
	if err != nil {
		return Answer{}, fmt.Errorf("couldn't search: %w", err)
	}
	return a.AskWith(ctx, question, res, onPartial)
}

// AskWith answers question from results already retrieved for
// SearchText(question), as Ask does after its search; eval uses it to
// search once per question.
func (a *Answerer) AskWith(ctx context.Context, question string, res retrieval.Results, onPartial func(string)) (Answer, error) {
	if IsInjection(question) {
		return refusal(question, ReasonInjection), nil
	}
	if res.Abstained || len(res.Hits) == 0 {
		return refusal(question, ReasonOffTopic), nil
	}
	passages := ContextPassages(res.Hits, a.contextChars)
	if a.gen == nil {
		return Extract(question, passages), nil
	}
	ans, err := a.gen.Generate(ctx, question, passages, onPartial)
	if err == nil {
		ans.Question = question
		return ans, nil
	}
	if ctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded) {
		return Answer{}, fmt.Errorf("couldn't answer: %w", ctx.Err())
	}
	a.lg.Warn("model answer unusable; answering extractively", "err", err)
	fb := Extract(question, passages)
	fb.Text = FallbackNote + fb.Text
	fb.Fallback = FallbackReason(err)
	return fb, nil
}

func refusal(question string, why Reason) Answer {
	return Answer{Question: question, Text: RefusalText, Mode: ModeExtractive, Refused: true, Reason: why, Citations: []Citation{}}
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
// least one: the passages an answer is written from.
func ContextPassages(hits []retrieval.Hit, chars int) []corpus.Passage {
	var out []corpus.Passage
	used := 0
	for _, h := range hits {
		if len(out) > 0 && used+len(h.Text) > chars {
			break
		}
		out = append(out, h.Passage)
		used += len(h.Text)
	}
	return out
}
