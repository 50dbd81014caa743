package answer

import (
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCapAnswer(t *testing.T) {
	long := strings.Repeat("word ", 30) // 150 runes
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"Fits", "One [1]. Two [2].", 100, "One [1]. Two [2]."},
		{"SentenceBoundary", "First claim [1]. Second claim is longer [2].", 30, "First claim [1]."},
		{"KeepsMarkerAfterPeriod", "First claim. [1] Second claim is much longer [2].", 22, "First claim. [1]"},
		{"DropsMarkerPastLimit", "First claim. [1] Second claim is much longer [2].", 15, "First claim."},
		{"NoWholeSentenceFits", long, 22, "word word word word…"},
		{"NeverInsideMarker", "aaaa [12345] bbb", 9, "aaaa…"},
		{"Runes", "Ééé ééé. Ààà ààà.", 10, "Ééé ééé."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CapAnswer(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("CapAnswer(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("CapAnswer(%q, %d) has %d runes", tt.in, tt.max, n)
			}
		})
	}
}

func TestStripIncompleteMarker(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Claim [1", "Claim"},
		{"Claim [1, ", "Claim"},
		{"Claim [", "Claim"},
		{"Claim [1]", "Claim [1]"},
		{"Claim [see", "Claim [see"},
		{"Claim", "Claim"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := stripIncompleteMarker(tt.in); got != tt.want {
				t.Errorf("stripIncompleteMarker(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPromptLeak(t *testing.T) {
	d := newLeakDetector(SystemPrompt())
	words := strings.Fields(SystemPrompt())
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"WholePrompt", SystemPrompt(), true},
		{"EightWordsInCapitals", "Sure! " + strings.ToUpper(strings.Join(words[3:3+LeakWords], " ")) + " ok", true},
		{"SevenWords", "Note: " + strings.Join(words[3:3+LeakWords-1], " ") + ".", false},
		{"Refusal", RefusalText, false},
		{"GroundedAnswer", goodAnswer, false},
		{"PassageText", testPassages()[0].Text, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.leaks(tt.text); got != tt.want {
				t.Errorf("leaks(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestFinishCapsLongAnswers(t *testing.T) {
	sentence := "Xi visited Moscow in 2013 and met Putin many times over the years [1]. "
	raw := strings.Repeat(sentence, 40) + "Gas flowed from 2019 [2]."
	t.Run("OKCapped", func(t *testing.T) {
		const limit = 1800
		l := NewLLM(slog.New(slog.DiscardHandler), nil, LLMOptions{MaxAnswerRunes: limit})
		a, err := l.finish("q?", testPassages(), streamResult{text: raw, finish: "stop"})
		if err != nil {
			t.Fatalf("finish: %v", err)
		}
		if n := utf8.RuneCountInString(a.Text); n > limit {
			t.Errorf("answer has %d runes, want at most %d", n, limit)
		}
		if !strings.HasSuffix(a.Text, "[1].") {
			t.Errorf("answer ends %q, want a whole sentence", a.Text[len(a.Text)-20:])
		}
		if got, want := len(a.Citations), 1; got != want {
			t.Errorf("got %d citations, want %d: [2] was cut off", got, want)
		}
		if err := checkMarkers(a); err != "" {
			t.Error(err)
		}
	})
	t.Run("OKNoCapByDefault", func(t *testing.T) {
		l := NewLLM(slog.New(slog.DiscardHandler), nil, LLMOptions{})
		a, err := l.finish("q?", testPassages(), streamResult{text: raw, finish: "stop"})
		if err != nil {
			t.Fatalf("finish: %v", err)
		}
		if got, want := a.Text, strings.TrimSpace(raw); got != want {
			t.Errorf("answer = %q, want the whole model text %q", got, want)
		}
		if got, want := len(a.Citations), 2; got != want {
			t.Errorf("got %d citations, want %d", got, want)
		}
	})
}

func TestLeakTail(t *testing.T) {
	words := strings.Fields(strings.Repeat("alpha beta\tgamma\n", 10)) // 30 words
	s := strings.Join(words, " ")
	tests := []struct {
		name    string
		checked int
		want    string
	}{
		{"NothingChecked", 0, s},
		{"AllChecked", len(s), strings.Join(words[30-2*LeakWords:], " ")},
		{"PastEnd", len(s) + 5, strings.Join(words[30-2*LeakWords:], " ")},
		{"Short", len("alpha beta"), "alpha beta" + s[len("alpha beta"):]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leakTail(s, tt.checked); got != tt.want {
				t.Errorf("leakTail(s, %d) = %q, want %q", tt.checked, got, tt.want)
			}
		})
	}
	t.Run("UnicodeSpace", func(t *testing.T) {
		if got, want := leakTail("a\u00a0b", 4), "a\u00a0b"; got != want {
			t.Errorf("leakTail = %q, want %q", got, want)
		}
	})
}

func TestTrimRunes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{name: "OKFits", in: "short", max: 10, want: "short"},
		{name: "OKWordBoundary", in: "alpha beta gamma", max: 12, want: "alpha beta…"},
		{name: "OKNoSpace", in: "abcdefghij", max: 5, want: "abcd…"},
		{name: "OKNotInsideMarker", in: "see [123] and more", max: 8, want: "see…"},
		{name: "OKTiny", in: "abc", max: 1, want: "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TrimRunes(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("TrimRunes(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("TrimRunes(%q, %d) has %d runes", tt.in, tt.max, n)
			}
		})
	}
}
