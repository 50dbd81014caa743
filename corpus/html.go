package corpus

import (
	"fmt"
	"strings"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// ParseHTML extracts the main article of an HTML page with go-readability,
// dropping navigation, ads and other boilerplate. h1 to h3 inside the article
// start sections; the page's article title is the document title, falling
// back to the file name.
func ParseHTML(source, page string) (Document, error) {
	art, err := readability.FromReader(strings.NewReader(page), nil)
	if err != nil {
		return Document{}, fmt.Errorf("couldn't extract article from %s: %w", source, err)
	}
	title := collapseSpace(art.Title())
	if title == "" {
		title = TitleFromFileName(source)
	}
	b := newBuilder(source, title)
	if art.Node != nil {
		htmlBlock(b, art.Node, title)
	}
	return b.done(), nil
}

// leafBlocks hold prose as a whole; their text becomes one paragraph.
var leafBlocks = map[string]bool{
	"p": true, "li": true, "pre": true, "blockquote": true, "figcaption": true,
	"td": true, "th": true, "dd": true, "dt": true, "h4": true, "h5": true, "h6": true,
	"caption": true, "summary": true,
}

func htmlBlock(b *builder, n *html.Node, title string) {
	var loose strings.Builder
	flushLoose := func() {
		b.paragraph(loose.String())
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
			if h := nodeText(c); !strings.EqualFold(collapseSpace(h), title) {
				b.heading(h)
			}
		case leafBlocks[c.Data]:
			flushLoose()
			b.paragraph(nodeText(c))
		case isInline(c.Data):
			loose.WriteString(nodeText(c))
		default:
			flushLoose()
			htmlBlock(b, c, title)
		}
	}
	flushLoose()
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
