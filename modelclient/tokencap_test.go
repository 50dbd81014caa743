package modelclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// capSent names the token-cap field of a request the fake received.
func capSent(req openai.ChatCompletionRequest) string {
	switch {
	case req.MaxTokens > 0 && req.MaxCompletionTokens > 0:
		return "both"
	case req.MaxTokens > 0:
		return fieldMaxTokens
	case req.MaxCompletionTokens > 0:
		return fieldMaxCompletionTokens
	}
	return "none"
}

// chatOnce is one chat call in the way a caller makes it: Complete, or a
// Stream read to the end.
type chatOnce func(ctx context.Context, c *Client, req openai.ChatCompletionRequest) (string, error)

func completeOnce(ctx context.Context, c *Client, req openai.ChatCompletionRequest) (string, error) {
	resp, err := c.Complete(ctx, req, Retry{Budget: time.Second, Timeout: 5 * time.Second})
	if err != nil {
		return "", err
	}
	return resp.Choices[0].Message.Content, nil
}

func streamOnce(ctx context.Context, c *Client, req openai.ChatCompletionRequest) (string, error) {
	s, err := c.Stream(ctx, req)
	if err != nil {
		return "", Classify(err)
	}
	defer s.Close()
	var text strings.Builder
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return text.String(), nil
		}
		if err != nil {
			return "", Classify(err)
		}
		for _, ch := range chunk.Choices {
			text.WriteString(ch.Delta.Content)
		}
	}
}

func TestTokenCapFallback(t *testing.T) {
	const answer = "Xi visited Moscow."
	tests := []struct {
		name  string
		opts  fakeopenai.Options
		model string
		// wantFirst is the fields of the first call's requests, in order;
		// wantNext the field of the call after it ("" if it must fail).
		wantFirst []string
		wantErr   error
		wantNext  []string
	}{
		{
			name:      "ReasoningServerRejectsMaxTokens",
			opts:      fakeopenai.Options{RejectMaxTokens: true},
			model:     "house-reasoner",
			wantFirst: []string{fieldMaxTokens, fieldMaxCompletionTokens},
			wantNext:  []string{fieldMaxCompletionTokens},
		},
		{
			// go-openai refuses MaxTokens for o3 names, so the transport
			// renames the field on the wire.
			name:      "OlderServerRejectsMaxCompletionTokensForO3Name",
			opts:      fakeopenai.Options{RejectMaxCompletionTokens: true},
			model:     "o3-mini",
			wantFirst: []string{fieldMaxCompletionTokens, fieldMaxTokens},
			wantNext:  []string{fieldMaxTokens},
		},
		{
			name:      "OlderServerRejectsMaxCompletionTokensForGPT6Name",
			opts:      fakeopenai.Options{RejectMaxCompletionTokens: true},
			model:     openai.GPT6Sol,
			wantFirst: []string{fieldMaxCompletionTokens, fieldMaxTokens},
			wantNext:  []string{fieldMaxTokens},
		},
		{
			name:      "GuessRightForReasoningName",
			opts:      fakeopenai.Options{RejectMaxTokens: true},
			model:     "o4-mini",
			wantFirst: []string{fieldMaxCompletionTokens},
			wantNext:  []string{fieldMaxCompletionTokens},
		},
		{
			name:      "GuessRightForOlderServer",
			opts:      fakeopenai.Options{RejectMaxCompletionTokens: true},
			model:     "llama3.1:8b",
			wantFirst: []string{fieldMaxTokens},
			wantNext:  []string{fieldMaxTokens},
		},
		{
			name:      "BothRejectedNotRemembered",
			opts:      fakeopenai.Options{RejectMaxTokens: true, RejectMaxCompletionTokens: true},
			model:     "gpt-4o-mini",
			wantFirst: []string{fieldMaxTokens, fieldMaxCompletionTokens},
			wantErr:   ErrRejected,
			wantNext:  []string{fieldMaxTokens, fieldMaxCompletionTokens},
		},
		{
			name:      "OtherBadRequestNotRetried",
			opts:      fakeopenai.Options{Default: fakeopenai.Behavior{Status: http.StatusBadRequest}},
			model:     "gpt-4o-mini",
			wantFirst: []string{fieldMaxTokens},
			wantErr:   ErrRejected,
			wantNext:  []string{fieldMaxTokens},
		},
	}
	for _, mode := range []struct {
		name string
		call chatOnce
	}{{"Complete", completeOnce}, {"Stream", streamOnce}} {
		for _, tt := range tests {
			t.Run(mode.name+"/"+tt.name, func(t *testing.T) {
				if tt.opts.Default == (fakeopenai.Behavior{}) {
					tt.opts.Default = fakeopenai.Answer(answer)
				}
				fake := fakeopenai.New(tt.opts)
				t.Cleanup(fake.Close)
				c := New(fake.BaseURL(), "", nil)
				req := chatRequest(tt.model)
				for i, want := range [][]string{tt.wantFirst, tt.wantNext} {
					before := len(fake.ChatRequests())
					got, err := mode.call(context.Background(), c, req)
					if tt.wantErr != nil {
						if !errors.Is(err, tt.wantErr) {
							t.Fatalf("call %d error = %v, want %v", i+1, err, tt.wantErr)
						}
					} else if err != nil || got != answer {
						t.Fatalf("call %d = %q, %v; want %q", i+1, got, err, answer)
					}
					var sent []string
					for _, r := range fake.ChatRequests()[before:] {
						sent = append(sent, capSent(r))
						if r.MaxTokens+r.MaxCompletionTokens != 64 {
							t.Errorf("call %d sent cap %d, want 64", i+1, r.MaxTokens+r.MaxCompletionTokens)
						}
					}
					if fmt.Sprint(sent) != fmt.Sprint(want) {
						t.Errorf("call %d sent %v, want %v", i+1, sent, want)
					}
				}
			})
		}
	}
}

