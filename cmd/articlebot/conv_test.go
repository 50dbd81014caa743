package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/bot"
	"github.com/articlebot/articlebot/internal/fakediscord"
)

// askRecorder wraps serve's answerer and keeps every request it gets.
type askRecorder struct {
	next bot.Asker
	mu   sync.Mutex
	reqs []answer.Request
	from int // request looks only at reqs[from:]
	seen chan struct{}
}

// reset makes request ignore the requests so far.
func (r *askRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.from = len(r.reqs)
}

func (r *askRecorder) Ask(ctx context.Context, req answer.Request) (answer.Answer, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, answer.Request{Question: req.Question, History: req.History})
	r.mu.Unlock()
	select {
	case r.seen <- struct{}{}:
	default:
	}
	return r.next.Ask(ctx, req)
}

// count is the number of requests so far.
func (r *askRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// request returns the request whose question is q, waiting for it.
func (r *askRecorder) request(t *testing.T, ctx context.Context, q string) answer.Request {
	t.Helper()
	for {
		r.mu.Lock()
		for i := len(r.reqs) - 1; i >= r.from; i-- {
			if r.reqs[i].Question == q {
				req := r.reqs[i]
				r.mu.Unlock()
				return req
			}
		}
		r.mu.Unlock()
		select {
		case <-r.seen:
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			t.Fatalf("the answerer was never asked %q", q)
		}
	}
}

// convServe starts serve on fake with a recorder around its answerer.
func convServe(t *testing.T, fake *fakediscord.Server, env map[string]string) (*servedBot, *askRecorder, func()) {
	t.Helper()
	rec := &askRecorder{seen: make(chan struct{}, 1)}
	base := context.WithValue(context.Background(), askerHookKey{}, func(a bot.Asker) bot.Asker {
		rec.next = a
		return rec
	})
	vars := map[string]string{"ARTICLEBOT_RATE_PER_MINUTE": "600"}
	for k, v := range env {
		vars[k] = v
	}
	sb, stop := startServeOn(t, base, fake, vars)
	return sb, rec, stop
}

// lastBotMessage waits for the bot's nth message in channel and returns
// the last one.
func lastBotMessage(t *testing.T, sb *servedBot, ctx context.Context, channel string, n int) fakediscord.Message {
	t.Helper()
	msgs := sb.waitChannel(t, ctx, channel, n)
	return msgs[len(msgs)-1]
}

// checkHistory compares a request's history questions with want, oldest
// first, and checks that every turn carries an answer.
func checkHistory(t *testing.T, req answer.Request, want ...string) {
	t.Helper()
	var got []string
	for _, turn := range req.History {
		got = append(got, turn.Question)
		if strings.TrimSpace(turn.Answer) == "" {
			t.Errorf("turn %q has no answer", turn.Question)
		}
		if strings.HasPrefix(turn.Answer, "> ") {
			t.Errorf("turn %q answer keeps the quoted question: %q", turn.Question, turn.Answer)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("history of %q = %q, want %q", req.Question, got, want)
	}
}

const (
	followUp1 = "What about oil and gas?"
	followUp2 = "And the military side?"
)

// TestServeConversations drives follow-ups through serve: replies in a
// server and a DM, threads, the DM window, the cap, and what is not a
// follow-up.
func TestServeConversations(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	sb, rec, _ := convServe(t, fake, nil)
	botUser := fakediscord.User{ID: fake.BotUserID(), Bot: true}

	t.Run("ReplyGuild", func(t *testing.T) {
		ctx := serveCtx(t, 15*time.Second)
		rec.reset()
		const ch, user = "410000000000000001", "310000000000000001"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user},
			Content: "<@" + botUser.ID + "> " + onTopic2, Mentions: []fakediscord.User{botUser}}); err != nil {
			t.Fatal(err)
		}
		a1 := lastBotMessage(t, sb, ctx, ch, 1)
		// Replying the moment the answer shows: the answer is recorded
		// just after its message is sent, and the follow-up waits for it.
		// No mention: a reply to the bot is enough.
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: followUp1, ReferenceID: a1.ID}); err != nil {
			t.Fatal(err)
		}
		req := rec.request(t, ctx, followUp1)
		checkHistory(t, req, onTopic2)
		if len(req.History) == 1 && len(req.History[0].Citations) == 0 {
			t.Error("the previous turn lost its citations")
		}
		lastBotMessage(t, sb, ctx, ch, 2)
	})
	t.Run("ReplyDM", func(t *testing.T) {
		ctx := serveCtx(t, 15*time.Second)
		rec.reset()
		const ch, user = "410000000000000002", "310000000000000002"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: onTopic}); err != nil {
			t.Fatal(err)
		}
		a1 := lastBotMessage(t, sb, ctx, ch, 1)
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: followUp1, ReferenceID: a1.ID}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, followUp1), onTopic)
		lastBotMessage(t, sb, ctx, ch, 2)
	})
	t.Run("SourceFollowUp", func(t *testing.T) {
		// "source?" shows the last answer's sources again, from the
		// history rebuilt from Discord; nothing new is searched for.
		ctx := serveCtx(t, 15*time.Second)
		rec.reset()
		const ch, user = "410000000000000031", "310000000000000031"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: "why does russia need china so bad"}); err != nil {
			t.Fatal(err)
		}
		a1 := lastBotMessage(t, sb, ctx, ch, 1)
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: "source?", ReferenceID: a1.ID}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, "source?"), "why does russia need china so bad")
		a2 := lastBotMessage(t, sb, ctx, ch, 2)
		if !strings.Contains(a2.Content, answer.SourcesIntro) || !strings.Contains(a2.Content, "massive market") {
			t.Fatalf("reply to source? = %q, want the last answer's sources", a2.Content)
		}
	})
	t.Run("OffTopicFollowUp", func(t *testing.T) {
		// History never makes an unrelated question look related.
		ctx := serveCtx(t, 15*time.Second)
		rec.reset()
		const ch, user = "410000000000000032", "310000000000000032"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: onTopic}); err != nil {
			t.Fatal(err)
		}
		a1 := lastBotMessage(t, sb, ctx, ch, 1)
		const offTopic = "ok unrelated but how do i bake sourdough bread"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: offTopic, ReferenceID: a1.ID}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, offTopic), onTopic)
		a2 := lastBotMessage(t, sb, ctx, ch, 2)
		if !strings.Contains(a2.Content, answer.RefusalText) {
			t.Fatalf("reply to an off-topic follow-up = %q, want the refusal", a2.Content)
		}
	})
	t.Run("DMWindow", func(t *testing.T) {
		ctx := serveCtx(t, 15*time.Second)
		rec.reset()
		const ch, user = "410000000000000003", "310000000000000003"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: onTopic2}); err != nil {
			t.Fatal(err)
		}
		lastBotMessage(t, sb, ctx, ch, 1)
		const inside = "Inside the window, what about oil?"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: inside}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, inside), onTopic2)
		lastBotMessage(t, sb, ctx, ch, 2)
		const outside = "Outside the window, what about oil?"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: outside,
			Timestamp: time.Now().Add(11 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, outside))
		lastBotMessage(t, sb, ctx, ch, 3)
	})
	t.Run("Thread", func(t *testing.T) {
		ctx := serveCtx(t, 20*time.Second)
		rec.reset()
		const ch, user, other = "410000000000000004", "310000000000000004", "310000000000000005"
		token := sb.slash(t, ctx, fakediscord.Interaction{Name: "ask", GuildID: serveGuild, ChannelID: ch, User: fakediscord.User{ID: user},
			Options: []fakediscord.Option{{Name: "question", Value: onTopic2}, {Name: "thread", Value: true}}})
		r := sb.wait(t, ctx, token, withSources)
		var th fakediscord.Thread
		if err := fake.WaitFor(ctx, func([]fakediscord.Request) bool {
			for _, x := range fake.Threads() {
				if x.ParentID == ch {
					th = x
				}
			}
			return th.ID != ""
		}); err != nil {
			t.Fatalf("no thread opened: %v", err)
		}
		if th.ID != r.Original.ID || th.Name != onTopic2 {
			t.Errorf("thread = %+v, want one named %q on the answer %s", th, onTopic2, r.Original.ID)
		}
		// Another member's message in the thread is not a follow-up.
		before := rec.count()
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: th.ID, GuildID: serveGuild, Author: fakediscord.User{ID: other}, Content: "What about Ukraine?"}); err != nil {
			t.Fatal(err)
		}
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: th.ID, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: followUp1}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, followUp1), onTopic2)
		lastBotMessage(t, sb, ctx, th.ID, 1)
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: th.ID, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: followUp2}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, followUp2), onTopic2, followUp1)
		lastBotMessage(t, sb, ctx, th.ID, 2)
		if got := rec.count() - before; got != 2 {
			t.Errorf("%d questions asked in the thread, want 2 (the other member's ignored)", got)
		}
		if n := len(fake.ChannelMessages(th.ID)); n != 2 {
			t.Errorf("%d bot messages in the thread, want 2", n)
		}
	})
	t.Run("HistoryCapped", func(t *testing.T) {
		ctx := serveCtx(t, 40*time.Second)
		rec.reset()
		const ch, user = "410000000000000006", "310000000000000006"
		questions := []string{onTopic, onTopic2, "What did Xi say in Moscow?", "How much oil does China buy?",
			"What is the power of Siberia pipeline?", "What about the joint drills?", "Why does Russia need China?", followUp2}
		ref := ""
		for i, q := range questions {
			if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: user}, Content: q, ReferenceID: ref}); err != nil {
				t.Fatal(err)
			}
			ref = lastBotMessage(t, sb, ctx, ch, i+1).ID
		}
		req := rec.request(t, ctx, followUp2)
		checkHistory(t, req, questions[1:7]...)
		chars := 0
		for _, turn := range req.History {
			chars += len([]rune(turn.Question)) + len([]rune(turn.Answer))
		}
		if chars > 6000 {
			t.Errorf("history of %d characters, want at most 6000", chars)
		}
	})
	t.Run("ReplyToOthersIsNew", func(t *testing.T) {
		ctx := serveCtx(t, 15*time.Second)
		rec.reset()
		const ch, user, other = "410000000000000007", "310000000000000007", "310000000000000008"
		theirs, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: other}, Content: "I think it's about oil."})
		if err != nil {
			t.Fatal(err)
		}
		// Without a mention, a reply to a member is not for the bot.
		before := rec.count()
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: "Is that right?", ReferenceID: theirs}); err != nil {
			t.Fatal(err)
		}
		// With one it is a new question: no history.
		const q = "<@%s> What about gas?"
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user},
			Content: fmt.Sprintf(q, botUser.ID), Mentions: []fakediscord.User{botUser}, ReferenceID: theirs}); err != nil {
			t.Fatal(err)
		}
		checkHistory(t, rec.request(t, ctx, "What about gas?"))
		lastBotMessage(t, sb, ctx, ch, 1)
		if got := rec.count() - before; got != 1 {
			t.Errorf("%d questions asked, want 1", got)
		}
	})
}

