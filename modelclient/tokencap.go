package modelclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	openai "github.com/sashabaranov/go-openai"
)

// The two request fields that can carry the completion-token cap.
// OpenAI's reasoning models reject the deprecated max_tokens with a 400;
// many compatible servers know only max_tokens and reject (or ignore)
// max_completion_tokens.
const (
	fieldMaxTokens           = "max_tokens"
	fieldMaxCompletionTokens = "max_completion_tokens"
)

// capFields remembers, per model, the cap field this Client's server took
// after it rejected the other one. Models are kept apart because a proxy
// may route names to servers of different ages.
type capFields struct {
	mu sync.Mutex
	by map[string]string
}

// field is the field to send the cap of model in: the one learned, else a
// guess from the name.
func (c *capFields) field(model string) string {
	c.mu.Lock()
	f, ok := c.by[model]
	c.mu.Unlock()
	if ok {
		return f
	}
	return guessField(model)
}

func (c *capFields) learn(model, field string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]string{}
	}
	c.by[model] = field
}

// guessField picks max_completion_tokens for OpenAI's reasoning model names
// and max_tokens, which every compatible server knows, for the rest.
func guessField(model string) string {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return fieldMaxCompletionTokens
		}
	}
	return fieldMaxTokens
}

func otherField(field string) string {
	if field == fieldMaxTokens {
		return fieldMaxCompletionTokens
	}
	return fieldMaxTokens
}

// withCap returns ctx and req set up to send limit in field. go-openai
// refuses MaxTokens for some model names before sending anything
// (ErrReasoningModelMaxTokensDeprecated); for those the cap goes in
// MaxCompletionTokens and the transport renames it on the wire.
func withCap(ctx context.Context, req openai.ChatCompletionRequest, limit int, field string) (context.Context, openai.ChatCompletionRequest) {
	req.MaxTokens, req.MaxCompletionTokens = 0, 0
	if field == fieldMaxCompletionTokens {
		req.MaxCompletionTokens = limit
		return ctx, req
	}
	probe := openai.ChatCompletionRequest{Model: req.Model, MaxTokens: limit}
	if errors.Is(openai.NewReasoningValidator().Validate(probe), openai.ErrReasoningModelMaxTokensDeprecated) {
		req.MaxCompletionTokens = limit
		return withRenamedCap(ctx), req
	}
	req.MaxTokens = limit
	return ctx, req
}

// rejectsField reports whether err is the server (or go-openai) refusing
// the token-cap field that was sent as a field it doesn't take: a 400 or
// 422 whose param, or failing that whose message or body, names it, and
// that says the field is unsupported or unknown. A complaint about its
// value ("max_tokens is too large") keeps the field: switching would send
// the cap in a field such a server ignores, and answers would run uncapped.
func rejectsField(err error, field string) bool {
	if errors.Is(err, openai.ErrReasoningModelMaxTokensDeprecated) {
		return field == fieldMaxTokens
	}
	code, ok := statusCode(err)
	if !ok || (code != http.StatusBadRequest && code != http.StatusUnprocessableEntity) {
		return false
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		text := apiErr.Message
		if c, ok := apiErr.Code.(string); ok {
			text += " " + c
		}
		if apiErr.Param != nil && *apiErr.Param != "" {
			return *apiErr.Param == field && unsupportedRE.MatchString(text)
		}
		return strings.Contains(apiErr.Message, field) && unsupportedRE.MatchString(text)
	}
	var reqErr *openai.RequestError
	return errors.As(err, &reqErr) && strings.Contains(string(reqErr.Body), field) && unsupportedRE.Match(reqErr.Body)
}

// unsupportedRE matches what servers say of a request field they don't
// take (OpenAI's "Unsupported parameter", vLLM's pydantic "extra fields
// not permitted", "Unrecognized request argument").
var unsupportedRE = regexp.MustCompile(`(?i)unsupported|not supported|unrecogni[sz]ed|unknown|not permitted|not allowed|extra (field|input|argument)|additional propert`)

// withCapFallback makes call with req's token cap in the field the server
// takes; when the server rejects that field by name, it calls once more
// with the other field and, if that works, remembers it for req.Model. A
// request without a cap is sent as it is.
func withCapFallback[T any](c *Client, ctx context.Context, req openai.ChatCompletionRequest, call func(context.Context, openai.ChatCompletionRequest) (T, error)) (T, error) {
	limit := max(req.MaxTokens, req.MaxCompletionTokens)
	if limit <= 0 {
		return call(ctx, req)
	}
	field := c.caps.field(req.Model)
	v, err := call(withCap(ctx, req, limit, field))
	if err == nil || ctx.Err() != nil || !rejectsField(err, field) {
		return v, err
	}
	other := otherField(field)
	v, err2 := call(withCap(ctx, req, limit, other))
	if err2 != nil {
		return v, fmt.Errorf("retried with %s after %s was refused (%v): %w", other, field, err, err2)
	}
	c.caps.learn(req.Model, other)
	return v, nil
}
