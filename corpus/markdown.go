package corpus

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// ParseMarkdown parses a Markdown article with goldmark. '#' headings (levels
// 1 to 3) start sections; a level-1 heading that opens the file is the title
// unless front matter gives one. Inline markup is dropped and link text kept,
// so passages hold prose, not syntax. Offsets refer to the extracted text.
func ParseMarkdown(source, src string) Document {
	fmTitle, body := frontMatter(src)
	raw := []byte(src[body:])
	root := goldmark.New().Parser().Parse(text.NewReader(raw))

	title := fmTitle
	first := root.FirstChild()
	if h, ok := first.(*ast.Heading); ok && h.Level == 1 && title == "" {
		title = inlineText(h, raw)
		first = first.NextSibling()
	}
	if title == "" {
		title = TitleFromFileName(source)
	}
	b := newBuilder(source, title)
	for n := first; n != nil; n = n.NextSibling() {
		markdownBlock(b, n, raw)
	}
	return b.done()
}

func markdownBlock(b *builder, n ast.Node, src []byte) {
	switch n := n.(type) {
	case *ast.Heading:
		if n.Level <= 3 {
			b.heading(inlineText(n, src))
		} else {
			b.paragraph(inlineText(n, src))
		}
	case *ast.Paragraph, *ast.TextBlock:
		b.paragraph(inlineText(n, src))
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var sb strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			sb.Write(seg.Value(src))
		}
		b.paragraph(sb.String())
	case *ast.HTMLBlock, *ast.ThematicBreak:
		// Raw HTML and rules carry no prose.
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			markdownBlock(b, c, src)
		}
	}
}

// inlineText returns the prose of an inline subtree: text, code spans, link
// and emphasis contents; soft line breaks become spaces.
func inlineText(n ast.Node, src []byte) string {
	var sb strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			sb.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(c.Value)
		case *ast.AutoLink:
			sb.Write(c.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return sb.String()
}
