package corpus

import (
	"reflect"
	"strings"
	"testing"
)

// paragraphTexts returns the text of every paragraph of d.
func paragraphTexts(d Document) []string {
	var out []string
	for _, s := range d.Sections {
		for _, p := range s.Paragraphs {
			out = append(out, d.Text[p.Start:p.End])
		}
	}
	return out
}

func TestMarkdownTablesAndLists(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // paragraphs
	}{
		{
			name: "Table",
			src:  "Our teas:\n\n| Tea | Origin | Harvest |\n|-----|--------|---------|\n| Sencha | Japan | May |\n| Longjing | China | April |\n",
			want: []string{"Our teas:", "Sencha: origin Japan, harvest May.", "Longjing: origin China, harvest April."},
		},
		{
			name: "TableEmptyCellAndMarkup",
			src:  "| Tea | Origin | ABV |\n|---|---|---|\n| **Gyokuro** | | [Japan](http://x) |\n",
			want: []string{"Gyokuro: ABV Japan."},
		},
		{
			name: "TableOneColumn",
			src:  "| Tea |\n|---|\n| Sencha |\n",
			want: []string{"Sencha."},
		},
		{
			name: "ListItemsEndAsSentences",
			src:  "- brew at 70 degrees\n- steep for *one* minute\n- Serve at once!\n",
			want: []string{"brew at 70 degrees.", "steep for one minute.", "Serve at once!"},
		},
		{
			name: "NestedAndLooseList",
			src:  "1. Warm the pot\n\n   - with hot water\n2. Add the leaves.\n",
			want: []string{"Warm the pot.", "with hot water.", "Add the leaves."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseMarkdown("tea.md", tt.src)
			if got := paragraphTexts(d); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseMarkdown(%q) paragraphs = %q, want %q", tt.src, got, tt.want)
			}
			if strings.Contains(d.Text, "|") {
				t.Errorf("text %q holds table syntax", d.Text)
			}
		})
	}
}

// TestMarkdownTableRowsQuotable checks that each row is its own sentence,
// so that a quote of one row never runs into the next.
func TestMarkdownTableRowsQuotable(t *testing.T) {
	d := ParseMarkdown("tea.md", "| Tea | Origin |\n|---|---|\n| Sencha | Japan |\n| Longjing | China |\n")
	var sents []string
	for _, p := range paragraphTexts(d) {
		for _, s := range Sentences(p) {
			sents = append(sents, p[s.Start:s.End])
		}
	}
	if want := []string{"Sencha: origin Japan.", "Longjing: origin China."}; !reflect.DeepEqual(sents, want) {
		t.Fatalf("sentences = %q, want %q", sents, want)
	}
}

func TestFrontMatterURL(t *testing.T) {
	tests := []struct {
		name string
		doc  Document
		want string
	}{
		{"Markdown", ParseMarkdown("a.md", "---\ntitle: Tea\nurl: https://tea.example/guide\n---\n# Ignored\n\nText.\n"), "https://tea.example/guide"},
		{"Text", ParseText("a.txt", "---\nurl: \"https://tea.example/notes\"\n---\nText.\n"), "https://tea.example/notes"},
		{"NotAWebURL", ParseMarkdown("a.md", "---\nurl: file:///etc/passwd\n---\nText.\n"), ""},
		{"None", ParseMarkdown("a.md", "Text.\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.doc.URL != tt.want {
				t.Fatalf("URL = %q, want %q", tt.doc.URL, tt.want)
			}
			for _, p := range Split(tt.doc, DefaultSplit()) {
				if p.URL != tt.want {
					t.Errorf("passage URL = %q, want %q", p.URL, tt.want)
				}
			}
		})
	}
}

func TestMarkdownBracketFlood(t *testing.T) {
	// goldmark scans to the end of the paragraph for every unclosed
	// link: 20,000 of them took 4 s. The flood is read as text; a
	// paragraph with ordinary links keeps them.
	flood := strings.Repeat("[a](", 200_000)
	doc := ParseMarkdown("flood.md", "# Flood\n\nIntro with a [real link](https://example.org).\n\n"+flood+"\n\nAfter the flood.\n")
	got := doc.Text
	for _, want := range []string{"Intro with a real link.", "[a](", "After the flood."} {
		if !strings.Contains(got, want) {
			t.Errorf("parsed text lacks %q", want)
		}
	}
	if strings.Contains(got, "https://example.org") {
		t.Error("the ordinary link's URL became text")
	}
}