// restartedConversation answers a /ask thread:true in channel ch and a
// mention there, stops serve and starts it again, with env both times;
// it returns the slash answer (whose thread is r.Original.ID), the
// mention's answer, and the restarted serve with its recorder.
func restartedConversation(t *testing.T, ctx context.Context, fake *fakediscord.Server, env map[string]string, ch, user string) (r fakediscord.InteractionResponse, a fakediscord.Message, sb2 *servedBot, rec2 *askRecorder) {
	t.Helper()
	sb, _, stop := convServe(t, fake, env)
	token := sb.slash(t, ctx, fakediscord.Interaction{Name: "ask", GuildID: serveGuild, ChannelID: ch, User: fakediscord.User{ID: user},
		Options: []fakediscord.Option{{Name: "question", Value: onTopic2}, {Name: "thread", Value: true}}})
	r = sb.wait(t, ctx, token, withSources)
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: onTopic,
		Mentions: []fakediscord.User{{ID: fake.BotUserID(), Bot: true}}}); err != nil {
		t.Fatal(err)
	}
	a = lastBotMessage(t, sb, ctx, ch, 1)
	stop()
	sb2, rec2, _ = convServe(t, fake, env)
	return r, a, sb2, rec2
}

// TestServeConversationRestart answers, restarts serve on a new data
// folder (as a second machine would), then replies: the history comes
// back from Discord.
func TestServeConversationRestart(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	ctx := serveCtx(t, 40*time.Second)
	const ch, user = "420000000000000001", "320000000000000001"
	r, a, sb2, rec2 := restartedConversation(t, ctx, fake, nil, ch, user)
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: followUp1, ReferenceID: a.ID}); err != nil {
		t.Fatal(err)
	}
	checkHistory(t, rec2.request(t, ctx, followUp1), onTopic)
	// The slash answer's thread is still the bot's, and its first
	// question is still there.
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: r.Original.ID, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: followUp2}); err != nil {
		t.Fatal(err)
	}
	checkHistory(t, rec2.request(t, ctx, followUp2), onTopic2)
	lastBotMessage(t, sb2, ctx, r.Original.ID, 1)
}

