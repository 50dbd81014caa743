package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// Questions about the bundled article, and one it doesn't cover.
const (
	onTopic  = "What are the joint drills meant to improve?"
	onTopic2 = "Why does Russia need China?"
	offTopic = "What is the recipe for chocolate cake?"
)

// TestServe drives one offline (extractive) bot through `articlebot
// serve`'s own wiring with the real discordgo client. Subtests share the
// bot and run in parallel, each as its own users and channels.
func TestServe(t *testing.T) {
	t.Parallel()
	sb := startServe(t, nil)

	t.Run("AskGuild", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.ask(t, ctx, "300000000000000001", onTopic2, false), edited)
		if r.CallbackType != 5 || r.CallbackFlags != 0 {
			t.Errorf("callback = type %d flags %d, want a public deferral (5, 0)", r.CallbackType, r.CallbackFlags)
		}
		if d := r.AckedAt.Sub(r.DispatchedAt); d > 3*time.Second {
			t.Errorf("acknowledged after %v, want under 3 s", d)
		}
		msgs := responseMessages(r)
		if got, want := msgs[0].Content, "> "+onTopic2; !strings.HasPrefix(got, want) {
			t.Errorf("answer %q does not start with the quoted question", got)
		}
		if got := msgs[len(msgs)-1].Embeds; len(got) != 1 || got[0].Title != "Sources" {
			t.Errorf("embeds = %+v, want one Sources embed", got)
		}
		checkAnswerMessages(t, msgs)
	})
	t.Run("AskPrivate", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.ask(t, ctx, "300000000000000002", onTopic, true), edited)
		if r.CallbackType != 5 || r.CallbackFlags != 64 || r.Original.Flags != 64 {
			t.Errorf("callback = type %d flags %d (message flags %d), want 5 with 64", r.CallbackType, r.CallbackFlags, r.Original.Flags)
		}
		checkAnswerMessages(t, responseMessages(r))
	})
	t.Run("AskOffTopic", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.ask(t, ctx, "300000000000000003", offTopic, false), edited)
		if c := r.Original.Content; !strings.Contains(c, "doesn't cover") || serveMarkerRE.MatchString(c) || len(r.Original.Embeds) != 0 || len(r.Followups) != 0 {
			t.Errorf("refusal = %q with %d embeds, want a short refusal without [n] or sources", c, len(r.Original.Embeds))
		}
	})
	t.Run("AskEmptyQuestion", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.ask(t, ctx, "300000000000000004", "   \t ", false), immediate)
		if r.CallbackFlags != 64 || !strings.Contains(r.Original.Content, "/ask question:") {
			t.Errorf("reply = %q (flags %d), want ephemeral usage help", r.Original.Content, r.CallbackFlags)
		}
	})
	t.Run("Ask6000Characters", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.ask(t, ctx, "300000000000000005", strings.Repeat("why ", 1499)+"why?", false), immediate)
		if want := "6000 characters long; the limit is 1000"; r.CallbackFlags != 64 || !strings.Contains(r.Original.Content, want) {
			t.Errorf("reply = %q (flags %d), want an ephemeral refusal containing %q", r.Original.Content, r.CallbackFlags, want)
		}
		if d := r.AckedAt.Sub(r.DispatchedAt); d > 3*time.Second {
			t.Errorf("acknowledged after %v", d)
		}
	})
	t.Run("AskWithMentions", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		q := "@everyone @here <@&123456789012345678> <@!456> " + onTopic2
		r := sb.wait(t, ctx, sb.ask(t, ctx, "300000000000000006", q, false), edited)
		checkNoPings(t, responseMessages(r))
		checkAnswerMessages(t, responseMessages(r)) // the mentions don't spoil retrieval
	})
	t.Run("AskInDM", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{
			Name: "ask", User: fakediscord.User{ID: "300000000000000007"}, Options: []fakediscord.Option{{Name: "question", Value: onTopic}},
		}), edited)
		checkAnswerMessages(t, responseMessages(r))
	})
	t.Run("DM", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		id, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: "400000000000000001", Author: fakediscord.User{ID: "300000000000000010"}, Content: onTopic})
		if err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
		msgs := sb.waitChannel(t, ctx, "400000000000000001", 1)
		if got := sb.replyTo(t, "400000000000000001"); got != id {
			t.Errorf("reply references %q, want the question %q", got, id)
		}
		checkAnswerMessages(t, msgs)
	})
	t.Run("DMWithMentions", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		if _, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: "400000000000000005", Author: fakediscord.User{ID: "300000000000000014"}, Content: "@everyone " + offTopic}); err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
		checkNoPings(t, sb.waitChannel(t, ctx, "400000000000000005", 1))
	})
	t.Run("DMFromBotIgnored", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		const ch = "400000000000000002"
		if _, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: "300000000000000011", Bot: true}, Content: onTopic}); err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
		human, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: "300000000000000012"}, Content: onTopic})
		if err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
		sb.waitChannel(t, ctx, ch, 1)
		time.Sleep(100 * time.Millisecond) // room for a wrong second reply
		if msgs := sb.fake.ChannelMessages(ch); len(msgs) != 1 || sb.replyTo(t, ch) != human {
			t.Errorf("got %d replies (first to %s), want exactly one, to the human's %s", len(msgs), sb.replyTo(t, ch), human)
		}
	})
	t.Run("Mention", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		const ch = "400000000000000003"
		bot := fakediscord.User{ID: sb.fake.BotUserID(), Bot: true}
		id, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{
			ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: "300000000000000013"},
			Content: "<@" + bot.ID + "> " + onTopic, Mentions: []fakediscord.User{bot},
		})
		if err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
		msgs := sb.waitChannel(t, ctx, ch, 1)
		if got := sb.replyTo(t, ch); got != id {
			t.Errorf("reply references %q, want %q", got, id)
		}
		checkAnswerMessages(t, msgs)

		// A bare mention is an empty question: usage help, in place.
		if _, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{
			ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: "300000000000000013"},
			Content: "<@!" + bot.ID + ">", Mentions: []fakediscord.User{bot},
		}); err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
		if msgs := sb.waitChannel(t, ctx, ch, 2); !strings.HasPrefix(msgs[1].Content, "Mention me with a question") {
			t.Errorf("reply to a bare mention = %q, want usage help", msgs[1].Content)
		}
		// A server message that doesn't mention the bot is not a question.
		if _, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: "400000000000000004", GuildID: serveGuild, Author: fakediscord.User{ID: "300000000000000013"}, Content: onTopic}); err != nil {
			t.Fatalf("MessageCreate: %v", err)
		}
	})
	t.Run("Sources", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{Name: "sources", GuildID: serveGuild, User: fakediscord.User{ID: "300000000000000020"}}), immediate)
		c := r.Original.Content
		for _, want := range []string{"Xi Jinping and Russia", "passages", "last indexed <t:", "• The Historical Tapestry"} {
			if !strings.Contains(c, want) {
				t.Errorf("/sources lacks %q:\n%s", want, c)
			}
		}
	})
	t.Run("Help", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 10*time.Second)
		r := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{Name: "help", User: fakediscord.User{ID: "300000000000000021"}}), immediate)
		for _, want := range []string{"/ask", "/sources", "/reindex", "Xi Jinping and Russia"} {
			if !strings.Contains(r.Original.Content, want) {
				t.Errorf("/help lacks %q", want)
			}
		}
	})
	t.Run("Commands", func(t *testing.T) {
		t.Parallel()
		var names []string
		for _, c := range sb.fake.Commands(serveGuild) {
			names = append(names, c.Name)
			if c.Name == "reindex" && !strings.Contains(string(c.Raw), `"default_member_permissions":"32"`) {
				t.Errorf("/reindex = %s, want default_member_permissions 32 (Manage Server)", c.Raw)
			}
			if c.Name == "ask" && !strings.Contains(string(c.Raw), `"max_length":6000`) {
				t.Errorf("/ask = %s, want question max_length 6000", c.Raw)
			}
		}
		slices.Sort(names)
		if got, want := names, []string{"add", "ask", "help", "reindex", "remove", "sources"}; !slices.Equal(got, want) {
			t.Errorf("guild commands = %v, want %v", got, want)
		}
		if got := sb.fake.Commands(""); len(got) != 0 {
			t.Errorf("global commands = %d, want none with DISCORD_GUILD_ID set", len(got))
		}
	})
	t.Run("Burst30Users", func(t *testing.T) {
		t.Parallel()
		ctx := serveCtx(t, 20*time.Second)
		tokens := make([]string, 30)
		var wg sync.WaitGroup
		for i := range tokens {
			wg.Go(func() { tokens[i] = sb.ask(t, ctx, fmt.Sprintf("3100000000000000%02d", i), onTopic2, false) })
		}
		wg.Wait()
		var acks []time.Duration
		for _, tok := range tokens {
			r := sb.wait(t, ctx, tok, func(r fakediscord.InteractionResponse) bool { return edited(r) || immediate(r) })
			acks = append(acks, r.AckedAt.Sub(r.DispatchedAt))
			c := r.Original.Content
			if !serveMarkerRE.MatchString(c) && !strings.Contains(c, "try again") {
				t.Errorf("reply %q is neither an answer nor a polite wait", c)
			}
		}
		slices.Sort(acks)
		if p100 := acks[len(acks)-1]; p100 > 3*time.Second {
			t.Errorf("slowest acknowledgement %v, want under 3 s", p100)
		}
		t.Logf("acknowledgement of 30 simultaneous questions: p50 %v, max %v", acks[len(acks)/2], acks[len(acks)-1])
	})
	t.Run("Reindex", func(t *testing.T) {
		t.Parallel()
		testReindex(t, sb)
	})
}

