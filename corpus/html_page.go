package corpus

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// pageMeta is what an HTML page says about itself in its head.
type pageMeta struct {
	ogTitle   string // <meta property="og:title">
	title     string // <title>
	canonical string // <link rel="canonical">
	ogURL     string // <meta property="og:url">
}

// url is the page's own address: its canonical link, else og:url, when
// that is an absolute http or https URL.
func (m pageMeta) url() string {
	if u := webURL(m.canonical); u != "" {
		return u
	}
	return webURL(m.ogURL)
}

// readMeta collects the first of each metadata element of the page.
func readMeta(root *html.Node) pageMeta {
	var m pageMeta
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = collapseSpace(v)
		}
	}
	walk(root, func(n *html.Node) bool {
		switch n.Data {
		case "title":
			set(&m.title, nodeText(n))
		case "meta":
			prop := attr(n, "property")
			if prop == "" {
				prop = attr(n, "name")
			}
			switch strings.ToLower(prop) {
			case "og:title":
				set(&m.ogTitle, attr(n, "content"))
			case "og:url":
				set(&m.ogURL, attr(n, "content"))
			}
		case "link":
			for _, rel := range strings.Fields(attr(n, "rel")) {
				if strings.EqualFold(rel, "canonical") {
					set(&m.canonical, attr(n, "href"))
				}
			}
		case "body":
			return false // metadata lives in the head
		}
		return true
	})
	return m
}

// pageTitle picks a document title: og:title, else the article's own h1,
// else <title> without its site suffix, else what go-readability found.
// Sites put their own name in <title> ("My Travel Blog - Home"), so it
// comes last among the page's own statements.
func pageTitle(m pageMeta, h1, extracted string) string {
	for _, t := range []string{m.ogTitle, h1, trimSiteSuffix(m.title), collapseSpace(extracted)} {
		if t != "" {
			return t
		}
	}
	return ""
}

// siteSeparators divide a page's title from its site's name in <title>.
var siteSeparators = []string{" | ", " - ", " – ", " — ", " · ", " :: ", " » "}

// trimSiteSuffix removes the site name after the last separator:
// "Mount Vesuvius | Volcano Facts Site" gives "Mount Vesuvius".
func trimSiteSuffix(title string) string {
	cut := -1
	for _, sep := range siteSeparators {
		if i := strings.LastIndex(title, sep); i > 0 && (cut < 0 || i > cut) {
			cut = i
		}
	}
	if cut < 0 {
		return title
	}
	return strings.TrimSpace(title[:cut])
}

// articleH1 returns the text of the article's own h1: the first inside an
// <article>, else inside <main>, else the first h1 outside the site's
// header, navigation, sidebars and footer.
func articleH1(root *html.Node) string {
	for _, scope := range []string{"article", "main", ""} {
		var found string
		walk(root, func(n *html.Node) bool {
			if found != "" {
				return false
			}
			if (scope == "" && isBoilerplate(n)) || (n.Data == "header" && !inside(n, "article", "main")) {
				return false
			}
			if n.Data == "h1" && (scope == "" || inside(n, scope)) {
				found = collapseSpace(nodeText(n))
			}
			return true
		})
		if found != "" {
			return found
		}
	}
	return ""
}

// stripBoilerplate removes what surrounds a page's content: navigation,
// sidebars, footers, cookie and consent notes and copyright lines, named by
// tag (nav, aside, footer), ARIA role or class and id words. go-readability
// drops most of them itself, but not when a page lacks <article> and
// <main> and they sit beside the text it keeps. An element holding the
// page's article, main part or h1 is never removed.
func stripBoilerplate(root *html.Node) {
	var doomed []*html.Node
	walk(root, func(n *html.Node) bool {
		if isBoilerplate(n) && !contains(n, "article", "main", "h1") {
			doomed = append(doomed, n)
			return false
		}
		return true
	})
	for _, n := range doomed {
		n.Parent.RemoveChild(n)
	}
}

// boilerplateWords are class and id words of page furniture.
var boilerplateWords = map[string]bool{
	"footer": true, "nav": true, "navbar": true, "navigation": true, "menu": true,
	"sidebar": true, "cookie": true, "cookies": true, "consent": true, "gdpr": true,
	"copyright": true, "breadcrumb": true, "breadcrumbs": true,
}

func isBoilerplate(n *html.Node) bool {
	switch n.Data {
	case "html", "body", "article", "main":
		return false
	case "nav", "aside", "footer":
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "contentinfo", "complementary", "search":
		return true
	}
	words := strings.FieldsFunc(strings.ToLower(attr(n, "class")+" "+attr(n, "id")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		if boilerplateWords[w] {
			return true
		}
	}
	return false
}

// isCopyright reports whether a paragraph is a site's copyright line
// ("© 2024 My Travel Blog.", "Copyright 2023 …", "All rights reserved.").
func isCopyright(s string) bool {
	l := strings.ToLower(s)
	return len(s) < 300 && (strings.HasPrefix(l, "©") || strings.HasPrefix(l, "(c) ") ||
		strings.HasPrefix(l, "copyright") || strings.Contains(l, "all rights reserved"))
}

// walk calls visit on every element below n in document order, skipping
// the children of those for which it returns false.
func walk(n *html.Node, visit func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !visit(c) {
			continue
		}
		walk(c, visit)
	}
}

// inside reports whether an ancestor of n is one of tags.
func inside(n *html.Node, tags ...string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && slices.Contains(tags, p.Data) {
			return true
		}
	}
	return false
}

// contains reports whether n has a descendant that is one of tags.
func contains(n *html.Node, tags ...string) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		if slices.Contains(tags, c.Data) {
			found = true
		}
		return !found
	})
	return found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
