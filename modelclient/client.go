// Package modelclient talks to OpenAI-compatible servers (OpenAI, Ollama
// /v1, vLLM, llama.cpp server, LM Studio) through go-openai: streamed and
// plain chat completions and embeddings, with one retry policy (Retry), one
// classification of failures (ErrUnavailable, ErrRejected, Retryable) and
// the max_tokens / max_completion_tokens fallback. answer and retrieval
// both use it; go-openai itself never retries.
package modelclient

import (
	"context"
	"fmt"
	"net/http"

	openai "github.com/sashabaranov/go-openai"
)

// Client calls one OpenAI-compatible server. It remembers which token-cap
// field the server takes, per model. It is safe for concurrent use.
type Client struct {
	oc   *openai.Client
	caps capFields
}

// New returns a Client for the server at baseURL (such as
// "https://api.openai.com/v1" or "http://localhost:11434/v1"; empty means
// OpenAI's). apiKey, when not empty, is sent as a Bearer token. hc (nil
// means a new one) is copied, not changed, and should have no Timeout:
// Retry.Timeout bounds each attempt, streams included. Its transport is
// wrapped to record Retry-After headers for the retry loop.
func New(baseURL, apiKey string, hc *http.Client) *Client {
	cfg := openai.DefaultConfig(apiKey)
	if baseURL != "" {
		cfg.BaseURL = baseURL
	}
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = transport{base: base}
	cfg.HTTPClient = c
	return &Client{oc: openai.NewClientWithConfig(cfg)}
}

// Stream starts a streamed chat completion: one attempt, without retries,
// for the caller to read and to run inside Retry.Do (whose attempt ctx
// bounds the whole stream). The cap in req.MaxTokens or
// req.MaxCompletionTokens is sent in the field the server takes (see
// Complete). Errors are go-openai's, unclassified: pass them to Retryable
// and Classify.
func (c *Client) Stream(ctx context.Context, req openai.ChatCompletionRequest) (*openai.ChatCompletionStream, error) {
	req.Stream = true
	return withCapFallback(c, ctx, req, c.oc.CreateChatCompletionStream)
}

// Complete makes a non-streamed chat completion, retried as r says. The
// token cap, in either req.MaxTokens or req.MaxCompletionTokens, is sent as
// max_completion_tokens for OpenAI's reasoning model names and max_tokens
// otherwise; when the server refuses that field by name (HTTP 400), the call
// is repeated at once with the other one, which is then remembered for the
// model. The error wraps ErrUnavailable (including when ctx ends) or
// ErrRejected.
func (c *Client) Complete(ctx context.Context, req openai.ChatCompletionRequest, r Retry) (openai.ChatCompletionResponse, error) {
	req.Stream = false
	var resp openai.ChatCompletionResponse
	attempts, err := r.Do(ctx, func(ctx context.Context, _ int) (bool, error) {
		var err error
		resp, err = withCapFallback(c, ctx, req, c.oc.CreateChatCompletion)
		return Retryable(err), err
	})
	if err != nil {
		return openai.ChatCompletionResponse{}, fmt.Errorf("couldn't complete chat after %d attempt(s): %w", attempts, Classify(err))
	}
	return resp, nil
}

// Embed makes an embeddings request, retried as r says. The error wraps
// ErrUnavailable (including when ctx ends) or ErrRejected.
func (c *Client) Embed(ctx context.Context, req openai.EmbeddingRequestStrings, r Retry) (openai.EmbeddingResponse, error) {
	var resp openai.EmbeddingResponse
	attempts, err := r.Do(ctx, func(ctx context.Context, _ int) (bool, error) {
		var err error
		resp, err = c.oc.CreateEmbeddings(ctx, req)
		return Retryable(err), err
	})
	if err != nil {
		return openai.EmbeddingResponse{}, fmt.Errorf("couldn't embed after %d attempt(s): %w", attempts, Classify(err))
	}
	return resp, nil
}
