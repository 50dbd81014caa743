package retrieval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/articlebot/articlebot/corpus"
)

func TestRestartReusesSnapshot(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "data", "index.gob")
	first := newCounting()
	lib := bundledLibrary(t, first, snap)
	n := lib.Current().Len()
	if got := first.texts.Load(); got != int64(n) {
		t.Fatalf("first build embedded %d texts, want %d", got, n)
	}
	info, err := os.Stat(snap)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := info.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("snapshot mode = %v, want %v", got, want)
	}
	if d, _ := os.Stat(filepath.Dir(snap)); d.Mode().Perm() != 0o700 {
		t.Errorf("data folder mode = %v, want 0700", d.Mode().Perm())
	}

	second := newCounting()
	again := NewLibrary(second, Documents(corpus.Bundled), Options{Snapshot: snap})
	sum, err := again.Open(context.Background(), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if got := second.texts.Load(); got != 0 {
		t.Fatalf("restart embedded %d passages, want 0", got)
	}
	if !sum.Unchanged || sum.Embedded != 0 || sum.Reused != n {
		t.Fatalf("restart summary = %+v, want unchanged with %d reused", sum, n)
	}
	res, err := again.Search(context.Background(), "What do both countries push back against?", 3)
	if err != nil || res.Abstained || !strings.Contains(res.Hits[0].Text, "Western hegemony") {
		t.Fatalf("search after restart = %+v, %v", res.Hits, err)
	}
}

