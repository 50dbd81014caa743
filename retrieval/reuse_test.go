package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/modelclient"
)

// folderSource reads dir as the command line does.
func folderSource(dir string) Source {
	return func() ([]corpus.Document, []corpus.Skipped, error) { return corpus.LoadDir(dir) }
}

func writeCorpusFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// embeddedTexts is how many texts the fake server embedded since before.
func embeddedTexts(fake *fakeopenai.Server, before int) (calls, texts int) {
	batches := fake.EmbeddingBatches()[before:]
	for _, b := range batches {
		texts += b
	}
	return len(batches), texts
}

const teaGuide = `# Tea Guide

Green tea is steamed or pan-fired soon after picking, which keeps its leaves green. Sencha is the most common green tea in Japan.

## Brewing

Brew green tea with water at about seventy degrees. Boiling water makes it bitter and hides its sweetness.

Steep it for one minute, then pour every last drop so the leaves do not stew.

## Storage

Keep tea in a sealed tin away from light, heat and strong smells. Opened tea is best used within two months.
`

// TestRenameReusesVectors proves with the fake embeddings server's call
// count that vectors follow passage text, not file names: renaming or
// moving a file makes no embedding call, and changing one paragraph
// embeds only the passages of that paragraph.
func TestRenameReusesVectors(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{EmbeddingDim: 16})
	t.Cleanup(fake.Close)
	emb := NewOpenAIEmbedder(modelclient.New(fake.BaseURL(), "", nil), "embed-small")
	dir := t.TempDir()
	snap := filepath.Join(t.TempDir(), "index.gob")
	writeCorpusFile(t, filepath.Join(dir, "tea.md"), teaGuide)
	writeCorpusFile(t, filepath.Join(dir, "coffee.txt"), "Coffee beans are roasted seeds. A light roast keeps more of the bean's acidity.\n")
	ctx := context.Background()
	lib := NewLibrary(emb, folderSource(dir), Options{Snapshot: snap, Batch: 4})
	first, err := lib.Reindex(ctx, nil)
	if err != nil {
		t.Fatalf("first Reindex: %v", err)
	}
	if _, texts := embeddedTexts(fake, 0); texts != first.Passages || texts == 0 {
		t.Fatalf("first index embedded %d texts for %d passages", texts, first.Passages)
	}

	t.Run("RenameAndMove", func(t *testing.T) {
		if err := os.MkdirAll(filepath.Join(dir, "drinks"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, "tea.md"), filepath.Join(dir, "drinks", "green-tea.md")); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, "coffee.txt"), filepath.Join(dir, "beans.txt")); err != nil {
			t.Fatal(err)
		}
		before := len(fake.EmbeddingBatches())
		sum, err := lib.Reindex(ctx, nil)
		if err != nil {
			t.Fatalf("Reindex after rename: %v", err)
		}
		if calls, _ := embeddedTexts(fake, before); calls != 0 || sum.Embedded != 0 {
			t.Fatalf("rename made %d embedding calls (summary %+v), want 0", calls, sum)
		}
		if got, want := sum.Reused, first.Passages; got != want {
			t.Errorf("reused %d vectors, want %d", got, want)
		}
		if _, ok := lib.Current().Passage(findPassage(t, lib.Current(), "drinks/green-tea.md").ID); !ok {
			t.Error("the moved file is not in the index")
		}
	})

	t.Run("RestartAfterRename", func(t *testing.T) {
		before := len(fake.EmbeddingBatches())
		again := NewLibrary(emb, folderSource(dir), Options{Snapshot: snap})
		if _, err := again.Open(ctx, nil); err != nil {
			t.Fatalf("Open: %v", err)
		}
		if calls, _ := embeddedTexts(fake, before); calls != 0 {
			t.Fatalf("restart made %d embedding calls, want 0", calls)
		}
	})

	t.Run("OneParagraphChanged", func(t *testing.T) {
		old := map[string]bool{}
		for _, p := range lib.Current().passages {
			old[p.Text] = true
		}
		changed := strings.Replace(teaGuide, "Boiling water makes it bitter and hides its sweetness.", "Water that is too hot scorches the leaves and makes the tea bitter.", 1)
		writeCorpusFile(t, filepath.Join(dir, "drinks", "green-tea.md"), changed)
		before := len(fake.EmbeddingBatches())
		sum, err := lib.Reindex(ctx, nil)
		if err != nil {
			t.Fatalf("Reindex after edit: %v", err)
		}
		var fresh []string
		for _, p := range lib.Current().passages {
			if !old[p.Text] {
				fresh = append(fresh, p.Text)
			}
		}
		_, texts := embeddedTexts(fake, before)
		if len(fresh) == 0 || texts != len(fresh) || sum.Embedded != len(fresh) {
			t.Fatalf("embedded %d texts (summary %d) for new passages %q", texts, sum.Embedded, fresh)
		}
		for _, f := range fresh {
			if !strings.Contains(f, "scorches") && !strings.Contains(f, "seventy degrees") {
				t.Errorf("re-embedded passage %q is not from the changed paragraph", f)
			}
		}
	})
}