// testReindex checks who may /reindex and what it does, changing the
// corpus so that a reindex that should not happen would show.
func testReindex(t *testing.T, sb *servedBot) {
	ctx := serveCtx(t, 20*time.Second)
	const plain, manager = "320000000000000001", "320000000000000002"
	sources := func() string {
		r := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{Name: "sources", GuildID: serveGuild, User: fakediscord.User{ID: plain}}), immediate)
		return r.Original.Content
	}
	reindex := func(in fakediscord.Interaction) fakediscord.InteractionResponse {
		in.Name = "reindex"
		return sb.wait(t, ctx, sb.slash(t, ctx, in), func(r fakediscord.InteractionResponse) bool { return immediate(r) || edited(r) })
	}
	denied := func(name string, r fakediscord.InteractionResponse) {
		t.Helper()
		if r.CallbackType != 4 || r.CallbackFlags != 64 || !strings.HasPrefix(r.Original.Content, "Only admins may reindex") {
			t.Errorf("%s: reply = type %d flags %d %q, want an ephemeral denial", name, r.CallbackType, r.CallbackFlags, r.Original.Content)
		}
	}
	before := sources()
	extra := filepath.Join(sb.corpusDir, "solar.md")
	if err := os.WriteFile(extra, []byte("# Solar power\n\n## Panels\n\nSolar panels turn sunlight into electricity. They work best facing the sun.\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	denied("PlainMember", reindex(fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: plain}, Permissions: 1 << 11}))
	denied("DMNonAdmin", reindex(fakediscord.Interaction{User: fakediscord.User{ID: plain}}))
	denied("DMForgedPermissions", reindex(fakediscord.Interaction{User: fakediscord.User{ID: plain}, Permissions: 1<<3 | 1<<5, ForgedMember: true}))
	if after := sources(); after != before {
		t.Fatalf("index changed after denied reindexes:\nbefore %s\nafter %s", before, after)
	}

	r := reindex(fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: manager}, Permissions: 1 << 5})
	if c := r.Original.Content; r.CallbackFlags != 64 || !regexp.MustCompile(`Added [1-9]\d*, changed 0, removed 0`).MatchString(c) {
		t.Errorf("Manage Server reindex = %q (flags %d), want an ephemeral summary with passages added", c, r.CallbackFlags)
	}
	if s := sources(); !strings.Contains(s, "Solar power") || !strings.Contains(s, "2 documents") {
		t.Errorf("/sources after reindex lacks the new document:\n%s", s)
	}

	if err := os.Remove(extra); err != nil {
		t.Fatal(err)
	}
	r = reindex(fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: serveAdmin}})
	if c := r.Original.Content; !regexp.MustCompile(`Added 0, changed 0, removed [1-9]`).MatchString(c) {
		t.Errorf("admin-ID reindex = %q, want a summary with passages removed", c)
	}
	r = reindex(fakediscord.Interaction{User: fakediscord.User{ID: serveAdmin}})
	if c := r.Original.Content; !strings.Contains(c, "already up to date") || !strings.Contains(c, "Added 0, changed 0, removed 0") {
		t.Errorf("DM admin reindex = %q, want an up-to-date summary", c)
	}
}

