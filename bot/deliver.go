package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// reply is where the answer to one question goes. interactionReply edits
// the deferred response of a slash command and adds follow-ups;
// channelReply answers a DM or mention with a reply message.
type reply interface {
	// edit sets the first message of the answer.
	edit(ctx context.Context, m Message) error
	// send adds a message after the first.
	send(ctx context.Context, m Message) error
	// sent returns the IDs of the messages edit and send created, first
	// to last.
	sent() []string
}

// sentIDs collects the IDs of the messages of one reply.
type sentIDs struct {
	mu  sync.Mutex
	ids []string
}

// add records id unless it is known or empty.
func (s *sentIDs) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != "" && !slices.Contains(s.ids, id) {
		s.ids = append(s.ids, id)
	}
}

func (s *sentIDs) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ids)
}

// noMentions is the allowed_mentions of everything the bot sends: parse
// nothing, so no text can ping anyone. A fresh value each time, as
// discordgo may hold on to it.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// deliver sends msgs through r: the first as the edit of the reply, the
// rest as further messages, each retried on transient errors. When the
// first cannot be edited in, it is sent as a new message instead, so
// that the answer is not lost.
func (b *Bot) deliver(ctx context.Context, r reply, msgs []Message) error {
	if len(msgs) == 0 {
		msgs = textMessage(failedText)
	}
	if err := b.withRetry(ctx, "edit reply", func() error { return r.edit(ctx, msgs[0]) }); err != nil {
		b.lg.Warn("couldn't edit the reply; sending it as a new message", "err", safeErr(err))
		if err2 := b.withRetry(ctx, "send reply", func() error { return r.send(ctx, msgs[0]) }); err2 != nil {
			return errors.Join(err, err2)
		}
	}
	for _, m := range msgs[1:] {
		if err := b.withRetry(ctx, "send follow-up", func() error { return r.send(ctx, m) }); err != nil {
			return err
		}
	}
	return nil
}

// withRetry calls call until it succeeds, fails for good, or has been
// retried Options.Retries times, waiting RetryBackoff and then twice as
// long before each retry. discordgo itself retries 429s and 502s; this
// covers other 5xx answers and network errors.
func (b *Bot) withRetry(ctx context.Context, what string, call func() error) error {
	wait := b.opt.RetryBackoff
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil {
			return nil
		}
		if attempt > b.opt.Retries || !retryable(err) || ctx.Err() != nil {
			return fmt.Errorf("couldn't %s: %w", what, sanitize(err))
		}
		b.lg.Warn("discord request failed; retrying", "op", what, "attempt", attempt, "wait", wait, "err", safeErr(err))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("couldn't %s: %w", what, sanitize(err))
		}
		wait *= 2
	}
}

// retryable reports whether a REST error may pass on retry: a 5xx or 429
// answer or a network error, but not a rejected request or a cancelled
// one.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, discordgo.ErrJSONUnmarshal) {
		return false
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode >= 500 || re.Response.StatusCode == 429
	}
	return true
}

// sanitize drops the URL from a network error: webhook URLs carry the
// interaction token, which must not reach the logs.
func sanitize(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request: %w", ue.Op, ue.Err)
	}
	return err
}

// safeErr is sanitize(err) as a log attribute.
func safeErr(err error) string { return sanitize(err).Error() }

// components is m's components for an edit: nil, leaving the message's
// as they are, when m has none (partial text of a streaming answer), so
// only the final edit sets the vote buttons.
func components(m Message) *[]discordgo.MessageComponent {
	if m.Components == nil {
		return nil
	}
	return &m.Components
}

// interactionReply answers a slash command whose response was deferred.
type interactionReply struct {
	s         *discordgo.Session
	i         *discordgo.Interaction
	ephemeral bool
	sentIDs
}

func (r *interactionReply) edit(ctx context.Context, m Message) error {
	m = neutralizeMessage(m)
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	msg, err := r.s.InteractionResponseEdit(r.i, &discordgo.WebhookEdit{
		Content: &m.Content, Embeds: &embeds, Components: components(m), AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx))
	if unreadable(err) {
		return nil // the edit took effect; sending it again would duplicate it
	}
	if err != nil {
		return err
	}
	r.add(msg.ID)
	return nil
}

