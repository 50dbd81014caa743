package answer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/lexicon"
	"github.com/articlebot/articlebot/modelclient"
	"github.com/articlebot/articlebot/retrieval"
)

// bundledSearcher is the real retrieval over the bundled article.
func bundledSearcher(t testing.TB) *retrieval.Library {
	t.Helper()
	lib := retrieval.NewLibrary(retrieval.NewLocalEmbedder(), retrieval.Documents(corpus.Bundled), retrieval.Options{Lexicon: lexicon.Default()})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestAnswererWithModel runs the whole answer path, real retrieval and the
// real go-openai client against scripted fake-server behaviours, and checks
// what the person asking would see.
func TestAnswererWithModel(t *testing.T) {
	lib := bundledSearcher(t)
	const question = "What are the joint drills meant to improve?"
	tests := []struct {
		name      string
		script    []fakeopenai.Behavior
		timeout   time.Duration // per attempt; 0: 10 s, far beyond any answer here
		question  string
		mode      Mode
		refused   bool
		text      []string // substrings the answer must hold
		notText   []string // substrings it must not hold
		calls     int      // 0: any number
		noCall    bool
		fallback  bool
		reason    string // the fallback reason, when set
		usage     bool   // a fallback keeps the usage of the model's answer
		citations int    // at least
	}{
		{name: "Good", script: []fakeopenai.Behavior{fakeopenai.Good()}, mode: ModeLLM, text: []string{"[1]", "[2]"}, calls: 1, citations: 2},
		{name: "OutOfRangeCitation", script: []fakeopenai.Behavior{fakeopenai.Answer("Drills build interoperability [1]. Also this [9].")}, mode: ModeLLM, text: []string{"interoperability [1]"}, notText: []string{"[9]"}, calls: 1, citations: 1},
		{name: "NoCitations", script: []fakeopenai.Behavior{fakeopenai.NoCitations()}, mode: ModeExtractive, text: []string{NoCitationsNote, "enhance interoperability"}, notText: []string{FallbackNote}, calls: 1, fallback: true, reason: "no_citations", usage: true, citations: 1},
		{name: "RateLimitedThenOK", script: []fakeopenai.Behavior{fakeopenai.RateLimited("0"), fakeopenai.Good()}, mode: ModeLLM, text: []string{"[1]"}, calls: 2, citations: 2},
		{name: "ServerErrorEveryTime", script: []fakeopenai.Behavior{fakeopenai.ServerError(), fakeopenai.ServerError(), fakeopenai.ServerError(), fakeopenai.ServerError(), fakeopenai.ServerError()}, mode: ModeExtractive, text: []string{FallbackNote}, fallback: true, reason: "unavailable", citations: 1},
		{name: "SlowerThanTimeout", timeout: 300 * time.Millisecond, script: []fakeopenai.Behavior{fakeopenai.Slow(5 * time.Second), fakeopenai.Slow(5 * time.Second), fakeopenai.Slow(5 * time.Second), fakeopenai.Slow(5 * time.Second), fakeopenai.Slow(5 * time.Second)}, mode: ModeExtractive, text: []string{FallbackNote}, fallback: true, citations: 1},
		{name: "StreamCutBeforeText", script: []fakeopenai.Behavior{fakeopenai.CutAfter(fakeopenai.DefaultAnswer, 0), fakeopenai.Good()}, mode: ModeLLM, text: []string{"[2]"}, calls: 2, citations: 2},
		{name: "MentionsKept", script: []fakeopenai.Behavior{fakeopenai.Mentions()}, mode: ModeLLM, text: []string{"@everyone", "<@&123>"}, calls: 1, citations: 1},
		{name: "RepeatsSystemPrompt", script: []fakeopenai.Behavior{fakeopenai.EchoSystem()}, mode: ModeExtractive, text: []string{UnusableNote}, notText: []string{"Never reveal"}, calls: 1, fallback: true, reason: "prompt_leak", usage: true, citations: 1},
		{name: "ModelRefuses", script: []fakeopenai.Behavior{fakeopenai.Refusal()}, mode: ModeLLM, refused: true, text: []string{RefusalText}, calls: 1},
		{name: "OffTopicNoCall", question: "What is the tallest mountain in Africa?", mode: ModeExtractive, refused: true, text: []string{RefusalText}, noCall: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeopenai.New(fakeopenai.Options{Script: tt.script, Default: fakeopenai.ServerError()})
			t.Cleanup(fake.Close)
			// Only SlowerThanTimeout means to time out: a short timeout for
			// every case made a slow machine retry answers that were fine.
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			gen := NewLLM(slog.New(slog.NewTextHandler(io.Discard, nil)), modelclient.New(fake.BaseURL(), "", &http.Client{}), LLMOptions{
				Model: "m", Timeout: timeout, RetryBudget: 700 * time.Millisecond,
			})
			a := NewAnswerer(slog.New(slog.NewTextHandler(io.Discard, nil)), lib, gen, Options{ContextChars: 1500})
			q := tt.question
			if q == "" {
				q = question
			}
			got, err := a.Ask(context.Background(), Request{Question: q})
			if err != nil {
				t.Fatalf("Ask: %v", err)
			}
			if got.Mode != tt.mode || got.Refused != tt.refused || (got.Fallback != "") != tt.fallback {
				t.Fatalf("answer mode=%s refused=%v fallback=%q, want %s, %v, fallback %v; text %q", got.Mode, got.Refused, got.Fallback, tt.mode, tt.refused, tt.fallback, got.Text)
			}
			for _, s := range tt.text {
				if !strings.Contains(got.Text, s) {
					t.Errorf("answer %q lacks %q", got.Text, s)
				}
			}
			for _, s := range tt.notText {
				if strings.Contains(got.Text, s) {
					t.Errorf("answer %q holds %q", got.Text, s)
				}
			}
			if tt.calls > 0 && fake.Calls() != tt.calls {
				t.Errorf("model calls = %d, want %d", fake.Calls(), tt.calls)
			}
			if tt.noCall && fake.Calls() != 0 {
				t.Errorf("model calls = %d, want none", fake.Calls())
			}
			if tt.refused && len(got.Citations) != 0 {
				t.Errorf("refusal has %d citations", len(got.Citations))
			}
			if len(got.Citations) < tt.citations {
				t.Fatalf("%d citations, want at least %d", len(got.Citations), tt.citations)
			}
			for i, c := range got.Citations {
				if c.N != i+1 || c.Quote == "" || !strings.Contains(c.Text, c.Quote) {
					t.Errorf("citation %d = %+v: want n=%d and a verbatim quote of its text", i, c, i+1)
				}
			}
			if got.Mode == ModeLLM && !got.Refused && got.Usage == nil {
				t.Error("model answer without usage")
			}
			if tt.reason != "" && got.Fallback != tt.reason {
				t.Errorf("fallback reason = %q, want %q", got.Fallback, tt.reason)
			}
			if tt.fallback && tt.usage && (got.Usage == nil || got.Usage.PromptTokens == 0) {
				t.Errorf("fallback usage = %+v, want the tokens the model's answer spent", got.Usage)
			}
			if tt.fallback && !tt.usage && got.Usage != nil {
				t.Errorf("fallback usage = %+v, want none: no answer came back", got.Usage)
			}
		})
	}
}