// liveMentionRE matches text that could ping: a live @everyone or @here,
// or a user, nickname or role mention.
var liveMentionRE = regexp.MustCompile(`(?i)@(everyone|here)|<@[!&]?\d+>`)

// checkNoPings fails when a message could ping: a live @everyone, @here
// or user or role mention in its text (allowed_mentions is checked for
// every request when the bot stops).
func checkNoPings(t *testing.T, msgs []fakediscord.Message) {
	t.Helper()
	for i, m := range msgs {
		text := m.Content
		for _, e := range m.Embeds {
			for _, f := range e.Fields {
				text += "\n" + f.Name + "\n" + f.Value
			}
		}
		if p := liveMentionRE.FindString(text); p != "" {
			t.Errorf("message %d contains a live %q: %q", i+1, p, m.Content)
		}
		if got := string(m.AllowedMentions); !strings.Contains(strings.ReplaceAll(got, " ", ""), `"parse":[]`) {
			t.Errorf("message %d allowed_mentions = %s, want parse []", i+1, got)
		}
	}
}

func TestServeConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		want  string
	}{
		{name: "ErrNoToken", token: "", want: "DISCORD_TOKEN: required for serve"},
		{name: "ErrMalformedToken", token: "not a token", want: "DISCORD_TOKEN: is not a Discord bot token: it contains spaces"},
		{name: "ErrShortToken", token: "MTAwMDAwMDAwMDAwMDAwMDAw.GaBcDe.abc", want: "part 3 is too short"},
		{name: "ErrTwoParts", token: "MTAwMDAwMDAwMDAwMDAwMDAwGaBcDe.abcdefghijklmnop", want: "2 dot-separated part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"DISCORD_TOKEN": tt.token, "ARTICLEBOT_DATA_DIR": t.TempDir(), "DISCORD_API_BASE": "http://127.0.0.1:1"}
			var stderr lockedBuffer
			err := run(context.Background(), []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), &stderr, &stderr)
			if got, want := exitCode(err, &stderr), 2; got != want {
				t.Fatalf("exit code = %d, want %d (err %v)", got, want, err)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.want)
			}
			if tt.token != "" && strings.Contains(stderr.String(), tt.token) {
				t.Errorf("stderr echoes the token")
			}
		})
	}
}

