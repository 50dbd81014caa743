package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/feedback"
	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// voteIDRE matches the custom_ids of an answer's vote buttons.
var voteIDRE = regexp.MustCompile(`^fb:(up|down):([0-9a-f]{12})$`)

// Ephemeral replies to a press, as members read them.
const (
	thanksUp    = "Thanks for the feedback! I've recorded your 👍."
	thanksDown  = "Thanks for the feedback! I've recorded your 👎; answers like this one help me improve."
	updatedUp   = "Thanks! I've updated your vote to 👍."
	updatedDown = "Thanks! I've updated your vote to 👎."
	unknownNote = "I no longer have that answer, so I couldn't record your vote."
)

// buttonIDs returns the custom_ids of the buttons m carries, row by row.
func buttonIDs(t testing.TB, m fakediscord.Message) []string {
	t.Helper()
	if len(m.Components) == 0 {
		return nil
	}
	var rows []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			CustomID string `json:"custom_id"`
			Emoji    struct {
				Name string `json:"name"`
			} `json:"emoji"`
		} `json:"components"`
	}
	if err := json.Unmarshal(m.Components, &rows); err != nil {
		t.Fatalf("decode components %s: %v", m.Components, err)
	}
	var ids []string
	for _, r := range rows {
		for _, b := range r.Components {
			ids = append(ids, b.Emoji.Name+" "+b.CustomID)
		}
	}
	return ids
}

// voteButtons checks that m carries exactly the 👍 and 👎 buttons of one
// answer and returns their custom_ids and the answer ID.
func voteButtons(t testing.TB, m fakediscord.Message) (up, down, answerID string) {
	t.Helper()
	ids := buttonIDs(t, m)
	if len(ids) != 2 {
		t.Fatalf("message %s carries buttons %q, want 👍 and 👎", m.ID, ids)
	}
	up, down = strings.TrimPrefix(ids[0], "👍 "), strings.TrimPrefix(ids[1], "👎 ")
	mu, md := voteIDRE.FindStringSubmatch(up), voteIDRE.FindStringSubmatch(down)
	if mu == nil || md == nil || mu[1] != "up" || md[1] != "down" || mu[2] != md[2] {
		t.Fatalf("message %s carries buttons %q, want [👍 fb:up:ID 👎 fb:down:ID]", m.ID, ids)
	}
	return up, down, mu[2]
}

