package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// question is one question on its way to an answer.
type question struct {
	id, user, guild string
	channelID       string
	conv            conversation
	source          Source
	text            string
	quote           bool   // quote the question above the answer
	answerID        string // set when answering begins; the vote buttons name it
	received        time.Time
	acked           time.Duration
}

// newQuestion cleans raw question text: valid UTF-8, no NUL bytes, no
// surrounding white space.
func newQuestion(id, user, guild string, source Source, raw string, received time.Time) question {
	text := strings.ToValidUTF8(raw, "\uFFFD")
	text = strings.TrimSpace(strings.ReplaceAll(text, "\x00", ""))
	return question{id: id, user: user, guild: guild, source: source, text: text, received: received}
}

// searchText is the question as the answerer sees it: Discord's mention
// and emoji markup (stripMarkup) and Markdown code (answer.SearchText)
// removed, since a long snowflake is a word no passage contains and would
// only weaken retrieval.
func (q question) searchText() string {
	return strings.Join(strings.Fields(answer.SearchText(stripMarkup(q.text))), " ")
}

// admit decides whether q is answered now. When it is, it returns the
// ticket of a queue slot; otherwise the reply to send instead and the
// outcome. Checks run cheapest first, and a question turned away for
// being busy gives its rate-limit token back.
func (b *Bot) admit(q question) (t *ticket, reply string, outcome Outcome) {
	if b.draining.Load() {
		return nil, restartText, OutcomeRestarting
	}
	if q.searchText() == "" {
		return nil, usageText(q.source), OutcomeInvalid
	}
	if n := utf8.RuneCountInString(q.text); n > b.opt.MaxQuestion {
		return nil, fmt.Sprintf("Your question is %d characters long; the limit is %d. Please shorten it and ask again.", n, b.opt.MaxQuestion), OutcomeInvalid
	}
	wait, refund := b.limiter.reserve(q.user)
	if wait > 0 {
		return nil, rateLimitText(b.opt.RatePerMinute, wait), OutcomeRateLimited
	}
	t, err := b.queue.acquire()
	if err != nil {
		refund()
		if errors.Is(err, ErrShuttingDown) {
			return nil, restartText, OutcomeRestarting
		}
		return nil, busyText, OutcomeBusy
	}
	return t, "", ""
}

// usageText explains how to ask, for an empty question.
func usageText(src Source) string {
	switch src {
	case SourceMention:
		return "Mention me with a question about the article, e.g. `@articlebot What does the article say about …?` See `/help` for more."
	case SourceDM:
		return "Send me a question about the article, e.g. “What does the article say about …?” See `/help` for more."
	}
	return "Please include a question, e.g. `/ask question: What does the article say about …?` See `/help` for more."
}

// rateLimitText tells a user who asks too often when to try again.
func rateLimitText(perMinute int, wait time.Duration) string {
	secs := int(math.Ceil(wait.Seconds()))
	return fmt.Sprintf("You're asking faster than I can keep up: the limit is %s a minute. Please try again in %s.",
		plural(perMinute, "question"), plural(secs, "second"))
}

// answer computes the answer to q, streaming partial text into r when a
// model streams, then sends the final messages. It always ends with a
// final message, whatever fails.
func (b *Bot) answer(q question, r reply) {
	deadline := b.answerDeadline(q)
	ctx, cancel := context.WithDeadline(b.ctx, deadline)
	defer cancel()
	q.answerID = NewAnswerID()
	var (
		ans     answer.Answer
		err     error
		msgs    []Message
		outcome Outcome
	)
	if time.Until(deadline) < minAnswerTime {
		// Queued so long that Discord's token would expire before an
		// answer could be written and sent: say so while it still works,
		// rather than pay for an answer nobody can see.
		b.lg.Warn("question waited too long in the queue", "id", q.id, "waited", time.Since(q.received).Round(time.Second))
		dctx, dcancel := b.deliveryContext()
		defer dcancel()
		if err := b.deliver(dctx, r, textMessage(busyText)); err != nil {
			b.lg.Error("couldn't reply", "id", q.id, "err", err)
		}
		b.finish(q, OutcomeBusy, answer.Answer{})
		return
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic while answering: %v", p)
			}
		}()
		history := b.history(ctx, q)
		st := b.newStreamer(r, q)
		defer st.stop()
		ans, err = b.asker.Ask(ctx, answer.Request{Question: q.searchText(), History: history, OnPartial: st.update})
	}()
	switch {
	case err != nil && b.ctx.Err() != nil:
		msgs, outcome = textMessage(restartText), OutcomeRestarting
	case err != nil:
		b.lg.Error("couldn't answer", "id", q.id, "err", err)
		msgs, outcome = textMessage(failedText), OutcomeFailed
	case ans.Refused:
		msgs, outcome = RenderRefusal(), OutcomeRefused
	default:
		header := ""
		if q.quote {
			header = q.text
		}
		msgs, outcome = RenderAnswer(header, ans), OutcomeAnswered
	}
	if outcome == OutcomeAnswered || outcome == OutcomeRefused {
		msgs = withVoteButtons(msgs, q.answerID)
		b.recent.Add(q.answerID, feedbackAnswer(answerEntry(q, ans, nil)))
	}
	dctx, dcancel := b.deliveryContext()
	defer dcancel()
	recorded := b.pending.start(q.channelID)
	defer recorded()
	if derr := b.deliver(dctx, r, msgs); derr != nil {
		b.lg.Error("couldn't deliver the answer", "id", q.id, "err", derr)
		outcome = OutcomeFailed
	}
	ids := r.sent()
	if q.conv.openThread && len(ids) > 0 && (outcome == OutcomeAnswered || outcome == OutcomeRefused) {
		q.conv.startThread = b.openThread(dctx, q, ids[0])
	}
	b.record(dctx, q, ans, ids, outcome)
	recorded()
	b.finish(q, outcome, ans)
}

