package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readPage parses an HTML page of testdata.
func readPage(t *testing.T, name string) Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseHTML(name, string(b))
	if err != nil {
		t.Fatalf("ParseHTML(%s) error: %v", name, err)
	}
	return d
}

// TestHTMLPages reads realistic pages: the title follows og:title, then
// the article's h1, then <title> without the site's name; the URL is the
// canonical link, else og:url; and page furniture stays out of the text.
func TestHTMLPages(t *testing.T) {
	tests := []struct {
		name, file string
		title, url string
		headings   []string
		absent     []string // boilerplate that must not reach the text
	}{
		{
			name: "H1OverSiteTitle", file: "kyoto.html",
			title: "Visiting Kyoto in Autumn", url: "https://travel.example.com/2024/kyoto-autumn",
			headings: []string{IntroHeading, "Temples", "Getting around"},
			absent:   []string{"©", "All rights reserved", "Follow me", "About me", "Archive"},
		},
		{
			name: "TitleWithoutSiteSuffix", file: "vesuvius.html",
			title: "Mount Vesuvius", url: "https://volcanoes.example.org/vesuvius",
			headings: []string{"Where it is", "Eruptions"},
			absent:   []string{"©", "CC BY-SA", "All volcanoes"},
		},
		{
			name: "OGTitleFirst", file: "lighthouses.html",
			title:    "The Lighthouses of Brittany",
			headings: []string{IntroHeading},
			absent:   []string{"cookies", "©", "volunteers", "Contact"},
		},
		{
			name: "NoArticleElementWithFooter", file: "footer-no-article.html",
			title:    "Kyoto Food Guide",
			headings: []string{IntroHeading},
			absent:   []string{"©", "My Travel Blog", "cookies", "All rights reserved"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readPage(t, tt.file)
			if got, want := d.Title, tt.title; got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if got, want := d.URL, tt.url; got != want {
				t.Errorf("URL = %q, want %q", got, want)
			}
			if got := headings(d); strings.Join(got, "|") != strings.Join(tt.headings, "|") {
				t.Errorf("headings = %q, want %q", got, tt.headings)
			}
			ps := Split(d, DefaultSplit())
			if len(ps) == 0 {
				t.Fatal("no passages")
			}
			for _, p := range ps {
				if p.URL != tt.url {
					t.Errorf("passage %s URL = %q, want %q", p.ID, p.URL, tt.url)
				}
				for _, bad := range tt.absent {
					if strings.Contains(p.Text, bad) {
						t.Errorf("passage %q holds boilerplate %q", p.Text, bad)
					}
				}
			}
		})
	}
}

func TestTrimSiteSuffix(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Pipe", "Mount Vesuvius | Volcano Facts Site", "Mount Vesuvius"},
		{"Hyphen", "Kyoto Food Guide - My Travel Blog", "Kyoto Food Guide"},
		{"EmDash", "Lighthouses — Coastal Walks", "Lighthouses"},
		{"MiddleDot", "Tea · Leaf Notes", "Tea"},
		{"LastSeparator", "Tea - A History | Leaf Notes", "Tea - A History"},
		{"HyphenInWord", "Tofuku-ji", "Tofuku-ji"},
		{"NoSuffix", "Plain Title", "Plain Title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trimSiteSuffix(tt.in); got != tt.want {
				t.Fatalf("trimSiteSuffix(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLURL(t *testing.T) {
	prose := "<p>" + strings.Repeat("Some prose about the subject of this page. ", 12) + "</p>"
	tests := []struct{ name, head, want string }{
		{"Canonical", `<link rel="canonical" href="https://a.example/x">`, "https://a.example/x"},
		{"CanonicalBeforeOGURL", `<meta property="og:url" content="https://b.example/y"><link rel="canonical" href="https://a.example/x">`, "https://a.example/x"},
		{"OGURL", `<meta property="og:url" content="https://b.example/y">`, "https://b.example/y"},
		{"RelativeCanonicalIgnored", `<link rel="canonical" href="/x"><meta property="og:url" content="https://b.example/y">`, "https://b.example/y"},
		{"NotWeb", `<link rel="canonical" href="javascript:alert(1)">`, ""},
		{"None", ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseHTML("p.html", "<html><head><title>P</title>"+tt.head+"</head><body><article>"+prose+"</article></body></html>")
			if err != nil {
				t.Fatal(err)
			}
			if d.URL != tt.want {
				t.Fatalf("URL = %q, want %q", d.URL, tt.want)
			}
		})
	}
}