// press presses the button customID on message as user and returns the
// bot's acknowledgement once it has arrived.
func (sb *servedBot) press(t testing.TB, ctx context.Context, message, customID, user string) fakediscord.InteractionResponse {
	t.Helper()
	r, err := pressButton(ctx, sb.fake, message, customID, user)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// pressButton is press for any goroutine: it returns its failure.
func pressButton(ctx context.Context, fake *fakediscord.Server, message, customID, user string) (fakediscord.InteractionResponse, error) {
	var r fakediscord.InteractionResponse
	token, err := fake.PressButton(ctx, fakediscord.ComponentPress{MessageID: message, CustomID: customID, User: fakediscord.User{ID: user}})
	if err != nil {
		return r, err
	}
	err = fake.WaitFor(ctx, func([]fakediscord.Request) bool {
		r, _ = fake.Responses(token)
		return r.CallbackType == 4 || (r.CallbackType != 0 && edited(r))
	})
	if err != nil {
		return r, fmt.Errorf("press %s on %s: no acknowledgement: %w", customID, message, err)
	}
	return r, nil
}

// checkVoteReply checks that a press was acknowledged within Discord's
// 3 s with an ephemeral message reading want: in the acknowledgement
// (type 4) or, when the vote took longer than the bot waits, in the edit
// of a deferred one (type 5).
func checkVoteReply(t testing.TB, r fakediscord.InteractionResponse, want string) {
	t.Helper()
	if (r.CallbackType != 4 && r.CallbackType != 5) || r.CallbackFlags&64 == 0 || r.Original == nil {
		t.Fatalf("press acknowledged with type %d flags %d, want an ephemeral message (type 4 or 5, flag 64)", r.CallbackType, r.CallbackFlags)
	}
	if got := r.Original.Content; got != want {
		t.Errorf("press reply = %q, want %q", got, want)
	}
	if d := r.AckedAt.Sub(r.DispatchedAt); d > 3*time.Second {
		t.Errorf("press acknowledged after %v, want within 3 s", d)
	}
}

// openVotes opens serve's feedback database in dir, beside serve.
func openVotes(t testing.TB, dir string) *feedback.DB {
	t.Helper()
	db, err := feedback.Open(context.Background(), filepath.Join(dir, "feedback.db"))
	if err != nil {
		t.Fatalf("open feedback database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitAnswer waits for the answer with ID id to be in db.
func waitAnswer(t testing.TB, ctx context.Context, db *feedback.DB, id string) feedback.Answer {
	t.Helper()
	for {
		a, err := db.Answer(ctx, id)
		if err == nil {
			return a
		}
		select {
		case <-ctx.Done():
			t.Fatalf("answer %s never recorded: %v", id, err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestServeVoteButtons(t *testing.T) {
	t.Parallel()
	sb := startServe(t, map[string]string{"ARTICLEBOT_RATE_PER_MINUTE": "600"})
	ctx := serveCtx(t, 20*time.Second)
	tests := []struct {
		name     string
		question string
		wait     func(fakediscord.InteractionResponse) bool
	}{
		{name: "Answer", question: onTopic, wait: withSources},
		{name: "Refusal", question: offTopic, wait: edited},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sb.wait(t, ctx, sb.ask(t, ctx, fmt.Sprintf("34000000000000000%d", i), tt.question, false), tt.wait)
			msgs := responseMessages(r)
			if len(msgs) != 1 {
				t.Fatalf("%d messages, want 1", len(msgs))
			}
			voteButtons(t, msgs[0])
		})
	}
	t.Run("DM", func(t *testing.T) {
		ch := "440000000000000001"
		if _, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: "340000000000000009"}, Content: onTopic2}); err != nil {
			t.Fatal(err)
		}
		voteButtons(t, lastBotMessage(t, sb, ctx, ch, 1))
	})
	t.Run("DistinctAnswers", func(t *testing.T) {
		seen := map[string]bool{}
		for i := range 3 {
			r := sb.wait(t, ctx, sb.ask(t, ctx, fmt.Sprintf("34100000000000000%d", i), onTopic, false), withSources)
			_, _, id := voteButtons(t, *r.Original)
			if seen[id] {
				t.Errorf("answer ID %s repeats", id)
			}
			seen[id] = true
		}
	})
	// Operational notices carry no buttons: there is no answer to rate.
	t.Run("NoticesWithout", func(t *testing.T) {
		notices := []fakediscord.Interaction{
			{Name: "help", GuildID: serveGuild, User: fakediscord.User{ID: "342000000000000001"}},
			{Name: "ask", GuildID: serveGuild, User: fakediscord.User{ID: "342000000000000001"},
				Options: []fakediscord.Option{{Name: "question", Value: strings.Repeat("why ", 300)}}},
		}
		for _, in := range notices {
			r := sb.wait(t, ctx, sb.slash(t, ctx, in), immediate)
			for _, m := range responseMessages(r) {
				if ids := buttonIDs(t, m); len(ids) != 0 {
					t.Errorf("/%s notice carries buttons %q", in.Name, ids)
				}
			}
		}
	})
}

// TestServeVoteButtonsModel checks the buttons of model answers: only on
// the last message of a split answer, and on a streamed answer only with
// the final edit.
func TestServeVoteButtonsModel(t *testing.T) {
	t.Parallel()
	ai := fakeopenai.New(fakeopenai.Options{APIKey: "sk-votes-test-key"})
	t.Cleanup(ai.Close)
	sb := startServe(t, map[string]string{
		"OPENAI_BASE_URL":       ai.BaseURL(),
		"OPENAI_API_KEY":        "sk-votes-test-key",
		"ARTICLEBOT_CHAT_MODEL": "test-model",
	})
	t.Run("SplitAnswer", func(t *testing.T) {
		ctx := serveCtx(t, 10*time.Second)
		// A long question quoted above a long answer overflows one message.
		q := onTopic2 + strings.Repeat(" I mean the economy, oil and gas, sanctions and trade.", 5)
		ai.Enqueue(fakeopenai.Answer(longModelAnswer()))
		r := sb.wait(t, ctx, sb.ask(t, ctx, "343000000000000001", q, false), withSources)
		msgs := responseMessages(r)
		if len(msgs) < 2 {
			t.Fatalf("%d message(s), want the answer split", len(msgs))
		}
		for i, m := range msgs[:len(msgs)-1] {
			if ids := buttonIDs(t, m); len(ids) != 0 {
				t.Errorf("message %d of %d carries buttons %q; only the last should", i+1, len(msgs), ids)
			}
		}
		voteButtons(t, msgs[len(msgs)-1])
	})
	t.Run("Streamed", func(t *testing.T) {
		ctx := serveCtx(t, 10*time.Second)
		ai.Enqueue(fakeopenai.Behavior{Text: longModelAnswer()[:600], StreamTime: 2500 * time.Millisecond})
		token := sb.ask(t, ctx, "343000000000000002", onTopic, false)
		r := sb.wait(t, ctx, token, withSources)
		voteButtons(t, *r.Original)
		var edits []map[string]json.RawMessage
		for _, req := range sb.fake.Requests() {
			if req.Method == "PATCH" && strings.Contains(req.Path, "/"+token+"/messages/@original") {
				var body map[string]json.RawMessage
				if err := json.Unmarshal(req.Body, &body); err != nil {
					t.Fatal(err)
				}
				edits = append(edits, body)
			}
		}
		if len(edits) < 2 {
			t.Fatalf("%d edits, want partial ones before the final", len(edits))
		}
		for i, e := range edits[:len(edits)-1] {
			if c, ok := e["components"]; ok {
				t.Errorf("partial edit %d sets components %s; only the final edit should", i+1, c)
			}
		}
		if _, ok := edits[len(edits)-1]["components"]; !ok {
			t.Error("the final edit sets no components")
		}
	})
}

// TestServeVotes votes through serve: a vote, a changed vote, another
// member's, a vote on a refusal, then a restart between the answer and
// the vote, a press on an answer a fresh data folder doesn't know, the
// counter on /metrics and `feedback export` of the 👎 questions.
func TestServeVotes(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	dir, addr := t.TempDir(), freeAddr(t)
	env := map[string]string{"ARTICLEBOT_DATA_DIR": dir, "ARTICLEBOT_HTTP_ADDR": addr}
	sb, stop := startServeOn(t, context.Background(), fake, env)
	db := openVotes(t, dir)
	ctx := serveCtx(t, 60*time.Second)

	answer := *sb.wait(t, ctx, sb.ask(t, ctx, "345000000000000001", onTopic, false), withSources).Original
	up, down, answerID := voteButtons(t, answer)
	refusal := *sb.wait(t, ctx, sb.ask(t, ctx, "345000000000000002", offTopic, false), edited).Original
	_, refusalDown, refusalID := voteButtons(t, refusal)

	t.Run("Recorded", func(t *testing.T) {
		a := waitAnswer(t, ctx, db, answerID)
		if a.Question != onTopic || a.Mode != "extractive" || a.Reason != "" || len(a.Citations) == 0 ||
			a.GuildID != serveGuild || a.UserID != "345000000000000001" || a.ChannelID == "" || len(a.MessageIDs) != 1 || a.MessageIDs[0] != answer.ID {
			t.Errorf("recorded answer = %+v; want the question, extractive, cited, in %s, by the asker, on message %s", a, serveGuild, answer.ID)
		}
		r := waitAnswer(t, ctx, db, refusalID)
		if r.Question != offTopic || r.Reason != "off_topic" || len(r.Citations) != 0 || r.Text == "" {
			t.Errorf("recorded refusal = %+v; want its question, reason off_topic, no citations, its text", r)
		}
	})
	t.Run("Vote", func(t *testing.T) {
		checkVoteReply(t, sb.press(t, ctx, answer.ID, up, "346000000000000001"), thanksUp)
	})
	t.Run("ChangeOfVote", func(t *testing.T) {
		checkVoteReply(t, sb.press(t, ctx, answer.ID, down, "346000000000000001"), updatedDown)
		checkVoteReply(t, sb.press(t, ctx, answer.ID, up, "346000000000000001"), updatedUp)
		checkVoteReply(t, sb.press(t, ctx, answer.ID, down, "346000000000000001"), updatedDown)
	})
	t.Run("OtherMember", func(t *testing.T) {
		checkVoteReply(t, sb.press(t, ctx, answer.ID, down, "346000000000000002"), thanksDown)
	})
	t.Run("Refusal", func(t *testing.T) {
		checkVoteReply(t, sb.press(t, ctx, refusal.ID, refusalDown, "346000000000000001"), thanksDown)
	})
	t.Run("Stored", func(t *testing.T) {
		sum, err := db.Summary(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Up != 0 || sum.Down != 3 || sum.Voted != 2 {
			t.Errorf("summary = %d 👍, %d 👎 on %d answers; want 0, 3 (one changed vote each member), 2", sum.Up, sum.Down, sum.Voted)
		}
	})
	t.Run("Metrics", func(t *testing.T) {
		_, body := httpGet(t, "http://"+addr+"/metrics")
		// Every recorded press counts, changes included.
		for _, want := range []string{`articlebot_feedback_total{vote="up"} 2`, `articlebot_feedback_total{vote="down"} 4`} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	})

	stop()
	t.Run("AfterRestart", func(t *testing.T) {
		sb, stop := startServeOn(t, context.Background(), fake, map[string]string{"ARTICLEBOT_DATA_DIR": dir})
		defer stop()
		checkVoteReply(t, sb.press(t, ctx, answer.ID, up, "346000000000000003"), thanksUp)
		checkVoteReply(t, sb.press(t, ctx, answer.ID, up, "346000000000000002"), updatedUp)
		sum, err := db.Summary(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Up != 2 || sum.Down != 2 {
			t.Errorf("after the restart: %d 👍, %d 👎; want 2, 2", sum.Up, sum.Down)
		}
	})
	t.Run("UnknownAnswer", func(t *testing.T) {
		// A fresh data folder has never heard of the answer.
		sb, stop := startServeOn(t, context.Background(), fake, nil)
		defer stop()
		checkVoteReply(t, sb.press(t, ctx, answer.ID, down, "346000000000000004"), unknownNote)
	})
	t.Run("Export", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "downvoted.jsonl")
		code, _, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback", "export", file)
		if code != 0 {
			t.Fatalf("feedback export: exit %d, stderr %s", code, stderr)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{onTopic, offTopic} {
			if !strings.Contains(string(data), `"question":"`+q+`"`) {
				t.Errorf("export lacks the downvoted question %q:\n%s", q, data)
			}
		}
	})
}

// TestServeVoteBurst has 30 members press buttons at once, on an answer
// and a refusal: every press is acknowledged within Discord's 3 s and
// every vote recorded.
func TestServeVoteBurst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := startServe(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir})
	ctx := serveCtx(t, 30*time.Second)
	answer := *sb.wait(t, ctx, sb.ask(t, ctx, "347000000000000001", onTopic2, false), withSources).Original
	refusal := *sb.wait(t, ctx, sb.ask(t, ctx, "347000000000000002", offTopic, false), edited).Original
	up, _, answerID := voteButtons(t, answer)
	_, down, refusalID := voteButtons(t, refusal)

	const members = 30
	acks := burst(t, ctx, sb, members, func(i int) (message, customID, user string) {
		if i%2 == 0 {
			return answer.ID, up, fmt.Sprintf("3480000000000000%02d", i)
		}
		return refusal.ID, down, fmt.Sprintf("3480000000000000%02d", i)
	})
	for i, r := range acks {
		want := thanksUp
		if i%2 == 1 {
			want = thanksDown
		}
		checkVoteReply(t, r, want)
	}
	db := openVotes(t, dir)
	sum, err := db.Summary(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Up != members/2 || sum.Down != members/2 {
		t.Errorf("recorded %d 👍 and %d 👎, want %d of each", sum.Up, sum.Down, members/2)
	}
	for _, tl := range sum.MostDownvoted {
		if tl.ID == answerID || (tl.ID == refusalID && tl.Down != members/2) {
			t.Errorf("tally %+v; want 👎 only on the refusal, %d of them", tl, members/2)
		}
	}
}

// burst has n members press at once, member i pressing what press(i)
// says, and returns the acknowledgements in member order.
func burst(t testing.TB, ctx context.Context, sb *servedBot, n int, press func(i int) (message, customID, user string)) []fakediscord.InteractionResponse {
	t.Helper()
	acks := make([]fakediscord.InteractionResponse, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			message, customID, user := press(i)
			<-start
			acks[i], errs[i] = pressButton(ctx, sb.fake, message, customID, user)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return acks
}
