package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/answer"
)

func TestCapHistory(t *testing.T) {
	turns := func(n, answerLen int) []answer.Turn {
		out := make([]answer.Turn, n)
		for i := range out {
			out[i] = answer.Turn{Question: fmt.Sprint("q", i), Answer: strings.Repeat("a", answerLen)}
		}
		return out
	}
	tests := []struct {
		name      string
		in        []answer.Turn
		keepFirst bool
		want      []string // questions kept
	}{
		{name: "Short", in: turns(2, 10), want: []string{"q0", "q1"}},
		{name: "SevenTurns", in: turns(7, 10), want: []string{"q1", "q2", "q3", "q4", "q5", "q6"}},
		{name: "SevenTurnsKeepFirst", in: turns(7, 10), keepFirst: true, want: []string{"q0", "q2", "q3", "q4", "q5", "q6"}},
		{name: "CharCap", in: turns(4, 1900), want: []string{"q1", "q2", "q3"}},
		{name: "CharCapKeepFirst", in: turns(4, 1900), keepFirst: true, want: []string{"q0", "q2", "q3"}},
		{name: "OneHugeTurn", in: turns(1, 9000), want: []string{"q0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capHistory(tt.in, tt.keepFirst)
			var qs []string
			for _, turn := range got {
				qs = append(qs, turn.Question)
			}
			if strings.Join(qs, ",") != strings.Join(tt.want, ",") {
				t.Errorf("capHistory = %q, want %q", qs, tt.want)
			}
			if n := historyChars(got); n > maxHistoryChars {
				t.Errorf("capHistory kept %d characters, want at most %d", n, maxHistoryChars)
			}
		})
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	tests := []struct{ name, question string }{
		{name: "Plain", question: "Why does Russia need China?"},
		{name: "Markdown", question: "Is *this* [1] a `test` | or_not?"},
		{name: "Heading", question: "# Big question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := RenderAnswer(tt.question, answer.Answer{Text: "The answer [1].", Citations: []answer.Citation{{N: 1}}})
			h, text := splitHeader(msgs[0].Content)
			if got, want := unquoteHeader(h), questionText(tt.question); got != want {
				t.Errorf("unquoteHeader(%q) = %q, want %q", h, got, want)
			}
			if text != "The answer [1]." {
				t.Errorf("splitHeader text = %q, want the answer alone", text)
			}
		})
	}
}
