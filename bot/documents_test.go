package bot

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/collection"
	"github.com/articlebot/articlebot/fetch"
	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/retrieval"
)

const teaGuide = "---\ntitle: Tea Guide\n---\n# Green tea\n\nSencha is a green tea from Japan.\n\n# Black tea\n\nAssam comes from India.\n"

// startDocumentsBot starts a bot whose /add and /remove change a
// collection in a temporary data folder. Attachments come from the fake
// Discord, trusted as DISCORD_API_BASE would be.
func startDocumentsBot(t *testing.T) (*harness, *retrieval.Library) {
	t.Helper()
	store := collection.NewStore(filepath.Join(t.TempDir(), "documents"), "")
	lib := retrieval.NewLibrary(retrieval.NewLocalEmbedder(), store.Load, retrieval.Options{})
	if _, err := lib.Open(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	docs := &lateDocuments{}
	h := startBotWith(t, Options{AdminIDs: []string{"7"}, Documents: docs}, askFunc(simpleAnswer), lib)
	u, _ := url.Parse(h.fake.URL())
	files := fetch.New(fetch.Options{OnlyHosts: []string{u.Hostname()}, TrustedHosts: []string{u.Host}})
	docs.m = collection.NewManager(store, fetch.New(fetch.Options{}), files, lib, nil)
	return h, lib
}

// lateDocuments lets the test build the manager once the fake's address
// is known; the bot only calls it after that.
type lateDocuments struct{ m *collection.Manager }

func (l *lateDocuments) AddURL(ctx context.Context, u, by string) (collection.Report, error) {
	return l.m.AddURL(ctx, u, by)
}

func (l *lateDocuments) AddAttachment(ctx context.Context, u, name, by string) (collection.Report, error) {
	return l.m.AddAttachment(ctx, u, name, by)
}

func (l *lateDocuments) Remove(ctx context.Context, q, by string) (collection.Report, error) {
	return l.m.Remove(ctx, q, by)
}

func (l *lateDocuments) Choices(typed string) []collection.Choice { return l.m.Choices(typed) }

func (l *lateDocuments) Documents() ([]collection.Document, error) { return l.m.Documents() }

func TestAddAttachment(t *testing.T) {
	h, lib := startDocumentsBot(t)
	ctx := timeout(t, 10*time.Second)
	file := fakediscord.Attachment{Filename: "tea.md", ContentType: "text/markdown; charset=utf-8", Content: []byte(teaGuide)}

	// A member who isn't an admin is refused and nothing changes.
	before := lib.Current().Len()
	_, token, err := h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdAdd, GuildID: "9", User: fakediscord.User{ID: "8"}, Options: []fakediscord.Option{{Name: optFile, Value: file}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return r.Original != nil })
	if !strings.Contains(r.Original.Content, "Only the bot's admins") || r.CallbackFlags&64 == 0 {
		t.Errorf("non-admin /add = %q (flags %d), want an ephemeral refusal", r.Original.Content, r.CallbackFlags)
	}
	if got := lib.Current().Len(); got != before {
		t.Errorf("after a refused /add the index has %d passages, want %d", got, before)
	}

	// An admin adds it.
	_, token, err = h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdAdd, GuildID: "9", User: fakediscord.User{ID: "7"}, Options: []fakediscord.Option{{Name: optFile, Value: file}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = h.waitResponse(t, ctx, token, edited)
	if got, want := r.Original.Content, "Added **Tea Guide** (`tea-guide`): 2 sections, 2 passages in"; !strings.HasPrefix(got, want) {
		t.Errorf("/add = %q, want it to start %q", got, want)
	}
	if r.CallbackType != 5 || r.CallbackFlags&64 == 0 {
		t.Errorf("/add callback %d flags %d, want a deferred ephemeral reply", r.CallbackType, r.CallbackFlags)
	}

	// /sources names who added it.
	_, token, err = h.fake.InteractionCreate(ctx, fakediscord.Interaction{Name: cmdSources, GuildID: "9", User: fakediscord.User{ID: "8"}})
	if err != nil {
		t.Fatal(err)
	}
	r = h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return r.Original != nil })
	if !strings.Contains(r.Original.Content, "**Tea Guide**: 2 sections, 2 passages, added by `7` <t:") {
		t.Errorf("/sources = %q, want Tea Guide added by 7", r.Original.Content)
	}

	// An attachment of the wrong type is refused at once.
	_, token, err = h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdAdd, GuildID: "9", User: fakediscord.User{ID: "7"},
		Options: []fakediscord.Option{{Name: optFile, Value: fakediscord.Attachment{Filename: "scan.pdf", Content: []byte("%PDF")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return r.Original != nil })
	if !strings.Contains(r.Original.Content, "send .html, .md or .txt") {
		t.Errorf("/add scan.pdf = %q, want a refusal naming the types", r.Original.Content)
	}

	// Autocomplete suggests it, and /remove removes it.
	_, token, err = h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdRemove, GuildID: "9", User: fakediscord.User{ID: "7"}, Autocomplete: true, Focused: optDocument,
		Options: []fakediscord.Option{{Name: optDocument, Value: "tea"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return r.CallbackType != 0 })
	if r.CallbackType != 8 || len(r.Choices) != 1 || r.Choices[0].Value != "tea-guide" || r.Choices[0].Name != "Tea Guide (tea-guide)" {
		t.Fatalf("autocomplete = type %d, choices %+v; want type 8 with Tea Guide", r.CallbackType, r.Choices)
	}
	_, token, err = h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdRemove, GuildID: "9", User: fakediscord.User{ID: "7"}, Options: []fakediscord.Option{{Name: optDocument, Value: "tea-guide"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = h.waitResponse(t, ctx, token, edited)
	if !strings.HasPrefix(r.Original.Content, "Removed **Tea Guide** (`tea-guide`)") {
		t.Errorf("/remove = %q", r.Original.Content)
	}
	if got := lib.Current().Len(); got != before {
		t.Errorf("after /remove the index has %d passages, want %d", got, before)
	}
}

// TestRemoveAmbiguousLongTitles: two added documents with the same very
// long title make /remove's refusal list both; the reply still fits one
// Discord message and arrives, instead of "Thinking…" forever.
func TestRemoveAmbiguousLongTitles(t *testing.T) {
	h, _ := startDocumentsBot(t)
	ctx := timeout(t, 20*time.Second)
	title := strings.Repeat("Very long title ", 80) // 1,280 characters
	doc := "---\ntitle: " + title + "\n---\n# Part\n\nThis document has a long title and little else.\n"
	for i, name := range []string{"a.md", "b.md"} {
		file := fakediscord.Attachment{Filename: name, ContentType: "text/markdown; charset=utf-8", Content: []byte(doc + strings.Repeat("More. ", i))}
		_, token, err := h.fake.InteractionCreate(ctx, fakediscord.Interaction{
			Name: cmdAdd, GuildID: "9", User: fakediscord.User{ID: "7"}, Options: []fakediscord.Option{{Name: optFile, Value: file}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := h.waitResponse(t, ctx, token, edited); !strings.HasPrefix(r.Original.Content, "Added") {
			t.Fatalf("/add %s = %q", name, r.Original.Content)
		}
	}
	_, token, err := h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdRemove, GuildID: "9", User: fakediscord.User{ID: "7"}, Options: []fakediscord.Option{{Name: optDocument, Value: strings.TrimSpace(title)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := h.waitResponse(t, ctx, token, edited)
	if c := r.Original.Content; !strings.HasPrefix(c, "Couldn't remove that") || len([]rune(c)) > MaxContent {
		t.Fatalf("/remove = %d runes %.80q…, want the refusal within %d runes", len([]rune(c)), c, MaxContent)
	}
}