func findPassage(t *testing.T, ix *Index, source string) corpus.Passage {
	t.Helper()
	for _, p := range ix.passages {
		if p.Source == source {
			return p
		}
	}
	t.Fatalf("no passage from %s", source)
	return corpus.Passage{}
}

// TestSkippedFilesKept checks that the files a source skipped are in the
// summary and on the index, survive a restart through the snapshot, and
// that adding or removing a skipped file updates the list without
// embedding anything.
func TestSkippedFilesKept(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(t.TempDir(), "index.gob")
	writeCorpusFile(t, filepath.Join(dir, "tea.md"), teaGuide)
	writeCorpusFile(t, filepath.Join(dir, "report.pdf"), "%PDF-1.7")
	ctx := context.Background()
	emb := newCounting()
	lib := NewLibrary(emb, folderSource(dir), Options{Snapshot: snap})
	sum, err := lib.Reindex(ctx, nil)
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	want := []corpus.Skipped{{File: "report.pdf", Reason: corpus.ErrUnsupported.Error()}}
	if !reflect.DeepEqual(sum.Skipped, want) || !reflect.DeepEqual(lib.Current().Skipped(), want) {
		t.Fatalf("skipped: summary %q, index %q; want %q", sum.Skipped, lib.Current().Skipped(), want)
	}

	again := NewLibrary(emb, folderSource(dir), Options{Snapshot: snap})
	sum, err = again.Open(ctx, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if !sum.Unchanged || !reflect.DeepEqual(again.Current().Skipped(), want) {
		t.Fatalf("after restart: unchanged %v, skipped %q; want unchanged and %q", sum.Unchanged, again.Current().Skipped(), want)
	}

	writeCorpusFile(t, filepath.Join(dir, "empty.txt"), "")
	texts := emb.texts.Load()
	sum, err = again.Reindex(ctx, nil)
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	want = []corpus.Skipped{{File: "empty.txt", Reason: corpus.ErrEmpty.Error()}, want[0]}
	if sum.Unchanged || !reflect.DeepEqual(again.Current().Skipped(), want) {
		t.Fatalf("a new bad file: unchanged %v, skipped %q; want %q", sum.Unchanged, again.Current().Skipped(), want)
	}
	if got := emb.texts.Load() - texts; got != 0 || sum.Embedded != 0 {
		t.Errorf("a new bad file embedded %d texts, want 0", got)
	}
}

// TestURLKeptInIndex checks that a document's URL reaches its passages
// and document list, and survives a restart through the snapshot.
func TestURLKeptInIndex(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "index.gob")
	docs := []corpus.Document{
		corpus.ParseMarkdown("tea.md", "---\nurl: https://tea.example/guide\n---\n"+teaGuide),
		corpus.ParseText("notes.txt", "Notes without an address."),
	}
	src := Documents(func() ([]corpus.Document, error) { return docs, nil })
	if _, err := NewLibrary(NewLocalEmbedder(), src, Options{Snapshot: snap}).Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	lib := NewLibrary(NewLocalEmbedder(), src, Options{Snapshot: snap})
	if err := lib.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range lib.Current().Documents() {
		got[d.Source] = d.URL
	}
	if want := map[string]string{"tea.md": "https://tea.example/guide", "notes.txt": ""}; !reflect.DeepEqual(got, want) {
		t.Fatalf("document URLs = %q, want %q", got, want)
	}
	if p := findPassage(t, lib.Current(), "tea.md"); p.URL != "https://tea.example/guide" {
		t.Errorf("passage URL = %q", p.URL)
	}
}
