package collection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/fetch"
	"github.com/articlebot/articlebot/retrieval"
)

// Index is what the collection feeds: the index now serving and a
// reindex from the collection's Load. *retrieval.Library is the real one,
// also in tests, with an in-memory snapshot.
type Index interface {
	Current() *retrieval.Index
	Reindex(ctx context.Context, progress retrieval.Progress) (retrieval.Summary, error)
}

// Manager adds and removes documents and reindexes after each change.
// Changes run one at a time; a change whose reindex fails is undone, so
// the index and the documents folder stay as they were.
type Manager struct {
	mu          sync.Mutex
	store       *Store
	pages       *fetch.Fetcher
	attachments *fetch.Fetcher
	idx         Index
	now         func() time.Time
}

// NewManager returns a Manager over store that fetches pages with pages,
// Discord attachments with attachments (limited to Discord's hosts), and
// reindexes idx, whose Source must be store.Load.
func NewManager(store *Store, pages, attachments *fetch.Fetcher, idx Index, now func() time.Time) *Manager {
	if now == nil {
		now = time.Now
	}
	return &Manager{store: store, pages: pages, attachments: attachments, idx: idx, now: now}
}

// Document is one document of the collection with what the index holds
// of it.
type Document struct {
	ID       string    // an added document's ID, else its file name (Source)
	Title    string    //
	Source   string    // corpus.Document.Source
	URL      string    // where it is published; "" when unknown
	From     string    // the URL or file name it was added from; "" for the base corpus
	AddedBy  string    // Discord user ID or "cli"; "" for the base corpus
	AddedAt  time.Time // zero for the base corpus
	Bundled  bool      // the bundled article
	Sections int       // in the index now serving
	Passages int       // in the index now serving
}

// Report is what an add or remove did.
type Report struct {
	Document Document
	Summary  retrieval.Summary
}

// AddURL fetches rawURL with the fetcher's safety rules, saves the page
// and reindexes. Refusals wrap fetch's sentinels; a failed reindex wraps
// ErrReindex.
func (m *Manager) AddURL(ctx context.Context, rawURL, by string) (Report, error) {
	page, err := m.pages.Get(ctx, rawURL)
	if err != nil {
		return Report{}, fmt.Errorf("couldn't add %s: %w", rawURL, err)
	}
	doc, err := page.Document()
	if err != nil {
		return Report{}, fmt.Errorf("couldn't add %s: %w", rawURL, err)
	}
	e := Entry{URL: strings.TrimSpace(rawURL), FinalURL: page.URL.String()}
	return m.add(ctx, page.Body, fetch.Ext(page.MediaType), doc.Title, e, by)
}

// AddAttachment downloads a Discord attachment named name from rawURL
// through the fetcher, saves it and reindexes.
func (m *Manager) AddAttachment(ctx context.Context, rawURL, name, by string) (Report, error) {
	name = path.Base(name)
	page, err := m.attachments.GetFile(ctx, rawURL, name)
	if err != nil {
		return Report{}, fmt.Errorf("couldn't add %s: %w", name, err)
	}
	return m.addData(ctx, name, page.Body, by)
}

// AddFile reads a local .html, .md or .txt file of at most 5 MB, saves a
// copy and reindexes.
func (m *Manager) AddFile(ctx context.Context, file, by string) (Report, error) {
	name := filepath.Base(file)
	if fetch.TypeOfName(name) == "" {
		return Report{}, fmt.Errorf("couldn't add %s: %w", name, ErrFileType)
	}
	f, err := os.Open(file)
	if err != nil {
		return Report{}, fmt.Errorf("couldn't add %s: %w", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, fetch.MaxBytes+1))
	if err != nil {
		return Report{}, fmt.Errorf("couldn't add %s: %w", name, err)
	}
	if len(data) > fetch.MaxBytes {
		return Report{}, fmt.Errorf("couldn't add %s: %w", name, ErrFileTooLarge)
	}
	return m.addData(ctx, name, data, by)
}

