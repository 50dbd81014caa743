package modelclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"testing"

	openai "github.com/sashabaranov/go-openai"
)

func TestClassification(t *testing.T) {
	dialErr := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/v1/chat/completions",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	tests := []struct {
		name      string
		err       error
		retryable bool
		kind      error
	}{
		{"TooManyRequests", &openai.APIError{HTTPStatusCode: 429}, true, ErrUnavailable},
		{"InternalServerError", &openai.APIError{HTTPStatusCode: 500}, true, ErrUnavailable},
		{"ServiceUnavailable", &openai.APIError{HTTPStatusCode: 503}, true, ErrUnavailable},
		{"BadGatewayRequestError", &openai.RequestError{HTTPStatusCode: 502}, true, ErrUnavailable},
		{"StreamErrorEvent", fmt.Errorf("error, %w", &openai.APIError{Message: "overloaded"}), true, ErrUnavailable},
		{"BadRequest", &openai.APIError{HTTPStatusCode: 400}, false, ErrRejected},
		{"Unauthorized", &openai.RequestError{HTTPStatusCode: 401}, false, ErrRejected},
		{"NotFound", &openai.APIError{HTTPStatusCode: 404}, false, ErrRejected},
		{"WrappedBadRequest", fmt.Errorf("start chat stream: %w", &openai.APIError{HTTPStatusCode: 400}), false, ErrRejected},
		{"NetworkError", dialErr, true, ErrUnavailable},
		{"URLError", &url.Error{Op: "Post", URL: "http://x", Err: errors.New("connection reset")}, true, ErrUnavailable},
		{"StreamCut", fmt.Errorf("read chat stream: %w", ErrStreamCut), true, ErrUnavailable},
		{"UnexpectedEOF", io.ErrUnexpectedEOF, true, ErrUnavailable},
		{"Deadline", context.DeadlineExceeded, true, ErrUnavailable},
		{"Cancelled", context.Canceled, false, ErrUnavailable},
		{"ClientSideValidation", openai.ErrReasoningModelMaxTokensDeprecated, false, ErrUnavailable},
		{"AlreadyRejected", fmt.Errorf("x: %w", ErrRejected), false, ErrRejected},
		{"Other", errors.New("boom"), false, ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Retryable(tt.err), tt.retryable; got != want {
				t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, want)
			}
			if got, want := Kind(tt.err), tt.kind; got != want {
				t.Errorf("Kind(%v) = %v, want %v", tt.err, got, want)
			}
			c := Classify(tt.err)
			if !errors.Is(c, tt.kind) || !errors.Is(c, tt.err) {
				t.Errorf("Classify(%v) = %v, want it to wrap %v and the error", tt.err, c, tt.kind)
			}
		})
	}
	if Retryable(nil) || Kind(nil) != nil || Classify(nil) != nil {
		t.Error("nil error classified as a failure")
	}
}
