package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// The core: admit, answer, deliver, record. It works on memberMessage
// and askCommand, whichever transport they came over; replies go out
// through the reply interface.

// memberMessage is a member's message in a channel, thread or DM.
type memberMessage struct {
	id, channelID, guildID, authorID string
	content                          string
	sent, received                   time.Time // sent is Discord's timestamp
	mentionsBot                      bool
	// replyTo is the message it replies to, "" for none; replyToMsg is
	// that message when the event carried it.
	replyTo    string
	replyToMsg *discordgo.Message
}

// askCommand is /ask with its options.
type askCommand struct {
	question        string
	private, thread bool
}

// handleMessage answers a member's message when it is a question: any DM,
// a server message that mentions the bot, and a follow-up (a reply to one
// of the bot's answers, a message in a thread the bot started, a DM soon
// after the bot's last answer there).
func (b *Bot) handleMessage(m memberMessage) {
	ctx, cancel := context.WithTimeout(b.ctx, followUpCheckTimeout)
	conv, isFollowUp := b.followUp(ctx, m)
	cancel()
	src, text := SourceDM, m.content
	if m.guildID != "" {
		if !m.mentionsBot && !isFollowUp {
			return
		}
		src, text = SourceMention, stripMention(m.content, b.botUserID())
	}
	q := newQuestion(m.id, m.authorID, m.guildID, src, text, m.received)
	q.channelID, q.conv = m.channelID, conv
	r := &channelReply{s: b.s, lg: b.lg, botID: b.botUserID(), channelID: m.channelID, guildID: m.guildID, messageID: m.id, nonce: newNonceBase()}
	t, reply, outcome := b.admit(q)
	if t == nil {
		ctx, cancel := b.deliveryContext()
		defer cancel()
		if err := b.deliver(ctx, r, textMessage(reply)); err != nil {
			b.lg.Error("couldn't reply", "id", m.id, "err", err)
		}
		b.finish(q, outcome, answer.Answer{})
		return
	}
	tctx, tcancel := context.WithTimeout(context.Background(), typingTimeout)
	if err := b.s.ChannelTyping(m.channelID, discordgo.WithContext(tctx)); err != nil {
		b.lg.Debug("couldn't show typing", "err", safeErr(err))
	}
	tcancel()
	b.submit(t, q, r)
}

// submit queues the answer to an admitted question.
func (b *Bot) submit(t *ticket, q question, r reply) {
	jobDone := b.inflight.add()
	t.submit(func() {
		defer jobDone()
		b.answer(q, r)
	})
}

// record keeps which messages make up the answer to q, so that a reply
// to any of them, or a message in its thread, can find it, and queues the
// answer for the feedback store, so that votes on it outlive a restart.
func (b *Bot) record(ctx context.Context, q question, ans answer.Answer, ids []string, outcome Outcome) {
	if len(ids) == 0 || (outcome != OutcomeAnswered && outcome != OutcomeRefused) {
		return
	}
	e := answerEntry(q, ans, ids)
	if err := b.opt.AnswerLog.Record(ctx, e); err != nil {
		b.lg.Warn("couldn't record the answer's messages", "id", q.id, "err", err)
	}
	// Queued, not written: the writer logs what it drops.
	if err := b.opt.RecordAnswer(ctx, feedbackAnswer(e)); err != nil {
		b.lg.Debug("couldn't queue the answer for the feedback store", "id", q.id, "answer", e.ID, "err", err)
	}
	b.convs.answered(q, e)
}

// answerEntry is the answer ans to q, given in the messages ids.
func answerEntry(q question, ans answer.Answer, ids []string) AnswerEntry {
	e := AnswerEntry{
		ID: q.answerID, MessageIDs: ids, ChannelID: q.channelID, GuildID: q.guild, UserID: q.user,
		Question: q.searchText(), Text: ans.Text, Citations: ans.Citations, Refused: ans.Refused,
		Mode: ans.Mode, Reason: ans.Reason,
		ParentMessageID: q.conv.parent, ThreadID: q.conv.thread, Time: time.Now(),
	}
	if ans.Refused {
		e.Text = ""
	}
	if q.conv.startThread != "" {
		e.ThreadID = q.conv.startThread
	}
	return e
}
