package answer

import (
	"net/url"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/corpus"
)

func TestFragmentURL(t *testing.T) {
	tests := []struct {
		name  string
		page  string
		quote string
		want  string
	}{
		{"NoURL", "", "Anything.", ""},
		{"Plain", "https://example.com/a", "Tea came from China.", "https://example.com/a#:~:text=Tea%20came%20from%20China."},
		{"Commas", "https://example.com/a", "Sencha, matcha, gyokuro.", "https://example.com/a#:~:text=Sencha%2C%20matcha%2C%20gyokuro."},
		{"HyphenAndDashes", "https://example.com/a", "Xi-Putin ties \u2013 close \u2014 tight.", "https://example.com/a#:~:text=Xi%2DPutin%20ties%20%E2%80%93%20close%20%E2%80%94%20tight."},
		{"CurlyQuotes", "https://example.com/a", "\u201cNo limits,\u201d he said\u2019s.", "https://example.com/a#:~:text=%E2%80%9CNo%20limits%2C%E2%80%9D%20he%20said%E2%80%99s."},
		{"Ampersand", "https://example.com/a", "Trade & energy.", "https://example.com/a#:~:text=Trade%20%26%20energy."},
		{"NonASCII", "https://example.com/a", "Café 中文.", "https://example.com/a#:~:text=Caf%C3%A9%20%E4%B8%AD%E6%96%87."},
		{"Percent", "https://example.com/a", "Up 50% in 2023.", "https://example.com/a#:~:text=Up%2050%25%20in%202023."},
		{"SpacesCollapsed", "https://example.com/a", "  Two\n words\t here. ", "https://example.com/a#:~:text=Two%20words%20here."},
		{"ReplacesFragment", "https://example.com/a?x=1#intro", "Tea.", "https://example.com/a?x=1#:~:text=Tea."},
		{"EmptyQuoteKeepsURL", "https://example.com/a#top", "  ", "https://example.com/a"},
		{
			"LongQuoteStartEnd", "https://example.com/a",
			"One two three four five six seven eight nine ten eleven twelve, thirteen-fourteen.",
			"https://example.com/a#:~:text=One%20two%20three%20four%20five,nine%20ten%20eleven%20twelve%2C%20thirteen%2Dfourteen.",
		},
		{
			"TwelveWordsWhole", "https://example.com/a",
			"One two three four five six seven eight nine ten eleven twelve.",
			"https://example.com/a#:~:text=One%20two%20three%20four%20five%20six%20seven%20eight%20nine%20ten%20eleven%20twelve.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FragmentURL(tt.page, tt.quote); got != tt.want {
				t.Errorf("FragmentURL(%q, %q) = %q, want %q", tt.page, tt.quote, got, tt.want)
			}
		})
	}
}

// TestFragmentURLLongWithoutSpaces links text without spaces (Chinese) by
// its first and last runes, and the directive decodes back to them.
func TestFragmentURLLongWithoutSpaces(t *testing.T) {
	quote := strings.Repeat("中文", 200)
	got := FragmentURL("https://example.com/zh", quote)
	_, directive, ok := strings.Cut(got, "#:~:text=")
	if !ok {
		t.Fatalf("FragmentURL = %q, want a text directive", got)
	}
	parts := strings.Split(directive, ",")
	if got, want := len(parts), 2; got != want {
		t.Fatalf("directive %q has %d parts, want %d", directive, got, want)
	}
	for _, p := range parts {
		text, err := url.PathUnescape(p)
		if err != nil {
			t.Fatalf("PathUnescape(%q): %v", p, err)
		}
		if got, want := len([]rune(text)), fragmentEdgeRunes; got != want {
			t.Errorf("edge %q has %d runes, want %d", text, got, want)
		}
	}
}

func TestCitationURL(t *testing.T) {
	linked := corpus.Passage{ID: "p1", Document: "Kyoto guide", URL: "https://example.com/kyoto#top", Section: "Temples", Text: "Kinkaku-ji is golden. It burned in 1950."}
	bare := corpus.Passage{ID: "p2", Document: "Tea", Section: "Origins", Text: "Tea came from China. Sencha is Japanese."}
	t.Run("Extractive", func(t *testing.T) {
		a := Extract("when did Kinkaku-ji burn", []corpus.Passage{linked})
		if len(a.Citations) != 1 {
			t.Fatalf("Extract citations = %+v, want 1", a.Citations)
		}
		if got, want := a.Citations[0].URL, FragmentURL(linked.URL, a.Citations[0].Quote); got != want || !strings.HasPrefix(got, "https://example.com/kyoto#:~:text=") {
			t.Errorf("citation URL = %q, want %q", got, want)
		}
	})
	t.Run("Model", func(t *testing.T) {
		_, cites := CheckCitations("It is golden [1]. Tea is Chinese [2].", []corpus.Passage{linked, bare})
		if got, want := cites[0].URL, "https://example.com/kyoto#:~:text=Kinkaku%2Dji%20is%20golden."; got != want {
			t.Errorf("URL of [1] = %q, want %q", got, want)
		}
		if got := cites[1].URL; got != "" {
			t.Errorf("URL of [2] (no document URL) = %q, want none", got)
		}
	})
}

func TestDuplicatePassagesOneCitation(t *testing.T) {
	a := corpus.Passage{ID: "a1", Document: "Copy A", Section: "S", Text: "Matcha is powdered green tea."}
	b := corpus.Passage{ID: "b1", Document: "Copy B", Section: "S", Text: "Matcha is powdered green tea."}
	c := corpus.Passage{ID: "c1", Document: "Other", Section: "S", Text: "Sencha is steamed green tea."}
	t.Run("Extractive", func(t *testing.T) {
		ans := Extract("what is matcha green tea", []corpus.Passage{a, b, c})
		seen := map[string]bool{}
		for i, cit := range ans.Citations {
			if cit.N != i+1 {
				t.Errorf("citation %d has N %d, want %d", i, cit.N, i+1)
			}
			if seen[cit.Text] {
				t.Errorf("Extract cites %q twice: %+v", cit.Text, ans.Citations)
			}
			seen[cit.Text] = true
		}
	})
	t.Run("Model", func(t *testing.T) {
		text, cites := CheckCitations("Matcha is powdered [2]. It is tea [1][2]. Sencha is steamed [3].", []corpus.Passage{a, b, c})
		if got, want := text, "Matcha is powdered [1]. It is tea [1]. Sencha is steamed [2]."; got != want {
			t.Errorf("text = %q, want %q", got, want)
		}
		if got, want := len(cites), 2; got != want {
			t.Fatalf("got %d citations, want %d: %+v", got, want, cites)
		}
		if got, want := cites[0].ID, "a1"; got != want {
			t.Errorf("citation [1] ID = %q, want %q", got, want)
		}
		if got, want := cites[1].N, 2; got != want {
			t.Errorf("citation [2] N = %d, want %d", got, want)
		}
	})
}
