package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/internal/fakediscord"
)

func TestStreamingEditsThrottled(t *testing.T) {
	t.Parallel()
	const interval = 200 * time.Millisecond
	h := startBot(t, Options{StreamInterval: interval}, askFunc(func(ctx context.Context, q string, onPartial func(string)) (answer.Answer, error) {
		text := ""
		for i := range 20 { // 1 s of streaming, a chunk every 50 ms
			text += "word "
			onPartial(strings.TrimSpace(text))
			if i < 19 {
				time.Sleep(50 * time.Millisecond)
			}
		}
		return simpleAnswer(ctx, q, nil)
	}))
	ctx := timeout(t, 10*time.Second)
	token := h.ask(t, ctx, "101", "Why?", false)
	r := h.waitResponse(t, ctx, token, hasEmbeds)

	if got, want := r.Original.Content, "> Why?\n\nThe article answers this [1]."; got != want {
		t.Errorf("final content = %q, want %q", got, want)
	}
	var edits []time.Time
	for _, req := range h.fake.Requests() {
		if req.Method == http.MethodPatch && strings.Contains(req.Path, "/messages/@original") {
			edits = append(edits, req.Time)
		}
	}
	// The first partial at once, at least one more after an interval of a
	// stream that lasts longer, and the final edit. How many more depends
	// on how long the stream took on this machine; the throttle itself is
	// the gap between partial edits, measured where the fake receives them
	// (the bot times the next edit from the end of the previous one).
	if n := len(edits); n < 3 {
		t.Fatalf("got %d edits, want at least 3", n)
	}
	for i := 1; i < len(edits)-1; i++ {
		if gap := edits[i].Sub(edits[i-1]); gap < interval {
			t.Errorf("partial edits %d and %d are %v apart, want at least %v", i, i+1, gap, interval)
		}
	}
}

func TestEditRetries(t *testing.T) {
	t.Parallel()
	h := startBot(t, Options{RetryBackoff: 10 * time.Millisecond}, askFunc(simpleAnswer))
	const original = "/api/v9/webhooks/*/*/messages/@original"

	t.Run("OKTransient5xx", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		h.fake.FailNext(http.MethodPatch, original, 2, http.StatusInternalServerError)
		token := h.ask(t, ctx, "201", "Why?", false)
		r := h.waitResponse(t, ctx, token, hasEmbeds)
		if !strings.Contains(r.Original.Content, "[1]") {
			t.Errorf("content = %q, want the answer", r.Original.Content)
		}
	})
	t.Run("OKAckRetried", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		h.fake.FailNext(http.MethodPost, "/api/v9/interactions/*/*/callback", 1, http.StatusInternalServerError)
		token := h.ask(t, ctx, "203", "Why?", false)
		r := h.waitResponse(t, ctx, token, hasEmbeds)
		if d := r.AckedAt.Sub(r.DispatchedAt); r.CallbackType != 5 || d > 3*time.Second {
			t.Errorf("callback type %d after %v, want a deferral within Discord's 3 s", r.CallbackType, d)
		}
	})
	t.Run("OKPersistent5xxFallsBackToFollowup", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		h.fake.FailNext(http.MethodPatch, original, 4, http.StatusServiceUnavailable)
		token := h.ask(t, ctx, "202", "Why?", false)
		r := h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return len(r.Followups) > 0 })
		if got := r.Followups[0]; !strings.Contains(got.Content, "[1]") || len(got.Embeds) != 1 {
			t.Errorf("follow-up = %+v, want the answer with sources", got)
		}
		if !strings.Contains(h.logs.String(), "couldn't edit the reply") {
			t.Error("persistent edit failure was not logged")
		}
	})
}

