package answer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/articlebot/articlebot/corpus"
)

func TestBestQuote(t *testing.T) {
	passage := "Xi Jinping first visited Moscow as president in March 2013. " +
		"The trip set the tone for a decade of summits. " +
		"Putin called him a \u201cdear friend\u201d during the visit."
	tests := []struct {
		name    string
		passage string
		claim   string
		want    string
	}{
		{"FirstSentence", passage, "Xi's first presidential visit to Moscow was in 2013", "Xi Jinping first visited Moscow as president in March 2013."},
		{"Stems", passage, "It set the tone for many summits", "The trip set the tone for a decade of summits."},
		{"FoldedQuotes", passage, `Putin called Xi a "dear friend"`, "Putin called him a \u201cdear friend\u201d during the visit."},
		{"StopWordsIgnored", passage, "the a of for in during", "Xi Jinping first visited Moscow as president in March 2013."},
		{"NoOverlapFallsBackToFirst", passage, "Completely unrelated claim", "Xi Jinping first visited Moscow as president in March 2013."},
		{"EmptyClaim", passage, "", "Xi Jinping first visited Moscow as president in March 2013."},
		{"TieGoesToEarlier", "Gas flows east. Gas flows west.", "gas flows", "Gas flows east."},
		{"NoSentence", "  fragment without end  ", "fragment", "fragment without end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BestQuote(tt.passage, tt.claim)
			if got != tt.want {
				t.Errorf("BestQuote(%q) = %q, want %q", tt.claim, got, tt.want)
			}
			if got == "" || !strings.Contains(tt.passage, got) {
				t.Errorf("BestQuote(%q) = %q, not a non-empty verbatim part of the passage", tt.claim, got)
			}
		})
	}
}

func TestExtractCapsLongSentences(t *testing.T) {
	// One run-on "sentence" of 128,000 characters: the answer quotes a
	// trimmed part of it, not the whole, so it fits a message or two.
	long := "Tea " + strings.Repeat("and more tea ", 10_000) + "is grown in Uji."
	a := Extract("where is tea grown", []corpus.Passage{{ID: "p1", Document: "D", Section: "S", Text: long}})
	if n := utf8.RuneCountInString(a.Text); a.Refused || n > maxQuoteRunes+10 {
		t.Fatalf("answer of %d runes (refused %v), want at most about %d", n, a.Refused, maxQuoteRunes)
	}
	if !strings.HasSuffix(a.Text, "\u2026\u201d [1]") || len(a.Citations) != 1 || a.Citations[0].Text != long {
		t.Fatalf("answer %q…, %d citations: want a trimmed quote and the whole passage cited", a.Text[:40], len(a.Citations))
	}
}
