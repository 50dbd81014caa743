package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func headings(d Document) []string {
	var out []string
	for _, s := range d.Sections {
		out = append(out, s.Heading)
	}
	return out
}

func TestBundled(t *testing.T) {
	docs, err := Bundled()
	if err != nil {
		t.Fatalf("Bundled() error: %v", err)
	}
	if got, want := len(docs), 1; got != want {
		t.Fatalf("Bundled() gave %d documents, want %d", got, want)
	}
	d := docs[0]
	if got, want := d.Title, "Xi Jinping and Russia"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	want := []string{
		IntroHeading,
		"The Historical Tapestry: Weaving Threads of Cooperation and Caution",
		"Geopolitical Alignment: A Shared Vision in a Shifting World Order",
		"Economic Interdependence: Fueling the Partnership",
		"Military and Security Cooperation: A United Front",
		"Challenges and the Road Ahead: Navigating the Complexities",
		"Conclusion: A Partnership for a New Era",
	}
	if got := headings(d); !reflect.DeepEqual(got, want) {
		t.Errorf("headings = %q, want %q", got, want)
	}
}

func TestParseTextHeadings(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"IndentedHeading", "Lead paragraph here.\n\n    A Heading\n\n    Body one. Body two.\n", []string{IntroHeading, "A Heading"}},
		{"UnindentedHeading", "Intro text.\n\nSecond Part\n\nMore text.", []string{IntroHeading, "Second Part"}},
		{"ShortSentenceIsNotHeading", "Intro.\n\nThat is all.\n\nEnd.", []string{IntroHeading}},
		{"QuestionIsNotHeading", "Intro.\n\nWhy now?\n\nBecause.", []string{IntroHeading}},
		{"ColonTitleIsHeading", "Intro.\n\nPart One: The Start\n\nText.", []string{IntroHeading, "Part One: The Start"}},
		{"EmptySectionDropped", "First Heading\n\nSecond Heading\n\nText.", []string{"Second Heading"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headings(ParseText("a.txt", tt.text)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("headings of %q = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTitles(t *testing.T) {
	tests := []struct {
		name string
		doc  func() (Document, error)
		want string
	}{
		{"FileName", func() (Document, error) { return ParseText("xi-jinping-and-russia.txt", "Text."), nil }, "Xi Jinping and Russia"},
		{"FileNameUnderscores", func() (Document, error) { return ParseText("the_state_of_trade.md", "Text."), nil }, "The State of Trade"},
		{"FrontMatter", func() (Document, error) {
			return ParseText("x.txt", "---\ntitle: \"Real Title\"\nauthor: me\n---\nText."), nil
		}, "Real Title"},
		{"MarkdownH1", func() (Document, error) { return ParseMarkdown("x.md", "# Big Title\n\nText.\n"), nil }, "Big Title"},
		{"HTMLTitle", func() (Document, error) {
			return ParseHTML("x.html", "<html><head><title>Page Title</title></head><body><article><p>"+strings.Repeat("Some prose here. ", 40)+"</p></article></body></html>")
		}, "Page Title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.doc()
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Title; got != tt.want {
				t.Fatalf("title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseMarkdown(t *testing.T) {
	src := "# Title\n\nIntro with **bold** and a [link](http://x).\n\n## Part A\n\nFirst *para*.\n\n- item one\n- item two\n\n### Sub B\n\n```\ncode here\n```\n"
	d := ParseMarkdown("doc.md", src)
	if got, want := headings(d), []string{IntroHeading, "Part A", "Sub B"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("headings = %q, want %q", got, want)
	}
	for _, bad := range []string{"**", "](", "```", "#"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text %q still holds markup %q", d.Text, bad)
		}
	}
	for _, s := range d.Sections {
		for _, p := range s.Paragraphs {
			if p.Start < 0 || p.End > len(d.Text) || p.Start >= p.End {
				t.Fatalf("bad paragraph span %v in %d bytes", p, len(d.Text))
			}
		}
	}
	if !strings.Contains(d.Text, "Intro with bold and a link.") {
		t.Errorf("text = %q, want the intro prose without markup", d.Text)
	}
}

func TestParseHTML(t *testing.T) {
	body := strings.Repeat("The partnership is described at length in this paragraph of prose. ", 8)
	page := `<html><head><title>Ties</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Ties</h1><p>` + body + `</p><h2>Energy</h2><p>` + body + `</p><h3>Pipelines</h3><p>` + body + `</p></article>
<footer>Copyright footer text</footer><script>var x = 1;</script></body></html>`
	d, err := ParseHTML("ties.html", page)
	if err != nil {
		t.Fatalf("ParseHTML error: %v", err)
	}
	if got, want := headings(d), []string{IntroHeading, "Energy", "Pipelines"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("headings = %q, want %q", got, want)
	}
	for _, bad := range []string{"var x", "<p>", "Copyright footer"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text holds %q", bad)
		}
	}
}
