package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// Discord's deadline for the acknowledgement is 3 s after the event;
// the bot retries a failed one only within ackBudget of receiving it.
const (
	ackDeadline = 3 * time.Second
	ackBudget   = 2 * time.Second
)

// recoverHandler keeps a bug in one handler from taking the bot down.
func (b *Bot) recoverHandler(kind, id string) {
	if p := recover(); p != nil {
		b.lg.Error("handler panicked", "kind", kind, "id", id, "panic", fmt.Sprint(p))
	}
}

// slashAsk handles /ask: it checks the question, defers the response
// (ephemeral when private) and queues the answer, which then edits the
// deferred response. With thread:true in a server the answer then opens
// a public thread.
func (b *Bot) slashAsk(i *discordgo.Interaction, cmd askCommand, received time.Time) {
	q := newQuestion(i.ID, callerID(i), i.GuildID, SourceSlash, cmd.question, received)
	q.quote, q.channelID = true, i.ChannelID
	q.conv.openThread = cmd.thread && !cmd.private && i.GuildID != ""
	t, text, outcome := b.admit(q)
	if t == nil {
		q.acked = time.Since(received)
		b.respondNow(i, received, textMessage(text), true)
		b.finish(q, outcome, answer.Answer{})
		return
	}
	if err := b.deferResponse(i, received, cmd.private); err != nil {
		t.release()
		b.lg.Error("couldn't acknowledge /ask", "id", i.ID, "err", safeErr(err))
		b.finish(q, OutcomeFailed, answer.Answer{})
		return
	}
	q.acked = time.Since(received)
	b.submit(t, q, &interactionReply{s: b.s, i: i, ephemeral: cmd.private})
}

// deferResponse acknowledges i with a deferred message (type 5),
// ephemeral when asked: the only moment a reply can be made ephemeral.
func (b *Bot) deferResponse(i *discordgo.Interaction, received time.Time, ephemeral bool) error {
	data := &discordgo.InteractionResponseData{AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return b.ack(i, received, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: data,
	})
}

// respondNow answers i at once (type 4) with the first of msgs, and
// sends the rest as follow-ups. Errors are logged: there is no one else
// to tell.
func (b *Bot) respondNow(i *discordgo.Interaction, received time.Time, msgs []Message, ephemeral bool) {
	if len(msgs) == 0 {
		return
	}
	first := neutralizeMessage(msgs[0])
	data := &discordgo.InteractionResponseData{
		Content: first.Content, Embeds: first.Embeds, Components: first.Components, AllowedMentions: noMentions(),
	}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := b.ack(i, received, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data,
	})
	if err != nil {
		b.lg.Error("couldn't respond to interaction", "id", i.ID, "err", safeErr(err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), deliveryTimeout)
	defer cancel()
	r := &interactionReply{s: b.s, i: i, ephemeral: ephemeral}
	for _, m := range msgs[1:] {
		if err := b.withRetry(ctx, "send follow-up", func() error { return r.send(ctx, m) }); err != nil {
			b.lg.Error("couldn't send follow-up", "id", i.ID, "err", err)
			return
		}
	}
}

// ack sends the one callback of i, retrying transient failures while
// Discord's 3 s deadline allows.
func (b *Bot) ack(i *discordgo.Interaction, received time.Time, resp *discordgo.InteractionResponse) error {
	ctx, cancel := context.WithDeadline(context.Background(), received.Add(ackDeadline))
	defer cancel()
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := b.s.InteractionRespond(i, resp, discordgo.WithContext(ctx))
		if attempt > 1 && discordCode(err) == codeAlreadyAcknowledged {
			return nil // an earlier attempt got through after all
		}
		if err == nil || !retryable(err) || time.Until(received.Add(ackBudget)) < wait {
			return sanitizeOrNil(err)
		}
		b.lg.Warn("acknowledgement failed; retrying", "id", i.ID, "err", safeErr(err))
		time.Sleep(wait)
		wait *= 2
	}
}

// codeAlreadyAcknowledged is Discord's error code for a second callback.
const codeAlreadyAcknowledged = 40060

// discordCode is the Discord error code of a REST error, or 0.
func discordCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

func sanitizeOrNil(err error) error {
	if err == nil {
		return nil
	}
	return sanitize(err)
}

// sourcesMessages is the /sources reply for the index now serving.
func (b *Bot) sourcesMessages() []Message {
	ix := b.lib.Current()
	if ix == nil {
		return textMessage(noIndexText)
	}
	origins := map[string]Origin{}
	if b.opt.Documents != nil {
		docs, err := b.opt.Documents.Documents()
		if err != nil {
			b.lg.Warn("couldn't list who added the documents", "err", err)
		}
		for _, d := range docs {
			origins[d.Source] = Origin{By: d.AddedBy, At: d.AddedAt}
		}
	}
	return RenderSourcesWith(ix.Documents(), origins, ix.Skipped(), ix.BuiltAt())
}

// helpMessage is the /help reply.
func (b *Bot) helpMessage() Message {
	var titles []string
	if ix := b.lib.Current(); ix != nil {
		for _, d := range ix.Documents() {
			titles = append(titles, d.Title)
		}
	}
	return RenderHelp(titles, HelpInfo{MaxQuestion: b.opt.MaxQuestion, RatePerMinute: b.opt.RatePerMinute})
}
