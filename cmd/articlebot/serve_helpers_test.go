package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// Discord identities of the serve tests. The token has the shape config
// requires of a real one.
const (
	serveToken = "MTAwMDAwMDAwMDAwMDAwMDAw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123"
	serveGuild = "100000000000000001"
	serveAdmin = "200000000000000001"
)

// serveMarkerRE matches a citation marker group such as [2] or [1, 3].
var serveMarkerRE = regexp.MustCompile(`\[(\d+(?:\s*,\s*\d+)*)\]`)

// lockedBuffer is a buffer that serve's logger and the test can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// servedBot is `articlebot serve` running in-process against a fake
// Discord.
type servedBot struct {
	fake      *fakediscord.Server
	logs      *lockedBuffer
	corpusDir string
	secrets   []string // must never appear in the logs
}

// startServe runs `articlebot serve` through run, with env on top of a
// test environment: the fake Discord, a fresh data folder, commands in
// serveGuild (unless env sets DISCORD_GUILD_ID to ""), serveAdmin as the
// only admin, and a corpus folder holding the bundled article. It returns
// once the commands are registered and the gateway is live. Cleanup
// cancels run, as SIGTERM does, and checks that serve exits 0 within 10 s,
// that nothing it sent could ping anyone and that its logs hold no secret.
func startServe(t testing.TB, env map[string]string) *servedBot {
	t.Helper()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	sb, _ := startServeOn(t, context.Background(), fake, env)
	return sb
}

