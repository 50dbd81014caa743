package fakeopenai

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

func newClient(t *testing.T, s *Server, key string) *openai.Client {
	t.Helper()
	cfg := openai.DefaultConfig(key)
	cfg.BaseURL = s.BaseURL()
	return openai.NewClientWithConfig(cfg)
}

func chatRequest(stream bool) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model: "test-model",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "You are a test."},
			{Role: openai.ChatMessageRoleUser, Content: "Say something."},
		},
	}
	if stream {
		req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	}
	return req
}

// streamed is what a client read from one stream.
type streamed struct {
	text   string
	chunks int
	finish openai.FinishReason
	usage  *openai.Usage
	err    error // the error that ended the stream; io.EOF for a clean end
}

func readStream(t *testing.T, c *openai.Client, req openai.ChatCompletionRequest) (streamed, error) {
	t.Helper()
	s, err := c.CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		return streamed{}, err
	}
	defer s.Close()
	var out streamed
	for {
		r, err := s.Recv()
		if err != nil {
			out.err = err
			return out, nil
		}
		if r.Usage != nil {
			out.usage = r.Usage
		}
		for _, ch := range r.Choices {
			if ch.Delta.Content != "" {
				out.text += ch.Delta.Content
				out.chunks++
			}
			if ch.FinishReason != "" {
				out.finish = ch.FinishReason
			}
		}
	}
}

func TestChatStream(t *testing.T) {
	tests := []struct {
		name       string
		b          Behavior
		noUsage    bool
		wantText   string
		wantChunks int
		wantFinish openai.FinishReason
		wantUsage  bool
	}{
		{name: "OK", b: Good(), wantText: DefaultAnswer, wantChunks: 14, wantFinish: "stop", wantUsage: true},
		{name: "UsageNotRequested", b: Good(), noUsage: true, wantText: DefaultAnswer, wantChunks: 14, wantFinish: "stop"},
		{name: "NoUsage", b: Behavior{Text: "a b", NoUsage: true}, wantText: "a b", wantChunks: 2, wantFinish: "stop"},
		{name: "ChunkRunes", b: Behavior{Text: "abcdefg", ChunkRunes: 3}, wantText: "abcdefg", wantChunks: 3, wantFinish: "stop", wantUsage: true},
		{name: "Cut", b: CutAfter("one two three four", 2), wantText: "one two ", wantChunks: 2},
		{name: "CutBeforeText", b: CutAfter("one two", 0), wantText: ""},
		{name: "Length", b: Behavior{Text: "one two", FinishReason: "length"}, wantText: "one two", wantChunks: 2, wantFinish: "length", wantUsage: true},
		{name: "EchoSystem", b: EchoSystem(), wantText: "You are a test.", wantChunks: 4, wantFinish: "stop", wantUsage: true},
		{name: "Mentions", b: Mentions(), wantText: MentionAnswer, wantChunks: 13, wantFinish: "stop", wantUsage: true},
		{name: "Refusal", b: Refusal(), wantText: RefusalAnswer, wantChunks: 5, wantFinish: "stop", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{Script: []Behavior{tt.b}})
			defer s.Close()
			req := chatRequest(!tt.noUsage)
			got, err := readStream(t, newClient(t, s, "k"), req)
			if err != nil {
				t.Fatalf("CreateChatCompletionStream: %v", err)
			}
			if !errors.Is(got.err, io.EOF) {
				t.Errorf("stream ended with %v, want io.EOF", got.err)
			}
			if got.text != tt.wantText {
				t.Errorf("text = %q, want %q", got.text, tt.wantText)
			}
			if got.chunks != tt.wantChunks {
				t.Errorf("content chunks = %d, want %d", got.chunks, tt.wantChunks)
			}
			if got.finish != tt.wantFinish {
				t.Errorf("finish_reason = %q, want %q", got.finish, tt.wantFinish)
			}
			if (got.usage != nil) != tt.wantUsage {
				t.Fatalf("usage = %+v, want present: %v", got.usage, tt.wantUsage)
			}
			if got.usage != nil {
				if got.usage.PromptTokens != 6 || got.usage.CompletionTokens != len(strings.Fields(tt.wantText)) {
					t.Errorf("usage = %+v, want 6 prompt tokens and one per answer word", got.usage)
				}
			}
		})
	}
}