func TestAdmission(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	started := make(chan struct{}, 4)
	h := startBot(t, Options{Workers: 1, QueueSize: 0, RatePerMinute: 2, MaxQuestion: 50},
		askFunc(func(ctx context.Context, q string, _ func(string)) (answer.Answer, error) {
			if q == "block" {
				started <- struct{}{}
				select {
				case <-release:
				case <-ctx.Done():
					return answer.Answer{}, ctx.Err()
				}
			}
			if q == "fail" {
				return answer.Answer{}, errors.New("retrieval broke")
			}
			return simpleAnswer(ctx, q, nil)
		}))
	t.Cleanup(free)
	immediate := func(t *testing.T, ctx context.Context, token string) fakediscord.InteractionResponse {
		t.Helper()
		r := h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return r.CallbackType != 0 })
		if r.CallbackType != 4 || r.CallbackFlags != 64 {
			t.Fatalf("callback = type %d flags %d, want an ephemeral type 4", r.CallbackType, r.CallbackFlags)
		}
		return r
	}

	t.Run("Busy", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		blocked := h.ask(t, ctx, "301", "block", false)
		<-started
		r := immediate(t, ctx, h.ask(t, ctx, "302", "Why?", false))
		if got, want := r.Original.Content, busyText; got != want {
			t.Errorf("busy reply = %q, want %q", got, want)
		}
		free()
		h.waitResponse(t, ctx, blocked, hasEmbeds)
		h.idle()
	})
	t.Run("RateLimited", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		for range 2 {
			h.waitResponse(t, ctx, h.ask(t, ctx, "303", "Why?", false), hasEmbeds)
			h.idle()
		}
		r := immediate(t, ctx, h.ask(t, ctx, "303", "Why?", false))
		if want := "the limit is 2 questions a minute. Please try again in 30 seconds."; !strings.HasSuffix(r.Original.Content, want) {
			t.Errorf("rate-limit reply = %q, want it to end %q", r.Original.Content, want)
		}
	})
	t.Run("RateLimitedDM", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		for i := range 3 {
			if _, err := h.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: "3040", Author: fakediscord.User{ID: "304"}, Content: "Why?"}); err != nil {
				t.Fatalf("MessageCreate: %v", err)
			}
			// One at a time, so the third is the one limited.
			if err := h.fake.WaitFor(ctx, func([]fakediscord.Request) bool { return len(h.fake.ChannelMessages("3040")) > i }); err != nil {
				t.Fatalf("waiting for reply %d: %v", i+1, err)
			}
			h.idle()
		}
		msgs := h.fake.ChannelMessages("3040")
		if got := msgs[2].Content; !strings.Contains(got, "Please try again in") {
			t.Errorf("third DM reply = %q, want the rate-limit reply", got)
		}
	})
	t.Run("TooLongAndEmpty", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		r := immediate(t, ctx, h.ask(t, ctx, "305", strings.Repeat("x", 51), false))
		if want := "Your question is 51 characters long; the limit is 50."; !strings.HasPrefix(r.Original.Content, want) {
			t.Errorf("too-long reply = %q, want it to start %q", r.Original.Content, want)
		}
		r = immediate(t, ctx, h.ask(t, ctx, "305", " \t ", false))
		if !strings.HasPrefix(r.Original.Content, "Please include a question") {
			t.Errorf("empty-question reply = %q, want usage help", r.Original.Content)
		}
	})
	t.Run("AnswerFails", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		r := h.waitResponse(t, ctx, h.ask(t, ctx, "306", "fail", true), edited)
		if got, want := r.Original.Content, failedText; got != want || r.CallbackFlags != 64 {
			t.Errorf("failure reply = %q (flags %d), want %q, ephemeral", got, r.CallbackFlags, want)
		}
	})
}

func TestShutdown(t *testing.T) {
	t.Parallel()
	t.Run("DrainsInFlight", func(t *testing.T) {
		t.Parallel()
		release := make(chan struct{})
		var once sync.Once
		free := func() { once.Do(func() { close(release) }) }
		started := make(chan struct{}, 1)
		h := startBot(t, Options{}, askFunc(func(ctx context.Context, q string, _ func(string)) (answer.Answer, error) {
			started <- struct{}{}
			<-release
			return simpleAnswer(ctx, q, nil)
		}))
		t.Cleanup(free)
		ctx := timeout(t, 10*time.Second)
		inFlight := h.ask(t, ctx, "401", "Why?", false)
		<-started
		stopped := make(chan error, 1)
		go func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			stopped <- h.bot.Shutdown(sctx)
		}()
		for !h.bot.draining.Load() {
			time.Sleep(time.Millisecond)
		}
		if h.bot.Ready() {
			t.Error("Ready() = true while draining")
		}
		r := h.waitResponse(t, ctx, h.ask(t, ctx, "402", "Why?", false), func(r fakediscord.InteractionResponse) bool { return r.CallbackType != 0 })
		if got, want := r.Original.Content, restartText; got != want || r.CallbackFlags != 64 {
			t.Errorf("reply while draining = %q (flags %d), want %q, ephemeral", got, r.CallbackFlags, want)
		}
		free()
		if err := <-stopped; err != nil {
			t.Errorf("Shutdown = %v, want nil", err)
		}
		if r, _ := h.fake.Responses(inFlight); !hasEmbeds(r) {
			t.Errorf("in-flight answer = %+v, want it delivered before shutdown returned", r.Original)
		}
	})
	t.Run("AbandonsAtDeadline", func(t *testing.T) {
		t.Parallel()
		started := make(chan struct{}, 1)
		h := startBot(t, Options{}, askFunc(func(ctx context.Context, q string, _ func(string)) (answer.Answer, error) {
			started <- struct{}{}
			<-ctx.Done()
			return answer.Answer{}, ctx.Err()
		}))
		ctx := timeout(t, 10*time.Second)
		token := h.ask(t, ctx, "403", "Why?", false)
		<-started
		sctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := h.bot.Shutdown(sctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want a deadline error", err)
		}
		if r, _ := h.fake.Responses(token); r.Original == nil || r.Original.Content != restartText {
			t.Errorf("abandoned answer = %+v, want %q", r.Original, restartText)
		}
	})
}
