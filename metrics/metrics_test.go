package metrics

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/bot"
	"github.com/articlebot/articlebot/retrieval"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestHandler(t *testing.T) {
	m := New(func() int { return 132 })
	var readyErr error = errors.New("gateway not connected")
	h := Handler(m, func() error { return readyErr })

	if code, body := get(t, h, "/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, h, "/readyz"); code != 503 || !strings.Contains(body, "gateway not connected") {
		t.Errorf("/readyz before ready = %d %q, want 503 with the reason", code, body)
	}
	readyErr = nil
	if code, _ := get(t, h, "/readyz"); code != 200 {
		t.Errorf("/readyz when ready = %d, want 200", code)
	}

	hooks := m.Hooks()
	hooks.Gateway(true)
	hooks.Question(bot.QuestionEvent{Source: bot.SourceSlash, Outcome: bot.OutcomeAnswered, Mode: answer.ModeLLM, Citations: 2, Acked: 20 * time.Millisecond, Latency: 1200 * time.Millisecond})
	hooks.Question(bot.QuestionEvent{Source: bot.SourceDM, Outcome: bot.OutcomeAnswered, Mode: answer.ModeExtractive,
		Fallback: answer.FallbackReason(fmt.Errorf("read chat stream: %w", answer.ErrModelUnavailable)), Latency: 30 * time.Millisecond})
	hooks.Question(bot.QuestionEvent{Source: bot.SourceMention, Outcome: bot.OutcomeRateLimited, Latency: time.Millisecond})
	hooks.Reindex(retrieval.Summary{Duration: 40 * time.Millisecond}, nil)
	hooks.Reindex(retrieval.Summary{}, errors.New("corpus unreadable"))
	m.ModelRetry(1, errors.New("429"))

	code, body := get(t, h, "/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`articlebot_questions_total{outcome="answered",source="slash"} 1`,
		`articlebot_questions_total{outcome="answered",source="dm"} 1`,
		`articlebot_questions_total{outcome="rate_limited",source="mention"} 1`,
		`articlebot_answer_latency_seconds_count{mode="llm"} 1`,
		`articlebot_answer_latency_seconds_count{mode="extractive"} 1`,
		`articlebot_ack_latency_seconds_count 1`,
		`articlebot_model_calls_total 2`,
		`articlebot_model_errors_total{reason="unavailable"} 1`,
		`articlebot_fallbacks_total{reason="unavailable"} 1`,
		`articlebot_model_retries_total 1`,
		`articlebot_reindexes_total{result="ok"} 1`,
		`articlebot_reindexes_total{result="error"} 1`,
		`articlebot_reindex_duration_seconds_count 1`,
		`articlebot_indexed_passages 132`,
		`articlebot_gateway_connected 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, _ := get(t, h, "/nope"); code != 404 {
		t.Errorf("/nope = %d, want 404", code)
	}
}

func TestFeedback(t *testing.T) {
	tests := []struct {
		name  string
		votes []bool
		want  []string
	}{
		{"None", nil, []string{`articlebot_feedback_total{vote="up"} 0`, `articlebot_feedback_total{vote="down"} 0`}},
		{"Both", []bool{true, false, false}, []string{`articlebot_feedback_total{vote="up"} 1`, `articlebot_feedback_total{vote="down"} 2`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(func() int { return 0 })
			for _, up := range tt.votes {
				m.Feedback(up)
			}
			_, body := get(t, Handler(m, func() error { return nil }), "/metrics")
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
		})
	}
}