func TestChatJSON(t *testing.T) {
	s := New(Options{Default: Answer("Hello there [1].")})
	defer s.Close()
	resp, err := newClient(t, s, "k").CreateChatCompletion(context.Background(), chatRequest(false))
	if err != nil {
		t.Fatalf("CreateChatCompletion: %v", err)
	}
	if got, want := resp.Choices[0].Message.Content, "Hello there [1]."; got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if got, want := resp.Choices[0].FinishReason, openai.FinishReasonStop; got != want {
		t.Errorf("finish_reason = %q, want %q", got, want)
	}
	if got, want := resp.Usage.CompletionTokens, 3; got != want {
		t.Errorf("completion tokens = %d, want %d", got, want)
	}
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name           string
		b              Behavior
		key            string
		wantStatus     int
		wantRetryAfter string
	}{
		{name: "RateLimited", b: RateLimited("1"), wantStatus: 429, wantRetryAfter: "1"},
		{name: "ServerError", b: ServerError(), wantStatus: 500},
		{name: "BadRequest", b: Behavior{Status: 400}, wantStatus: 400},
		{name: "WrongKey", b: Good(), key: "wrong", wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{Default: tt.b, APIKey: "right"})
			defer s.Close()
			key := tt.key
			if key == "" {
				key = "right"
			}
			_, err := newClient(t, s, key).CreateChatCompletionStream(context.Background(), chatRequest(true))
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want *openai.APIError", err)
			}
			if got, want := apiErr.HTTPStatusCode, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			// go-openai drops headers on errors; read them directly.
			req, _ := http.NewRequest(http.MethodPost, s.BaseURL()+"/chat/completions", strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"x"}]}`))
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got, want := resp.Header.Get("Retry-After"), tt.wantRetryAfter; got != want {
				t.Errorf("Retry-After = %q, want %q", got, want)
			}
		})
	}
}

func TestRejectTokenCap(t *testing.T) {
	tests := []struct {
		name          string
		opts          Options
		maxTokens     int
		maxCompletion int
		wantParam     string // "" when the call succeeds
		wantMessage   string
	}{
		{name: "ReasoningRejectsMaxTokens", opts: Options{RejectMaxTokens: true}, maxTokens: 10,
			wantParam: "max_tokens", wantMessage: "Unsupported parameter: 'max_tokens'"},
		{name: "ReasoningTakesMaxCompletionTokens", opts: Options{RejectMaxTokens: true}, maxCompletion: 10},
		{name: "OlderRejectsMaxCompletionTokens", opts: Options{RejectMaxCompletionTokens: true}, maxCompletion: 10,
			wantMessage: "Unrecognized request argument supplied: max_completion_tokens"},
		{name: "OlderTakesMaxTokens", opts: Options{RejectMaxCompletionTokens: true}, maxTokens: 10},
		{name: "NoCapPasses", opts: Options{RejectMaxTokens: true, RejectMaxCompletionTokens: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Script = []Behavior{Answer("scripted")}
			s := New(tt.opts)
			defer s.Close()
			req := chatRequest(false)
			req.MaxTokens, req.MaxCompletionTokens = tt.maxTokens, tt.maxCompletion
			resp, err := newClient(t, s, "").CreateChatCompletion(context.Background(), req)
			if tt.wantMessage == "" {
				if err != nil {
					t.Fatalf("CreateChatCompletion: %v", err)
				}
				if got, want := resp.Choices[0].Message.Content, "scripted"; got != want {
					t.Errorf("answer = %q, want %q", got, want)
				}
				return
			}
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusBadRequest {
				t.Fatalf("error = %v, want a 400 *openai.APIError", err)
			}
			if !strings.Contains(apiErr.Message, tt.wantMessage) {
				t.Errorf("message = %q, want it to contain %q", apiErr.Message, tt.wantMessage)
			}
			if got := apiErr.Param; (got == nil) != (tt.wantParam == "") || (got != nil && *got != tt.wantParam) {
				t.Errorf("param = %v, want %q", got, tt.wantParam)
			}
			// A rejection does not use up the script.
			req.MaxTokens, req.MaxCompletionTokens = 0, 0
			if resp, err := newClient(t, s, "").CreateChatCompletion(context.Background(), req); err != nil || resp.Choices[0].Message.Content != "scripted" {
				t.Errorf("next call = %+v, %v; want the scripted answer", resp.Choices, err)
			}
		})
	}
}

func TestScriptThenDefault(t *testing.T) {
	s := New(Options{Script: []Behavior{ServerError()}, Default: Answer("default")})
	defer s.Close()
	s.Enqueue(Answer("queued"))
	c := newClient(t, s, "k")
	var got []string
	for range 3 {
		r, err := readStream(t, c, chatRequest(true))
		if err != nil {
			got = append(got, "error")
			continue
		}
		got = append(got, r.text)
	}
	if want := []string{"error", "queued", "default"}; !slices.Equal(got, want) {
		t.Errorf("answers = %q, want %q", got, want)
	}
	if got, want := s.Calls(), 3; got != want {
		t.Errorf("Calls = %d, want %d", got, want)
	}
}

func TestRecordsRequests(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	if _, err := readStream(t, newClient(t, s, "secret"), chatRequest(true)); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if got, want := len(reqs), 1; got != want {
		t.Fatalf("got %d requests, want %d", got, want)
	}
	r := reqs[0]
	if got, want := r.Header.Get("Authorization"), "Bearer secret"; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
	if r.Chat == nil || r.Chat.Model != "test-model" || !r.Chat.Stream || len(r.Chat.Messages) != 2 {
		t.Errorf("decoded chat request = %+v", r.Chat)
	}
	if got := s.ChatRequests(); len(got) != 1 || got[0].Messages[1].Content != "Say something." {
		t.Errorf("ChatRequests = %+v", got)
	}
}

func TestSlowRespectsClient(t *testing.T) {
	s := New(Options{Default: Slow(time.Minute)})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newClient(t, s, "k").CreateChatCompletionStream(ctx, chatRequest(true))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", err)
	}
	s.Close() // must not wait for the minute
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

func TestPaced(t *testing.T) {
	s := New(Options{Default: Paced("a b c d", 80*time.Millisecond)})
	defer s.Close()
	start := time.Now()
	r, err := readStream(t, newClient(t, s, "k"), chatRequest(true))
	if err != nil || r.text != "a b c d" {
		t.Fatalf("stream = %+v, %v", r, err)
	}
	if elapsed := time.Since(start); elapsed < 80*time.Millisecond {
		t.Errorf("paced answer took %v, want at least 80ms", elapsed)
	}
}

func TestEmbeddings(t *testing.T) {
	s := New(Options{EmbeddingDim: 16})
	defer s.Close()
	c := newClient(t, s, "k")
	inputs := []string{"Xi visited Moscow", "Moscow visited by Xi", "pipeline gas"}
	resp, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Input: inputs, Model: "embed-model"})
	if err != nil {
		t.Fatalf("CreateEmbeddings: %v", err)
	}
	if got, want := len(resp.Data), 3; got != want {
		t.Fatalf("got %d embeddings, want %d", got, want)
	}
	for i, d := range resp.Data {
		if d.Index != i || len(d.Embedding) != 16 {
			t.Errorf("embedding %d: index %d, %d dims", i, d.Index, len(d.Embedding))
		}
		if !slices.Equal(d.Embedding, Vector(inputs[i], 16)) {
			t.Errorf("embedding %d differs from Vector", i)
		}
	}
	if same, other := dot(resp.Data[0].Embedding, resp.Data[1].Embedding), dot(resp.Data[0].Embedding, resp.Data[2].Embedding); same <= other {
		t.Errorf("similarity of shared words %v <= unrelated %v", same, other)
	}
	if got, want := string(resp.Model), "embed-model"; got != want {
		t.Errorf("model = %q, want %q", got, want)
	}
	if _, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequest{Input: "one", Model: "m"}); err != nil {
		t.Fatalf("CreateEmbeddings single: %v", err)
	}
	if got, want := s.EmbeddingBatches(), []int{3, 1}; !slices.Equal(got, want) {
		t.Errorf("EmbeddingBatches = %v, want %v", got, want)
	}
}

func TestEmbeddingsBase64(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	resp, err := newClient(t, s, "k").CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{
		Input: []string{"hello world"}, Model: "m", EncodingFormat: openai.EmbeddingEncodingFormatBase64,
	})
	if err != nil {
		t.Fatalf("CreateEmbeddings: %v", err)
	}
	if !slices.Equal(resp.Data[0].Embedding, Vector("hello world", 64)) {
		t.Errorf("base64 embedding differs from Vector")
	}
}

func TestEmbeddingsScriptedFailure(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	s.EnqueueEmbeddings(ServerError())
	c := newClient(t, s, "k")
	req := openai.EmbeddingRequestStrings{Input: []string{"a"}, Model: "m"}
	var apiErr *openai.APIError
	if _, err := c.CreateEmbeddings(context.Background(), req); !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 {
		t.Fatalf("first call error = %v, want a 500", err)
	}
	if _, err := c.CreateEmbeddings(context.Background(), req); err != nil {
		t.Fatalf("second call: %v", err)
	}
}

func TestVector(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"Words", "The quick brown fox"},
		{"Empty", ""},
		{"Punctuation", "!!!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Vector(tt.text, 32)
			if got, want := len(v), 32; got != want {
				t.Fatalf("len = %d, want %d", got, want)
			}
			if n := math.Sqrt(float64(dot(v, v))); math.Abs(n-1) > 1e-5 {
				t.Errorf("norm = %v, want 1", n)
			}
			if !slices.Equal(v, Vector(tt.text, 32)) {
				t.Errorf("Vector is not deterministic")
			}
		})
	}
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