func (m *Manager) addData(ctx context.Context, name string, data []byte, by string) (Report, error) {
	doc, err := corpus.ReadDocument(name, data, nil)
	switch {
	case errors.Is(err, corpus.ErrEmpty):
		return Report{}, fmt.Errorf("couldn't add %s: %w: %w", name, ErrFileEmpty, err)
	case errors.Is(err, corpus.ErrUnsupported):
		return Report{}, fmt.Errorf("couldn't add %s: %w", name, ErrFileType)
	case err != nil:
		return Report{}, fmt.Errorf("couldn't add %s: %w: %w", name, ErrFileUnreadable, err)
	}
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".htm":
		ext = ".html"
	case ".markdown":
		ext = ".md"
	}
	return m.add(ctx, data, ext, doc.Title, Entry{FileName: name}, by)
}

// change starts a change of the documents folder: it takes the Manager's
// mutex and the folder's lock (see Store.lock) and reads the manifest
// under them. done releases both.
func (m *Manager) change() (man manifest, done func(), err error) {
	m.mu.Lock()
	unlock, err := m.store.lock()
	if err == nil {
		if man, err = m.store.read(); err != nil {
			unlock()
		}
	}
	if err != nil {
		m.mu.Unlock()
		return manifest{}, nil, err
	}
	return man, func() { unlock(); m.mu.Unlock() }, nil
}

// add saves data as a new document and reindexes, undoing both when the
// reindex fails.
func (m *Manager) add(ctx context.Context, data []byte, ext, title string, e Entry, by string) (Report, error) {
	man, done, err := m.change()
	if err != nil {
		return Report{}, err
	}
	defer done()
	e.Title, e.AddedBy, e.AddedAt = title, by, m.now().UTC()
	e.ID = uniqueID(slug(title), man.Documents)
	e.Stored = e.ID + ext
	if err := m.store.writeFile(e.Stored, data); err != nil {
		return Report{}, err
	}
	next := man
	next.Documents = append(slices.Clip(man.Documents), e)
	if err := m.store.write(next); err != nil {
		os.Remove(filepath.Join(m.store.dir, e.Stored))
		return Report{}, err
	}
	sum, err := m.idx.Reindex(ctx, nil)
	if err != nil {
		rerr := m.store.write(man)
		os.Remove(filepath.Join(m.store.dir, e.Stored))
		return Report{}, fmt.Errorf("couldn't add %s: %w: %w", e.Title, ErrReindex, errors.Join(err, rerr))
	}
	return Report{Document: m.describe(entryDocument(e)), Summary: sum}, nil
}

// uniqueID is id, or id-2, id-3… when taken.
func uniqueID(id string, taken []Entry) string {
	used := func(c string) bool {
		return slices.ContainsFunc(taken, func(e Entry) bool { return e.ID == c })
	}
	for n, c := 2, id; ; n++ {
		if !used(c) {
			return c
		}
		c = id + "-" + strconv.Itoa(n)
	}
}

// Remove removes the one document whose ID, title, file name or URL is
// query (case-insensitively) and reindexes. Removing the bundled article
// is recorded so that it stays removed. Errors: ErrNotFound, an
// *AmbiguousError, ErrLastDocument, ErrCorpusDir, or ErrReindex (nothing
// changed).
func (m *Manager) Remove(ctx context.Context, query, by string) (Report, error) {
	man, done, err := m.change()
	if err != nil {
		return Report{}, err
	}
	defer done()
	docs := m.documents(man)
	found, err := match(docs, query)
	if err != nil {
		return Report{}, fmt.Errorf("couldn't remove %q: %w", query, err)
	}
	d := m.describe(found)
	switch {
	case len(docs) == 1:
		return Report{}, fmt.Errorf("couldn't remove %q: %w", query, ErrLastDocument)
	case !strings.HasPrefix(found.Source, AddedPrefix) && !m.store.Bundled():
		return Report{}, fmt.Errorf("couldn't remove %q: %w", query, ErrCorpusDir)
	}
	next := man
	var stored string
	if strings.HasPrefix(found.Source, AddedPrefix) {
		next.Documents = slices.DeleteFunc(slices.Clone(man.Documents), func(e Entry) bool {
			if e.ID == found.ID {
				stored = e.Stored
				return true
			}
			return false
		})
	} else {
		next.BundledRemoved = &Removal{By: by, At: m.now().UTC()}
	}
	if err := m.store.write(next); err != nil {
		return Report{}, err
	}
	sum, err := m.idx.Reindex(ctx, nil)
	if err != nil {
		rerr := m.store.write(man)
		return Report{}, fmt.Errorf("couldn't remove %q: %w: %w", query, ErrReindex, errors.Join(err, rerr))
	}
	if stored != "" {
		os.Remove(filepath.Join(m.store.dir, stored)) // left over, it is harmless
	}
	return Report{Document: d, Summary: sum}, nil
}