// TestTokenCapConcurrent learns the field while many calls run at once;
// run with -race.
func TestTokenCapConcurrent(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{RejectMaxTokens: true})
	t.Cleanup(fake.Close)
	c := New(fake.BaseURL(), "", nil)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := completeOnce(context.Background(), c, chatRequest("house-reasoner")); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent call: %v", err)
	}
	if got := fake.Calls(); got > 2*n {
		t.Errorf("server calls = %d, want at most %d", got, 2*n)
	}
	before := fake.Calls()
	if _, err := completeOnce(context.Background(), c, chatRequest("house-reasoner")); err != nil {
		t.Fatal(err)
	}
	if got, want := fake.Calls()-before, 1; got != want {
		t.Errorf("calls after learning = %d, want %d", got, want)
	}
}

func TestRejectsField(t *testing.T) {
	param := func(s string) *string { return &s }
	tests := []struct {
		name  string
		err   error
		field string
		want  bool
	}{
		{"OpenAIReasoning", &openai.APIError{HTTPStatusCode: 400, Param: param("max_tokens"),
			Message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."}, fieldMaxTokens, true},
		{"OpenAIReasoningOtherFieldSent", &openai.APIError{HTTPStatusCode: 400, Param: param("max_tokens"),
			Message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."}, fieldMaxCompletionTokens, false},
		{"UnrecognizedArgument", &openai.APIError{HTTPStatusCode: 400,
			Message: "Unrecognized request argument supplied: max_completion_tokens"}, fieldMaxCompletionTokens, true},
		{"UnrecognizedArgumentInPlainBody", &openai.RequestError{HTTPStatusCode: 400,
			Body: []byte(`{"detail":"extra field max_completion_tokens not permitted"}`)}, fieldMaxCompletionTokens, true},
		{"Unprocessable", &openai.RequestError{HTTPStatusCode: 422,
			Body: []byte(`{"detail":[{"loc":["body","max_completion_tokens"],"msg":"extra fields not permitted"}]}`)}, fieldMaxCompletionTokens, true},
		// A complaint about the value keeps the field: the other one may
		// be ignored, and answers would run uncapped.
		{"ValueTooLarge", &openai.APIError{HTTPStatusCode: 400, Param: param("max_tokens"),
			Message: "max_tokens is too large: 100000. This model supports at most 4096 completion tokens."}, fieldMaxTokens, false},
		{"ValueTooLargeInPlainBody", &openai.RequestError{HTTPStatusCode: 400,
			Body: []byte(`{"error":"max_tokens must be at most 4096"}`)}, fieldMaxTokens, false},
		{"ParamNamesAnotherField", &openai.APIError{HTTPStatusCode: 400, Param: param("messages"),
			Message: "messages too long for max_tokens"}, fieldMaxTokens, false},
		{"UnrelatedBadRequest", &openai.APIError{HTTPStatusCode: 400, Message: "Bad Request"}, fieldMaxTokens, false},
		{"ServerErrorNamingIt", &openai.APIError{HTTPStatusCode: 500, Message: "max_tokens broke"}, fieldMaxTokens, false},
		{"Unauthorized", &openai.APIError{HTTPStatusCode: 401, Message: "max_tokens"}, fieldMaxTokens, false},
		{"GoOpenAIValidation", openai.ErrReasoningModelMaxTokensDeprecated, fieldMaxTokens, true},
		{"Network", errors.New("connection refused"), fieldMaxTokens, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rejectsField(tt.err, tt.field); got != tt.want {
				t.Errorf("rejectsField(%v, %q) = %v, want %v", tt.err, tt.field, got, tt.want)
			}
		})
	}
}

func TestGuessField(t *testing.T) {
	tests := []struct {
		model, want string
	}{
		{"gpt-4o-mini", fieldMaxTokens},
		{"llama3.1:8b", fieldMaxTokens},
		{"o1-preview", fieldMaxCompletionTokens},
		{"o3-mini", fieldMaxCompletionTokens},
		{"o4-mini", fieldMaxCompletionTokens},
		{"gpt-5-nano", fieldMaxCompletionTokens},
		{"gpt-6-luna", fieldMaxCompletionTokens},
	}
	for _, tt := range tests {
		if got := guessField(tt.model); got != tt.want {
			t.Errorf("guessField(%q) = %q, want %q", tt.model, got, tt.want)
		}
	}
}
