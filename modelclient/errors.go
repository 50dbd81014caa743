package modelclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"

	openai "github.com/sashabaranov/go-openai"
)

// Classes of failed model calls, checked with errors.Is on the errors of
// Complete and Embed and on the result of Classify.
var (
	// ErrUnavailable: the server could not be reached or did not answer in
	// time: connection errors, timeouts, cut streams, cancellations, and
	// 429 or 5xx responses that persisted through the retry budget.
	ErrUnavailable = errors.New("language model unavailable")
	// ErrRejected: the server refused the request with a 4xx other than
	// 429, such as a bad API key or an unknown model. Retrying cannot help;
	// the configuration must change.
	ErrRejected = errors.New("language model rejected the request")
	// ErrStreamCut: a stream ended (io.EOF) before any choice carried a
	// finish reason: the connection dropped or the server gave up. It is
	// Retryable and classed as ErrUnavailable. Stream readers return it;
	// go-openai itself reports a plain io.EOF.
	ErrStreamCut = errors.New("stream ended without a finish reason")
)

// Retryable reports whether err is worth another attempt: rate limits (429),
// server errors (5xx), error events inside a stream, connection failures,
// cut streams and attempt timeouts. Other 4xx responses, go-openai's own
// request validation and unknown errors are not.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if code, ok := statusCode(err); ok {
		return code == 0 || code == http.StatusTooManyRequests || code >= 500
	}
	var netErr net.Error
	var urlErr *url.Error
	return errors.Is(err, ErrStreamCut) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &netErr) ||
		errors.As(err, &urlErr)
}

// Kind returns the sentinel that explains a failed call: ErrRejected for a
// 4xx other than 429, ErrUnavailable for anything else (including errors
// that are neither, such as a cancelled context). It returns nil for nil.
func Kind(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrRejected):
		return ErrRejected
	case errors.Is(err, ErrUnavailable):
		return ErrUnavailable
	}
	if code, ok := statusCode(err); ok && code >= 400 && code < 500 && code != http.StatusTooManyRequests {
		return ErrRejected
	}
	return ErrUnavailable
}

// Classify returns err wrapped with its Kind, so that errors.Is finds
// ErrUnavailable or ErrRejected. An error already classified, and nil, are
// returned unchanged.
func Classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrRejected) {
		return err
	}
	return fmt.Errorf("%w: %w", Kind(err), err)
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
