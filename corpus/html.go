package corpus

import (
	"fmt"
	"net/url"
	"strings"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// ParseHTML extracts the main article of an HTML page with go-readability,
// after removing the page's boilerplate (see stripBoilerplate), and drops
// copyright lines that end the text. h1 to h3 inside the article start
// sections. The title and URL come from the page's metadata (see pageTitle
// and pageURL); the title falls back to the file name. It returns an error
// only when the page cannot be parsed at all.
func ParseHTML(source, page string) (Document, error) { return ParseHTMLAt(source, page, nil) }

// ParseHTMLAt is ParseHTML for a page fetched from pageURL (the final URL
// after redirects), which go-readability resolves relative links against;
// nil for a file. It is go-readability's FromReader with the boilerplate
// removed between the parse and the extraction, so that a fetched page and
// a file get the same title and boilerplate rules.
func ParseHTMLAt(source, page string, pageURL *url.URL) (Document, error) {
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return Document{}, fmt.Errorf("couldn't parse HTML of %s: %w", source, err)
	}
	meta := readMeta(root)
	h1 := articleH1(root)
	stripBoilerplate(root)
	art, err := readability.FromDocument(root, pageURL)
	if err != nil {
		return Document{}, fmt.Errorf("couldn't extract article from %s: %w", source, err)
	}
	title := pageTitle(meta, h1, art.Title())
	if title == "" {
		title = TitleFromFileName(source)
	}
	var blocks []htmlText
	if art.Node != nil {
		blocks = htmlBlock(blocks, art.Node, title)
	}
	for len(blocks) > 0 && !blocks[len(blocks)-1].heading && isCopyright(blocks[len(blocks)-1].text) {
		blocks = blocks[:len(blocks)-1]
	}
	b := newBuilder(source, title)
	b.doc.URL = meta.url()
	for _, t := range blocks {
		if t.heading {
			b.heading(t.text)
		} else {
			b.paragraph(t.text)
		}
	}
	return b.done(), nil
}

// htmlText is one heading or paragraph of an extracted article.
type htmlText struct {
	heading bool
	text    string
}

// leafBlocks hold prose as a whole; their text becomes one paragraph.
var leafBlocks = map[string]bool{
	"p": true, "li": true, "pre": true, "blockquote": true, "figcaption": true,
	"td": true, "th": true, "dd": true, "dt": true, "h4": true, "h5": true, "h6": true,
	"caption": true, "summary": true,
}

// htmlBlock appends the headings and paragraphs below n to out. A heading
// that repeats the title is left out.
func htmlBlock(out []htmlText, n *html.Node, title string) []htmlText {
	var loose strings.Builder
	paragraph := func(s string) {
		if s = collapseSpace(s); s != "" {
			out = append(out, htmlText{text: s})
		}
	}
	flushLoose := func() {
		paragraph(loose.String())
		loose.Reset()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			loose.WriteString(c.Data)
		case c.Type != html.ElementNode:
		case c.Data == "script" || c.Data == "style" || c.Data == "noscript":
		case c.Data == "h1" || c.Data == "h2" || c.Data == "h3":
			flushLoose()
			if h := collapseSpace(nodeText(c)); h != "" && !strings.EqualFold(h, title) {
				out = append(out, htmlText{heading: true, text: h})
			}
		case leafBlocks[c.Data]:
			flushLoose()
			paragraph(nodeText(c))
		case isInline(c.Data):
			loose.WriteString(nodeText(c))
		default:
			flushLoose()
			out = htmlBlock(out, c, title)
		}
	}
	flushLoose()
	return out
}

func isInline(tag string) bool {
	switch tag {
	case "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
		"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "br":
		return true
	}
	return false
}

func nodeText(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			sb.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style"):
			return
		case n.Type == html.ElementNode && n.Data == "br":
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return sb.String()
}
