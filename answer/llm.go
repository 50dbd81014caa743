package answer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/modelclient"
)

// Errors of Generate. Each means the caller should fall back to the
// extractive answer; check them with errors.Is.
var (
	// ErrModelUnavailable: the model could not be reached or did not
	// answer in time: connection errors, timeouts, cut streams, and 429 or
	// 5xx responses that persisted through the retry budget. It is
	// modelclient.ErrUnavailable.
	ErrModelUnavailable = modelclient.ErrUnavailable
	// ErrModelRejected: the server refused the request with a 4xx other
	// than 429, such as a bad API key or an unknown model. Retrying cannot
	// help; the configuration must change. It is modelclient.ErrRejected.
	ErrModelRejected = modelclient.ErrRejected
	// ErrEmptyAnswer: the model finished without text, or its text was
	// withheld by a content filter.
	ErrEmptyAnswer = errors.New("language model returned no answer")
	// ErrNoValidCitations: the answer cites none of the given passages and
	// is not a refusal, so nothing in it is grounded.
	ErrNoValidCitations = errors.New("language model answer cites no given passage")
	// ErrPromptLeak: the answer repeats the system prompt.
	ErrPromptLeak = errors.New("language model answer repeats its instructions")
)

// Defaults of LLMOptions.
const (
	DefaultLLMTimeout  = 30 * time.Second
	DefaultRetryBudget = 20 * time.Second
	// DefaultMaxTokens keeps answers near 1500 characters at about four
	// characters a token.
	DefaultMaxTokens = 400
)

// TruncatedNote ends the text of an answer whose stream was cut short
// after part of it had been shown.
const TruncatedNote = " (answer cut short)"

// LLMOptions configures the model call.
type LLMOptions struct {
	// Model is the chat model name (ARTICLEBOT_CHAT_MODEL).
	Model string
	// Timeout bounds each attempt, as a context deadline: go-openai streams
	// must not use http.Client.Timeout. Default DefaultLLMTimeout.
	Timeout time.Duration
	// RetryBudget bounds the time spent retrying, counted from the first
	// call and including backoff: no wait may end past it, so no retry
	// starts once it is spent. Default DefaultRetryBudget; negative
	// disables retries.
	RetryBudget time.Duration
	// MaxTokens caps the completion. Default DefaultMaxTokens. It is sent
	// as max_tokens or max_completion_tokens (which includes reasoning
	// tokens), whichever the server takes; see modelclient.Client.Complete.
	MaxTokens int
	// MaxAnswerRunes, when positive, caps the text of an answer (and of
	// each partial text) with CapAnswer, before its citations are built,
	// so that a cut never leaves a source the text no longer cites. Zero
	// means no cap.
	MaxAnswerRunes int
	// OnRetry, if not nil, is called before each retry with the number of
	// the attempt that failed (1 for the first call) and its error, so
	// metrics can count retries.
	OnRetry func(attempt int, err error)
}

// LLM answers questions from numbered passages with an OpenAI-compatible
// chat model. It is safe for concurrent use.
type LLM struct {
	lg     *slog.Logger
	client *modelclient.Client
	opt    LLMOptions
	leak   leakDetector
	retry  modelclient.Retry
}

// NewLLM returns an LLM that calls client.
func NewLLM(lg *slog.Logger, client *modelclient.Client, opt LLMOptions) *LLM {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultLLMTimeout
	}
	if opt.RetryBudget == 0 {
		opt.RetryBudget = DefaultRetryBudget
	}
	if opt.MaxTokens <= 0 {
		opt.MaxTokens = DefaultMaxTokens
	}
	l := &LLM{lg: lg, client: client, opt: opt, leak: newLeakDetector(systemPrompt)}
	l.retry = modelclient.Retry{Budget: opt.RetryBudget, Timeout: opt.Timeout, OnRetry: l.retried}
	return l
}

// Generate answers question from passages, numbered [1]..[k] in the given
// order, with one streamed chat call plus retries. onPartial, if not nil,
// receives the sanitized text so far (renumbered markers, length capped
// to MaxAnswerRunes) each time it grows. The text is the model's: mentions
// or markup in it are the caller's to defuse for wherever it is shown.
//
// It returns an Answer in ModeLLM with checked, renumbered citations and a
// non-nil Usage; Truncated is set, and TruncatedNote appended, when the
// stream was cut after text was shown or the model hit MaxTokens. When the
// model says the passages don't cover the question and cites nothing, the
// answer is Refused with RefusalText and no citations. Otherwise the error
// wraps ErrModelUnavailable (including when ctx ends, wrapped together with
// ctx's error), ErrModelRejected, ErrEmptyAnswer, ErrNoValidCitations or
// ErrPromptLeak, and the caller must fall back to the extractive answer.
func (l *LLM) Generate(ctx context.Context, r Request, passages []corpus.Passage) (Answer, error) {
	if len(passages) == 0 {
		return Answer{}, fmt.Errorf("llm answer: no passages given: %w", ErrNoValidCitations)
	}
	question, onPartial := r.Question, r.OnPartial
	req := l.request(r, passages)
	var res streamResult
	attempts, err := l.retry.Do(ctx, func(actx context.Context, _ int) (bool, error) {
		var err error
		res, err = l.stream(ctx, actx, req, len(passages), onPartial)
		return err != nil && !res.shown && modelclient.Retryable(err), err
	})
	if err != nil {
		if !errors.Is(err, ErrPromptLeak) {
			err = modelclient.Classify(err)
		}
		return Answer{}, fmt.Errorf("llm answer after %d attempt(s): %w", attempts, err)
	}
	a, err := l.finish(question, passages, res)
	if err != nil {
		return Answer{Usage: a.Usage}, fmt.Errorf("llm answer: %w", err)
	}
	return a, nil
}

// request builds the single chat request of the prompt contract: system
// rules, then the passages and question; no tools, no JSON mode.
func (l *LLM) request(r Request, passages []corpus.Passage) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model: l.opt.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: systemPrompt},
			{Role: openai.ChatMessageRoleUser, Content: UserMessage(r.Question, r.History, passages)},
		},
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
		// The client sends the cap in whichever field the server takes.
		MaxCompletionTokens: l.opt.MaxTokens,
	}
	return req
}

// retried logs a retry and reports it to OnRetry.
func (l *LLM) retried(attempt int, err error) {
	l.lg.Warn("chat model call failed; retrying", "attempt", attempt, "err", err)
	if l.opt.OnRetry != nil {
		l.opt.OnRetry(attempt, err)
	}
}
