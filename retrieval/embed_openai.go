package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// OpenAIEmbedder embeds texts through any OpenAI-compatible /v1/embeddings
// endpoint (OpenAI, Ollama, vLLM, LM Studio), a batch of texts per call.
type OpenAIEmbedder struct {
	client  *openai.Client
	model   string
	timeout time.Duration // per request
	backoff time.Duration // first wait before a retry, doubled each time
}

// Retry policy of embedding requests: a reindex of a large corpus makes
// many calls, and one 429 or 502 among them should not throw away the
// batches already paid for.
const (
	embedAttempts = 4
	embedTimeout  = time.Minute
	embedBackoff  = 500 * time.Millisecond
)

// NewOpenAIEmbedder returns an embedder calling model through client.
func NewOpenAIEmbedder(client *openai.Client, model string) *OpenAIEmbedder {
	return &OpenAIEmbedder{client: client, model: model, timeout: embedTimeout, backoff: embedBackoff}
}

// Name implements Embedder. The vector size is stored with the index
// separately and checked on every query.
func (e *OpenAIEmbedder) Name() string { return "openai:" + e.model }

// Embed implements Embedder with one request for all texts; the Library
// splits work into batches. Vectors are normalised to unit length, which
// chromem-go's cosine search expects.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	resp, err := e.request(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("couldn't get embeddings from %s: %w", e.model, err)
	}
	if len(resp.Data) != len(texts) {
		return nil, fmt.Errorf("embedding endpoint returned %d vectors for %d texts", len(resp.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(out) || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embedding endpoint returned a bad vector at index %d", d.Index)
		}
		v := d.Embedding
		normalize(v)
		out[d.Index] = v
	}
	for i, v := range out {
		if v == nil {
			return nil, fmt.Errorf("embedding endpoint returned no vector for text %d", i)
		}
		if len(v) != len(out[0]) {
			return nil, fmt.Errorf("embedding endpoint returned vectors of %d and %d dimensions", len(out[0]), len(v))
		}
	}
	return out, nil
}

// request makes the embeddings call, each attempt bounded by e.timeout,
// retrying rate limits, server errors and network failures with doubling
// waits; other errors and a cancelled ctx end it at once.
func (e *OpenAIEmbedder) request(ctx context.Context, texts []string) (openai.EmbeddingResponse, error) {
	wait := e.backoff
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, e.timeout)
		resp, err := e.client.CreateEmbeddings(actx, openai.EmbeddingRequestStrings{
			Input: texts,
			Model: openai.EmbeddingModel(e.model),
		})
		cancel()
		if err == nil || attempt == embedAttempts || ctx.Err() != nil || !transient(err) {
			return resp, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return resp, ctx.Err()
		}
		wait *= 2
	}
}

// transient reports whether err may go away on a retry: HTTP 429 or 5xx,
// or a failure to reach the server at all.
func transient(err error) bool {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.HTTPStatusCode == 429 || apiErr.HTTPStatusCode >= 500
	case errors.As(err, &reqErr):
		return reqErr.HTTPStatusCode == 429 || reqErr.HTTPStatusCode >= 500 || reqErr.HTTPStatusCode == 0
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded)
}
