package retrieval

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/lexicon"
)

// countingEmbedder wraps LocalEmbedder, counting texts embedded and
// detecting overlapping calls, optionally blocking each call on gate.
type countingEmbedder struct {
	*LocalEmbedder
	texts    atomic.Int64
	inFlight atomic.Int32
	overlap  atomic.Bool
	gate     chan struct{} // when non-nil, Embed calls that gateIf selects wait for it to close
	gateIf   func(texts []string) bool
	fail     error
	mu       sync.Mutex
}

func newCounting() *countingEmbedder {
	return &countingEmbedder{LocalEmbedder: NewLocalEmbedder()}
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.inFlight.Add(1) > 1 {
		c.overlap.Store(true)
	}
	defer c.inFlight.Add(-1)
	if c.gate != nil && c.gateIf(texts) {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.mu.Lock()
	fail := c.fail
	c.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	c.texts.Add(int64(len(texts)))
	return c.LocalEmbedder.Embed(ctx, texts)
}

// textSource returns a Source of one plain-text document.
func textSource(name, text string) Source {
	return func() ([]corpus.Document, []corpus.Skipped, error) {
		return []corpus.Document{corpus.ParseText(name, text)}, nil, nil
	}
}

func bundledLibrary(t *testing.T, e Embedder, snapshot string) *Library {
	t.Helper()
	lib := NewLibrary(e, Documents(corpus.Bundled), Options{Snapshot: snapshot, Lexicon: lexicon.Default()})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	return lib
}
