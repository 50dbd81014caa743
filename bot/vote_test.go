package bot

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/articlebot/articlebot/feedback"
	"github.com/articlebot/articlebot/internal/fakediscord"
)

// slowStore is a FeedbackStore whose votes take delay and then fail
// with err, or pass to a feedback.Mem when err is nil.
type slowStore struct {
	*feedback.Mem
	delay time.Duration
	err   error
}

func (s slowStore) Vote(ctx context.Context, answerID, userID string, up bool) (bool, error) {
	time.Sleep(s.delay)
	if s.err != nil {
		return false, s.err
	}
	return s.Mem.Vote(ctx, answerID, userID, up)
}

// TestVoteSlowStore checks the replies to a press whose vote takes longer
// than the bot waits: an at-once deferred acknowledgement, then the
// reply edited in once the vote is written or has failed.
func TestVoteSlowStore(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "OK", want: voteUpText},
		{name: "ErrStore", err: errors.New("disk full"), want: voteFailedText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := slowStore{Mem: feedback.NewMem(), delay: 300 * time.Millisecond, err: tt.err}
			h := startBot(t, Options{Feedback: store}, askFunc(simpleAnswer))
			ctx := timeout(t, 10*time.Second)
			r := h.waitResponse(t, ctx, h.ask(t, ctx, "u1", "Why does Russia need China?", false), hasEmbeds)
			token, err := h.fake.PressButton(ctx, fakediscord.ComponentPress{MessageID: r.Original.ID, CustomID: voteUpPrefix + answerIDOf(t, h, r.Original.ID), User: fakediscord.User{ID: "u2"}})
			if err != nil {
				t.Fatal(err)
			}
			got := h.waitResponse(t, ctx, token, edited)
			if got.CallbackType != 5 || got.CallbackFlags&64 == 0 {
				t.Errorf("acknowledged with type %d flags %d, want a deferred ephemeral response (5, 64)", got.CallbackType, got.CallbackFlags)
			}
			if d := got.AckedAt.Sub(got.DispatchedAt); d > 200*time.Millisecond {
				t.Errorf("acknowledged after %v; want at once, before the vote is written", d)
			}
			if got.Original.Content != tt.want {
				t.Errorf("reply = %q, want %q", got.Original.Content, tt.want)
			}
		})
	}
}

// answerIDOf is the ID of the answer whose last message is messageID,
// once the bot has recorded it (just after sending it).
func answerIDOf(t *testing.T, h *harness, messageID string) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if e, ok, err := h.bot.opt.AnswerLog.Lookup(context.Background(), messageID); err == nil && ok {
			return e.ID
		}
	}
	t.Fatalf("message %s has no answer", messageID)
	return ""
}

// TestVoteAfterPurge: an answer whose record hasn't reached the store yet
// is written from the recent answers when a vote comes first; one that
// is older than recentWindow and not in the store was purged (feedback
// purge, retention), and a vote must not write it back.
func TestVoteAfterPurge(t *testing.T) {
	tests := []struct {
		name string
		age  time.Duration
		want string
	}{
		{name: "OKRecordStillQueued", age: 0, want: voteUpText},
		{name: "OKPurged", age: 2 * recentWindow, want: voteUnknownText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := feedback.NewMem()
			// Records never reach the store, as if queued, or purged since.
			drop := func(context.Context, feedback.Answer) error { return nil }
			h := startBot(t, Options{Feedback: store, RecordAnswer: drop}, askFunc(simpleAnswer))
			ctx := timeout(t, 10*time.Second)
			r := h.waitResponse(t, ctx, h.ask(t, ctx, "u1", "Why does Russia need China?", false), hasEmbeds)
			id := answerIDOf(t, h, r.Original.ID)
			a, ok := h.bot.recent.Get(id)
			if !ok {
				t.Fatal("the answer is not among the recent ones")
			}
			a.Created = time.Now().Add(-tt.age)
			h.bot.recent.Add(id, a)
			token, err := h.fake.PressButton(ctx, fakediscord.ComponentPress{MessageID: r.Original.ID, CustomID: voteUpPrefix + id, User: fakediscord.User{ID: "u2"}})
			if err != nil {
				t.Fatal(err)
			}
			got := h.waitResponse(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return r.Original != nil && r.Original.Content != "" })
			if got.Original.Content != tt.want {
				t.Errorf("reply = %q, want %q", got.Original.Content, tt.want)
			}
			_, err = store.Answer(ctx, id)
			if recorded := err == nil; recorded != (tt.want == voteUpText) {
				t.Errorf("answer in the store after the vote: %v, want %v", recorded, tt.want == voteUpText)
			}
		})
	}
}
