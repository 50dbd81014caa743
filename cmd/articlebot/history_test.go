package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAskHistory checks the --history contract of ask and search: earlier
// turns as a JSON array, "answer" optional, mistakes are usage errors.
func TestAskHistory(t *testing.T) {
	energy := writeFile(t, "energy.json", `[{"question": "what does russia sell china for energy"}]`)
	withAnswer := writeFile(t, "answered.json", `[{"question": "why does russia need china", "answer": "China is a massive market for Russian oil and gas [1]."}]`)
	tests := []struct {
		name     string
		args     []string
		code     int
		refused  bool
		evidence string // in the answer, or the top search result
		stderr   string
	}{
		{name: "FollowUpFindsTopic", args: []string{"ask", "--json", "--history", energy, "and what does china get out of it?"}, evidence: "energy"},
		{name: "WhyContinues", args: []string{"ask", "--json", "--history", withAnswer, "why?"}, evidence: "Russia"},
		{name: "OffTopicFollowUpRefused", args: []string{"ask", "--json", "--history", withAnswer, "ok unrelated but how do i bake sourdough bread"}, refused: true},
		{name: "SourceWithoutCitationsSearchesAgain", args: []string{"ask", "--json", "--history", withAnswer, "source?"}, evidence: "massive market"},
		{name: "SearchFollowUp", args: []string{"search", "--history", energy, "-k", "1", "and china?"}, evidence: "energy"},
		{name: "Missing", args: []string{"ask", "--history", filepath.Join(t.TempDir(), "nope.json"), "why?"}, code: 2, stderr: "--history"},
		{name: "NotAnArray", args: []string{"ask", "--history", writeFile(t, "obj.json", `{"question": "x"}`), "why?"}, code: 2, stderr: "JSON array"},
		{name: "UnknownField", args: []string{"ask", "--history", writeFile(t, "extra.json", `[{"question": "x", "asker": "me"}]`), "why?"}, code: 2, stderr: "asker"},
		{name: "EmptyQuestion", args: []string{"search", "--history", writeFile(t, "empty.json", `[{"question": " "}]`), "why?"}, code: 2, stderr: "turn 1 has no question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, map[string]string{}, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr)
			}
			if tt.code != 0 {
				if !strings.Contains(stderr, tt.stderr) {
					t.Fatalf("stderr %q lacks %q", stderr, tt.stderr)
				}
				return
			}
			if tt.args[0] == "search" {
				if !strings.Contains(stdout, tt.evidence) {
					t.Fatalf("search output %q lacks %q", stdout, tt.evidence)
				}
				return
			}
			var a askJSON
			decodeOne(t, stdout, &a)
			if a.Refused != tt.refused {
				t.Fatalf("answer = %+v, want refused=%v", a, tt.refused)
			}
			if tt.refused {
				return
			}
			checkCitations(t, a)
			if !strings.Contains(a.Answer, tt.evidence) {
				t.Fatalf("answer %q lacks %q", a.Answer, tt.evidence)
			}
		})
	}
}

// TestChat drives the interactive session: a question, a follow-up that
// asks for the sources (shown again, no new search), /new, and the end.
func TestChat(t *testing.T) {
	var stdout, stderr bytes.Buffer
	in := strings.NewReader("why does russia need china\nsource pls\n/new\nsource?\n/quit\n")
	env := map[string]string{"ARTICLEBOT_DATA_DIR": t.TempDir()}
	err := run(context.Background(), []string{"chat"}, func(k string) string { return env[k] }, in, &stdout, &stderr)
	if err != nil {
		t.Fatalf("chat: %v; stderr %s", err, stderr.String())
	}
	out := stdout.String()
	answers := strings.Split(out, "> ")
	if len(answers) < 5 {
		t.Fatalf("chat output has %d prompts, want 5:\n%s", len(answers), out)
	}
	if !strings.Contains(answers[1], "massive market") || !strings.Contains(answers[1], "Sources:") {
		t.Errorf("first answer %q lacks the evidence or its sources", answers[1])
	}
	if !strings.Contains(answers[2], "Here is what my last answer was based on") || !strings.Contains(answers[2], "massive market") {
		t.Errorf("source follow-up %q doesn't show the last answer's sources", answers[2])
	}
	if !strings.Contains(answers[3], "new conversation") {
		t.Errorf("/new said %q", answers[3])
	}
	if strings.Contains(answers[4], "last answer") {
		t.Errorf("after /new, source? %q still used the old conversation", answers[4])
	}
}
