// Package collection keeps the documents the bot answers from: the base
// corpus (the bundled article, or ARTICLEBOT_CORPUS_DIR when set) plus the
// documents admins added, saved in the data folder's documents area with a
// JSON manifest of who added what, when and from where. Removing the
// bundled article is recorded there too, so that it stays removed.
package collection

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/articlebot/articlebot/corpus"
)

// AddedPrefix starts the corpus.Document.Source of every added document.
const AddedPrefix = "added/"

// manifestName is the manifest's file in the documents folder.
const manifestName = "manifest.json"

// lockName is the file whose flock(2) serialises changes to the documents
// folder across processes (see Store.lock).
const lockName = ".lock"

// Entry is one added document in the manifest.
type Entry struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	URL      string    `json:"url,omitempty"`       // the address it was added from, as given
	FinalURL string    `json:"final_url,omitempty"` // after redirects; the document's URL
	FileName string    `json:"file_name,omitempty"` // the file or attachment it was added from
	Stored   string    `json:"stored"`              // file name in the documents folder
	AddedBy  string    `json:"added_by"`            // Discord user ID, or "cli"
	AddedAt  time.Time `json:"added_at"`
}

// Source is the corpus.Document.Source of the entry's document.
func (e Entry) Source() string { return AddedPrefix + e.Stored }

// Removal records who removed the bundled article, and when.
type Removal struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// manifest is the documents folder's manifest.json.
type manifest struct {
	BundledRemoved *Removal `json:"bundled_removed,omitempty"`
	Documents      []Entry  `json:"documents"`
}

// Store reads and writes the documents folder. Its methods are not safe
// for concurrent use; Manager serialises them.
type Store struct {
	dir       string // the documents folder
	corpusDir string // ARTICLEBOT_CORPUS_DIR; "" for the bundled article
}

// NewStore returns a Store for the documents folder dir (created on the
// first write, mode 0700) over the base corpus: corpusDir, or the bundled
// article when corpusDir is "".
func NewStore(dir, corpusDir string) *Store { return &Store{dir: dir, corpusDir: corpusDir} }

// Bundled reports whether the base corpus is the bundled article.
func (s *Store) Bundled() bool { return s.corpusDir == "" }

func (s *Store) read() (manifest, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, manifestName))
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return manifest{}, nil // nothing added yet; a data folder that isn't one fails at the index
	}
	if err != nil {
		return manifest{}, fmt.Errorf("couldn't read the documents manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return manifest{}, fmt.Errorf("couldn't read the documents manifest %s: %w", filepath.Join(s.dir, manifestName), err)
	}
	return m, nil
}

// write replaces the manifest atomically: a temporary file, synced, then
// renamed over the old one.
func (s *Store) write(m manifest) error {
	if m.Documents == nil {
		m.Documents = []Entry{}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("couldn't encode the documents manifest: %w", err)
	}
	return s.writeFile(manifestName, append(data, '\n'))
}

// writeFile writes name in the documents folder atomically, mode 0600.
func (s *Store) writeFile(name string, data []byte) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("couldn't create the documents folder: %w", err)
	}
	f, err := os.CreateTemp(s.dir, "."+name+".*")
	if err != nil {
		return fmt.Errorf("couldn't write %s: %w", name, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(s.dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("couldn't write %s: %w", name, err)
	}
	return nil
}

// Load is the retrieval.Source of the whole corpus: the base documents,
// unless the bundled article was removed, then every added document in
// the order added. An added file that can no longer be read is listed as
// skipped. It fails when the manifest is unreadable, the corpus folder
// cannot be read, or no document at all is left.
func (s *Store) Load() ([]corpus.Document, []corpus.Skipped, error) {
	m, err := s.read()
	if err != nil {
		return nil, nil, err
	}
	var docs []corpus.Document
	var skipped []corpus.Skipped
	switch {
	case s.corpusDir != "":
		d, sk, err := corpus.LoadDir(s.corpusDir)
		if err != nil && !(errors.Is(err, corpus.ErrNoDocuments) && len(m.Documents) > 0) {
			return nil, sk, err
		}
		docs, skipped = d, sk
	case m.BundledRemoved == nil:
		d, err := corpus.Bundled()
		if err != nil {
			return nil, nil, err
		}
		docs = d
	}
	for _, e := range m.Documents {
		doc, err := s.readEntry(e)
		if err != nil {
			skipped = append(skipped, corpus.Skipped{File: "documents/" + e.Stored, Reason: skipReason(err)})
			continue
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return nil, skipped, fmt.Errorf("couldn't load documents: %w", corpus.ErrNoDocuments)
	}
	return docs, skipped, nil
}

// readEntry parses an added document as it was parsed when added: with
// its final URL, and the title recorded then.
func (s *Store) readEntry(e Entry) (corpus.Document, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, e.Stored))
	if err != nil {
		return corpus.Document{}, err
	}
	var base *url.URL
	if e.FinalURL != "" {
		base, _ = url.Parse(e.FinalURL)
	}
	doc, err := corpus.ReadDocument(e.Source(), data, base)
	if err != nil {
		return corpus.Document{}, err
	}
	doc.Title = e.Title
	if e.FinalURL != "" {
		doc.URL = e.FinalURL
	}
	return doc, nil
}

func skipReason(err error) string {
	var fe *corpus.FileError
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return "couldn't read it: " + pe.Err.Error()
	}
	return err.Error()
}

// slug makes an ID from a title: lowercase letters and digits joined by
// single dashes, at most 40 bytes.
func slug(title string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			sb.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if sb.Len() >= 40 {
			break
		}
	}
	if sb.Len() == 0 {
		return "document"
	}
	return strings.TrimRight(sb.String()[:min(sb.Len(), 40)], "-")
}
