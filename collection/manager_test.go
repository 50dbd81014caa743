package collection

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/fetch"
	"github.com/articlebot/articlebot/retrieval"
)

// open builds a manager over the documents folder dir with the bundled
// article as base, as a restart would.
func open(t *testing.T, dir string) *Manager {
	t.Helper()
	store := NewStore(dir, "")
	lib := retrieval.NewLibrary(retrieval.NewLocalEmbedder(), store.Load, retrieval.Options{})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	now := func() time.Time { return time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC) }
	return NewManager(store, fetch.New(fetch.Options{}), fetch.New(fetch.Options{}), lib, now)
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const tea = "---\ntitle: Tea Guide\n---\n# Green tea\n\nSencha is a green tea from Japan. It is steamed.\n\n# Black tea\n\nAssam comes from India.\n"

func TestAddRemoveSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "documents")
	m := open(t, dir)
	rep, err := m.AddFile(context.Background(), writeFile(t, "tea.md", tea), "cli")
	if err != nil {
		t.Fatalf("AddFile: %v", err)
	}
	if got, want := rep.Document.ID, "tea-guide"; got != want {
		t.Errorf("ID = %q, want %q", got, want)
	}
	if rep.Document.Sections != 2 || rep.Document.Passages == 0 {
		t.Errorf("added %d sections, %d passages; want 2 and some", rep.Document.Sections, rep.Document.Passages)
	}
	for _, name := range []string{"", "manifest.json", "tea-guide.md"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if name == "" {
			want = 0o700 | os.ModeDir
		}
		if got := info.Mode(); got != want {
			t.Errorf("mode of %q = %v, want %v", name, got, want)
		}
	}
	if _, err := m.Remove(context.Background(), "xi-jinping-and-russia.txt", "cli"); err != nil {
		t.Fatalf("Remove bundled: %v", err)
	}

	m = open(t, dir) // restart
	docs, err := m.Documents()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "tea-guide" || docs[0].AddedBy != "cli" || docs[0].From != "tea.md" {
		t.Fatalf("after restart Documents() = %+v, want only tea-guide added by cli from tea.md", docs)
	}
	if _, err := m.Remove(context.Background(), "Tea Guide", "cli"); !errors.Is(err, ErrLastDocument) {
		t.Errorf("Remove(last) = %v, want ErrLastDocument", err)
	}
}

func TestRemove(t *testing.T) {
	m := open(t, filepath.Join(t.TempDir(), "documents"))
	ctx := context.Background()
	for range 2 {
		if _, err := m.AddFile(ctx, writeFile(t, "tea.md", tea), "42"); err != nil {
			t.Fatalf("AddFile: %v", err)
		}
	}
	tests := []struct {
		name    string
		query   string
		wantErr error
		wantID  string
	}{
		{name: "ErrAmbiguous", query: "tea guide", wantErr: ErrAmbiguous},
		{name: "ErrNotFound", query: "coffee", wantErr: ErrNotFound},
		{name: "ByID", query: "tea-guide-2", wantID: "tea-guide-2"},
		{name: "ByTitleOnceUnique", query: "TEA GUIDE", wantID: "tea-guide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := m.Remove(ctx, tt.query, "42")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Remove(%q) = %v, want %v", tt.query, err, tt.wantErr)
			}
			if got := rep.Document.ID; got != tt.wantID {
				t.Errorf("Remove(%q) removed %q, want %q", tt.query, got, tt.wantID)
			}
		})
	}
	var ae *AmbiguousError
	if _, err := m.Remove(ctx, "nothing", "42"); errors.As(err, &ae) {
		t.Errorf("unexpected ambiguity: %v", err)
	}
}

