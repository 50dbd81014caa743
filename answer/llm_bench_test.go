package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// BenchmarkGenerate measures the bot's own overhead per answer: prompt
// building, the HTTP round trip to a loopback fake with no model delay,
// SSE parsing, sanitizing the partial text after every chunk, citation
// checking and quoting. Short is a two-sentence answer; Long is about
// 1500 characters, the most a normal answer holds.
func BenchmarkGenerate(b *testing.B) {
	long := strings.Repeat("Xi first visited Moscow as president in 2013 [1]. Gas began flowing in 2019 [2]. ", 18)
	for _, bc := range []struct {
		name, text string
	}{
		{"Short", goodAnswer},
		{"Long", long},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l, _, _ := newTestLLM(b, fakeopenai.Options{Default: fakeopenai.Answer(bc.text)}, testKey, LLMOptions{}, true)
			ps := testPassages()
			question := "How did Xi's relationship with Russia start?"
			ctx := context.Background()
			partials := 0
			b.ReportAllocs()
			for b.Loop() {
				a, err := l.Generate(ctx, Request{Question: question, OnPartial: func(string) { partials++ }}, ps)
				if err != nil {
					b.Fatal(err)
				}
				if len(a.Citations) != 2 {
					b.Fatalf("got %d citations, want 2", len(a.Citations))
				}
			}
			b.ReportMetric(float64(partials)/float64(b.N), "partials/op")
			b.ReportMetric(float64(PromptChars(question, nil, ps)), "prompt-chars")
		})
	}
}
