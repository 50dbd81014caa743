package retrieval

import (
	"context"
	"fmt"

	openai "github.com/sashabaranov/go-openai"
)

// OpenAIEmbedder embeds texts through any OpenAI-compatible /v1/embeddings
// endpoint (OpenAI, Ollama, vLLM, LM Studio), a batch of texts per call.
type OpenAIEmbedder struct {
	client *openai.Client
	model  string
}

// NewOpenAIEmbedder returns an embedder calling model through client.
func NewOpenAIEmbedder(client *openai.Client, model string) *OpenAIEmbedder {
	return &OpenAIEmbedder{client: client, model: model}
}

// Name implements Embedder. The vector size is stored with the index
// separately and checked on every query.
func (e *OpenAIEmbedder) Name() string { return "openai:" + e.model }

// Embed implements Embedder with one request for all texts; the Library
// splits work into batches. Vectors are normalised to unit length, which
// chromem-go's cosine search expects.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	resp, err := e.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input: texts,
		Model: openai.EmbeddingModel(e.model),
	})
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
