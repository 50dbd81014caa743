package corpus

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxFileBytes is the largest article file the loader accepts.
const MaxFileBytes = 10 << 20

// Sentinel errors wrapped in a *FileError; test with errors.Is.
var (
	ErrEmpty       = errors.New("file is empty")
	ErrBinary      = errors.New("file is binary, not text")
	ErrNotUTF8     = errors.New("file is not valid UTF-8 text")
	ErrTooLarge    = fmt.Errorf("file is larger than %d MiB", MaxFileBytes>>20)
	ErrUnsupported = errors.New("file type is not supported; use .txt, .md or .html")
	ErrNoDocuments = errors.New("folder has no readable .txt, .md or .html files")
)

// FileError reports a problem with one corpus file.
type FileError struct {
	Path string
	Err  error
}

// Error names the file and the problem.
func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the problem, for errors.Is with the sentinels above.
func (e *FileError) Unwrap() error { return e.Err }

// Skipped is a file of the corpus folder that was not indexed, and why.
type Skipped struct {
	File   string // path relative to the corpus folder
	Reason string // one lowercase phrase a person can act on
}

//go:embed bundled/*.txt
var bundled embed.FS

// Bundled returns the article shipped inside the binary, the default corpus.
func Bundled() ([]Document, error) {
	docs, skipped, err := loadFS(bundled, "bundled", "bundled article")
	if err == nil && len(skipped) > 0 {
		err = fmt.Errorf("bundled file %s: %s", skipped[0].File, skipped[0].Reason)
	}
	return docs, err
}

// LoadDir reads every supported file (.txt, .md, .markdown, .html, .htm)
// below dir in name order, skipping hidden files and folders silently. A
// file that cannot be indexed (empty, binary, not UTF-8, over MaxFileBytes,
// unreadable, or of another type such as .pdf) does not stop the others: it
// is listed in the returned Skipped, in name order, with the reason. LoadDir
// fails only when dir is not a readable folder or when no document at all
// could be read; the latter error wraps ErrNoDocuments and names what was
// skipped.
func LoadDir(dir string) ([]Document, []Skipped, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("couldn't open corpus folder: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("corpus folder %s is not a folder", dir)
	}
	return loadFS(os.DirFS(dir), ".", dir)
}

func loadFS(fsys fs.FS, root, name string) ([]Document, []Skipped, error) {
	var paths []string
	var skipped []Skipped
	skip := func(path string, err error) {
		skipped = append(skipped, Skipped{File: relPath(root, path), Reason: reason(err)})
	}
	walkErr := fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			skip(path, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case path != root && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return fs.SkipDir
			}
		case d.IsDir():
		case format(path) == "":
			skip(path, ErrUnsupported)
		default:
			paths = append(paths, path)
		}
		return nil
	})
	if walkErr != nil {
		return nil, nil, fmt.Errorf("couldn't read corpus folder: %w", walkErr)
	}
	slices.Sort(paths)
	var docs []Document
	for _, p := range paths {
		doc, err := readDocument(fsys, p, root)
		if err != nil {
			skip(p, err)
			continue
		}
		docs = append(docs, doc)
	}
	slices.SortFunc(skipped, func(a, b Skipped) int { return strings.Compare(a.File, b.File) })
	if len(docs) == 0 {
		err := error(ErrNoDocuments)
		if len(skipped) > 0 {
			var why []string
			for _, s := range skipped {
				why = append(why, s.File+": "+s.Reason)
			}
			err = fmt.Errorf("%w (skipped %s)", ErrNoDocuments, strings.Join(why, "; "))
		}
		return nil, skipped, &FileError{Path: name, Err: err}
	}
	return docs, skipped, nil
}

// reason is the Skipped.Reason for err: the sentinel's text, or for an
// operating-system error the bare cause without the path it already names.
func reason(err error) string {
	var fe *FileError
	if errors.As(err, &fe) {
		err = fe.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "couldn't read it: " + pe.Err.Error()
	}
	return err.Error()
}

func relPath(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

func format(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt":
		return "text"
	case ".md", ".markdown":
		return "markdown"
	case ".html", ".htm":
		return "html"
	}
	return ""
}

func readDocument(fsys fs.FS, path, root string) (Document, error) {
	rel := relPath(root, path)
	fail := func(err error) (Document, error) { return Document{}, &FileError{Path: rel, Err: err} }
	f, err := fsys.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	// A size the file system reports saves reading 10 MiB of a huge file;
	// the limited read below still catches files that grow or lie.
	if info, err := f.Stat(); err == nil && info.Size() > MaxFileBytes {
		return fail(ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return fail(err)
	}
	return ReadDocument(rel, data, nil)
}

// ReadDocument parses data as the document named name, its format chosen
// by name's extension (.txt, .md, .markdown, .html, .htm). pageURL is
// where an HTML page was fetched from, nil for a file. The error is a
// *FileError wrapping ErrUnsupported, ErrTooLarge, ErrEmpty, ErrBinary or
// ErrNotUTF8, or the HTML parser's error.
func ReadDocument(name string, data []byte, pageURL *url.URL) (Document, error) {
	fail := func(err error) (Document, error) { return Document{}, &FileError{Path: name, Err: err} }
	switch {
	case format(name) == "":
		return fail(ErrUnsupported)
	case len(data) > MaxFileBytes:
		return fail(ErrTooLarge)
	case len(bytes.TrimSpace(data)) == 0:
		return fail(ErrEmpty)
	case bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0:
		return fail(ErrBinary)
	case !utf8.Valid(data):
		return fail(ErrNotUTF8)
	}
	text := stripControls(strings.TrimPrefix(string(data), "\ufeff"))
	var doc Document
	var err error
	switch format(name) {
	case "markdown":
		doc = ParseMarkdown(name, text)
	case "html":
		if doc, err = ParseHTMLAt(name, text, pageURL); err != nil {
			return fail(err)
		}
	default:
		doc = ParseText(name, text)
	}
	if len(doc.Sections) == 0 {
		return fail(ErrEmpty)
	}
	doc.Title = stripControls(doc.Title) // a title may come from the file name
	return doc, nil
}

// stripControls removes the control characters of s but tab, newline and
// carriage return, and the bidirectional overrides: in a document they
// are noise, and printed by the CLI or posted to Discord they could
// rewrite an operator's terminal (ESC sequences) or disguise text
// (U+202E).
func stripControls(s string) string {
	isControl := func(r rune) bool {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return false
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return true
		}
		return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
	}
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}
