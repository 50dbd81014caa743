package answer

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// TestCasualQuestions asks the offline answerer, over the real retrieval
// and lexicon, questions written the way people type in chat, one group
// per way the bot used to fail them (issue 8). Each answer must hold the
// evidence a person would underline, or be refused for the stated reason.
func TestCasualQuestions(t *testing.T) {
	lib := bundledSearcher(t)
	a := NewAnswerer(slog.New(slog.NewTextHandler(io.Discard, nil)), lib, nil, Options{})
	tests := []struct {
		kind, question string
		reason         Reason // "" when it must be answered
		evidence       string // in the answer text
	}{
		// 1. The gate: slang, typos and other names are not evidence of
		// an off-topic question; tempting off-topic ones are refused.
		{"gate", "yo whats the kremlin's deal with beijing lol", "", "China"},
		{"gate", "r they ganging up on the us ngl", "", "U.S."},
		{"gate", "r the drills just for show tbh", "", "drills"},
		{"gate", "what is the capital of russia", ReasonOffTopic, ""},
		{"gate", "who is russias prime minister", ReasonOffTopic, ""},
		{"gate", "would russia back china if it moved on taiwan", ReasonOffTopic, ""},
		{"gate", "how do i fix a flat tire", ReasonOffTopic, ""},
		{"gate", "how many soldiers were in the drills lol", ReasonNotStated, ""},
		{"gate", "who spends more on their army, in dollars", ReasonNotStated, ""},
		{"gate", "how much oil per day goes to china", ReasonNotStated, ""},
		// 2. Synonyms and aliases.
		{"alias", "does moscow sell stuff to beijing", "", "Russia"},
		{"alias", "who do they vote with at the un", "", "United Nations"},
		{"derivation", "is the russian economy ok", "", "econom"},
		// 3. Typos no stemmer fixes.
		{"typo", "is the securty partnership with chian real", "", "security partnership"},
		{"typo", "wat does the artical say about sanctons", "", "sanctions"},
		{"typo", "where do the militarys train together", "", "military"},
		{"typo", "is the econmy side important", "", "economic"},
		// 4. Extractive answers that answer: the place for where, the
		// reason for why, the summary for the article itself.
		{"where", "where do they do the drills", "", "Pacific Ocean and Central Asia"},
		{"why", "why does rusia need chian so bad", "", "keep its economy afloat"},
		{"whole", "tl;dr pls", "", "complex, multi-faceted partnership"},
		{"whole", "how does it end", "", "defining feature"},
		// 5. Other languages, offline.
		{"language", "Как Китай помогает России?", ReasonLanguage, ""},
		{"language", "¿Qué dice el artículo sobre las sanciones?", ReasonLanguage, ""},
		{"language", "中俄关系怎么样？", ReasonLanguage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.question, func(t *testing.T) {
			got, err := a.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if got.Reason != tt.reason || got.Refused != (tt.reason != "") {
				t.Fatalf("Ask(%q) = refused %v (%q) %q, want reason %q", tt.question, got.Refused, got.Reason, got.Text, tt.reason)
			}
			if tt.reason != "" {
				if len(got.Citations) != 0 || got.Text != tt.reason.Text() {
					t.Fatalf("refusal = %+v, want %q and no citations", got, tt.reason.Text())
				}
				return
			}
			if !strings.Contains(got.Text, tt.evidence) {
				t.Errorf("Ask(%q) = %q, want it to hold %q", tt.question, got.Text, tt.evidence)
			}
			if n := strings.Count(got.Text, "\u201c"); n < 1 || n > maxExtractSentences {
				t.Errorf("answer quotes %d sentences, want 1 to %d", n, maxExtractSentences)
			}
		})
	}
}
