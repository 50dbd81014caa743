package retrieval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/philippgille/chromem-go"
)

func TestRemoveStaleKeepsLiveWriters(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "index.gob")
	files := map[string]bool{ // name -> should survive
		fmt.Sprintf("index.gob.tmp-%d-1", os.Getppid()): true,  // a running process saving
		fmt.Sprintf("index.gob.tmp-%d-2", os.Getpid()):  true,  // this process
		"index.gob.tmp-2147483600-3":                    false, // no such process
		"index.gob.tmp-notapid":                         true,  // not ours to judge
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removeStale(snap)
	for name, keep := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != keep {
			t.Errorf("%s exists = %v, want %v", name, got, keep)
		}
	}
}

// TestChromemNeverEmbeds checks that chromem-go can't embed a text on its
// own, as built and as loaded from a snapshot: without a function of ours
// it would call OpenAI's API with OPENAI_API_KEY.
func TestChromemNeverEmbeds(t *testing.T) {
	ctx := context.Background()
	snap := filepath.Join(t.TempDir(), "index.gob")
	built := bundledLibrary(t, NewLocalEmbedder(), snap)
	loaded := NewLibrary(NewLocalEmbedder(), nil, Options{Snapshot: snap})
	if err := loaded.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for name, lib := range map[string]*Library{"built": built, "loaded": loaded} {
		t.Run(name, func(t *testing.T) {
			col := lib.Current().shards[0]
			if _, err := col.Query(ctx, "why does russia need china", 1, nil, nil); !errors.Is(err, errNoEmbed) {
				t.Fatalf("a query by text = %v, want errNoEmbed", err)
			}
			if err := col.AddDocument(ctx, chromem.Document{ID: "x", Content: "no vector"}); !errors.Is(err, errNoEmbed) {
				t.Fatalf("a document without its vector = %v, want errNoEmbed", err)
			}
		})
	}
}
