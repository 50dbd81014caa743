package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func sentenceTexts(text string) []string {
	var out []string
	for _, s := range Sentences(text) {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"Plain", "One. Two! Three?", []string{"One.", "Two!", "Three?"}},
		{"USMidSentence", "They resist yielding to U.S. financial pressure. Then more.",
			[]string{"They resist yielding to U.S. financial pressure.", "Then more."}},
		{"USBeforeCapital", "It counters U.S. Navy patrols. Next.", []string{"It counters U.S. Navy patrols.", "Next."}},
		{"Hyphenated", "The U.S.-led order is contested. Yes.", []string{"The U.S.-led order is contested.", "Yes."}},
		{"Titles", "Mr. Putin met Dr. Smith in Jan. 2020. Then left.", []string{"Mr. Putin met Dr. Smith in Jan. 2020.", "Then left."}},
		{"Initials", "J. K. Rowling wrote it. It sold.", []string{"J. K. Rowling wrote it.", "It sold."}},
		{"EgIe", "Some sectors, e.g. energy, grew. Others, i.e. tech, fell.", []string{"Some sectors, e.g. energy, grew.", "Others, i.e. tech, fell."}},
		{"CurlyQuoteCloser", "He said \u201cno.\u201d Then he left.", []string{"He said \u201cno.\u201d", "Then he left."}},
		{"StraightQuoteCloser", `She said "yes." It ended.`, []string{`She said "yes."`, "It ended."}},
		{"Ellipsis", "Wait... Then go.", []string{"Wait...", "Then go."}},
		{"Decimal", "Trade grew 3.5 percent. Good.", []string{"Trade grew 3.5 percent.", "Good."}},
		{"NumberAbbreviation", "See No. 5 on the list. Next.", []string{"See No. 5 on the list.", "Next."}},
		{"NoEndsSentence", "She said no. Then left.", []string{"She said no.", "Then left."}},
		{"LowercaseAfterPeriod", "See fig. three for details. Done.", []string{"See fig. three for details.", "Done."}},
		{"ParagraphBreak", "A heading\n\nBody text here.", []string{"A heading", "Body text here."}},
		{"NoFinalPunctuation", "Trailing words", []string{"Trailing words"}},
		{"Empty", "  \n ", nil},
		// Long runs of punctuation or space are scanned once, not once
		// per character: at 200,000 dots the splitter used to take
		// minutes, holding the index lock of /add and every restart.
		{"LongDotRun", "Then" + strings.Repeat(".", 200_000) + "x more text.", []string{"Then" + strings.Repeat(".", 200_000) + "x more text."}},
		{"LongDotRunThenSpace", "Wait" + strings.Repeat(".", 200_000) + " Then go.", []string{"Wait" + strings.Repeat(".", 200_000), "Then go."}},
		{"LongSpaceAfterAbbreviation", "See fig." + strings.Repeat(" ", 200_000) + "three. Done.", []string{"See fig." + strings.Repeat(" ", 200_000) + "three.", "Done."}},
		// A dotted acronym before a capital keeps the sentence whole, however long.
		{"LongDottedWord", strings.Repeat("a.", 100_000) + " Next.", []string{strings.Repeat("a.", 100_000) + " Next."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sentenceTexts(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Sentences(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"It\u2019s  \u201cFine\u201d\n", `it's "fine"`},
		{"Two \u2013 dashes", "two - dashes"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkSentencesDotRun splits a line of 120,000 dots, which took 19 s
// before runs were scanned once.
//
//	go test -run '^$' -bench SentencesDotRun ./corpus/
func BenchmarkSentencesDotRun(b *testing.B) {
	text := "Then" + strings.Repeat(".", 120_000) + "x more text."
	for b.Loop() {
		Sentences(text)
	}
}
