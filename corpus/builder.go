package corpus

import (
	"strings"
	"unicode"
)

// builder assembles the extracted text of a structured (Markdown or HTML)
// document, recording the span of every paragraph under its section.
type builder struct {
	doc Document
	b   strings.Builder
	cur Section
}

func newBuilder(source, title string) *builder {
	return &builder{doc: Document{Title: title, Source: source}, cur: Section{Heading: IntroHeading}}
}

func (b *builder) heading(text string) {
	text = collapseSpace(text)
	if text == "" {
		return
	}
	b.flush()
	b.cur = Section{Heading: text}
}

func (b *builder) paragraph(text string) {
	text = collapseSpace(text)
	if text == "" {
		return
	}
	if b.b.Len() > 0 {
		b.b.WriteString("\n\n")
	}
	start := b.b.Len()
	b.b.WriteString(text)
	b.cur.Paragraphs = append(b.cur.Paragraphs, Span{start, b.b.Len()})
}

func (b *builder) flush() {
	if len(b.cur.Paragraphs) > 0 {
		b.doc.Sections = append(b.doc.Sections, b.cur)
	}
	b.cur = Section{}
}

func (b *builder) done() Document {
	b.flush()
	b.doc.Text = b.b.String()
	return b.doc
}

// collapseSpace trims s and replaces every run of white space with one space.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
