package modelclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

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

type renameCapKey struct{}

// withRenamedCap marks a request whose body must carry its cap as
// max_tokens although go-openai serialised it as max_completion_tokens:
// go-openai refuses MaxTokens for o1/o3/o4/gpt-5 names before sending
// anything, but a server that knows only max_tokens may host such a name.
func withRenamedCap(ctx context.Context) context.Context {
	return context.WithValue(ctx, renameCapKey{}, true)
}

// transport records the Retry-After of each response into the retryHint of
// its request's context, if any, and renames the token cap of requests
// marked by withRenamedCap.
type transport struct {
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if rename, _ := req.Context().Value(renameCapKey{}).(bool); rename && req.Body != nil {
		r, err := renameCap(req)
		if err != nil {
			return nil, err
		}
		req = r
	}
	resp, err := t.base.RoundTrip(req)
	if h, ok := req.Context().Value(retryHintKey{}).(*retryHint); ok && resp != nil {
		h.set(parseRetryAfter(resp.Header, time.Now()))
	}
	return resp, err
}

// renameCap returns a copy of req whose JSON body has max_tokens in place
// of max_completion_tokens. It consumes req's body, as a RoundTripper may.
func renameCap(req *http.Request) (*http.Request, error) {
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("couldn't read request body: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("couldn't rename the token cap: %w", err)
	}
	if v, ok := fields[fieldMaxCompletionTokens]; ok {
		delete(fields, fieldMaxCompletionTokens)
		fields[fieldMaxTokens] = v
	}
	if body, err = json.Marshal(fields); err != nil {
		return nil, fmt.Errorf("couldn't rename the token cap: %w", err)
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return r, nil
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
