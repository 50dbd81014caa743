package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// TestServeCommandsRejected: Discord answers the bulk overwrite with 400.
// The bot keeps running and answers DMs and mentions, /readyz says why it
// is degraded, a metric counts the failure, and the registration is
// retried in the background until it succeeds.
func TestServeCommandsRejected(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	fake.RejectCommandsNext(1)
	corpusDir := t.TempDir()
	article, err := os.ReadFile(filepath.Join("..", "..", "corpus", "bundled", "xi-jinping-and-russia.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "xi.txt"), article, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	vars := map[string]string{
		"DISCORD_TOKEN": serveToken, "DISCORD_API_BASE": fake.URL(), "DISCORD_GUILD_ID": serveGuild,
		"ARTICLEBOT_DATA_DIR": t.TempDir(), "ARTICLEBOT_CORPUS_DIR": corpusDir, "ARTICLEBOT_HTTP_ADDR": addr,
	}
	var logs lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), io.Discard, &logs)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v, want nil", err)
		}
	})
	wctx := serveCtx(t, 20*time.Second)
	if err := fake.WaitReady(wctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	// The rejection is logged with Discord's own message.
	for !strings.Contains(logs.String(), "couldn't register slash commands") {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, logs.String())
		case <-wctx.Done():
			t.Fatalf("no registration failure logged:\n%s", logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if !strings.Contains(logs.String(), "Invalid Form Body") {
		t.Errorf("logs lack Discord's error message:\n%s", logs.String())
	}
	code, body := httpGet(t, "http://"+addr+"/readyz")
	if code != 200 || !strings.Contains(body, "degraded") || !strings.Contains(body, "slash commands not registered") || !strings.Contains(body, "400") {
		t.Errorf("/readyz = %d %q, want 200 saying the commands are not registered (400)", code, body)
	}
	if _, m := httpGet(t, "http://"+addr+"/metrics"); !strings.Contains(m, "articlebot_command_registration_failures_total 1") {
		t.Errorf("/metrics lacks one registration failure")
	}
	// DMs are answered meanwhile.
	const dm = "480000000000000009"
	if _, err := fake.MessageCreate(wctx, fakediscord.MessageEvent{ChannelID: dm, Author: fakediscord.User{ID: "380000000000000009"}, Content: onTopic}); err != nil {
		t.Fatal(err)
	}
	sb := &servedBot{fake: fake, logs: &logs}
	if msgs := sb.waitChannel(t, wctx, dm, 1); len(msgs[0].Embeds) == 0 {
		t.Errorf("DM answer %+v has no sources", msgs[0])
	}
	// The registration is retried and succeeds.
	for len(fake.Commands(serveGuild)) == 0 {
		select {
		case <-wctx.Done():
			t.Fatalf("commands never registered:\n%s", logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if code, body := httpGet(t, "http://"+addr+"/readyz"); code != 200 || strings.Contains(body, "degraded") {
		t.Errorf("/readyz after registering = %d %q, want plain ready", code, body)
	}
}

// TestServeUnreadableMessageAnswer: Discord creates the reply but its
// answer can't be decoded. The bot must not post the answer again, and
// the message carries an enforced nonce.
func TestServeUnreadableMessageAnswer(t *testing.T) {
	t.Parallel()
	sb := startServe(t, nil)
	ctx := serveCtx(t, 20*time.Second)
	sb.fake.GarbleNext("POST", "/api/v9/channels/*/messages", 1)
	const dm = "480000000000000010"
	if _, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: dm, Author: fakediscord.User{ID: "380000000000000010"}, Content: onTopic}); err != nil {
		t.Fatal(err)
	}
	sb.waitLog(t, ctx, "not posting it again")
	time.Sleep(300 * time.Millisecond) // room for a wrong second post
	msgs := sb.fake.ChannelMessages(dm)
	if len(msgs) != 1 {
		t.Fatalf("%d messages in the DM, want 1: %+v", len(msgs), msgs)
	}
	if msgs[0].Nonce == "" || !msgs[0].EnforceNonce {
		t.Errorf("message nonce = %q, enforce_nonce = %v; want a nonce, enforced", msgs[0].Nonce, msgs[0].EnforceNonce)
	}
	posts := 0
	for _, r := range sb.fake.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/channels/"+dm+"/messages") {
			posts++
			var body struct {
				Nonce        string `json:"nonce"`
				EnforceNonce bool   `json:"enforce_nonce"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil || body.Nonce == "" || !body.EnforceNonce {
				t.Errorf("POST body %s lacks an enforced nonce", r.Body)
			}
		}
	}
	if posts != 1 {
		t.Errorf("%d POSTs of the answer, want 1", posts)
	}
}

// TestServeInteractionTwice: the same interaction dispatched twice is
// acknowledged once.
func TestServeInteractionTwice(t *testing.T) {
	t.Parallel()
	sb := startServe(t, nil)
	ctx := serveCtx(t, 20*time.Second)
	id, token, err := sb.fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: "ask", GuildID: serveGuild, User: fakediscord.User{ID: "380000000000000011"}, Deliveries: 2,
		Options: []fakediscord.Option{{Name: "question", Value: onTopic}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sb.waitLog(t, ctx, "interaction delivered twice")
	err = sb.fake.WaitFor(ctx, func([]fakediscord.Request) bool {
		r, ok := sb.fake.Responses(token)
		return ok && withSources(r)
	})
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	callbacks := 0
	for _, r := range sb.fake.Requests() {
		if r.Method == "POST" && strings.Contains(r.Path, "/interactions/"+id+"/") {
			callbacks++
		}
	}
	if callbacks != 1 {
		t.Errorf("%d callbacks for interaction %s, want 1", callbacks, id)
	}
}
