package fakeopenai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// handleChat serves POST /v1/chat/completions.
func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	var req openai.ChatCompletionRequest
	if !s.record(w, r, &req, func(rec *Request) { rec.Chat = &req }) {
		return
	}
	if s.rejectTokenCap(w, req) {
		return
	}
	b := s.nextChat()
	if req.Model == "" || len(req.Messages) == 0 {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "model and messages are required", "")
		return
	}
	if !sleep(r.Context(), b.Delay) {
		return
	}
	if b.failing() {
		fail(w, b)
		return
	}
	text := answerText(b, req)
	usage := openai.Usage{
		PromptTokens:     promptTokens(req),
		CompletionTokens: countWords(text),
	}
	usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens
	finish := openai.FinishReason(b.FinishReason)
	if finish == "" {
		finish = openai.FinishReasonStop
	}
	if !req.Stream || b.PlainJSON {
		writeJSON(w, openai.ChatCompletionResponse{
			ID: "chatcmpl-fake", Object: "chat.completion", Created: time.Now().Unix(), Model: req.Model,
			Choices: []openai.ChatCompletionChoice{{
				Message:      openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: text},
				FinishReason: finish,
			}},
			Usage: usage,
		})
		return
	}
	if b.NoUsage || req.StreamOptions == nil || !req.StreamOptions.IncludeUsage {
		s.stream(w, r, req.Model, b, text, finish, nil)
		return
	}
	s.stream(w, r, req.Model, b, text, finish, &usage)
}

// rejectTokenCap answers a request whose token-cap field the server was
// told not to know with the 400 that servers send, and reports whether it
// did.
func (s *Server) rejectTokenCap(w http.ResponseWriter, req openai.ChatCompletionRequest) bool {
	switch {
	case s.rejectMaxTokens && req.MaxTokens > 0:
		// OpenAI's answer for o1, o3, o4-mini and gpt-5 models.
		writeErrorBody(w, http.StatusBadRequest, map[string]any{
			"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
			"type":    "invalid_request_error",
			"param":   "max_tokens",
			"code":    "unsupported_parameter",
		})
		return true
	case s.rejectMaxCompletion && req.MaxCompletionTokens > 0:
		// The answer of servers that predate max_completion_tokens.
		writeErrorBody(w, http.StatusBadRequest, map[string]any{
			"message": "Unrecognized request argument supplied: max_completion_tokens",
			"type":    "invalid_request_error",
			"param":   nil,
			"code":    nil,
		})
		return true
	}
	return false
}

// stream writes text as server-sent events: a role chunk, one chunk per
// piece of text, a chunk with the finish reason, the usage chunk when usage
// is non-nil, and [DONE]. A Cut behaviour stops after CutAfter pieces.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, model string, b Behavior, text string, finish openai.FinishReason, usage *openai.Usage) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(choices []openai.ChatCompletionStreamChoice, u *openai.Usage) {
		if choices == nil {
			choices = []openai.ChatCompletionStreamChoice{}
		}
		chunk := openai.ChatCompletionStreamResponse{
			ID: "chatcmpl-fake", Object: "chat.completion.chunk", Created: time.Now().Unix(),
			Model: model, Choices: choices, Usage: u,
		}
		data, _ := json.Marshal(chunk)
		fmt.Fprintf(w, "data: %s\n\n", data)
		if flusher != nil {
			flusher.Flush()
		}
	}
	delta := func(d openai.ChatCompletionStreamChoiceDelta) []openai.ChatCompletionStreamChoice {
		return []openai.ChatCompletionStreamChoice{{Delta: d}}
	}

	send(delta(openai.ChatCompletionStreamChoiceDelta{Role: openai.ChatMessageRoleAssistant}), nil)
	pieces := chunks(text, b.ChunkRunes)
	var pause time.Duration
	if len(pieces) > 0 {
		pause = b.StreamTime / time.Duration(len(pieces))
	}
	for i, p := range pieces {
		if b.Cut && i >= b.CutAfter {
			return
		}
		if !sleep(r.Context(), pause) {
			return
		}
		send(delta(openai.ChatCompletionStreamChoiceDelta{Content: p}), nil)
	}
	if b.Cut {
		return
	}
	send([]openai.ChatCompletionStreamChoice{{FinishReason: finish}}, nil)
	if usage != nil {
		send(nil, usage)
	}
	if b.HangAfterFinish {
		<-r.Context().Done()
		return
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

// answerText is the text b answers req with.
func answerText(b Behavior, req openai.ChatCompletionRequest) string {
	if b.EchoSystem {
		for _, m := range req.Messages {
			if m.Role == openai.ChatMessageRoleSystem || m.Role == openai.ChatMessageRoleDeveloper {
				return m.Content
			}
		}
	}
	if b.EchoQuestion {
		for i := len(req.Messages) - 1; i >= 0; i-- {
			if m := req.Messages[i]; m.Role == openai.ChatMessageRoleUser {
				if _, q, ok := strings.Cut(m.Content, "<question>"); ok {
					q, _, _ = strings.Cut(q, "</question>")
					return strings.TrimSpace(q)
				}
				break
			}
		}
	}
	if b.Text == "" {
		return DefaultAnswer
	}
	return b.Text
}

// chunks cuts text into stream pieces: n runes each when n > 0, otherwise
// one word with its trailing white space each.
func chunks(text string, n int) []string {
	var out []string
	if n > 0 {
		rs := []rune(text)
		for i := 0; i < len(rs); i += n {
			out = append(out, string(rs[i:min(i+n, len(rs))]))
		}
		return out
	}
	for len(text) > 0 {
		i := strings.IndexAny(text, " \n\t")
		if i < 0 {
			out = append(out, text)
			break
		}
		j := i
		for j < len(text) && strings.ContainsRune(" \n\t", rune(text[j])) {
			j++
		}
		out = append(out, text[:j])
		text = text[j:]
	}
	return out
}

func promptTokens(req openai.ChatCompletionRequest) int {
	n := 0
	for _, m := range req.Messages {
		n += countWords(m.Content)
	}
	return n
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
