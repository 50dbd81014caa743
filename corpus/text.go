package corpus

import (
	"strings"
	"unicode/utf8"
)

// maxHeadingRunes bounds how long a plain-text heading line may be.
const maxHeadingRunes = 120

// ParseText parses a plain-text article. Paragraphs are separated by blank
// lines. A paragraph that is a single short line (at most 120 characters)
// with no final punctuation is a section heading, like the indented headings
// of the bundled article. The title comes from a front-matter block or, when
// there is none, from the file name; the URL from the front matter's url.
func ParseText(source, text string) Document {
	fm := frontMatter(text)
	title, body := fm.title, fm.body
	if title == "" {
		title = TitleFromFileName(source)
	}
	doc := Document{Title: title, Source: source, URL: fm.url, Text: text}
	cur := Section{Heading: IntroHeading}
	flush := func() {
		if len(cur.Paragraphs) > 0 {
			doc.Sections = append(doc.Sections, cur)
		}
	}
	for _, p := range paragraphs(text, body) {
		line := text[p.Start:p.End]
		if isHeadingLine(line) {
			flush()
			cur = Section{Heading: strings.TrimSpace(line)}
			continue
		}
		cur.Paragraphs = append(cur.Paragraphs, p)
	}
	flush()
	return doc
}

// paragraphs returns the trimmed spans of blank-line-separated blocks of
// text[from:].
func paragraphs(text string, from int) []Span {
	var out []Span
	start := -1
	lineStart := from
	for i := from; i <= len(text); i++ {
		if i < len(text) && text[i] != '\n' {
			continue
		}
		blank := strings.TrimSpace(text[lineStart:i]) == ""
		if blank && start >= 0 {
			s, e := trimSpan(text, start, lineStart)
			out = append(out, Span{s, e})
			start = -1
		} else if !blank && start < 0 {
			start = lineStart
		}
		lineStart = i + 1
	}
	if start >= 0 {
		s, e := trimSpan(text, start, len(text))
		out = append(out, Span{s, e})
	}
	return out
}

func isHeadingLine(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsRune(s, '\n') || utf8.RuneCountInString(s) > maxHeadingRunes {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?,;:\"'\u201d\u2019)…", last)
}