func TestExtractOffline(t *testing.T) {
	lib := bundledSearcher(t)
	a := NewAnswerer(slog.New(slog.NewTextHandler(io.Discard, nil)), lib, nil, Options{ContextChars: 1500})
	got, err := a.Ask(context.Background(), Request{Question: "Does China still depend on Russia for its defense industry?"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Mode != ModeExtractive || got.Refused || got.Usage != nil {
		t.Fatalf("answer = %+v", got)
	}
	if !strings.Contains(got.Text, "China's own defense industry has advanced significantly") {
		t.Errorf("answer %q lacks the evidence sentence", got.Text)
	}
	if !strings.Contains(got.Text, "\u201d [1]") {
		t.Errorf("answer %q does not quote its sentences with [n]", got.Text)
	}
}

func TestSearchTextDropsCode(t *testing.T) {
	lib := bundledSearcher(t)
	a := NewAnswerer(slog.New(slog.NewTextHandler(io.Discard, nil)), lib, nil, Options{ContextChars: 1500})
	for _, q := range []string{
		"```python\nprint(leak)\n``` why does `import os` russia need china",
	} {
		got, err := a.Ask(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if got.Refused || !strings.Contains(got.Text, "massive market") {
			t.Errorf("Ask(%q) = refused %v, %q; want the massive-market answer", q, got.Refused, got.Text)
		}
		if got.Question != q {
			t.Errorf("Ask(%q).Question = %q, want it unchanged", q, got.Question)
		}
	}
}

func TestFallbackReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("x: %w", ErrModelUnavailable), "unavailable"},
		{fmt.Errorf("x: %w", ErrModelRejected), "rejected"},
		{ErrEmptyAnswer, "empty"},
		{ErrNoValidCitations, "no_citations"},
		{fmt.Errorf("stream: %w", ErrPromptLeak), "prompt_leak"},
		{errors.New("something else"), "other"},
	}
	for _, tt := range tests {
		if got := FallbackReason(tt.err); got != tt.want {
			t.Errorf("FallbackReason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestExtractQuoteIsVerbatim(t *testing.T) {
	ps := []corpus.Passage{{ID: "p1", Document: "Giant Pandas", Section: "Diet",
		Text: "Bamboo makes up 99 percent of a panda's diet. Pandas sometimes eat small animals."}}
	a := Extract("What do pandas eat?", ps)
	if len(a.Citations) != 1 {
		t.Fatalf("citations = %+v, want one", a.Citations)
	}
	if q := a.Citations[0].Quote; q == "" || !strings.Contains(ps[0].Text, q) {
		t.Fatalf("quote %q is not a verbatim part of %q", q, ps[0].Text)
	}
}
