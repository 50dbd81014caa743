// Package corpus reads articles (plain text, Markdown or HTML), finds their
// title and section headings, and splits them into sentence-aligned passages
// with stable, content-derived IDs.
package corpus

import (
	"net/url"
	"path/filepath"
	"strings"
	"unicode"
)

// Document is one article after parsing. Offsets in its sections and in the
// passages cut from it are byte offsets into Text, which for plain-text files
// is the file's text exactly and for Markdown and HTML is the extracted prose.
type Document struct {
	Title    string    // front-matter title, first heading, or derived from Source
	Source   string    // file name relative to the corpus folder
	URL      string    // where the document is published; empty when unknown
	Text     string    // the text that offsets refer to
	Sections []Section // in order; together they cover the body of Text
}

// Section is a headed part of a document.
type Section struct {
	Heading    string // "Introduction" for text before the first heading
	Paragraphs []Span // byte ranges of Document.Text
}

// IntroHeading names the untitled lead before a document's first heading.
const IntroHeading = "Introduction"

// TitleFromFileName derives a document title from a file name: the extension
// is dropped, '-' and '_' become spaces, and words are capitalised except
// short function words after the first ("xi-jinping-and-russia.txt" gives
// "Xi Jinping and Russia").
func TitleFromFileName(name string) string {
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	words := strings.FieldsFunc(base, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) })
	for i, w := range words {
		if i > 0 && smallWords[strings.ToLower(w)] {
			words[i] = strings.ToLower(w)
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

var smallWords = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "but": true, "by": true,
	"for": true, "in": true, "nor": true, "of": true, "on": true, "or": true, "the": true,
	"to": true, "vs": true, "with": true,
}

// front is what a front-matter block says about a document.
type front struct {
	title string
	url   string
	body  int // offset where the body starts; 0 without front matter
}

// frontMatter splits an optional leading block
//
//	---
//	title: Some Title
//	url: https://example.com/some-title
//	---
//
// from text. Only the title and url keys are read; others are ignored. A url
// that is not an absolute http or https address is dropped.
func frontMatter(text string) front {
	if !strings.HasPrefix(text, "---\n") && !strings.HasPrefix(text, "---\r\n") {
		return front{}
	}
	var f front
	rest := text[strings.IndexByte(text, '\n')+1:]
	off := len(text) - len(rest)
	for rest != "" {
		nl := strings.IndexByte(rest, '\n')
		line := rest
		if nl >= 0 {
			line = rest[:nl]
		}
		line = strings.TrimRight(line, "\r")
		next := off + len(line) + 1
		if nl < 0 {
			next = len(text)
		}
		if strings.TrimSpace(line) == "---" {
			f.body = next
			return f
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			v = strings.Trim(strings.TrimSpace(v), `"'`)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "title":
				f.title = v
			case "url":
				f.url = webURL(v)
			}
		}
		if nl < 0 {
			break
		}
		rest = rest[nl+1:]
		off = next
	}
	return front{} // unterminated: not front matter
}

// webURL returns s when it is an absolute http or https URL, else "".
func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
