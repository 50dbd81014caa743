package fetch

import (
	"errors"
	"path"
	"strings"

	"github.com/articlebot/articlebot/corpus"
)

// Ext is the file extension a page of the given media type is saved with.
func Ext(mediaType string) string {
	switch mediaType {
	case "text/html":
		return ".html"
	case "text/markdown":
		return ".md"
	}
	return ".txt"
}

// Name is a file name for the page: the last segment of its URL path (or
// its host) with the extension of its type, so that a page without a
// title is named after its address.
func (p Page) Name() string {
	base := strings.TrimSuffix(path.Base(p.URL.Path), path.Ext(p.URL.Path))
	if base == "" || base == "/" || base == "." {
		base = p.URL.Hostname()
	}
	return base + Ext(p.MediaType)
}

// Document parses the page with the corpus rules (go-readability for
// HTML, with the final URL as the base for relative links) and sets its
// URL to where it was fetched from. Binary or undecodable content gives
// ErrNotReadable; a page with no prose ErrNoText.
func (p Page) Document() (corpus.Document, error) {
	doc, err := corpus.ReadDocument(p.Name(), p.Body, p.URL)
	switch {
	case errors.Is(err, corpus.ErrEmpty):
		return doc, refuse(ErrNoText, messages[ErrNoText], err)
	case err != nil:
		return doc, refuse(ErrNotReadable, messages[ErrNotReadable], err)
	}
	doc.URL = p.URL.String()
	return doc, nil
}
