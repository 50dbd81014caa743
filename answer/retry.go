package answer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Backoff shape: full jitter over an exponential ceiling, 500 ms doubling
// to at most 8 s, and at most maxAttempts calls per question so a failing
// server is not hammered when jitter happens to pick short waits.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 8 * time.Second
	maxAttempts = 5
)

// retryPolicy runs an operation again after transient failures. Its clock,
// sleep and jitter are fields so tests can run it without waiting.
type retryPolicy struct {
	budget      time.Duration // no wait may end past start+budget; <= 0: no retries
	base, max   time.Duration
	maxAttempts int
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error
	jitter      func(ceiling time.Duration) time.Duration
	onRetry     func(attempt int, err error)
}

func newRetryPolicy(budget time.Duration, onRetry func(int, error)) retryPolicy {
	return retryPolicy{
		budget: budget, base: backoffBase, max: backoffMax, maxAttempts: maxAttempts,
		now: time.Now, sleep: sleepCtx, jitter: fullJitter, onRetry: onRetry,
	}
}

// attemptFunc is one try of a retried operation. It returns the server's
// Retry-After hint (0 if none), whether a failure may be retried, and the
// error.
type attemptFunc func(ctx context.Context, attempt int) (hint time.Duration, retry bool, err error)

// do runs op until it succeeds or fails for good, and returns the number
// of attempts made and op's last error. It stops retrying when op says so,
// when ctx ends, after maxAttempts, or when the next wait would end past
// the budget or ctx's deadline: it never sleeps in vain.
func (p retryPolicy) do(ctx context.Context, op attemptFunc) (int, error) {
	deadline := p.now().Add(p.budget)
	for attempt := 1; ; attempt++ {
		hint, retry, err := op(ctx, attempt)
		if err == nil || !retry {
			return attempt, err
		}
		if cerr := ctx.Err(); cerr != nil {
			return attempt, fmt.Errorf("%w: %w", cerr, err)
		}
		if p.budget <= 0 || attempt >= p.maxAttempts {
			return attempt, err
		}
		wait := p.backoff(attempt, hint)
		until := p.now().Add(wait)
		if until.After(deadline) {
			return attempt, fmt.Errorf("retry budget of %v spent (next wait %v): %w", p.budget, wait, err)
		}
		if d, ok := ctx.Deadline(); ok && until.After(d) {
			return attempt, fmt.Errorf("no time left to retry before the deadline: %w", err)
		}
		if p.onRetry != nil {
			p.onRetry(attempt, err)
		}
		if serr := p.sleep(ctx, wait); serr != nil {
			return attempt, fmt.Errorf("%w: %w", serr, err)
		}
	}
}

// backoff is the wait after the given failed attempt: the server's hint
// when it sent one, otherwise full jitter over base*2^(attempt-1), capped.
func (p retryPolicy) backoff(attempt int, hint time.Duration) time.Duration {
	if hint > 0 {
		return hint
	}
	ceiling := p.max
	if attempt-1 < 30 {
		ceiling = min(p.base<<(attempt-1), p.max)
	}
	return p.jitter(ceiling)
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

// retryable reports whether err is worth another attempt: rate limits,
// server errors, error events inside a stream, connection failures, cut
// streams and attempt timeouts. Other 4xx responses and request errors are
// not.
func retryable(err error) bool {
	if code, ok := statusCode(err); ok {
		return code == 0 || code == http.StatusTooManyRequests || code >= 500
	}
	var netErr net.Error
	var urlErr *url.Error
	return errors.Is(err, errStreamCut) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &netErr) ||
		errors.As(err, &urlErr)
}

// statusCode returns the HTTP status of a go-openai error; 0 for an error
// event inside a stream.
func statusCode(err error) (int, bool) {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode, true
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode, true
	}
	return 0, false
}

// failureKind returns the sentinel that explains a failed model call:
// ErrModelRejected for a 4xx other than 429, ErrModelUnavailable otherwise.
func failureKind(err error) error {
	if code, ok := statusCode(err); ok && code >= 400 && code < 500 && code != http.StatusTooManyRequests {
		return ErrModelRejected
	}
	return ErrModelUnavailable
}

// retryHint carries the Retry-After of the latest response of one attempt
// from the transport, which sees headers, to the retry loop, which sees
// only go-openai's errors (they drop the headers).
type retryHint struct {
	mu sync.Mutex
	d  time.Duration
}

func (h *retryHint) set(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.d = d
}

func (h *retryHint) get() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.d
}

type retryHintKey struct{}

func withRetryHint(ctx context.Context, h *retryHint) context.Context {
	return context.WithValue(ctx, retryHintKey{}, h)
}

// hintTransport records the Retry-After of each response into the
// retryHint of its request's context, if any.
type hintTransport struct {
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t hintTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if h, ok := req.Context().Value(retryHintKey{}).(*retryHint); ok && resp != nil {
		h.set(parseRetryAfter(resp.Header, time.Now()))
	}
	return resp, err
}

// maxRetryAfter ignores absurd hints; the budget check then gives up.
const maxRetryAfter = time.Hour

// parseRetryAfter reads "retry-after-ms" (sent by OpenAI) or "Retry-After"
// in seconds or as an HTTP date. It returns 0 when neither is usable.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if ms, err := strconv.ParseFloat(h.Get("Retry-After-Ms"), 64); err == nil && ms > 0 {
		return min(time.Duration(ms*float64(time.Millisecond)), maxRetryAfter)
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return min(time.Duration(secs*float64(time.Second)), maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return 0
}