// TestServeConversationRestartSameData answers, restarts serve on the
// same data folder, then follows up: the conversation and the answer's
// exact citations come back from the feedback database, so "source?"
// quotes what the answer quoted and no message is fetched from Discord.
func TestServeConversationRestartSameData(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	ctx := serveCtx(t, 40*time.Second)
	const ch, user = "420000000000000011", "320000000000000011"
	r, a, sb2, rec2 := restartedConversation(t, ctx, fake, map[string]string{"ARTICLEBOT_DATA_DIR": t.TempDir()}, ch, user)
	if !strings.Contains(a.Content, "\u201c") {
		t.Fatalf("the first answer quotes nothing: %q", a.Content)
	}
	gets := func() int {
		n := 0
		for _, req := range fake.Requests() {
			if req.Method == "GET" && strings.Contains(req.Path, "/messages") {
				n++
			}
		}
		return n
	}
	before := gets()
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: "source?", ReferenceID: a.ID}); err != nil {
		t.Fatal(err)
	}
	req := rec2.request(t, ctx, "source?")
	checkHistory(t, req, onTopic)
	if len(req.History) == 1 && len(req.History[0].Citations) == 0 {
		t.Error("the turn from before the restart lost its citations")
	}
	src := lastBotMessage(t, sb2, ctx, ch, 2)
	if !strings.Contains(src.Content, answer.SourcesIntro) {
		t.Fatalf("source? reply = %q, want the last answer's sources", src.Content)
	}
	for _, q := range quotes(src.Content) {
		if !strings.Contains(a.Content, q) {
			t.Errorf("source? quotes %q, which the answer before the restart did not", q)
		}
	}
	if got := gets() - before; got != 0 {
		t.Errorf("%d messages fetched from Discord for a reply to a recorded answer, want 0", got)
	}
	// The slash answer's thread is known to be the bot's from the
	// database: Discord is not asked what the channel is.
	thread := r.Original.ID
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: thread, GuildID: serveGuild, Author: fakediscord.User{ID: user}, Content: followUp2}); err != nil {
		t.Fatal(err)
	}
	checkHistory(t, rec2.request(t, ctx, followUp2), onTopic2)
	lastBotMessage(t, sb2, ctx, thread, 1)
	for _, req := range fake.Requests() {
		if req.Method == "GET" && strings.HasSuffix(req.Path, "/channels/"+thread) {
			t.Errorf("the thread was looked up on Discord (%s %s), though the database knows it", req.Method, req.Path)
		}
	}
}

// quotes returns the “…” quotations of text.
func quotes(text string) []string {
	var out []string
	for {
		i := strings.Index(text, "\u201c")
		if i < 0 {
			return out
		}
		text = text[i+len("\u201c"):]
		j := strings.Index(text, "\u201d")
		if j < 0 {
			return out
		}
		out = append(out, text[:j])
		text = text[j:]
	}
}