func (r *interactionReply) send(ctx context.Context, m Message) error {
	m = neutralizeMessage(m)
	var flags discordgo.MessageFlags
	if r.ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	msg, err := r.s.FollowupMessageCreate(r.i, true, &discordgo.WebhookParams{
		Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Flags: flags,
	}, discordgo.WithContext(ctx))
	if unreadable(err) {
		return nil // posted; posting again would duplicate it
	}
	if err != nil {
		return err
	}
	r.add(msg.ID)
	return nil
}

// channelReply answers a DM or a mention in its channel. Its first
// message replies to the question (message_reference); edits change that
// message once it exists. Every message carries a nonce Discord enforces,
// so a retry can't post it twice, and a message Discord accepted (2xx) is
// never posted again, even when its answer couldn't be read.
type channelReply struct {
	s                             *discordgo.Session
	lg                            *slog.Logger
	botID                         string
	channelID, guildID, messageID string
	nonce                         string // random base of the messages' nonces

	mu     sync.Mutex
	sentID string // the first message, once sent
	posted bool   // the first message was accepted, even if sentID is unknown
	sentIDs
}

func (r *channelReply) edit(ctx context.Context, m Message) error {
	m = neutralizeMessage(m)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.posted {
		fail := false
		send := &discordgo.MessageSend{
			Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(),
			Reference: &discordgo.MessageReference{
				MessageID: r.messageID, ChannelID: r.channelID, GuildID: r.guildID, FailIfNotExists: &fail,
			},
		}
		// The first message's nonce is the same whatever it says: a
		// partial answer whose POST took effect but timed out, and the
		// final answer posted after it, are one message to Discord, which
		// returns the one it made; it is then edited to the new text.
		msg, err := sendChannelMessage(ctx, r.s, r.channelID, r.nonce+"-1", send)
		if unreadable(err) {
			r.posted = true
			r.sentID = r.findSent(ctx)
			r.lg.Warn("discord accepted the reply but its answer couldn't be read; not posting it again", "channel", r.channelID, "found", r.sentID != "")
			r.add(r.sentID)
			return nil
		}
		if err != nil {
			return err
		}
		r.posted, r.sentID = true, msg.ID
		r.add(msg.ID)
		if msg.Content == m.Content && len(msg.Components) == len(m.Components) {
			return nil
		}
	}
	if r.sentID == "" {
		// Posted, but its ID is unknown: it can't be edited, and posting
		// again would show the answer twice.
		r.lg.Warn("can't update a reply whose ID is unknown", "channel", r.channelID)
		return nil
	}
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	_, err := r.s.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: r.sentID, Channel: r.channelID,
		Content: &m.Content, Embeds: &embeds, Components: components(m), AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx))
	if unreadable(err) {
		return nil // the edit took effect
	}
	return err
}

// findSent looks for the reply Discord accepted without a readable answer:
// the bot's message after the question that replies to it. It returns ""
// when it can't be found.
func (r *channelReply) findSent(ctx context.Context) string {
	msgs, err := r.s.ChannelMessages(r.channelID, 20, "", r.messageID, "", discordgo.WithContext(ctx))
	if err != nil {
		return ""
	}
	for _, m := range msgs {
		if m.Author != nil && m.Author.ID == r.botID && m.MessageReference != nil && m.MessageReference.MessageID == r.messageID {
			return m.ID
		}
	}
	return ""
}

func (r *channelReply) send(ctx context.Context, m Message) error {
	m = neutralizeMessage(m)
	send := &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}
	msg, err := sendChannelMessage(ctx, r.s, r.channelID, messageNonce(r.nonce, send), send)
	if unreadable(err) {
		r.lg.Warn("discord accepted a message but its answer couldn't be read; not posting it again", "channel", r.channelID)
		return nil
	}
	if err != nil {
		return err
	}
	r.add(msg.ID)
	return nil
}
