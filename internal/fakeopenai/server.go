// Package fakeopenai is a fake OpenAI-compatible API on loopback for tests:
// chat completions (JSON and SSE streaming) at /v1/chat/completions and
// embeddings at /v1/embeddings.
//
// Point a go-openai client at it with BaseURL set to [Server.BaseURL]. Script
// responses with [Behavior] values: [Options.Script] and [Server.Enqueue]
// queue behaviours for the next chat calls, and [Options.Default] answers
// the rest. Every request is recorded with its headers and decoded body; see
// [Server.Requests].
package fakeopenai

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The paths the fake serves.
const (
	chatPath       = "/v1/chat/completions"
	embeddingsPath = "/v1/embeddings"
)

// Options configures a [Server]. Zero values get sensible defaults.
type Options struct {
	// Default answers chat calls once the script is used up. The zero
	// Behavior streams DefaultAnswer.
	Default Behavior
	// Script answers the first chat calls, one Behavior each.
	Script []Behavior
	// APIKey, when set, makes every request without
	// "Authorization: Bearer <APIKey>" fail with 401.
	APIKey string
	// EmbeddingDim is the length of embedding vectors. Default 64.
	EmbeddingDim int
	// RejectMaxTokens makes the fake behave like OpenAI's reasoning models:
	// every chat request that carries max_tokens fails with 400, param
	// "max_tokens" and code "unsupported_parameter", before the script is
	// consulted.
	RejectMaxTokens bool
	// RejectMaxCompletionTokens makes the fake behave like an older
	// compatible server: every chat request that carries
	// max_completion_tokens fails with 400 "Unrecognized request argument
	// supplied: max_completion_tokens", before the script is consulted.
	RejectMaxCompletionTokens bool
}

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	// Chat is the decoded body of a chat completions request.
	Chat *openai.ChatCompletionRequest
	// Embedding is the decoded body of an embeddings request.
	Embedding *EmbeddingRequest
}

// Server is a running fake. Create it with [New] and stop it with
// [Server.Close]; all methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	dim int
	key string
	// rejectMaxTokens and rejectMaxCompletion are Options.RejectMaxTokens
	// and Options.RejectMaxCompletionTokens.
	rejectMaxTokens     bool
	rejectMaxCompletion bool

	mu         sync.Mutex
	def        Behavior
	script     []Behavior
	embedQueue []Behavior
	requests   []Request
	batches    []int
}

// New starts a fake on a loopback port.
func New(opts Options) *Server {
	s := &Server{
		dim:    opts.EmbeddingDim,
		key:    opts.APIKey,
		def:    opts.Default,
		script: append([]Behavior(nil), opts.Script...),

		rejectMaxTokens:     opts.RejectMaxTokens,
		rejectMaxCompletion: opts.RejectMaxCompletionTokens,
	}
	if s.dim <= 0 {
		s.dim = 64
	}
	mux := http.NewServeMux()
	mux.HandleFunc(chatPath, s.handleChat)
	mux.HandleFunc(embeddingsPath, s.handleEmbeddings)
	s.srv = httptest.NewServer(mux)
	return s
}

// Close stops the server and waits for its handlers. Handlers that sleep
// stop as soon as their client goes away.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// URL is the server's root, e.g. http://127.0.0.1:1234.
func (s *Server) URL() string { return s.srv.URL }

// BaseURL is the OpenAI base URL to configure clients with: URL + "/v1".
func (s *Server) BaseURL() string { return s.srv.URL + "/v1" }

// Client returns the server's HTTP client, which trusts it.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Enqueue appends behaviours for the next chat calls.
func (s *Server) Enqueue(b ...Behavior) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, b...)
}

// SetDefault changes the behaviour used once the script is used up.
func (s *Server) SetDefault(b Behavior) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = b
}

// EnqueueEmbeddings scripts the next embeddings calls. Only Status,
// RetryAfter and Delay apply; calls past the queue succeed.
func (s *Server) EnqueueEmbeddings(b ...Behavior) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embedQueue = append(s.embedQueue, b...)
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ChatRequests returns the decoded chat completions requests, in order.
func (s *Server) ChatRequests() []openai.ChatCompletionRequest {
	var out []openai.ChatCompletionRequest
	for _, r := range s.Requests() {
		if r.Chat != nil {
			out = append(out, *r.Chat)
		}
	}
	return out
}

// Calls is the number of chat completions requests received, including
// failed and rejected ones.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == chatPath {
			n++
		}
	}
	return n
}

// EmbeddingBatches returns the number of inputs of each embeddings request,
// in order.
func (s *Server) EmbeddingBatches() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.batches...)
}

// nextChat records a chat call and returns the behaviour that answers it.
func (s *Server) nextChat() Behavior {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.script) > 0 {
		b := s.script[0]
		s.script = s.script[1:]
		return b
	}
	return s.def
}

func (s *Server) nextEmbedding(inputs int) Behavior {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, inputs)
	if len(s.embedQueue) > 0 {
		b := s.embedQueue[0]
		s.embedQueue = s.embedQueue[1:]
		return b
	}
	return Behavior{}
}

// record reads the body of r, decodes it into v and records the request.
// It reports false after writing a 4xx response.
func (s *Server) record(w http.ResponseWriter, r *http.Request, v any, set func(*Request)) bool {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "method must be POST", "")
		return false
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "couldn't read body", "")
		return false
	}
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	decErr := json.NewDecoder(bytes.NewReader(body)).Decode(v)
	if decErr == nil {
		set(&req)
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	if s.key != "" && r.Header.Get("Authorization") != "Bearer "+s.key {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "Incorrect API key provided.", "")
		return false
	}
	if decErr != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid JSON body: "+decErr.Error(), "")
		return false
	}
	return true
}

// writeError writes an OpenAI error body, which go-openai turns into an
// *openai.APIError carrying the status code.
func writeError(w http.ResponseWriter, status int, typ, msg, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeErrorBody(w, status, map[string]any{"message": msg, "type": typ, "code": nil})
}

// writeErrorBody writes the OpenAI error object body under "error".
func writeErrorBody(w http.ResponseWriter, status int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

// fail writes b's failing status.
func fail(w http.ResponseWriter, b Behavior) {
	typ := "server_error"
	msg := "The server had an error while processing your request."
	switch {
	case b.Status == http.StatusTooManyRequests:
		typ, msg = "rate_limit_exceeded", "Rate limit reached."
	case b.Status < 500:
		typ, msg = "invalid_request_error", http.StatusText(b.Status)
	}
	writeError(w, b.Status, typ, msg, b.RetryAfter)
}

// sleep waits d or until ctx ends, and reports whether it waited in full.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// countWords is the fake's token count: one token per word.
func countWords(s string) int {
	return len(strings.Fields(s))
}
