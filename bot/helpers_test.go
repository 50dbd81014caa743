package bot

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/retrieval"
)

// testToken has the shape of a real bot token.
const testToken = "MTAwMDAwMDAwMDAwMDAwMDAw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123"

// askFunc is an Asker made of a function: the tests' scripted answerer.
type askFunc func(ctx context.Context, question string, onPartial func(string)) (answer.Answer, error)

func (f askFunc) Ask(ctx context.Context, req answer.Request) (answer.Answer, error) {
	return f(ctx, req.Question, req.OnPartial)
}

// simpleAnswer answers every question with one cited sentence.
func simpleAnswer(_ context.Context, q string, _ func(string)) (answer.Answer, error) {
	return answer.Answer{
		Question: q, Text: "The article answers this [1].", Mode: answer.ModeExtractive,
		Citations: []answer.Citation{{N: 1, Section: "Section", Quote: "A quote."}},
	}, nil
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// library returns a Library serving the bundled article from memory.
func library(t *testing.T) *retrieval.Library {
	t.Helper()
	lib := retrieval.NewLibrary(retrieval.NewLocalEmbedder(), retrieval.Documents(corpus.Bundled), retrieval.Options{})
	if _, err := lib.Open(context.Background(), nil); err != nil {
		t.Fatalf("open library: %v", err)
	}
	return lib
}

// harness is a started Bot against a fake Discord.
type harness struct {
	fake *fakediscord.Server
	bot  *Bot
	logs *syncBuffer
}

// startBot starts a Bot with opt and asker against a new fake Discord.
// Cleanup shuts the bot down before the fake closes, and checks that
// nothing the bot sent could ping anyone and that the logs hold no token.
func startBot(t *testing.T, opt Options, asker Asker) *harness {
	t.Helper()
	return startBotWith(t, opt, asker, library(t))
}

// startBotWith is startBot serving lib.
func startBotWith(t *testing.T, opt Options, asker Asker, lib Library) *harness {
	t.Helper()
	fake := fakediscord.New(fakediscord.Options{Token: testToken})
	t.Cleanup(fake.Close)
	base, err := url.Parse(fake.URL())
	if err != nil {
		t.Fatalf("parse fake URL: %v", err)
	}
	s, err := NewSession(testToken, base)
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	logs := &syncBuffer{}
	lg := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b := New(lg, s, asker, lib, opt)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.Shutdown(ctx)
		if unsafe := fake.UnsafeMentions(); len(unsafe) != 0 {
			t.Errorf("%d requests without allowed_mentions parse [], first %s %s", len(unsafe), unsafe[0].Method, unsafe[0].Path)
		}
		for _, r := range fake.Requests() {
			if p := liveMentionRE.Find(r.Body); r.CarriesContent && p != nil {
				t.Errorf("%s %s carries a live %q", r.Method, r.Path, p)
			}
		}
		if strings.Contains(logs.String(), testToken) {
			t.Error("logs contain the bot token")
		}
	})
	ctx := timeout(t, 5*time.Second)
	if err := b.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	return &harness{fake: fake, bot: b, logs: logs}
}

func timeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// ask dispatches /ask from user in guild "9" and returns the token.
func (h *harness) ask(t *testing.T, ctx context.Context, user, question string, private bool) string {
	t.Helper()
	opts := []fakediscord.Option{{Name: optQuestion, Value: question}}
	if private {
		opts = append(opts, fakediscord.Option{Name: optPrivate, Value: true})
	}
	_, token, err := h.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: cmdAsk, GuildID: "9", User: fakediscord.User{ID: user}, Options: opts,
	})
	if err != nil {
		t.Fatalf("InteractionCreate: %v", err)
	}
	return token
}

// waitResponse waits until cond holds for the interaction's response.
func (h *harness) waitResponse(t *testing.T, ctx context.Context, token string, cond func(fakediscord.InteractionResponse) bool) fakediscord.InteractionResponse {
	t.Helper()
	var last fakediscord.InteractionResponse
	err := h.fake.WaitFor(ctx, func([]fakediscord.Request) bool {
		last, _ = h.fake.Responses(token)
		return cond(last)
	})
	if err != nil {
		t.Fatalf("waiting for response: %v; last = %+v", err, last)
	}
	return last
}

// edited reports whether the deferred response has been edited.
func edited(r fakediscord.InteractionResponse) bool {
	return r.Original != nil && r.Original.Edits > 0
}

// hasEmbeds reports whether the original response carries embeds.
func hasEmbeds(r fakediscord.InteractionResponse) bool {
	return r.Original != nil && len(r.Original.Embeds) > 0
}

// idle waits until no question holds a queue slot: a slot frees just
// after its answer is sent, so a test asking one question after another
// on a one-worker bot must wait for it.
func (h *harness) idle() {
	for h.bot.InFlight() > 0 {
		time.Sleep(time.Millisecond)
	}
}
