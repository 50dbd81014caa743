package answer

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/modelclient"
)

func TestGenerateRetries(t *testing.T) {
	tests := []struct {
		name        string
		script      []fakeopenai.Behavior
		def         fakeopenai.Behavior
		budget      time.Duration
		wantErr     error
		wantCalls   int
		wantWaits   []time.Duration
		wantRetries []int
	}{
		{
			name:        "HonoursRetryAfter",
			script:      []fakeopenai.Behavior{fakeopenai.RateLimited("1")},
			def:         fakeopenai.Answer(goodAnswer),
			wantCalls:   2,
			wantWaits:   []time.Duration{time.Second},
			wantRetries: []int{1},
		},
		{
			name:        "HonoursRetryAfterOn503",
			script:      []fakeopenai.Behavior{{Status: http.StatusServiceUnavailable, RetryAfter: "2"}},
			def:         fakeopenai.Answer(goodAnswer),
			wantCalls:   2,
			wantWaits:   []time.Duration{2 * time.Second},
			wantRetries: []int{1},
		},
		{
			name:        "BackoffWithoutRetryAfter",
			script:      []fakeopenai.Behavior{fakeopenai.RateLimited(""), fakeopenai.ServerError()},
			def:         fakeopenai.Answer(goodAnswer),
			wantCalls:   3,
			wantWaits:   []time.Duration{500 * time.Millisecond, time.Second},
			wantRetries: []int{1, 2},
		},
		{
			name:      "RetryAfterBeyondBudget",
			def:       fakeopenai.RateLimited("30"),
			budget:    5 * time.Second,
			wantErr:   ErrModelUnavailable,
			wantCalls: 1,
		},
		{
			name:        "StopsWithinBudget",
			def:         fakeopenai.ServerError(),
			budget:      4 * time.Second, // 0.5 + 1 + 2 = 3.5 s; the next 4 s would pass it
			wantErr:     ErrModelUnavailable,
			wantCalls:   4,
			wantWaits:   []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second},
			wantRetries: []int{1, 2, 3},
		},
		{
			name:        "StopsAtMaxAttempts",
			def:         fakeopenai.ServerError(),
			budget:      time.Hour,
			wantErr:     ErrModelUnavailable,
			wantCalls:   modelclient.DefaultMaxAttempts,
			wantWaits:   []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second},
			wantRetries: []int{1, 2, 3, 4},
		},
		{
			name:      "Disabled",
			def:       fakeopenai.ServerError(),
			budget:    -1,
			wantErr:   ErrModelUnavailable,
			wantCalls: 1,
		},
		{
			name:      "BadRequestNotRetried",
			def:       fakeopenai.Behavior{Status: http.StatusBadRequest},
			wantErr:   ErrModelRejected,
			wantCalls: 1,
		},
		{
			name:      "UnauthorizedNotRetried",
			def:       fakeopenai.Behavior{Status: http.StatusUnauthorized},
			wantErr:   ErrModelRejected,
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, fake, log := newTestLLM(t, fakeopenai.Options{Script: tt.script, Default: tt.def}, testKey, LLMOptions{RetryBudget: tt.budget}, true)
			a, err := l.Generate(context.Background(), Request{Question: "q?"}, testPassages())
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Generate error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && len(a.Citations) != 2 {
				t.Errorf("got citations %+v, want 2", a.Citations)
			}
			if got, want := fake.Calls(), tt.wantCalls; got != want {
				t.Errorf("server calls = %d, want %d", got, want)
			}
			if got, want := log.Waits(), tt.wantWaits; !slices.Equal(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
			if got, want := log.Retries(), tt.wantRetries; !slices.Equal(got, want) {
				t.Errorf("OnRetry attempts = %v, want %v", got, want)
			}
		})
	}
}

// TestGenerateRetryRealClock runs the real sleep, clock and jitter once.
func TestGenerateRetryRealClock(t *testing.T) {
	l, fake, log := newTestLLM(t, fakeopenai.Options{
		Script:  []fakeopenai.Behavior{fakeopenai.RateLimited("0.05")},
		Default: fakeopenai.Answer(goodAnswer),
	}, testKey, LLMOptions{}, false)
	start := time.Now()
	if _, err := l.Generate(context.Background(), Request{Question: "q?"}, testPassages()); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if got, want := fake.Calls(), 2; got != want {
		t.Errorf("server calls = %d, want %d", got, want)
	}
	if got, want := log.Retries(), []int{1}; !slices.Equal(got, want) {
		t.Errorf("OnRetry attempts = %v, want %v", got, want)
	}
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond {
		t.Errorf("Generate took %v, want it to wait out Retry-After 0.05 s", elapsed)
	}
}

