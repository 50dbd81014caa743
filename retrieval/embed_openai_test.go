package retrieval

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/modelclient"
)

func TestOpenAIEmbedder(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{APIKey: "sk-embed", EmbeddingDim: 32})
	t.Cleanup(fake.Close)
	emb := NewOpenAIEmbedder(modelclient.New(fake.BaseURL(), "sk-embed", &http.Client{}), "embed-small")
	if got, want := emb.Name(), "openai:embed-small"; got != want {
		t.Fatalf("Name() = %q, want %q", got, want)
	}

	snap := filepath.Join(t.TempDir(), "index.gob")
	lib := NewLibrary(emb, Documents(corpus.Bundled), Options{Snapshot: snap, Batch: 50})
	sum, err := lib.Reindex(context.Background(), nil)
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	batches := fake.EmbeddingBatches()
	if len(batches) < 2 {
		t.Fatalf("embedding batches = %v, want several of at most 50", batches)
	}
	total := 0
	for _, b := range batches {
		if b > 50 {
			t.Errorf("batch of %d texts, want at most 50", b)
		}
		total += b
	}
	if total != sum.Passages {
		t.Errorf("embedded %d texts for %d passages", total, sum.Passages)
	}
	res, err := lib.Search(context.Background(), "What are the joint drills meant to improve?", 5)
	if err != nil || res.Abstained {
		t.Fatalf("Search = %+v, %v", res, err)
	}
	var joined strings.Builder
	for _, h := range res.Hits {
		joined.WriteString(h.Text)
	}
	if !strings.Contains(joined.String(), "interoperability") {
		t.Errorf("top 5 lack the drills passage: %q", joined.String())
	}
	for _, r := range fake.Requests() {
		if got, want := r.Header.Get("Authorization"), "Bearer sk-embed"; got != want {
			t.Errorf("Authorization = %q, want %q", got, want)
		}
	}

	// A restart makes no embedding call for passages, and the local
	// embedder may not query an index built by this one.
	before := len(fake.EmbeddingBatches())
	again := NewLibrary(emb, Documents(corpus.Bundled), Options{Snapshot: snap})
	if sum, err := again.Open(context.Background(), nil); err != nil || sum.Embedded != 0 {
		t.Fatalf("restart: %+v, %v; want nothing embedded", sum, err)
	}
	if got := len(fake.EmbeddingBatches()) - before; got != 0 {
		t.Fatalf("restart made %d embedding calls, want 0", got)
	}
	local := NewLibrary(NewLocalEmbedder(), Documents(corpus.Bundled), Options{Snapshot: snap})
	if err := local.Load(context.Background()); err == nil {
		t.Fatal("the local embedder loaded an index built by the OpenAI embedder")
	}
}

func TestOpenAIEmbedderRetries(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{})
	t.Cleanup(fake.Close)
	fake.EnqueueEmbeddings(fakeopenai.ServerError(), fakeopenai.RateLimited("0"))
	emb := NewOpenAIEmbedder(modelclient.New(fake.BaseURL(), "", nil), "m")
	emb.retry.Jitter = func(time.Duration) time.Duration { return time.Millisecond }
	lib := NewLibrary(emb, Documents(corpus.Bundled), Options{})
	sum, err := lib.Reindex(context.Background(), nil)
	if err != nil {
		t.Fatalf("Reindex after a 500 and a 429: %v", err)
	}
	if got, want := len(fake.EmbeddingBatches()), 3; got != want {
		t.Errorf("embedding requests = %d, want %d (two failures, then the batch)", got, want)
	}
	if sum.Embedded != sum.Passages {
		t.Errorf("summary = %+v, want every passage embedded", sum)
	}
}

func TestOpenAIEmbedderServerDown(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{})
	t.Cleanup(fake.Close)
	for i := 0; i < embedAttempts; i++ {
		fake.EnqueueEmbeddings(fakeopenai.ServerError())
	}
	emb := NewOpenAIEmbedder(modelclient.New(fake.BaseURL(), "", nil), "m")
	emb.retry.Jitter = func(time.Duration) time.Duration { return time.Millisecond }
	lib := NewLibrary(emb, Documents(corpus.Bundled), Options{})
	if _, err := lib.Reindex(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "couldn't embed") {
		t.Fatalf("Reindex against a failing server = %v, want an embedding error", err)
	}
	if lib.Current() != nil {
		t.Fatal("a failed first build is serving an index")
	}
}

// TestQueryEmbeddingFallsBack: a question whose embedding fails or is too
// slow is still answered, ranked by BM25 alone, and the result says so.
func TestQueryEmbeddingFallsBack(t *testing.T) {
	tests := []struct {
		name     string
		behavior fakeopenai.Behavior
	}{
		{"Slow", fakeopenai.Behavior{Delay: time.Minute}},
		{"ServerError", fakeopenai.Behavior{Status: http.StatusInternalServerError}},
		{"Rejected", fakeopenai.Behavior{Status: http.StatusBadRequest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeopenai.New(fakeopenai.Options{EmbeddingDim: 32})
			t.Cleanup(fake.Close)
			emb := NewOpenAIEmbedder(modelclient.New(fake.BaseURL(), "", nil), "embed-small")
			lib := NewLibrary(emb, Documents(corpus.Bundled), Options{QueryTimeout: 300 * time.Millisecond})
			if _, err := lib.Reindex(context.Background(), nil); err != nil {
				t.Fatalf("Reindex: %v", err)
			}
			fake.EnqueueEmbeddings(tt.behavior, tt.behavior, tt.behavior, tt.behavior, tt.behavior)
			res, err := lib.Search(context.Background(), "Which fighter jets and submarines did Russia supply?", 5)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			if !res.LexicalOnly || res.EmbedErr == nil {
				t.Fatalf("LexicalOnly = %v, EmbedErr = %v; want the fallback reported", res.LexicalOnly, res.EmbedErr)
			}
			if res.Abstained || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "fighter jets") {
				t.Fatalf("lexical fallback hits = %+v, want the arms passage first", res.Hits)
			}
		})
	}
}

func TestOpenAIEmbedderRejected(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{})
	t.Cleanup(fake.Close)
	fake.EnqueueEmbeddings(fakeopenai.Behavior{Status: http.StatusBadRequest})
	emb := NewOpenAIEmbedder(modelclient.New(fake.BaseURL(), "", nil), "m")
	_, err := emb.Embed(context.Background(), []string{"a", "b"})
	if !errors.Is(err, modelclient.ErrRejected) {
		t.Fatalf("Embed after a 400 = %v, want modelclient.ErrRejected", err)
	}
	if got, want := len(fake.EmbeddingBatches()), 1; got != want {
		t.Errorf("embedding requests = %d, want %d: a 400 is not retried", got, want)
	}
}
