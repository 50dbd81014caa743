package main

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// testAPIKey has the shape of a real OpenAI project key, so that the
// whole-run log check for secrets means something.
const testAPIKey = "sk-proj-Zq3vT9wXb2LmN8rK4pYc7HdE1sGfJ6aU0iOeRtWyQxMn5BvCzLk2"

// modelEnv configures serve to answer with the fake model ai.
func modelEnv(ai *fakeopenai.Server, extra map[string]string) map[string]string {
	env := map[string]string{
		"OPENAI_BASE_URL":       ai.BaseURL(),
		"OPENAI_API_KEY":        testAPIKey,
		"ARTICLEBOT_CHAT_MODEL": "test-model",
		"ARTICLEBOT_LOG_FORMAT": "json",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// newModel starts a fake OpenAI server that answers with def and is
// closed after the bot that uses it (register it before startServe).
func newModel(t *testing.T, def fakeopenai.Behavior) *fakeopenai.Server {
	t.Helper()
	ai := fakeopenai.New(fakeopenai.Options{APIKey: testAPIKey, Default: def})
	t.Cleanup(ai.Close)
	return ai
}

// logLine is one JSON log line of serve (ARTICLEBOT_LOG_FORMAT=json).
type logLine map[string]any

func (l logLine) str(key string) string {
	s, _ := l[key].(string)
	return s
}

func (l logLine) num(key string) float64 {
	n, _ := l[key].(float64)
	return n
}

// jsonLogs parses every JSON line of logs; other lines are skipped.
func jsonLogs(logs string) []logLine {
	var out []logLine
	for _, s := range strings.Split(logs, "\n") {
		var l logLine
		if strings.HasPrefix(s, "{") && json.Unmarshal([]byte(s), &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// questionLogs groups the "question" log lines by question ID.
func questionLogs(logs string) map[string][]logLine {
	out := map[string][]logLine{}
	for _, l := range jsonLogs(logs) {
		if l.str("msg") == "question" {
			out[l.str("id")] = append(out[l.str("id")], l)
		}
	}
	return out
}

// waitQuestion waits for the one log line the bot writes for question id
// once its final message is sent (or could not be), and returns it.
func (sb *servedBot) waitQuestion(t *testing.T, ctx context.Context, id string) logLine {
	t.Helper()
	for {
		if lines := questionLogs(sb.logs.String())[id]; len(lines) > 0 {
			return lines[0]
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no question log line for %s: %v; logs:\n%s", id, ctx.Err(), tail(sb.logs.String(), 40))
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitLog waits until the logs contain substr.
func (sb *servedBot) waitLog(t *testing.T, ctx context.Context, substr string) {
	t.Helper()
	for !strings.Contains(sb.logs.String(), substr) {
		select {
		case <-ctx.Done():
			t.Fatalf("logs never contained %q; logs:\n%s", substr, tail(sb.logs.String(), 40))
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// askID dispatches /ask by user in serveGuild and returns the interaction's
// ID and token.
func (sb *servedBot) askID(t *testing.T, ctx context.Context, user, question string) (id, token string) {
	t.Helper()
	id, token, err := sb.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: "ask", GuildID: serveGuild, User: fakediscord.User{ID: user},
		Options: []fakediscord.Option{{Name: "question", Value: question}},
	})
	if err != nil {
		t.Fatalf("InteractionCreate: %v", err)
	}
	return id, token
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// messagesText is everything a user sees of msgs: content and embeds.
func messagesText(msgs []fakediscord.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Content)
		for _, e := range m.Embeds {
			b.WriteString("\n" + e.Title + "\n" + e.Description)
			for _, f := range e.Fields {
				b.WriteString("\n" + f.Name + "\n" + f.Value)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// systemPromptLines are the lines of the system prompt long enough that
// they can only appear in a message or log by leaking it.
func systemPromptLines() []string {
	var out []string
	for _, l := range strings.Split(answer.SystemPrompt(), "\n") {
		if l = strings.TrimSpace(l); len(l) >= 30 {
			out = append(out, l)
		}
	}
	return out
}

// checkNoLeak fails when text (a message or a log) holds the bot token,
// the API key or a line of the system prompt.
func checkNoLeak(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range append([]string{serveToken, testAPIKey}, systemPromptLines()...) {
		if strings.Contains(text, s) {
			t.Errorf("%s leaks %q", what, s)
		}
	}
}

// percentile is the p-th percentile (0 < p <= 100) of ds, by the nearest
// rank; ds is sorted in place.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(float64(len(ds))*p/100+0.5) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

// goroutines counts the goroutines of the process, leaving out those that
// only keep an idle HTTP connection open: the client transports keep up
// to MaxIdleConnsPerHost connections per host alive between bursts, and
// the loopback servers hold one goroutine per such connection, waiting
// for its next request (outside any handler). Those are
// bounded by the pool, not by the work done. It also returns the stacks
// counted, for a failure message.
func goroutines() (int, []string) {
	var buf bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&buf, 2)
	var kept []string
	for _, g := range strings.Split(buf.String(), "\n\n") {
		g = strings.TrimSpace(g)
		switch {
		case g == "",
			strings.Contains(g, "net/http.(*persistConn).readLoop"),
			strings.Contains(g, "net/http.(*persistConn).writeLoop"),
			strings.Contains(g, "net/http.(*conn).serve") && !strings.Contains(g, "ServeHTTP"):
			continue
		}
		kept = append(kept, g)
	}
	return len(kept), kept
}

// settleGoroutines waits up to d for the goroutine count to come back to
// at most limit and returns the last count and stacks.
func settleGoroutines(limit int, d time.Duration) (int, []string) {
	deadline := time.Now().Add(d)
	for {
		n, stacks := goroutines()
		if n <= limit || time.Now().After(deadline) {
			return n, stacks
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
