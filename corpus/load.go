package corpus

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	ErrNoDocuments = errors.New("folder has no .txt, .md or .html files")
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

//go:embed bundled/*.txt
var bundled embed.FS

// Bundled returns the article shipped inside the binary, the default corpus.
func Bundled() ([]Document, error) {
	return loadFS(bundled, "bundled", "bundled article")
}

// LoadDir reads every supported file (.txt, .md, .markdown, .html, .htm)
// below dir, skipping hidden files and folders, in name order. Every bad file
// is reported, each as a *FileError naming it, joined into one error; callers
// keep their previous index when LoadDir fails, so nothing is lost.
func LoadDir(dir string) ([]Document, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("couldn't open corpus folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("corpus folder %s is not a folder", dir)
	}
	return loadFS(os.DirFS(dir), ".", dir)
}

func loadFS(fsys fs.FS, root, name string) ([]Document, error) {
	var paths []string
	var errs []error
	walkErr := fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &FileError{Path: path, Err: err})
			if d != nil && d.IsDir() && path != root {
				return fs.SkipDir
			}
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && format(path) != "" {
			paths = append(paths, path)
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, walkErr)
	}
	slices.Sort(paths)
	var docs []Document
	for _, p := range paths {
		doc, err := readDocument(fsys, p, root)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		docs = append(docs, doc)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(docs) == 0 {
		return nil, &FileError{Path: name, Err: ErrNoDocuments}
	}
	return docs, nil
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
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	fail := func(err error) (Document, error) { return Document{}, &FileError{Path: rel, Err: err} }
	f, err := fsys.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return fail(err)
	}
	switch {
	case len(data) > MaxFileBytes:
		return fail(ErrTooLarge)
	case len(bytes.TrimSpace(data)) == 0:
		return fail(ErrEmpty)
	case bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0:
		return fail(ErrBinary)
	case !utf8.Valid(data):
		return fail(ErrNotUTF8)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	var doc Document
	switch format(path) {
	case "markdown":
		doc = ParseMarkdown(rel, text)
	case "html":
		if doc, err = ParseHTML(rel, text); err != nil {
			return fail(err)
		}
	default:
		doc = ParseText(rel, text)
	}
	if len(doc.Sections) == 0 {
		return fail(ErrEmpty)
	}
	return doc, nil
}