func TestReindexEmbedsOnlyChanges(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "index.gob")
	text := "Intro one. Intro two.\n\nPart A\n\nAlpha one. Alpha two.\n\nPart B\n\nBeta one. Beta two.\n"
	var mu sync.Mutex
	current := text
	source := Documents(func() ([]corpus.Document, error) {
		mu.Lock()
		defer mu.Unlock()
		return []corpus.Document{corpus.ParseText("a.txt", current)}, nil
	})
	emb := newCounting()
	lib := NewLibrary(emb, source, Options{Snapshot: snap, Split: corpus.SplitOptions{MaxChars: 5}})
	sum, err := lib.Reindex(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sum.Added, 6; got != want {
		t.Fatalf("first reindex added %d, want %d", got, want)
	}
	mu.Lock()
	current = strings.Replace(text, "Alpha two.", "Alpha two, revised.", 1)
	current = strings.Replace(current, "Beta two.", "", 1)
	mu.Unlock()
	before := emb.texts.Load()
	sum, err = lib.Reindex(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := emb.texts.Load()-before, int64(1); got != want {
		t.Errorf("reindex embedded %d passages, want %d", got, want)
	}
	if sum.Changed != 1 || sum.Removed != 1 || sum.Added != 0 || sum.Reused != 4 {
		t.Errorf("summary = %+v, want 1 changed, 1 removed, 0 added, 4 reused", sum)
	}
	if got, want := lib.Current().Len(), 5; got != want {
		t.Errorf("index has %d passages, want %d", got, want)
	}
}

func TestFailedReindexKeepsOldIndex(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "index.gob")
	emb := newCounting()
	var mu sync.Mutex
	var srcErr error
	docs, _ := corpus.Bundled()
	source := Documents(func() ([]corpus.Document, error) {
		mu.Lock()
		defer mu.Unlock()
		if srcErr != nil {
			return nil, srcErr
		}
		return []corpus.Document{corpus.ParseText("other.txt", "Completely different text about gardening.")}, nil
	})
	lib := NewLibrary(emb, Documents(func() ([]corpus.Document, error) { return docs, nil }), Options{Snapshot: snap})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	old := lib.Current()
	lib.source = source

	tests := []struct {
		name  string
		setup func()
	}{
		{"SourceFails", func() { srcErr = errors.New("corpus folder unreadable") }},
		{"EmbedderFails", func() {
			srcErr = nil
			emb.mu.Lock()
			emb.fail = errors.New("embedding endpoint down")
			emb.mu.Unlock()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			tt.setup()
			mu.Unlock()
			if _, err := lib.Reindex(context.Background(), nil); err == nil {
				t.Fatal("Reindex succeeded, want an error")
			}
			if lib.Current() != old {
				t.Fatal("failed reindex replaced the serving index")
			}
			reloaded := NewLibrary(NewLocalEmbedder(), nil, Options{Snapshot: snap})
			if err := reloaded.Load(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got, want := reloaded.Current().Len(), old.Len(); got != want {
				t.Fatalf("snapshot has %d passages after failed reindex, want %d", got, want)
			}
		})
	}
}

func TestQueriesDuringReindex(t *testing.T) {
	emb := newCounting()
	lib := bundledLibrary(t, emb, "")
	old := lib.Current().Len()
	docs, _ := corpus.Bundled()
	extra := corpus.ParseText("extra.txt", "Pandas eat bamboo in the mountains of Sichuan. They sleep a lot.")
	lib.source = Documents(func() ([]corpus.Document, error) { return append(docs, extra), nil })
	emb.gate = make(chan struct{})
	emb.gateIf = func(texts []string) bool { return strings.Contains(strings.Join(texts, " "), "Pandas") }

	done := make(chan error, 1)
	go func() {
		_, err := lib.Reindex(context.Background(), nil)
		done <- err
	}()
	// While the reindex waits on the embedder, every query is answered from
	// the complete old index.
	for i := 0; i < 20; i++ {
		res, err := lib.Search(context.Background(), "What do both countries push back against?", 5)
		if err != nil {
			t.Fatalf("search during reindex: %v", err)
		}
		if got := lib.Current().Len(); got != old {
			t.Fatalf("index size changed to %d during reindex, want %d", got, old)
		}
		if res.Abstained || len(res.Hits) == 0 {
			t.Fatalf("search during reindex gave %+v", res)
		}
	}
	close(emb.gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	res, err := lib.Search(context.Background(), "What do pandas eat?", 3)
	if err != nil || res.Abstained || !strings.Contains(res.Hits[0].Text, "bamboo") {
		t.Fatalf("search after reindex = %+v, %v", res, err)
	}
}

func TestConcurrentReindexesSerialise(t *testing.T) {
	emb := newCounting()
	lib := NewLibrary(emb, Documents(corpus.Bundled), Options{Batch: 8})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := lib.Reindex(context.Background(), nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if emb.overlap.Load() {
		t.Fatal("two reindexes embedded at the same time")
	}
	if got, want := emb.texts.Load(), int64(lib.Current().Len()); got != want {
		t.Fatalf("embedded %d passages across 4 reindexes, want %d (later ones reuse)", got, want)
	}
}

// renamedEmbedder is another version of an embedder: same vectors, new
// name, as after an upgrade that changes them.
type renamedEmbedder struct {
	*LocalEmbedder
	name string
}

func (r renamedEmbedder) Name() string { return r.name }

func TestEmbedderChange(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "index.gob")
	bundledLibrary(t, NewLocalEmbedder(), snap)
	other := NewLibrary(renamedEmbedder{NewLocalEmbedder(), "local-glove-v2/100"}, Documents(corpus.Bundled), Options{Snapshot: snap})
	if err := other.Load(context.Background()); !errors.Is(err, ErrEmbedderChanged) {
		t.Fatalf("Load with another embedder error = %v, want ErrEmbedderChanged", err)
	}
	if other.Current() != nil {
		t.Fatal("an index built by another embedder is being served")
	}
	sum, err := other.Open(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Reused != 0 || sum.Embedded != sum.Passages {
		t.Fatalf("rebuild summary = %+v, want every passage embedded afresh", sum)
	}
	if got, want := other.Current().Embedder(), "local-glove-v2/100"; got != want {
		t.Fatalf("embedder = %q, want %q", got, want)
	}
}

func TestCorruptSnapshot(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "index.gob")
	if err := os.WriteFile(snap, []byte("not a gob file at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	lib := NewLibrary(NewLocalEmbedder(), Documents(corpus.Bundled), Options{Snapshot: snap})
	if err := lib.Load(context.Background()); err == nil || errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("Load of a corrupt snapshot error = %v, want a read error", err)
	}
	if _, err := lib.Open(context.Background(), nil); err != nil {
		t.Fatalf("Open after a corrupt snapshot: %v", err)
	}
	if lib.Current() == nil || lib.Current().Len() == 0 {
		t.Fatal("corrupt snapshot was not rebuilt")
	}
}

func TestFailedReindexKeepsPaidVectors(t *testing.T) {
	emb := newCounting()
	calls := 0
	lib := NewLibrary(emb, Documents(corpus.Bundled), Options{Batch: 40})
	emb.gate = make(chan struct{})
	close(emb.gate) // never blocks; gateIf counts calls and fails the third
	emb.gateIf = func([]string) bool {
		calls++
		emb.mu.Lock()
		if calls == 3 {
			emb.fail = errors.New("embedding endpoint down")
		} else {
			emb.fail = nil
		}
		emb.mu.Unlock()
		return true
	}
	if _, err := lib.Reindex(context.Background(), nil); err == nil {
		t.Fatal("Reindex succeeded, want the third batch to fail")
	}
	paid := emb.texts.Load()
	if paid != 80 {
		t.Fatalf("embedded %d passages before the failure, want 80", paid)
	}
	sum, err := lib.Reindex(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := emb.texts.Load()-paid, int64(sum.Passages-80); got != want {
		t.Fatalf("retry embedded %d passages, want %d (the 80 already paid for reused)", got, want)
	}
	if sum.Reused != 80 {
		t.Errorf("summary = %+v, want 80 reused", sum)
	}
}
