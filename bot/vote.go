package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/feedback"
)

// Vote buttons: every answer and refusal carries 👍 and 👎 on its last
// message, and a press records the member's vote in the FeedbackStore.

// The custom_id of a vote button is its prefix then the answer ID, so a
// press names its answer even after a restart. NewAnswerID's 12 digits
// keep it far under Discord's 100 characters.
const (
	voteUpPrefix   = "fb:up:"
	voteDownPrefix = "fb:down:"
)

// Ephemeral replies to a press.
const (
	voteUpText      = "Thanks for the feedback! I've recorded your 👍."
	voteDownText    = "Thanks for the feedback! I've recorded your 👎; answers like this one help me improve."
	voteUpdatedUp   = "Thanks! I've updated your vote to 👍."
	voteUpdatedDown = "Thanks! I've updated your vote to 👎."
	voteUnknownText = "I no longer have that answer, so I couldn't record your vote."
	voteFailedText  = "Sorry, I couldn't record your vote just now. Please try again in a moment."
)

// recentAnswers is how many of the latest answers the bot keeps for
// votes that reach the store before the answer's queued record: well
// above the feedback writer's queue (serve's holds 256) plus the workers.
const recentAnswers = 1024

// recentWindow is how long after an answer a vote may still write it
// from the recent answers: long enough for a queued record to be written,
// short enough that an answer purged since (`articlebot feedback purge`,
// the retention) isn't written back by a later vote.
const recentWindow = time.Minute

// A press is answered with the result of its vote. When the vote is
// written within voteWait of the press, the acknowledgement carries the
// reply (type 4); otherwise the bot acknowledges at once with a deferred
// ephemeral response (type 5) and edits the reply in when the vote is
// written, so that a slow disk never delays the acknowledgement and the
// reply never claims a vote that isn't stored. voteTimeout bounds the
// write.
const (
	voteWait    = 10 * time.Millisecond
	voteTimeout = 10 * time.Second
)

// withVoteButtons puts the 👍 and 👎 buttons for answerID on the last of
// msgs. msgs is changed in place and returned.
func withVoteButtons(msgs []Message, answerID string) []Message {
	if len(msgs) == 0 || answerID == "" {
		return msgs
	}
	msgs[len(msgs)-1].Components = []discordgo.MessageComponent{discordgo.ActionsRow{
		Components: []discordgo.MessageComponent{
			discordgo.Button{Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "👍"}, CustomID: voteUpPrefix + answerID},
			discordgo.Button{Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "👎"}, CustomID: voteDownPrefix + answerID},
		},
	}}
	return msgs
}

// parseVote reads a vote button's custom_id; ok is false for any other.
func parseVote(customID string) (answerID string, up, ok bool) {
	if id, found := strings.CutPrefix(customID, voteUpPrefix); found && id != "" {
		return id, true, true
	}
	if id, found := strings.CutPrefix(customID, voteDownPrefix); found && id != "" {
		return id, false, true
	}
	return "", false, false
}

// buttonPress is a member pressing a button on one of the bot's
// messages, whichever transport it came over.
type buttonPress struct {
	id, customID, userID string
}

// vote records the vote p casts and returns the ephemeral reply. An
// answer the store doesn't have yet, because its record is still queued,
// is written from the recent answers first; one neither knows gets a
// polite note. ctx bounds the store's work, so that the reply can still be sent
// in time.
func (b *Bot) vote(ctx context.Context, p buttonPress) string {
	answerID, up, ok := parseVote(p.customID)
	if !ok || p.userID == "" {
		b.lg.Info("unknown button pressed", "id", p.id, "custom_id", p.customID)
		return voteUnknownText
	}
	replaced, err := b.opt.Feedback.Vote(ctx, answerID, p.userID, up)
	if errors.Is(err, feedback.ErrNotFound) {
		// Its record may still be queued (Options.RecordAnswer): the
		// queued record, written later, adds the message IDs and keeps
		// the vote.
		if a, ok := b.recent.Get(answerID); ok && time.Since(a.Created) < recentWindow {
			if err = b.opt.Feedback.RecordAnswer(ctx, a); err == nil {
				replaced, err = b.opt.Feedback.Vote(ctx, answerID, p.userID, up)
			}
		}
	}
	switch {
	case errors.Is(err, feedback.ErrNotFound):
		b.lg.Info("vote on an unknown answer", "id", p.id, "answer", answerID, "user", p.userID)
		return voteUnknownText
	case err != nil:
		b.lg.Error("couldn't record a vote", "id", p.id, "answer", answerID, "user", p.userID, "err", err)
		return voteFailedText
	}
	b.lg.Info("vote", "id", p.id, "answer", answerID, "user", p.userID, "up", up, "replaced", replaced)
	b.opt.Hooks.feedback(up)
	switch {
	case replaced && up:
		return voteUpdatedUp
	case replaced:
		return voteUpdatedDown
	case up:
		return voteUpText
	}
	return voteDownText
}
