package retrieval

import "context"

// Embedder turns texts into vectors. The vectors of one Embedder are
// comparable only with each other, so its Name is stored with the index and
// an index is never queried with a different embedder.
//
// LocalEmbedder is the offline default; OpenAIEmbedder calls any
// OpenAI-compatible /v1/embeddings endpoint. Tests use LocalEmbedder, which
// is deterministic, or OpenAIEmbedder against internal/fakeopenai.
type Embedder interface {
	// Name identifies the model and dimension, e.g. "local-glove-v1/100".
	Name() string
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}
