package modelclient

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Backoff shape: full jitter over an exponential ceiling, 500 ms doubling
// to at most 8 s, and at most DefaultMaxAttempts calls so a failing server
// is not hammered when jitter happens to pick short waits.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 8 * time.Second
	// DefaultMaxAttempts is Retry.MaxAttempts when it is not set.
	DefaultMaxAttempts = 5
)

// Retry is the one retry policy of model calls: full-jitter exponential
// backoff (or the server's Retry-After), within a time budget, a number of
// attempts and ctx's deadline, each attempt bounded by a timeout. The zero
// value makes one attempt with no timeout of its own. Each caller keeps its
// own Retry, so a quick step (a query rewrite) can have a small budget while
// an answer or a reindex has a larger one.
type Retry struct {
	// Budget bounds the time spent retrying, counted from the first call
	// and including backoff: no wait may end past it, so no retry starts
	// once it is spent. Zero or negative disables retries.
	Budget time.Duration
	// Timeout bounds each attempt, as a context deadline (go-openai streams
	// must not use http.Client.Timeout). Zero means only ctx bounds it.
	Timeout time.Duration
	// MaxAttempts caps the calls, the first included. Zero means
	// DefaultMaxAttempts.
	MaxAttempts int
	// OnRetry, if not nil, is called before each retry with the number of
	// the attempt that failed (1 for the first call) and its error, so
	// callers can log and count retries.
	OnRetry func(attempt int, err error)

	// Now, Sleep and Jitter replace the clock, the wait and the random
	// backoff when not nil, so tests can run retries without waiting.
	// Jitter returns a wait in [0, ceiling].
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func(ceiling time.Duration) time.Duration
}

// Attempt is one try of a retried operation. ctx carries the attempt's
// timeout and records the server's Retry-After for the retry loop. It
// returns whether a failure may be retried (usually Retryable(err)) and the
// error.
type Attempt func(ctx context.Context, attempt int) (retry bool, err error)

// Do runs op until it succeeds or fails for good, and returns the number of
// attempts made and op's last error, unclassified. It stops retrying when op
// says so, when ctx ends (the error then wraps ctx's error too), after
// MaxAttempts, or when the next wait would end past the budget or ctx's
// deadline: it never sleeps in vain.
func (r Retry) Do(ctx context.Context, op Attempt) (int, error) {
	now := r.now()
	deadline := now.Add(r.Budget)
	maxAttempts := r.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	for attempt := 1; ; attempt++ {
		retry, hint, err := r.attempt(ctx, attempt, op)
		if err == nil || !retry {
			return attempt, err
		}
		if cerr := ctx.Err(); cerr != nil {
			return attempt, fmt.Errorf("%w: %w", cerr, err)
		}
		if r.Budget <= 0 || attempt >= maxAttempts {
			return attempt, err
		}
		wait := r.backoff(attempt, hint)
		until := r.now().Add(wait)
		if until.After(deadline) {
			return attempt, fmt.Errorf("retry budget of %v spent (next wait %v): %w", r.Budget, wait, err)
		}
		if d, ok := ctx.Deadline(); ok && until.After(d) {
			return attempt, fmt.Errorf("no time left to retry before the deadline: %w", err)
		}
		if r.OnRetry != nil {
			r.OnRetry(attempt, err)
		}
		if serr := r.sleep(ctx, wait); serr != nil {
			return attempt, fmt.Errorf("%w: %w", serr, err)
		}
	}
}

// attempt runs op once under the attempt timeout and returns its verdict
// with the Retry-After the server sent on the way.
func (r Retry) attempt(ctx context.Context, n int, op Attempt) (bool, time.Duration, error) {
	hint := &retryHint{}
	actx := withRetryHint(ctx, hint)
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(actx, r.Timeout)
		defer cancel()
	}
	retry, err := op(actx, n)
	return retry, hint.get(), err
}

// backoff is the wait after the given failed attempt: the server's hint
// when it sent one, otherwise full jitter over base*2^(attempt-1), capped.
func (r Retry) backoff(attempt int, hint time.Duration) time.Duration {
	if hint > 0 {
		return hint
	}
	ceiling := backoffMax
	if attempt-1 < 30 {
		ceiling = min(backoffBase<<(attempt-1), backoffMax)
	}
	if r.Jitter != nil {
		return r.Jitter(ceiling)
	}
	return fullJitter(ceiling)
}

func (r Retry) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r Retry) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	return sleepCtx(ctx, d)
}

func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
