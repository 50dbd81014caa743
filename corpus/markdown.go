package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// ParseMarkdown parses a Markdown article with goldmark. '#' headings (levels
// 1 to 3) start sections; a level-1 heading that opens the file is the title
// unless front matter gives one. Inline markup is dropped and link text kept,
// so passages hold prose, not syntax: a table row becomes one sentence (see
// tableRow) and a list item ends as a sentence. Front matter's url is the
// document URL. Offsets refer to the extracted text.
func ParseMarkdown(source, src string) Document {
	fm := frontMatter(src)
	raw := []byte(defuseBracketFloods(src[fm.body:]))
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	root := md.Parser().Parse(text.NewReader(raw))

	title := fm.title
	first := root.FirstChild()
	if h, ok := first.(*ast.Heading); ok && h.Level == 1 && title == "" {
		title = inlineText(h, raw)
		first = first.NextSibling()
	}
	if title == "" {
		title = TitleFromFileName(source)
	}
	b := newBuilder(source, title)
	b.doc.URL = fm.url
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
	case *ast.ListItem:
		// Each item is a sentence of its own, so that the splitter never
		// runs two items together into one quote.
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				b.paragraph(endSentence(collapseSpace(inlineText(c, src))))
			default:
				markdownBlock(b, c, src)
			}
		}
	case *east.Table:
		var header []string
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			cells := tableCells(r, src)
			if _, ok := r.(*east.TableHeader); ok {
				header = cells
				continue
			}
			b.paragraph(tableRow(header, cells))
		}
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

// tableCells returns the text of each cell of a table row or header.
func tableCells(row ast.Node, src []byte) []string {
	var cells []string
	for c := row.FirstChild(); c != nil; c = c.NextSibling() {
		cells = append(cells, collapseSpace(inlineText(c, src)))
	}
	return cells
}

// tableRow turns a table row into a sentence a person can read and quote:
// the first cell is the subject and every other non-empty cell follows as
// "header value", so header "| Tea | Origin | Harvest |" and row
// "| Sencha | Japan | May |" give "Sencha: origin Japan, harvest May.".
func tableRow(header, cells []string) string {
	if len(cells) == 0 {
		return ""
	}
	var pairs []string
	for i, v := range cells[1:] {
		if v == "" {
			continue
		}
		if i+1 < len(header) && header[i+1] != "" {
			v = lowerFirst(header[i+1]) + " " + v
		}
		pairs = append(pairs, v)
	}
	subject := cells[0]
	switch {
	case len(pairs) == 0:
		return endSentence(subject)
	case subject == "":
		return endSentence(strings.Join(pairs, ", "))
	}
	return endSentence(strings.TrimRight(subject, ":") + ": " + strings.Join(pairs, ", "))
}

// lowerFirst lowercases a header's first letter so it reads inside a
// sentence, leaving acronyms ("ABV", "URL") as they are.
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 || (len(r) > 1 && unicode.IsUpper(r[1])) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// endSentence adds a period to s unless it already ends a sentence
// (before any closing quotes or brackets).
func endSentence(s string) string {
	t := strings.TrimRight(s, "\"'”’)]»")
	if s == "" || strings.ContainsAny(lastRune(t), ".!?:;…") {
		return s
	}
	return s + "."
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return ""
	}
	return string(r)
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

// maxParagraphBrackets is how many '[' a paragraph may hold before its
// brackets are escaped. goldmark looks for the end of every unclosed link
// to the end of its paragraph, so "[a](" repeated 20,000 times took 4 s
// and a 5 MB attachment of it would take hours; no real paragraph has
// hundreds of links.
const maxParagraphBrackets = 256

// defuseBracketFloods escapes the '[' of every paragraph (text between
// blank lines) that holds more than maxParagraphBrackets of them, so
// they are read as text.
func defuseBracketFloods(src string) string {
	if strings.Count(src, "[") <= maxParagraphBrackets {
		return src
	}
	paras := strings.SplitAfter(src, "\n\n")
	for i, p := range paras {
		if strings.Count(p, "[") > maxParagraphBrackets {
			paras[i] = strings.ReplaceAll(p, "[", "\\[")
		}
	}
	return strings.Join(paras, "")
}
