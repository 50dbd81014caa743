package retrieval

import (
	"context"
	"fmt"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/articlebot/articlebot/modelclient"
)

// OpenAIEmbedder embeds texts through any OpenAI-compatible /v1/embeddings
// endpoint (OpenAI, Ollama, vLLM, LM Studio), a batch of texts per call.
type OpenAIEmbedder struct {
	client *modelclient.Client
	model  string
	retry  modelclient.Retry
}

// Retry policy of embedding requests: a reindex of a large corpus makes
// many calls, and one 429 or 502 among them should not throw away the
// batches already paid for, so the budget is generous.
const (
	embedAttempts = 4
	embedTimeout  = time.Minute
	embedBudget   = 2 * time.Minute
)

// NewOpenAIEmbedder returns an embedder calling model through client.
func NewOpenAIEmbedder(client *modelclient.Client, model string) *OpenAIEmbedder {
	return &OpenAIEmbedder{client: client, model: model, retry: modelclient.Retry{
		Budget: embedBudget, Timeout: embedTimeout, MaxAttempts: embedAttempts,
	}}
}

// Name implements Embedder. The vector size is stored with the index
// separately and checked on every query.
func (e *OpenAIEmbedder) Name() string { return "openai:" + e.model }

// Embed implements Embedder with one request for all texts, retrying rate
// limits, server errors and network failures; the Library splits work into
// batches. Vectors are normalised to unit length, which chromem-go's cosine
// search expects. A failed request's error wraps modelclient.ErrUnavailable
// or modelclient.ErrRejected.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	resp, err := e.client.Embed(ctx, openai.EmbeddingRequestStrings{
		Input: texts,
		Model: openai.EmbeddingModel(e.model),
	}, e.retry)
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