// noTime is the zero time, for questions rebuilt from history.
var noTime time.Time

// maxThreadName is Discord's limit on a thread's name.
const maxThreadName = 100

// openThread starts a public thread, named after q, from the answer's
// first message, and returns its ID ("" when that fails: the answer
// stands without it).
func (b *Bot) openThread(ctx context.Context, q question, messageID string) string {
	name := answer.TrimRunes(strings.Join(strings.Fields(stripMarkup(q.text)), " "), maxThreadName)
	if name == "" {
		name = "Follow-up questions"
	}
	var th *discordgo.Channel
	err := b.withRetry(ctx, "start thread", func() error {
		var err error
		th, err = b.s.MessageThreadStartComplex(q.channelID, messageID, &discordgo.ThreadStart{
			Name: name, AutoArchiveDuration: 1440, Type: discordgo.ChannelTypeGuildPublicThread,
		}, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		b.lg.Warn("couldn't open a thread for the answer", "id", q.id, "err", err)
		return ""
	}
	return th.ID
}

// deliveryTimeout bounds sending the final messages of an answer, retries
// included.
const deliveryTimeout = 30 * time.Second

// interactionTokenLife is how long Discord accepts edits and follow-ups
// made with an interaction's token.
const interactionTokenLife = 15 * time.Minute

// minAnswerTime is the least time worth starting an answer with.
const minAnswerTime = 10 * time.Second

// answerDeadline is when the answer to q must be written: AnswerTimeout
// from now, and for a slash command no later than its token allows, with
// the delivery time to spare. A question that waited in a long queue
// gets less time, not an answer Discord would refuse.
func (b *Bot) answerDeadline(q question) time.Time {
	d := time.Now().Add(b.opt.AnswerTimeout)
	if q.source == SourceSlash && !q.received.IsZero() {
		if last := q.received.Add(interactionTokenLife - deliveryTimeout); last.Before(d) {
			d = last
		}
	}
	return d
}

// deliveryContext is the context for sending final messages. It outlives
// the answering context, so that an answer cut short by shutdown still
// says so, but only by abandonGrace once shutdown has abandoned work.
func (b *Bot) deliveryContext() (context.Context, context.CancelFunc) {
	if b.ctx.Err() != nil {
		return context.WithTimeout(context.Background(), abandonGrace)
	}
	return context.WithTimeout(context.Background(), deliveryTimeout)
}

// finish logs one line for a question and reports it to the hooks.
func (b *Bot) finish(q question, outcome Outcome, ans answer.Answer) {
	ev := QuestionEvent{
		ID: q.id, Source: q.source, Outcome: outcome, UserID: q.user, GuildID: q.guild,
		Acked: q.acked, Latency: time.Since(q.received),
	}
	if outcome == OutcomeAnswered || outcome == OutcomeRefused {
		ev.Mode, ev.Fallback, ev.Citations = ans.Mode, ans.Fallback, len(ans.Citations)
	}
	b.lg.Info("question",
		"id", ev.ID, "source", ev.Source, "outcome", ev.Outcome, "user", ev.UserID, "guild", ev.GuildID,
		"mode", ev.Mode, "citations", ev.Citations, "fallback", ev.Fallback,
		"ack_ms", ev.Acked.Milliseconds(), "latency_ms", ev.Latency.Milliseconds())
	b.opt.Hooks.question(ev)
}
