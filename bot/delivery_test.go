package bot

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
)

// recordingReply is a reply that keeps what it was given.
type recordingReply struct {
	mu   sync.Mutex
	msgs []Message
}

func (r *recordingReply) edit(ctx context.Context, m Message) error { return r.send(ctx, m) }

func (r *recordingReply) send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recordingReply) sent() []string { return nil }

// TestAnswerWithinTokenLife: a slash command's answer must be written
// while Discord still accepts its token (15 minutes). One that waited
// in the queue nearly that long gets the busy notice without a model
// call; a fresh one gets a deadline inside the token's life; a DM, which
// has no token, keeps the whole answer timeout.
func TestAnswerWithinTokenLife(t *testing.T) {
	tests := []struct {
		name     string
		source   Source
		waited   time.Duration
		asked    bool
		deadline time.Duration // latest deadline after the question arrived
	}{
		{name: "SlashFresh", source: SourceSlash, waited: 0, asked: true, deadline: 2 * time.Minute},
		{name: "SlashLateGetsLess", source: SourceSlash, waited: 14 * time.Minute, asked: true, deadline: interactionTokenLife - deliveryTimeout},
		{name: "SlashTooLate", source: SourceSlash, waited: interactionTokenLife - deliveryTimeout, asked: false},
		{name: "DMLate", source: SourceDM, waited: 20 * time.Minute, asked: true, deadline: 22 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				asked bool
				got   time.Time
			)
			asker := askFunc(func(ctx context.Context, q string, _ func(string)) (answer.Answer, error) {
				asked = true
				got, _ = ctx.Deadline()
				return simpleAnswer(ctx, q, nil)
			})
			h := startBot(t, Options{}, asker)
			received := time.Now().Add(-tt.waited)
			q := newQuestion("1", "u1", "9", tt.source, "Why does Russia need China?", received)
			r := &recordingReply{}
			h.bot.answer(q, r)
			if asked != tt.asked {
				t.Fatalf("asked the model: %v, want %v", asked, tt.asked)
			}
			if !asked {
				if len(r.msgs) != 1 || r.msgs[0].Content != busyText {
					t.Fatalf("reply = %+v, want the busy notice", r.msgs)
				}
				return
			}
			if latest := received.Add(tt.deadline); got.After(latest.Add(time.Second)) {
				t.Errorf("answer deadline %v after the question, want at most %v", got.Sub(received).Round(time.Second), tt.deadline)
			}
		})
	}
}

// TestChannelReplyFirstMessageOnce: the POST of a partial answer took
// effect but its answer was lost (a timeout), so the reply doesn't know
// it posted; the final answer posted next carries the same nonce, Discord
// returns the message it made, and the bot edits it: one message in the
// channel, with the final text.
func TestChannelReplyFirstMessageOnce(t *testing.T) {
	h := startBot(t, Options{}, askFunc(simpleAnswer))
	ctx := timeout(t, 10*time.Second)
	const ch = "600000000000000001"
	r := &channelReply{s: h.bot.s, lg: h.bot.lg, botID: h.bot.botUserID(), channelID: ch, messageID: "600000000000000002", nonce: newNonceBase()}
	if err := r.edit(ctx, Message{Content: "Partial answer so far"}); err != nil {
		t.Fatal(err)
	}
	r.posted, r.sentID = false, "" // its answer never arrived
	if err := r.edit(ctx, Message{Content: "The whole final answer [1]."}); err != nil {
		t.Fatal(err)
	}
	msgs := h.fake.ChannelMessages(ch)
	if len(msgs) != 1 || msgs[0].Content != "The whole final answer [1]." {
		var got []string
		for _, m := range msgs {
			got = append(got, m.Content)
		}
		t.Fatalf("channel holds %q, want one message with the final answer", got)
	}
}