func TestGenerateContext(t *testing.T) {
	t.Run("CancelStopsRetries", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Real sleep: the cancel must end the backoff wait at once.
		l, fake, _ := newTestLLM(t, fakeopenai.Options{Default: fakeopenai.RateLimited("10")}, testKey,
			LLMOptions{OnRetry: func(int, error) { cancel() }}, false)
		start := time.Now()
		_, err := l.Generate(ctx, Request{Question: "q?"}, testPassages())
		if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrModelUnavailable) {
			t.Fatalf("Generate error = %v, want context.Canceled and ErrModelUnavailable", err)
		}
		if got, want := fake.Calls(), 1; got != want {
			t.Errorf("server calls = %d, want %d", got, want)
		}
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("Generate took %v after cancel, want it to stop waiting", elapsed)
		}
	})
	t.Run("CancelledBeforeCall", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		l, _, log := newTestLLM(t, fakeopenai.Options{Default: fakeopenai.Answer(goodAnswer)}, testKey, LLMOptions{}, true)
		_, err := l.Generate(ctx, Request{Question: "q?"}, testPassages())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Generate error = %v, want context.Canceled", err)
		}
		if got := log.Retries(); len(got) != 0 {
			t.Errorf("retried %v after cancel", got)
		}
	})
	t.Run("DeadlineBeforeRetryAfter", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		l, fake, log := newTestLLM(t, fakeopenai.Options{Default: fakeopenai.RateLimited("10")}, testKey, LLMOptions{}, false)
		_, err := l.Generate(ctx, Request{Question: "q?"}, testPassages())
		if !errors.Is(err, ErrModelUnavailable) {
			t.Fatalf("Generate error = %v, want ErrModelUnavailable", err)
		}
		if ctx.Err() != nil {
			t.Errorf("Generate slept until the deadline, want it to give up at once")
		}
		if got, want := fake.Calls(), 1; got != want {
			t.Errorf("server calls = %d, want %d", got, want)
		}
		if got := log.Retries(); len(got) != 0 {
			t.Errorf("retried %v though the wait would pass the deadline", got)
		}
	})
	t.Run("CancelWhileStreamingShownText", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		l, fake, _ := newTestLLM(t, fakeopenai.Options{Default: fakeopenai.Paced(goodAnswer, 10*time.Second)}, testKey, LLMOptions{}, true)
		_, err := l.Generate(ctx, Request{Question: "q?", OnPartial: func(string) { cancel() }}, testPassages())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Generate error = %v, want context.Canceled, not a truncated answer", err)
		}
		if got, want := fake.Calls(), 1; got != want {
			t.Errorf("server calls = %d, want %d", got, want)
		}
	})
	t.Run("AttemptTimeoutAfterShownTextTruncates", func(t *testing.T) {
		text := "Xi visited Moscow in 2013 [1]." + strings.Repeat(" More words follow here.", 20)
		// The first partial text shows after about an eighth of the stream
		// (partialStep of about 500 bytes): 1 s, well before the 3 s
		// timeout even on a loaded machine, which 190 ms against 400 ms
		// was not.
		l, fake, _ := newTestLLM(t, fakeopenai.Options{Default: fakeopenai.Paced(text, 8*time.Second)}, testKey,
			LLMOptions{Timeout: 3 * time.Second}, true)
		var seen partials
		a, err := l.Generate(context.Background(), Request{Question: "q?", OnPartial: seen.add}, testPassages())
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if !a.Truncated || !strings.HasPrefix(a.Text, "Xi visited Moscow in 2013 [1].") || !strings.HasSuffix(a.Text, TruncatedNote) {
			t.Errorf("Generate = %q (Truncated %v), want the shown text marked as cut short", a.Text, a.Truncated)
		}
		if got, want := fake.Calls(), 1; got != want {
			t.Errorf("server calls = %d, want %d: text was shown, so no retry", got, want)
		}
	})
}

// TestGenerateTokenCapFallback checks that a server refusing the token-cap
// field sent costs one extra request, not the answer, and only once.
func TestGenerateTokenCapFallback(t *testing.T) {
	tests := []struct {
		name  string
		fopts fakeopenai.Options
		model string
	}{
		{"ReasoningServerRejectsMaxTokens", fakeopenai.Options{RejectMaxTokens: true}, "gpt-4o-mini"},
		{"OlderServerRejectsMaxCompletionTokens", fakeopenai.Options{RejectMaxCompletionTokens: true}, "o4-mini"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fopts.Default = fakeopenai.Answer(goodAnswer)
			l, fake, log := newTestLLM(t, tt.fopts, testKey, LLMOptions{Model: tt.model, MaxTokens: 300}, true)
			for i := range 2 {
				a, err := l.Generate(context.Background(), Request{Question: "q?"}, testPassages())
				if err != nil || len(a.Citations) != 2 {
					t.Fatalf("Generate %d = %+v, %v; want an answer with 2 citations", i+1, a, err)
				}
			}
			if got, want := fake.Calls(), 3; got != want {
				t.Errorf("server calls = %d, want %d (one refused, then the other field twice)", got, want)
			}
			if got := log.Retries(); len(got) != 0 {
				t.Errorf("OnRetry attempts = %v, want none: the fallback is not a retry", got)
			}
		})
	}
}
