package modelclient

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// fakeClock makes a Retry record its waits instead of sleeping, advance a
// fake clock by them, and use the full backoff ceiling as the jitter, so
// attempt counts are deterministic. It also records OnRetry calls.
type fakeClock struct {
	mu      sync.Mutex
	offset  time.Duration
	waits   []time.Duration
	retries []int
}

// install sets r's clock, sleep, jitter and OnRetry to the fake ones.
func (c *fakeClock) install(r *Retry) {
	r.Now = func() time.Time {
		c.mu.Lock()
		defer c.mu.Unlock()
		return time.Now().Add(c.offset)
	}
	r.Sleep = func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.offset += d
		c.waits = append(c.waits, d)
		return ctx.Err()
	}
	r.Jitter = func(ceiling time.Duration) time.Duration { return ceiling }
	r.OnRetry = func(attempt int, _ error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.retries = append(c.retries, attempt)
	}
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

func (c *fakeClock) Retries() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.retries)
}

// step is one scripted attempt of TestDo: its error and Retry-After.
type step struct {
	err  error
	hint time.Duration
}

func TestDo(t *testing.T) {
	unavailable := &openai.APIError{HTTPStatusCode: 503}
	tests := []struct {
		name         string
		retry        Retry
		steps        []step // the last one repeats
		wantAttempts int
		wantErr      bool
		wantWaits    []time.Duration
	}{
		{"OK", Retry{Budget: time.Minute}, []step{{}}, 1, false, nil},
		{"RetryAfter", Retry{Budget: time.Minute}, []step{{unavailable, 2 * time.Second}, {}}, 2, false, []time.Duration{2 * time.Second}},
		{"Backoff", Retry{Budget: time.Minute}, []step{{unavailable, 0}, {unavailable, 0}, {}}, 3, false,
			[]time.Duration{500 * time.Millisecond, time.Second}},
		{"NotRetryable", Retry{Budget: time.Minute}, []step{{&openai.APIError{HTTPStatusCode: 401}, 0}}, 1, true, nil},
		{"Disabled", Retry{}, []step{{unavailable, 0}}, 1, true, nil},
		{"MaxAttempts", Retry{Budget: time.Hour, MaxAttempts: 3}, []step{{unavailable, 0}}, 3, true,
			[]time.Duration{500 * time.Millisecond, time.Second}},
		{"DefaultMaxAttempts", Retry{Budget: time.Hour}, []step{{unavailable, 0}}, DefaultMaxAttempts, true,
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}},
		{"BudgetSpent", Retry{Budget: 4 * time.Second}, []step{{unavailable, 0}}, 4, true,
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}},
		{"RetryAfterPastBudget", Retry{Budget: 5 * time.Second}, []step{{unavailable, 30 * time.Second}}, 1, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var clock fakeClock
			r := tt.retry
			clock.install(&r)
			attempts, err := r.Do(context.Background(), func(ctx context.Context, n int) (bool, error) {
				s := tt.steps[min(n-1, len(tt.steps)-1)]
				ctx.Value(retryHintKey{}).(*retryHint).set(s.hint)
				return Retryable(s.err), s.err
			})
			if got, want := attempts, tt.wantAttempts; got != want {
				t.Errorf("attempts = %d, want %d", got, want)
			}
			if got, want := err != nil, tt.wantErr; got != want {
				t.Errorf("Do error = %v, want error %v", err, want)
			}
			if got, want := clock.Waits(), tt.wantWaits; !slices.Equal(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
			if got, want := len(clock.Retries()), len(tt.wantWaits); got != want {
				t.Errorf("OnRetry calls = %d, want %d", got, want)
			}
		})
	}
}

func TestDoContext(t *testing.T) {
	unavailable := &openai.APIError{HTTPStatusCode: 503}
	t.Run("AttemptTimeout", func(t *testing.T) {
		r := Retry{Timeout: 20 * time.Millisecond}
		_, err := r.Do(context.Background(), func(ctx context.Context, _ int) (bool, error) {
			<-ctx.Done()
			return true, ctx.Err()
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Do error = %v, want the attempt's deadline", err)
		}
	})
	t.Run("CancelStopsWait", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		r := Retry{Budget: time.Minute, OnRetry: func(int, error) { cancel() }}
		start := time.Now()
		attempts, err := r.Do(ctx, func(ctx context.Context, _ int) (bool, error) {
			ctx.Value(retryHintKey{}).(*retryHint).set(10 * time.Second)
			return true, unavailable
		})
		if !errors.Is(err, context.Canceled) || !errors.Is(err, unavailable) {
			t.Fatalf("Do error = %v, want context.Canceled and the last error", err)
		}
		if attempts != 1 || time.Since(start) > 5*time.Second {
			t.Errorf("Do made %d attempts in %v, want 1 and no long wait", attempts, time.Since(start))
		}
	})
	t.Run("WaitPastDeadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var clock fakeClock
		r := Retry{Budget: time.Minute}
		clock.install(&r)
		attempts, err := r.Do(ctx, func(ctx context.Context, _ int) (bool, error) {
			ctx.Value(retryHintKey{}).(*retryHint).set(10 * time.Second)
			return true, unavailable
		})
		if err == nil || attempts != 1 || len(clock.Waits()) != 0 {
			t.Errorf("Do = %d attempts, %v, waits %v; want one attempt and no wait past the deadline", attempts, err, clock.Waits())
		}
	})
}

func TestBackoff(t *testing.T) {
	r := Retry{Jitter: func(ceiling time.Duration) time.Duration { return ceiling }}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := r.backoff(i+1, 0); got != w {
			t.Errorf("backoff(%d, 0) = %v, want %v", i+1, got, w)
		}
	}
	if got, want := r.backoff(1, 3*time.Second), 3*time.Second; got != want {
		t.Errorf("backoff with Retry-After = %v, want %v", got, want)
	}
	if got := r.backoff(100, 0); got != backoffMax {
		t.Errorf("backoff(100, 0) = %v, want %v", got, backoffMax)
	}
	for range 100 {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %v, want within [0, 1s]", d)
		}
	}
}
