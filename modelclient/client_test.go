package modelclient

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/articlebot/articlebot/internal/fakeopenai"
)

const testKey = "sk-test"

func chatRequest(model string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model:     model,
		Messages:  []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Who visited Moscow?"}},
		MaxTokens: 64,
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name      string
		script    []fakeopenai.Behavior
		def       fakeopenai.Behavior
		budget    time.Duration
		wantErr   error
		wantCalls int
		wantWaits []time.Duration
	}{
		{name: "OK", def: fakeopenai.Answer("Xi did."), wantCalls: 1},
		{name: "HonoursRetryAfter", script: []fakeopenai.Behavior{fakeopenai.RateLimited("1")}, def: fakeopenai.Answer("Xi did."),
			wantCalls: 2, wantWaits: []time.Duration{time.Second}},
		{name: "HonoursRetryAfterOn503", script: []fakeopenai.Behavior{{Status: http.StatusServiceUnavailable, RetryAfter: "2"}},
			def: fakeopenai.Answer("Xi did."), wantCalls: 2, wantWaits: []time.Duration{2 * time.Second}},
		{name: "BackoffWithoutRetryAfter", script: []fakeopenai.Behavior{fakeopenai.RateLimited(""), fakeopenai.ServerError()},
			def: fakeopenai.Answer("Xi did."), wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second}},
		{name: "SmallBudget", def: fakeopenai.ServerError(), budget: 1 * time.Second, wantErr: ErrUnavailable,
			wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond}},
		{name: "RetryAfterBeyondBudget", def: fakeopenai.RateLimited("30"), budget: 5 * time.Second, wantErr: ErrUnavailable, wantCalls: 1},
		{name: "BadRequestNotRetried", def: fakeopenai.Behavior{Status: http.StatusBadRequest}, wantErr: ErrRejected, wantCalls: 1},
		{name: "UnauthorizedNotRetried", def: fakeopenai.Behavior{Status: http.StatusUnauthorized}, wantErr: ErrRejected, wantCalls: 1},
		{name: "NotFoundNotRetried", def: fakeopenai.Behavior{Status: http.StatusNotFound}, wantErr: ErrRejected, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeopenai.New(fakeopenai.Options{APIKey: testKey, Script: tt.script, Default: tt.def})
			t.Cleanup(fake.Close)
			c := New(fake.BaseURL(), testKey, nil)
			budget := tt.budget
			if budget == 0 {
				budget = time.Minute
			}
			r := Retry{Budget: budget, Timeout: 5 * time.Second}
			var clock fakeClock
			clock.install(&r)
			resp, err := c.Complete(context.Background(), chatRequest("gpt-4o-mini"), r)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Complete: %v", err)
				}
				if len(resp.Choices) != 1 || resp.Choices[0].Message.Content != "Xi did." {
					t.Errorf("Complete = %+v, want the answer", resp.Choices)
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Complete error = %v, want %v", err, tt.wantErr)
			}
			if got, want := fake.Calls(), tt.wantCalls; got != want {
				t.Errorf("server calls = %d, want %d", got, want)
			}
			if got, want := clock.Waits(), tt.wantWaits; !slices.Equal(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
			for _, req := range fake.ChatRequests() {
				if req.Stream {
					t.Errorf("Complete sent a streamed request")
				}
			}
		})
	}
}

func TestCompleteNetworkError(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{})
	base := fake.BaseURL()
	fake.Close()
	r := Retry{Budget: time.Minute, MaxAttempts: 2}
	var clock fakeClock
	clock.install(&r)
	_, err := New(base, "", nil).Complete(context.Background(), chatRequest("m"), r)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Complete against a closed server = %v, want ErrUnavailable", err)
	}
	if got, want := clock.Retries(), []int{1}; !slices.Equal(got, want) {
		t.Errorf("retries = %v, want %v", got, want)
	}
}

func TestCompleteAttemptTimeout(t *testing.T) {
	fake := fakeopenai.New(fakeopenai.Options{Script: []fakeopenai.Behavior{fakeopenai.Slow(time.Minute)}, Default: fakeopenai.Answer("Xi did.")})
	t.Cleanup(fake.Close)
	r := Retry{Budget: time.Minute, Timeout: 100 * time.Millisecond}
	var clock fakeClock
	clock.install(&r)
	resp, err := New(fake.BaseURL(), "", nil).Complete(context.Background(), chatRequest("m"), r)
	if err != nil {
		t.Fatalf("Complete after a timed-out attempt: %v", err)
	}
	if got, want := resp.Choices[0].Message.Content, "Xi did."; got != want {
		t.Errorf("answer = %q, want %q", got, want)
	}
	if got, want := fake.Calls(), 2; got != want {
		t.Errorf("server calls = %d, want %d", got, want)
	}
}

func TestEmbed(t *testing.T) {
	tests := []struct {
		name      string
		script    []fakeopenai.Behavior
		wantErr   error
		wantCalls int
		wantWaits []time.Duration
	}{
		{name: "OK", wantCalls: 1},
		{name: "RateLimitedThenOK", script: []fakeopenai.Behavior{fakeopenai.RateLimited("1")}, wantCalls: 2, wantWaits: []time.Duration{time.Second}},
		{name: "ServerErrorThenOK", script: []fakeopenai.Behavior{fakeopenai.ServerError()}, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond}},
		{name: "BadRequestNotRetried", script: []fakeopenai.Behavior{{Status: http.StatusBadRequest}}, wantErr: ErrRejected, wantCalls: 1},
		{name: "GivesUp", script: []fakeopenai.Behavior{fakeopenai.ServerError(), fakeopenai.ServerError(), fakeopenai.ServerError()},
			wantErr: ErrUnavailable, wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeopenai.New(fakeopenai.Options{APIKey: testKey, EmbeddingDim: 8})
			t.Cleanup(fake.Close)
			fake.EnqueueEmbeddings(tt.script...)
			r := Retry{Budget: time.Minute, Timeout: 5 * time.Second, MaxAttempts: 3}
			var clock fakeClock
			clock.install(&r)
			resp, err := New(fake.BaseURL(), testKey, nil).Embed(context.Background(),
				openai.EmbeddingRequestStrings{Model: "embed", Input: []string{"a b", "c"}}, r)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Embed: %v", err)
				}
				if len(resp.Data) != 2 || len(resp.Data[0].Embedding) != 8 {
					t.Errorf("Embed = %d vectors, want 2 of 8 dimensions", len(resp.Data))
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Embed error = %v, want %v", err, tt.wantErr)
			}
			if got, want := len(fake.EmbeddingBatches()), tt.wantCalls; got != want {
				t.Errorf("embedding requests = %d, want %d", got, want)
			}
			if got, want := clock.Waits(), tt.wantWaits; !slices.Equal(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
		})
	}
}