// Documents lists the collection: the base documents the index serves,
// then the added ones in the order added, with their index counts. An
// added document the index lacks (its file was skipped) is listed with
// zero counts.
//
// It takes no lock: add and Remove hold theirs through a reindex, which
// can take long with a remote embedder, while /sources and autocomplete
// must answer Discord within 3 s. The manifest is replaced by an atomic
// rename, so a read sees the old or the new one; a document being added
// shows with zero counts until its reindex is done.
func (m *Manager) Documents() ([]Document, error) {
	man, err := m.store.read()
	if err != nil {
		return nil, err
	}
	docs := m.documents(man)
	for i := range docs {
		docs[i] = m.describe(docs[i])
	}
	return docs, nil
}

// Skipped lists the files the index now serving could not read.
func (m *Manager) Skipped() []corpus.Skipped {
	if ix := m.idx.Current(); ix != nil {
		return ix.Skipped()
	}
	return nil
}

// documents is the base documents of the index now serving, then the
// manifest's entries.
func (m *Manager) documents(man manifest) []Document {
	var out []Document
	if ix := m.idx.Current(); ix != nil {
		for _, d := range ix.Documents() {
			if !strings.HasPrefix(d.Source, AddedPrefix) {
				out = append(out, Document{ID: d.Source, Title: d.Title, Source: d.Source, URL: d.URL, Bundled: m.store.Bundled()})
			}
		}
	}
	for _, e := range man.Documents {
		out = append(out, entryDocument(e))
	}
	return out
}

func entryDocument(e Entry) Document {
	from := e.URL
	if from == "" {
		from = e.FileName
	}
	return Document{ID: e.ID, Title: e.Title, Source: e.Source(), URL: e.FinalURL, From: from, AddedBy: e.AddedBy, AddedAt: e.AddedAt}
}

// describe adds the index's section and passage counts to d.
func (m *Manager) describe(d Document) Document {
	ix := m.idx.Current()
	if ix == nil {
		return d
	}
	for _, info := range ix.Documents() {
		if info.Source == d.Source {
			d.Sections, d.Passages = len(info.Sections), info.Passages
			if d.Title == "" {
				d.Title = info.Title
			}
		}
	}
	return d
}

// match finds the one document query names. An exact ID wins; otherwise
// titles, file names and URLs are compared case-insensitively.
func match(docs []Document, query string) (Document, error) {
	q := strings.TrimSpace(query)
	for _, d := range docs {
		if d.ID == q {
			return d, nil
		}
	}
	var found []Document
	for _, d := range docs {
		for _, k := range []string{d.ID, d.Title, d.Source, path.Base(d.Source), d.From, d.URL} {
			if k != "" && strings.EqualFold(k, q) {
				found = append(found, d)
				break
			}
		}
	}
	switch len(found) {
	case 0:
		return Document{}, ErrNotFound
	case 1:
		return found[0], nil
	}
	return Document{}, &AmbiguousError{Query: q, Candidates: found}
}

// Choice is one autocomplete suggestion: a label and the ID it stands for.
type Choice struct{ Name, Value string }

// Discord's autocomplete limits.
const (
	maxChoices   = 25
	maxChoiceLen = 100
)

// Choices suggests documents whose title, ID or origin contains typed,
// case-insensitively, at most 25, each label and value at most 100
// characters (a document whose ID is longer is left out: it can't be
// named by its ID).
func (m *Manager) Choices(typed string) []Choice {
	docs, err := m.Documents()
	if err != nil {
		return nil
	}
	t := strings.ToLower(strings.TrimSpace(typed))
	var out []Choice
	for _, d := range docs {
		if len([]rune(d.ID)) > maxChoiceLen {
			continue
		}
		hay := strings.ToLower(d.Title + " " + d.ID + " " + d.From)
		if t != "" && !strings.Contains(hay, t) {
			continue
		}
		name := d.Title + " (" + d.ID + ")"
		if r := []rune(name); len(r) > maxChoiceLen {
			name = string(r[:maxChoiceLen-1]) + "…"
		}
		out = append(out, Choice{Name: name, Value: d.ID})
		if len(out) == maxChoices {
			break
		}
	}
	return out
}
