package bot

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{name: "OKFits", in: "One. Two.", max: 20, want: []string{"One. Two."}},
		{name: "OKEmpty", in: "  \n ", max: 20, want: nil},
		{name: "OKTrims", in: "  hi  ", max: 20, want: []string{"hi"}},
		{
			name: "OKParagraph",
			in:   "First paragraph here.\n\nSecond one.",
			max:  25, want: []string{"First paragraph here.", "Second one."},
		},
		{
			name: "OKSentenceKeepsMarker",
			in:   "Alpha beta gamma. [1] Delta epsilon zeta. [2]",
			max:  30, want: []string{"Alpha beta gamma. [1]", "Delta epsilon zeta. [2]"},
		},
		{
			name: "OKSentenceKeepsMarkerGroup",
			in:   "Alpha beta. [1] [2] Gamma delta epsilon.",
			max:  24, want: []string{"Alpha beta. [1] [2]", "Gamma delta epsilon."},
		},
		{
			// The second sentence fits only without its marker, so the
			// cut goes back to the first sentence rather than orphan it.
			name: "OKMarkerStaysWithSentence",
			in:   "Aa bb. [1] Cc dd ee ff. [12] Gg.",
			max:  26, want: []string{"Aa bb. [1]", "Cc dd ee ff. [12] Gg."},
		},
		{
			name: "OKQuotedSentences",
			in:   "\u201cFirst quote.\u201d [1] \u201cSecond quote here.\u201d [2]",
			max:  25, want: []string{"\u201cFirst quote.\u201d [1]", "\u201cSecond quote here.\u201d [2]"},
		},
		{
			name: "OKWordsWithoutSentences",
			in:   "aaa bbb ccc ddd eee",
			max:  8, want: []string{"aaa bbb", "ccc ddd", "eee"},
		},
		{
			name: "OKNeverInsideMarker",
			in:   "word [123] word",
			max:  8, want: []string{"word", "[123]", "word"},
		},
		{
			name: "OKHardCutBeforeMarker",
			in:   "abcdefg[12]hij",
			max:  9, want: []string{"abcdefg", "[12]hij"},
		},
		{name: "OKHardCutRunes", in: "ééééééé", max: 3, want: []string{"ééé", "ééé", "é"}},
		{
			name: "OKShortParagraphFallsBackToSentence",
			in:   "Hi.\n\nA long sentence here. And more text.",
			max:  30, want: []string{"Hi.\n\nA long sentence here.", "And more text."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.in, tt.max); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

// TestSplitProperties splits random answer-like texts and checks what
// every split must hold: pieces fit, no marker is broken, nothing is lost.
func TestSplitProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"the", "Kremlin", "Beijing", "partnership", "é", "naïve", "[1]", "[2, 3]", "[10]", "trade.", "sanctions!", "why?", "\n\n", "\u201cquoted.\u201d"}
	for i := range 150 {
		var b strings.Builder
		for range rng.IntN(400) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteString(" ")
		}
		in := b.String()
		max := 12 + rng.IntN(200)
		pieces := Split(in, max)
		for _, p := range pieces {
			if n := utf8.RuneCountInString(p); n > max {
				t.Fatalf("case %d: piece has %d runes, max %d", i, n, max)
			}
			if p != strings.TrimSpace(p) || p == "" {
				t.Fatalf("case %d: piece %q not trimmed", i, p)
			}
		}
		if got, want := strings.Join(strings.Fields(strings.Join(pieces, "")), ""), strings.Join(strings.Fields(in), ""); got != want {
			t.Fatalf("case %d: split lost text:\n got %q\nwant %q", i, got, want)
		}
		if got, want := countMarkers(pieces), len(markerRE.FindAllString(in, -1)); got != want {
			t.Fatalf("case %d: %d whole markers after split, want %d", i, got, want)
		}
	}
}

func countMarkers(pieces []string) int {
	n := 0
	for _, p := range pieces {
		n += len(markerRE.FindAllString(p, -1))
	}
	return n
}
