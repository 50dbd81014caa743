package main

import (
	"os"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// TestModelFigures prints the eval figures with a model configured, the
// fake one: every answer cites passages [1] and [2], and a rewrite returns
// the question unchanged, so the figures show what the pre-model gate lets
// through, what citing the top passages scores, and what rewriting and
// history cost in tokens (the fake counts words). It is a measurement,
// not a check: run it with
//
//	ARTICLEBOT_MODEL_FIGURES=1 go test -run '^TestModelFigures$' -v ./cmd/articlebot/
func TestModelFigures(t *testing.T) {
	if os.Getenv("ARTICLEBOT_MODEL_FIGURES") == "" {
		t.Skip("set ARTICLEBOT_MODEL_FIGURES=1 to measure")
	}
	for _, rewrite := range []string{"off", "auto", "always"} {
		for _, set := range []string{"dev", "casual-dev", "conversations-dev"} {
			fake := fakeopenai.New(fakeopenai.Options{Default: fakeopenai.Behavior{EchoQuestion: true, Text: fakeopenai.DefaultAnswer}})
			code, stdout, stderr := runCLI(t, map[string]string{
				"OPENAI_BASE_URL": fake.BaseURL(), "ARTICLEBOT_REWRITE": rewrite, "ARTICLEBOT_LOG_LEVEL": "error",
			}, "eval", "../../eval/"+set+".jsonl")
			fake.Close()
			if code != 0 {
				t.Fatalf("eval %s: exit %d: %s", set, code, stderr)
			}
			calls := fake.Calls()
			// What history costs: the words (the fake's tokens) of the
			// conversation block in the answer requests that have one.
			var turns, words int
			for _, r := range fake.ChatRequests() {
				user := r.Messages[len(r.Messages)-1].Content
				if _, block, ok := strings.Cut(user, "<conversation>"); ok {
					block, _, _ = strings.Cut(block, "</conversation>")
					turns++
					words += len(strings.Fields(block)) + 8 // the block's header line and tags
				}
			}
			t.Logf("ARTICLEBOT_REWRITE=%s eval/%s.jsonl: %d model calls; %d answers with history, %.0f extra prompt tokens each\n%s",
				rewrite, set, calls, turns, float64(words)/float64(max(turns, 1)), firstLines(stdout, 13))
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
