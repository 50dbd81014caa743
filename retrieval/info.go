package retrieval

import (
	"time"

	"github.com/articlebot/articlebot/corpus"
)

// Len returns the number of passages in the index.
func (ix *Index) Len() int { return len(ix.passages) }

// Embedder returns the name of the embedder that built the index.
func (ix *Index) Embedder() string { return ix.embedder }

// BuiltAt returns when the index was built.
func (ix *Index) BuiltAt() time.Time { return ix.builtAt }

// DocumentInfo describes one indexed document, for /sources.
type DocumentInfo struct {
	Title    string
	Source   string
	URL      string // where the document is published; empty when unknown
	Sections []SectionInfo
	Passages int
}

// SectionInfo is a section of an indexed document with its passage count.
type SectionInfo struct {
	Heading  string
	Passages int
}

// Documents lists the indexed documents in source order with their sections
// in reading order.
func (ix *Index) Documents() []DocumentInfo {
	var out []DocumentInfo
	for _, p := range ix.passages {
		if len(out) == 0 || out[len(out)-1].Source != p.Source {
			out = append(out, DocumentInfo{Title: p.Document, Source: p.Source, URL: p.URL})
		}
		d := &out[len(out)-1]
		d.Passages++
		if len(d.Sections) == 0 || d.Sections[len(d.Sections)-1].Heading != p.Section {
			d.Sections = append(d.Sections, SectionInfo{Heading: p.Section})
		}
		d.Sections[len(d.Sections)-1].Passages++
	}
	return out
}

// Passage returns the passage with the given ID.
func (ix *Index) Passage(id string) (corpus.Passage, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return corpus.Passage{}, false
	}
	return ix.passages[i], true
}
