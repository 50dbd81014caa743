package main

import (
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// Model settings of the fault tests: short, so that a failing model is
// given up on quickly.
const (
	faultLLMTimeout  = 500 * time.Millisecond
	faultRetryBudget = 1500 * time.Millisecond
)

// TestServeModelFaults makes the model unreachable, failing, slow or rate
// limited, and checks that /ask still gets a cited extractive answer with
// the "model unavailable" note, within the retry budget: no wait ends past
// the budget and each attempt is bounded by the timeout, so the final
// message comes at most budget + timeout (plus slack for the bot's own
// work) after the question.
func TestServeModelFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// model is the fake's behaviour; nil means no server at all.
		model *fakeopenai.Behavior
		// calls is the number of model calls wanted: at least minCalls,
		// at most maxCalls.
		minCalls, maxCalls int
	}{
		{name: "Unreachable"},
		{name: "ServerError", model: ptr(fakeopenai.ServerError()), minCalls: 2, maxCalls: 5},
		{name: "Slow", model: ptr(fakeopenai.Slow(time.Minute)), minCalls: 2, maxCalls: 5},
		{name: "RateLimited", model: ptr(fakeopenai.RateLimited("")), minCalls: 2, maxCalls: 5},
		// A Retry-After past the budget is not waited for.
		{name: "RateLimitedRetryAfterPastBudget", model: ptr(fakeopenai.RateLimited("60")), minCalls: 1, maxCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			baseURL := "http://" + freeAddr(t) + "/v1" // nothing listens there
			var ai *fakeopenai.Server
			if tt.model != nil {
				ai = newModel(t, *tt.model)
				baseURL = ai.BaseURL()
			}
			sb := startServe(t, map[string]string{
				"OPENAI_BASE_URL":             baseURL,
				"OPENAI_API_KEY":              testAPIKey,
				"ARTICLEBOT_CHAT_MODEL":       "test-model",
				"ARTICLEBOT_LLM_TIMEOUT":      faultLLMTimeout.String(),
				"ARTICLEBOT_LLM_RETRY_BUDGET": faultRetryBudget.String(),
				"ARTICLEBOT_LOG_FORMAT":       "json",
			})
			ctx := serveCtx(t, 20*time.Second)
			id, token := sb.askID(t, ctx, "380000000000000001", onTopic2)
			line := sb.waitQuestion(t, ctx, id)

			r, _ := sb.fake.Responses(token)
			msgs := responseMessages(r)
			if !withSources(r) {
				t.Fatalf("final reply = %q, want a cited answer with sources", messagesText(msgs))
			}
			checkAnswerMessages(t, msgs)
			if note := strings.TrimSpace(answer.FallbackNote); !strings.Contains(msgs[0].Content, note) {
				t.Errorf("answer %q lacks the note %q", msgs[0].Content, note)
			}
			if line.str("outcome") != "answered" || line.str("mode") != "extractive" || line.str("fallback") == "" {
				t.Errorf("question log = %v, want answered, extractive, with the fallback reason", line)
			}
			limit := faultRetryBudget + faultLLMTimeout + 2*time.Second
			if took := time.Duration(line.num("latency_ms")) * time.Millisecond; took > limit {
				t.Errorf("fallback answer took %v, want within the retry budget: under %v", took, limit)
			}
			if ai != nil {
				if n := ai.Calls(); n < tt.minCalls || n > tt.maxCalls {
					t.Errorf("%d model calls, want %d to %d", n, tt.minCalls, tt.maxCalls)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// webhookOriginal matches the edit of an interaction's original response.
const webhookOriginal = "/api/v9/webhooks/*/*/messages/@original"

// TestServeDiscordFaults makes Discord's REST API answer 429 with
// retry_after or 5xx on the callback, the edits, the follow-ups and DM
// replies, and checks that the answer is still delivered, by a retry or by
// the follow-up fallback, and that a failure that persists is logged with
// the question's ID. No log line may carry an interaction token (webhook
// URLs hold it).
func TestServeDiscordFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault func(f *fakediscord.Server)
		dm    bool // ask by DM rather than /ask
		// outcome is the question log's outcome; logs must hold every
		// string in logs.
		outcome string
		logs    []string
		check   func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message)
	}{
		{
			name: "CallbackRateLimited",
			fault: func(f *fakediscord.Server) {
				f.RateLimitNext("POST", "/api/v9/interactions/*/*/callback", 1, 300*time.Millisecond)
			},
			outcome: "answered",
			check: func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message) {
				checkStatuses(t, reqs, "POST", "/callback", []int{429, 204})
				checkAnswerMessages(t, msgs)
			},
		},
		{
			name:    "EditRateLimited",
			fault:   func(f *fakediscord.Server) { f.RateLimitNext("PATCH", webhookOriginal, 2, 300*time.Millisecond) },
			outcome: "answered",
			check: func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message) {
				checkStatuses(t, reqs, "PATCH", "/messages/@original", []int{429, 429, 200})
				checkAnswerMessages(t, msgs[:1]) // delivered by the edit itself
			},
		},
		{
			name: "DMReplyRateLimited",
			fault: func(f *fakediscord.Server) {
				f.RateLimitNext("POST", "/api/v9/channels/*/messages", 1, 300*time.Millisecond)
			},
			dm:      true,
			outcome: "answered",
			check: func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message) {
				checkStatuses(t, reqs, "POST", "/messages", []int{429, 200})
				checkAnswerMessages(t, msgs)
			},
		},
		{
			name:    "EditServerErrorOnce",
			fault:   func(f *fakediscord.Server) { f.FailNext("PATCH", webhookOriginal, 1, 500) },
			outcome: "answered",
			logs:    []string{"discord request failed; retrying", `"op":"edit reply"`},
			check: func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message) {
				checkStatuses(t, reqs, "PATCH", "/messages/@original", []int{500, 200})
				checkAnswerMessages(t, msgs[:1])
			},
		},
		{
			name:    "EditServerErrorPersists",
			fault:   func(f *fakediscord.Server) { f.FailNext("PATCH", webhookOriginal, 1000, 503) },
			outcome: "answered",
			logs:    []string{"couldn't edit the reply; sending it as a new message"},
			check: func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message) {
				checkStatuses(t, reqs, "PATCH", "/messages/@original", []int{503, 503, 503, 503})
				if len(msgs) < 2 {
					t.Fatalf("got %d messages, want the answer as a follow-up", len(msgs))
				}
				checkAnswerMessages(t, msgs[1:])
			},
		},
		{
			name: "EditAndFollowUpFail",
			fault: func(f *fakediscord.Server) {
				f.FailNext("PATCH", webhookOriginal, 1000, 500)
				f.FailNext("POST", "/api/v9/webhooks/*/*", 1000, 500)
			},
			outcome: "failed",
			logs:    []string{"couldn't deliver the answer"},
			check: func(t *testing.T, reqs []fakediscord.Request, msgs []fakediscord.Message) {
				if len(msgs) != 1 || msgs[0].Edits != 0 {
					t.Errorf("messages = %+v, want only the deferred response, never edited", msgs)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sb := startServe(t, map[string]string{"ARTICLEBOT_LOG_FORMAT": "json"})
			ctx := serveCtx(t, 20*time.Second)
			tt.fault(sb.fake)
			const dmChannel = "480000000000000001"
			var id, token string
			if tt.dm {
				var err error
				id, err = sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: dmChannel, Author: fakediscord.User{ID: "380000000000000002"}, Content: onTopic})
				if err != nil {
					t.Fatalf("MessageCreate: %v", err)
				}
			} else {
				id, token = sb.askID(t, ctx, "380000000000000003", onTopic)
			}
			line := sb.waitQuestion(t, ctx, id)
			msgs := sb.fake.ChannelMessages(dmChannel)
			if token != "" {
				r, _ := sb.fake.Responses(token)
				if d := r.AckedAt.Sub(r.DispatchedAt); r.CallbackType != 5 || d > ackContract {
					t.Errorf("callback type %d after %v, want a deferral within %v", r.CallbackType, d, ackContract)
				}
				msgs = responseMessages(r)
			}
			if got := line.str("outcome"); got != tt.outcome {
				t.Errorf("question outcome = %q, want %q", got, tt.outcome)
			}
			logs := sb.logs.String()
			for _, want := range tt.logs {
				if !strings.Contains(logs, want) {
					t.Errorf("logs lack %q:\n%s", want, tail(logs, 20))
				}
			}
			if tt.outcome == "failed" && !logHas(logs, "couldn't deliver the answer", id) {
				t.Errorf("no error log line names question %s", id)
			}
			if token != "" && strings.Contains(logs, token) {
				t.Errorf("logs contain the interaction token")
			}
			tt.check(t, sb.fake.Requests(), msgs)
		})
	}
}

// checkStatuses checks the statuses the fake answered, in order, to the
// requests with method whose path ends with suffix.
func checkStatuses(t *testing.T, reqs []fakediscord.Request, method, suffix string, want []int) {
	t.Helper()
	var got []int
	for _, r := range reqs {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) && !strings.Contains(r.Path, "/commands") {
			got = append(got, r.Status)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s …%s statuses = %v, want %v", method, suffix, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s …%s statuses = %v, want %v", method, suffix, got, want)
			return
		}
	}
}

// logHas reports whether one JSON log line has message msg and ID id.
func logHas(logs, msg, id string) bool {
	for _, l := range jsonLogs(logs) {
		if l.str("msg") == msg && l.str("id") == id {
			return true
		}
	}
	return false
}
