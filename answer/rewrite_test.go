package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/modelclient"
	"github.com/articlebot/articlebot/retrieval"
)

// modelAnswerer returns an Answerer over the bundled article whose model
// and rewriter are the real LLM against a fake server following script.
func modelAnswerer(t *testing.T, lib *retrieval.Library, mode RewriteMode, script ...fakeopenai.Behavior) (*Answerer, *fakeopenai.Server) {
	t.Helper()
	fake := fakeopenai.New(fakeopenai.Options{Script: script, Default: fakeopenai.ServerError()})
	t.Cleanup(fake.Close)
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	llm := NewLLM(lg, modelclient.New(fake.BaseURL(), "", &http.Client{}), LLMOptions{
		Model: "m", Timeout: 2 * time.Second, RetryBudget: -1,
	})
	return NewAnswerer(lg, lib, llm, Options{ContextChars: 1500, Rewriter: llm, Rewrite: mode}), fake
}

func TestRewrite(t *testing.T) {
	lib := bundledSearcher(t)
	const russian = "Почему Россия продаёт столько нефти Китаю?"
	const english = "Why does Russia sell so much oil to China?"
	tests := []struct {
		name      string
		mode      RewriteMode
		question  string
		script    []fakeopenai.Behavior
		calls     int    // chat requests in all
		rewritten bool   // the first request is the rewrite
		reason    Reason // "" when answered
		text      string // the answer holds it
	}{
		// The rewrite finds the passages; the answer is written from the
		// member's own question, in their language.
		{name: "ForeignRewritten", mode: RewriteAuto, question: russian,
			script: []fakeopenai.Behavior{fakeopenai.Answer(english), fakeopenai.Answer("Китай — огромный рынок для российской нефти [1].")},
			calls:  2, rewritten: true, text: "огромный рынок"},
		{name: "EnglishNotRewrittenInAuto", mode: RewriteAuto, question: "why does russia sell oil to china",
			script: []fakeopenai.Behavior{fakeopenai.Answer("China is a massive market [1].")},
			calls:  1, text: "massive market"},
		{name: "Always", mode: RewriteAlways, question: "y does rusia sell chian all that oil lol",
			script: []fakeopenai.Behavior{fakeopenai.Answer(english), fakeopenai.Answer("China is a massive market [1].")},
			calls:  2, rewritten: true, text: "massive market"},
		// A failed rewrite searches the question as asked.
		{name: "FailureFallsBack", mode: RewriteAlways, question: "why does russia sell oil to china",
			script: []fakeopenai.Behavior{fakeopenai.ServerError(), fakeopenai.ServerError(), fakeopenai.Answer("China is a massive market [1].")},
			calls:  3, rewritten: true, text: "massive market"},
		{name: "UnusableReplyFallsBack", mode: RewriteAlways, question: "why does russia sell oil to china",
			script: []fakeopenai.Behavior{fakeopenai.Refusal(), fakeopenai.Answer("China is a massive market [1].")},
			calls:  2, rewritten: true, text: "massive market"},
		// A foreign question whose rewrite failed can't be searched.
		{name: "ForeignFailureRefused", mode: RewriteAuto, question: russian,
			script: []fakeopenai.Behavior{fakeopenai.ServerError(), fakeopenai.ServerError()},
			calls:  2, rewritten: true, reason: ReasonLanguage, text: LanguageText},
		{name: "OffNeverCalls", mode: RewriteOff, question: russian,
			calls: 0, reason: ReasonLanguage, text: LanguageText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := modelAnswerer(t, lib, tt.mode, tt.script...)
			got, err := a.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			reqs := fake.ChatRequests()
			if len(reqs) != tt.calls {
				t.Fatalf("chat requests = %d, want %d", len(reqs), tt.calls)
			}
			if tt.rewritten {
				if sys := reqs[0].Messages[0].Content; sys != rewritePrompt {
					t.Errorf("first request's system message = %q, want the rewrite prompt", sys)
				}
				if reqs[0].Stream || !strings.Contains(reqs[0].Messages[1].Content, tt.question) {
					t.Errorf("rewrite request = %+v, want a non-streamed call holding the question", reqs[0])
				}
			}
			if got.Reason != tt.reason || got.Refused != (tt.reason != "") {
				t.Fatalf("answer = %+v, want reason %q", got, tt.reason)
			}
			if !strings.Contains(got.Text, tt.text) {
				t.Errorf("answer %q lacks %q", got.Text, tt.text)
			}
			if tt.reason != "" {
				return
			}
			last := reqs[len(reqs)-1]
			if user := last.Messages[1].Content; !strings.HasSuffix(strings.TrimSpace(user), tt.question) {
				t.Errorf("answer request ends %q, want the member's own question", user[max(0, len(user)-80):])
			}
			if !strings.Contains(last.Messages[0].Content, "language the question is written in") {
				t.Error("the system prompt doesn't ask for the question's language")
			}
			if len(got.Citations) == 0 || got.Usage == nil {
				t.Fatalf("answer = %+v, want citations and usage", got)
			}
			if tt.rewritten && tt.calls == 2 && got.Usage.PromptTokens <= 0 {
				t.Errorf("usage %+v lacks the rewrite's tokens", got.Usage)
			}
		})
	}
}

// TestModelGateSendsCasualQuestions: with a model configured, no English
// on-topic question of the casual dev set is refused before the model is
// called, and a model that says the passages don't answer gives a
// refusal with reason model_declined.
func TestModelGateSendsCasualQuestions(t *testing.T) {
	lib := bundledSearcher(t)
	f, err := os.Open("../eval/casual-dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct {
			ID, Question, Kind string
			Offtopic           bool
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatal(err)
		}
		if q.Offtopic || q.Kind == "foreign" {
			continue
		}
		n++
		t.Run(q.ID, func(t *testing.T) {
			a, fake := modelAnswerer(t, lib, RewriteOff, fakeopenai.Refusal())
			got, err := a.Ask(context.Background(), Request{Question: q.Question})
			if err != nil {
				t.Fatal(err)
			}
			if fake.Calls() != 1 {
				t.Fatalf("Ask(%q): %d model calls, want the question sent to the model", q.Question, fake.Calls())
			}
			if !got.Refused || got.Reason != ReasonModelDeclined || len(got.Citations) != 0 || got.Mode != ModeLLM {
				t.Fatalf("declined answer = %+v, want a model_declined refusal without citations", got)
			}
		})
	}
	if n != 32 {
		t.Fatalf("asked %d English on-topic questions, want the set's 32", n)
	}
}

// TestModelGateRefusesUnmatched: a question nothing in the index matches
// is refused without a model call.
func TestModelGateRefusesUnmatched(t *testing.T) {
	lib := bundledSearcher(t)
	for _, q := range []string{"how long should i marinate chicken thighs", "best elden ring class for a noob?", "What is 17 times 23?"} {
		a, fake := modelAnswerer(t, lib, RewriteOff, fakeopenai.Good())
		got, err := a.Ask(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if fake.Calls() != 0 || got.Reason != ReasonOffTopic {
			t.Errorf("Ask(%q) = %+v after %d calls, want an off_topic refusal and no call", q, got, fake.Calls())
		}
	}
}