func TestAddFileRefused(t *testing.T) {
	m := open(t, filepath.Join(t.TempDir(), "documents"))
	tests := []struct {
		name    string
		file    string
		text    string
		wantErr error
		wantMsg string
	}{
		{name: "ErrFileType", file: "tea.pdf", text: "%PDF-1.7", wantErr: ErrFileType, wantMsg: "that file type isn't supported; send .html, .md or .txt"},
		{name: "ErrFileEmpty", file: "empty.md", text: "  \n", wantErr: ErrFileEmpty},
		{name: "ErrFileUnreadable", file: "bin.txt", text: "a\x00b", wantErr: ErrFileUnreadable},
		{name: "ErrFileTooLarge", file: "big.txt", text: string(make([]byte, fetch.MaxBytes+1)), wantErr: ErrFileTooLarge, wantMsg: "the file is larger than 5 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.AddFile(context.Background(), writeFile(t, tt.file, tt.text), "cli")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("AddFile(%s) = %v, want %v", tt.file, err, tt.wantErr)
			}
			if tt.wantMsg != "" && Message(err) != tt.wantMsg {
				t.Errorf("Message = %q, want %q", Message(err), tt.wantMsg)
			}
			docs, _ := m.Documents()
			if len(docs) != 1 {
				t.Errorf("after a refusal %d documents, want 1", len(docs))
			}
		})
	}
}

func TestChoices(t *testing.T) {
	m := open(t, filepath.Join(t.TempDir(), "documents"))
	for range 30 {
		if _, err := m.AddFile(context.Background(), writeFile(t, "tea.md", tea), "42"); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(m.Choices("")); got != maxChoices {
		t.Errorf("len(Choices(\"\")) = %d, want %d", got, maxChoices)
	}
	got := m.Choices("xi jinping")
	if len(got) != 1 || got[0].Value != "xi-jinping-and-russia.txt" {
		t.Errorf("Choices(xi jinping) = %+v, want the bundled article", got)
	}
}

// slowIndex is a Library whose reindex waits until release is closed,
// telling started when it begins, as a remote embedder that takes long.
type slowIndex struct {
	*retrieval.Library
	started chan struct{}
	release chan struct{}
}

func (s *slowIndex) Reindex(ctx context.Context, p retrieval.Progress) (retrieval.Summary, error) {
	close(s.started)
	<-s.release
	return s.Library.Reindex(ctx, p)
}

// TestListingDuringReindex: /sources and /remove autocomplete list the
// documents while an add is still reindexing; they must not wait for it,
// or Discord's 3 s deadline passes.
func TestListingDuringReindex(t *testing.T) {
	store := NewStore(filepath.Join(t.TempDir(), "documents"), "")
	lib := retrieval.NewLibrary(retrieval.NewLocalEmbedder(), store.Load, retrieval.Options{})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	slow := &slowIndex{Library: lib, started: make(chan struct{}), release: make(chan struct{})}
	m := NewManager(store, fetch.New(fetch.Options{}), fetch.New(fetch.Options{}), slow, time.Now)
	added := make(chan error, 1)
	go func() {
		_, err := m.AddFile(context.Background(), writeFile(t, "tea.md", tea), "cli")
		added <- err
	}()
	<-slow.started
	listed := make(chan []Document, 1)
	go func() {
		docs, _ := m.Documents()
		listed <- docs
	}()
	select {
	case docs := <-listed:
		if len(docs) == 0 || len(m.Choices("")) == 0 {
			t.Fatalf("Documents during a reindex = %v, want the bundled article at least", docs)
		}
	case <-time.After(5 * time.Second):
		t.Error("Documents waited for the reindex of an add")
	}
	close(slow.release)
	if err := <-added; err != nil {
		t.Fatal(err)
	}
}

// TestTwoProcessesAdd: `articlebot add` and serve's /add change the same
// documents folder. Two Managers over it (each with its own lock file
// descriptor, as two processes have) add at the same time, many times:
// no entry is lost from the manifest.
func TestTwoProcessesAdd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "documents")
	a, b := open(t, dir), open(t, dir)
	const each = 5
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for i := range each {
		for j, m := range []*Manager{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				text := fmt.Sprintf("---\ntitle: Note %d-%d\n---\n# Part\n\nThis note number %d from manager %d is here.\n", i, j, i, j)
				_, err := m.AddFile(context.Background(), writeFile(t, fmt.Sprintf("note-%d-%d.md", i, j), text), "cli")
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	man, err := NewStore(dir, "").read()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(man.Documents); got != 2*each {
		t.Fatalf("the manifest holds %d documents, want %d: concurrent adds lost entries", got, 2*each)
	}
}