// startServeOn is startServe against an existing fake Discord, with
// base as the parent of run's context (it may carry an askerHookKey).
// stop stops serve and runs startServe's checks; cleanup calls it too.
func startServeOn(t testing.TB, base context.Context, fake *fakediscord.Server, env map[string]string) (sb *servedBot, stop func()) {
	t.Helper()
	corpusDir := t.TempDir()
	article, err := os.ReadFile(filepath.Join("..", "..", "corpus", "bundled", "xi-jinping-and-russia.txt"))
	if err != nil {
		t.Fatalf("read bundled article: %v", err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "xi-jinping-and-russia.txt"), article, 0o600); err != nil {
		t.Fatalf("write corpus: %v", err)
	}
	vars := map[string]string{
		"DISCORD_TOKEN":         "Bot " + serveToken,
		"DISCORD_API_BASE":      fake.URL(),
		"DISCORD_GUILD_ID":      serveGuild,
		"ARTICLEBOT_ADMIN_IDS":  serveAdmin,
		"ARTICLEBOT_DATA_DIR":   t.TempDir(),
		"ARTICLEBOT_CORPUS_DIR": corpusDir,
		"ARTICLEBOT_HTTP_ADDR":  "off",
		"ARTICLEBOT_LOG_LEVEL":  "debug",
	}
	maps.Copy(vars, env)
	sb = &servedBot{fake: fake, logs: &lockedBuffer{}, corpusDir: corpusDir, secrets: []string{serveToken}}
	if k := vars["OPENAI_API_KEY"]; k != "" {
		sb.secrets = append(sb.secrets, k)
	}

	ctx, cancel := context.WithCancel(base)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), io.Discard, sb.logs)
	}()
	var once sync.Once
	stop = func() { once.Do(func() { sb.stop(t, cancel, done) }) }
	t.Cleanup(stop)
	identified := fake.Gateway().Identifies // more than 0 when serve restarts on fake
	deadline := time.Now().Add(15 * time.Second)
	for len(fake.Commands(vars["DISCORD_GUILD_ID"])) < 4 || fake.Gateway().Identifies <= identified {
		select {
		case err := <-done:
			t.Fatalf("serve stopped before registering commands: %v\n%s", err, sb.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("commands not registered within 15 s; logs:\n%s", sb.logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer rcancel()
	if err := fake.WaitReady(rctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	return sb, stop
}

// stop cancels run, as SIGTERM does, and checks that serve exited 0
// within 10 s, that nothing it sent could ping anyone and that its logs
// hold no secret.
func (sb *servedBot) stop(t testing.TB, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	fake := sb.fake
	cancel()
	start := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancel, want nil (exit 0)", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("serve took %v to stop, want under 10 s", d)
		}
	case <-time.After(10 * time.Second):
		t.Error("serve did not stop within 10 s of cancel")
	}
	if unsafe := fake.UnsafeMentions(); len(unsafe) != 0 {
		t.Errorf("%d requests could ping: first %s %s %s", len(unsafe), unsafe[0].Method, unsafe[0].Path, unsafe[0].AllowedMentions)
	}
	// Every message sent, partial edits and follow-ups included,
	// has its mentions defused too.
	for _, r := range fake.Requests() {
		if p := liveMentionRE.Find(r.Body); r.CarriesContent && p != nil {
			t.Errorf("%s %s carries a live %q", r.Method, r.Path, p)
		}
	}
	logs := sb.logs.String()
	for _, s := range sb.secrets {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain the secret %q", s)
		}
	}
}

// serveCtx is a context that ends after d or with the test.
func serveCtx(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// slash dispatches a slash command and returns its token.
func (sb *servedBot) slash(t testing.TB, ctx context.Context, in fakediscord.Interaction) string {
	t.Helper()
	_, token, err := sb.fake.InteractionCreate(ctx, in)
	if err != nil {
		t.Fatalf("InteractionCreate: %v", err)
	}
	return token
}

// ask dispatches /ask by user in serveGuild.
func (sb *servedBot) ask(t testing.TB, ctx context.Context, user, question string, private bool) string {
	t.Helper()
	opts := []fakediscord.Option{{Name: "question", Value: question}}
	if private {
		opts = append(opts, fakediscord.Option{Name: "private", Value: true})
	}
	return sb.slash(t, ctx, fakediscord.Interaction{Name: "ask", GuildID: serveGuild, User: fakediscord.User{ID: user}, Options: opts})
}

// wait waits until cond holds for the interaction's response.
func (sb *servedBot) wait(t testing.TB, ctx context.Context, token string, cond func(fakediscord.InteractionResponse) bool) fakediscord.InteractionResponse {
	t.Helper()
	var last fakediscord.InteractionResponse
	err := sb.fake.WaitFor(ctx, func([]fakediscord.Request) bool {
		last, _ = sb.fake.Responses(token)
		return cond(last)
	})
	if err != nil {
		content := ""
		if last.Original != nil {
			content = last.Original.Content
		}
		t.Fatalf("waiting for the response: %v; last = %+v, content %q", err, last, content)
	}
	return last
}

// waitChannel waits until the bot has posted at least n messages in
// channelID and returns them. It also waits for the fake to record the
// requests that posted them, which it does only after answering, so that
// replyTo sees them.
func (sb *servedBot) waitChannel(t *testing.T, ctx context.Context, channelID string, n int) []fakediscord.Message {
	t.Helper()
	err := sb.fake.WaitFor(ctx, func(reqs []fakediscord.Request) bool {
		posted := 0
		for _, r := range reqs {
			if r.Method == "POST" && r.Path == "/api/v9/channels/"+channelID+"/messages" && r.Status < 300 {
				posted++
			}
		}
		return posted >= n && len(sb.fake.ChannelMessages(channelID)) >= n
	})
	if err != nil {
		t.Fatalf("waiting for %d messages in %s: %v", n, channelID, err)
	}
	return sb.fake.ChannelMessages(channelID)
}

// replyTo returns the message_reference.message_id of the bot's first
// message in channelID.
func (sb *servedBot) replyTo(t *testing.T, channelID string) string {
	t.Helper()
	for _, r := range sb.fake.Requests() {
		if r.Method != "POST" || r.Path != "/api/v9/channels/"+channelID+"/messages" {
			continue
		}
		var body struct {
			Ref *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("decode message body: %v", err)
		}
		if body.Ref == nil {
			return ""
		}
		return body.Ref.MessageID
	}
	return ""
}

// immediate reports a type-4 response.
func immediate(r fakediscord.InteractionResponse) bool { return r.CallbackType == 4 }

// edited reports a deferred response that has been edited.
func edited(r fakediscord.InteractionResponse) bool { return r.Original != nil && r.Original.Edits > 0 }

// withSources reports a response whose last message carries embeds: a
// final, cited answer.
func withSources(r fakediscord.InteractionResponse) bool {
	msgs := responseMessages(r)
	return len(msgs) > 0 && len(msgs[len(msgs)-1].Embeds) > 0
}

// responseMessages is the original response followed by its follow-ups.
func responseMessages(r fakediscord.InteractionResponse) []fakediscord.Message {
	if r.Original == nil {
		return nil
	}
	return append([]fakediscord.Message{*r.Original}, r.Followups...)
}

// checkAnswerMessages checks a rendered answer: every message within
// 2000 runes, no marker cut at a message boundary, the Sources embed only
// on the last message, and a Sources field for every marker.
func checkAnswerMessages(t *testing.T, msgs []fakediscord.Message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no messages")
	}
	cited := map[string]bool{}
	for i, m := range msgs {
		if n := len([]rune(m.Content)); n > 2000 {
			t.Errorf("message %d has %d runes", i+1, n)
		}
		if regexp.MustCompile(`\[[\d,\s]*$`).MatchString(m.Content) || regexp.MustCompile(`^[\d,\s]*\]`).MatchString(m.Content) {
			t.Errorf("message %d cuts a marker: %q", i+1, m.Content)
		}
		if len(m.Embeds) > 0 && i != len(msgs)-1 {
			t.Errorf("message %d carries embeds; only the last should", i+1)
		}
		for _, e := range m.Embeds {
			for _, f := range e.Fields {
				cited[strings.Fields(f.Name)[0]] = true
				if n := len([]rune(f.Value)); n > 1024 || n == 0 {
					t.Errorf("field %q value has %d runes", f.Name, n)
				}
			}
		}
	}
	markers := 0
	for _, m := range msgs {
		for _, g := range serveMarkerRE.FindAllStringSubmatch(m.Content, -1) {
			for _, n := range strings.Split(g[1], ",") {
				markers++
				if !cited["["+strings.TrimSpace(n)+"]"] {
					t.Errorf("marker [%s] has no Sources field", strings.TrimSpace(n))
				}
			}
		}
	}
	if markers == 0 {
		t.Errorf("answer has no [n] markers: %q", msgs[0].Content)
	}
}