// longModelAnswer is about 3000 characters of short sentences citing [1]
// to [3]; the answerer caps it, and with the quoted question it still
// needs two messages.
func longModelAnswer() string {
	var b strings.Builder
	for i := range 48 {
		fmt.Fprintf(&b, "Point %d: China buys Russian oil and gas at scale [%d]. ", i+1, i%3+1)
		if i%8 == 7 {
			b.WriteString("\n\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// TestServeModel drives a bot that answers with a (fake) language model:
// streaming edits, long answers split, mentions in the model's answer,
// and a gateway connection dropped while an answer streams.
func TestServeModel(t *testing.T) {
	t.Parallel()
	ai := fakeopenai.New(fakeopenai.Options{APIKey: "sk-serve-test-key"})
	t.Cleanup(ai.Close)
	sb := startServe(t, map[string]string{
		"OPENAI_BASE_URL":       ai.BaseURL(),
		"OPENAI_API_KEY":        "sk-serve-test-key",
		"ARTICLEBOT_CHAT_MODEL": "test-model",
		"DISCORD_GUILD_ID":      "", // commands go global
	})
	if got := len(sb.fake.Commands("")); got != 6 {
		t.Fatalf("%d global commands, want 6 without DISCORD_GUILD_ID", got)
	}
	longQuestion := "Why does Russia need China so much? I am asking about the economy, oil and gas exports, " +
		"sanctions, trade and the energy partnership between Xi Jinping and Putin, and I would like a detailed " +
		"answer that explains how China became such a massive market for Russian oil and gas, and what this means " +
		"for the balance of power between the two countries in the coming years, please."

	t.Run("LongAnswerSplit", func(t *testing.T) {
		ctx := serveCtx(t, 10*time.Second)
		ai.Enqueue(fakeopenai.Answer(longModelAnswer()))
		r := sb.wait(t, ctx, sb.ask(t, ctx, "330000000000000001", longQuestion, false), withSources)
		msgs := responseMessages(r)
		if len(msgs) < 2 {
			t.Fatalf("got %d message(s) of %d runes, want the answer split", len(msgs), len([]rune(msgs[0].Content)))
		}
		checkAnswerMessages(t, msgs)
	})
	t.Run("MentionsInModelAnswer", func(t *testing.T) {
		ctx := serveCtx(t, 10*time.Second)
		ai.Enqueue(fakeopenai.Mentions())
		q := "@everyone <@&123456789012345678> " + onTopic2
		r := sb.wait(t, ctx, sb.ask(t, ctx, "330000000000000002", q, false), withSources)
		checkNoPings(t, responseMessages(r))
		if !strings.Contains(r.Original.Content, "@\u200beveryone") {
			t.Errorf("answer %q lost the neutralized @everyone; want it shown, defused", r.Original.Content)
		}
	})
	t.Run("GatewayDropMidAnswer", func(t *testing.T) {
		ctx := serveCtx(t, 20*time.Second)
		ai.Enqueue(fakeopenai.Behavior{Text: longModelAnswer()[:600], StreamTime: 3 * time.Second})
		token := sb.ask(t, ctx, "330000000000000003", onTopic2, false)
		sb.wait(t, ctx, token, edited) // the first partial text is showing
		sb.fake.DropConnection()
		r := sb.wait(t, ctx, token, withSources)
		checkAnswerMessages(t, responseMessages(r))

		var edits []time.Time
		for _, req := range sb.fake.Requests() {
			if req.Method == "PATCH" && strings.Contains(req.Path, "/"+token+"/messages/@original") {
				edits = append(edits, req.Time)
			}
		}
		// At least two partial edits and the final one; how many more
		// depends on how long the stream took here, and the throttle is
		// checked by the gaps (the bot times each edit from the end of the
		// previous one, so the gap where the fake receives them is at
		// least the interval whatever the load).
		if n := len(edits); n < 3 {
			t.Errorf("%d edits for a 3 s stream, want at least 3", n)
		}
		for i := 1; i < len(edits)-1; i++ {
			if gap := edits[i].Sub(edits[i-1]); gap < time.Second {
				t.Errorf("partial edits %d and %d only %v apart, want at least 1 s", i, i+1, gap)
			}
		}

		// The session resumed and keeps answering.
		if err := sb.fake.WaitReady(ctx); err != nil {
			t.Fatalf("WaitReady after drop: %v", err)
		}
		if gw := sb.fake.Gateway(); gw.Resumes < 1 || gw.Identifies != 1 || !gw.Connected {
			t.Errorf("gateway = %+v, want one identify, a resume, connected", gw)
		}
		ai.Enqueue(fakeopenai.Good())
		sb.wait(t, ctx, sb.ask(t, ctx, "330000000000000004", onTopic, false), withSources)
	})
}

// TestServeTokenRefused: a token Discord answers with 401 is named as the
// cause, before any line about shutting down, and serve exits 1.
func TestServeTokenRefused(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	const other = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.zyxwvutsrqponmlkjihgfedcba0123"
	vars := map[string]string{
		"DISCORD_TOKEN": other, "DISCORD_API_BASE": fake.URL(), "ARTICLEBOT_DATA_DIR": t.TempDir(),
		"ARTICLEBOT_HTTP_ADDR": "off", "ARTICLEBOT_LOG_LEVEL": "debug",
	}
	var stderr lockedBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), io.Discard, &stderr)
	if got, want := exitCode(err, &stderr), 1; got != want {
		t.Fatalf("exit code = %d, want %d (err %v)", got, want, err)
	}
	logs := stderr.String()
	refused := strings.Index(logs, "refused DISCORD_TOKEN")
	if refused < 0 {
		t.Fatalf("stderr does not say DISCORD_TOKEN was refused:\n%s", logs)
	}
	if i := strings.Index(logs, "shutting down"); i >= 0 && i < refused {
		t.Errorf("\"shutting down\" comes before the cause:\n%s", logs)
	}
	if strings.Contains(logs, other) {
		t.Errorf("stderr echoes the token")
	}
}
