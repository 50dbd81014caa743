package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"
)

// The gateway adapter: discordgo's event handlers. Each turns its event
// into the core's transport-neutral terms (memberMessage, askCommand)
// and hands it on; an HTTP interactions endpoint would be a second
// adapter beside this one.

func (b *Bot) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	b.connected.Store(true)
	b.lg.Info("gateway connected")
	b.opt.Hooks.gateway(true)
}

func (b *Bot) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	b.connected.Store(false)
	if b.draining.Load() {
		b.lg.Info("gateway closed")
	} else {
		b.lg.Warn("gateway disconnected; reconnecting")
	}
	b.opt.Hooks.gateway(false)
}

// onReady keeps the bot user's ID current across re-identifies.
func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r.User != nil {
		id := r.User.ID
		b.userID.Store(&id)
	}
}

// onInteraction handles slash commands and button presses. It runs on its own goroutine per
// event (discordgo's default) and acknowledges before any slow work.
func (b *Bot) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	received := time.Now()
	done := b.inflight.add()
	defer done()
	if ic.Interaction == nil {
		return
	}
	if !b.seen.first(ic.ID) {
		// Acknowledging it again would fail (40060) or, worse, answer twice.
		b.lg.Warn("interaction delivered twice; ignoring the repeat", "id", ic.ID)
		return
	}
	if ic.Type == discordgo.InteractionMessageComponent {
		b.onButton(ic.Interaction, received)
		return
	}
	i := ic.Interaction
	defer b.recoverHandler("interaction", i.ID)
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		b.autocomplete(i, received)
		return
	}
	if i.Type != discordgo.InteractionApplicationCommand {
		return
	}
	data := i.ApplicationCommandData()
	switch data.Name {
	case cmdAsk:
		b.slashAsk(i, parseAsk(data), received)
	case cmdSources:
		b.respondNow(i, received, b.sourcesMessages(), true)
	case cmdHelp:
		b.respondNow(i, received, []Message{b.helpMessage()}, true)
	case cmdReindex:
		b.reindex(i, received)
	case cmdAdd, cmdRemove:
		b.changeDocuments(i, data.Name, received)
	default:
		b.respondNow(i, received, textMessage(unknownText), true)
	}
}

// parseAsk reads the options of /ask.
func parseAsk(data discordgo.ApplicationCommandInteractionData) askCommand {
	var c askCommand
	for _, o := range data.Options {
		switch o.Name {
		case optQuestion:
			c.question, _ = o.Value.(string)
		case optPrivate:
			c.private, _ = o.Value.(bool)
		case optThread:
			c.thread, _ = o.Value.(bool)
		}
	}
	return c
}

// onMessage hands members' messages to the core; messages from bots,
// the bot itself included, and system messages are dropped here.
func (b *Bot) onMessage(_ *discordgo.Session, mc *discordgo.MessageCreate) {
	received := time.Now()
	done := b.inflight.add()
	defer done()
	m := mc.Message
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.Author.ID == b.botUserID() {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	defer b.recoverHandler("message", m.ID)
	b.handleMessage(b.memberMessage(m, received))
}

// memberMessage is m in the core's terms.
func (b *Bot) memberMessage(m *discordgo.Message, received time.Time) memberMessage {
	mm := memberMessage{
		id: m.ID, channelID: m.ChannelID, guildID: m.GuildID, authorID: m.Author.ID,
		content: m.Content, sent: m.Timestamp, received: received,
		mentionsBot: mentionsUser(m, b.botUserID()),
	}
	if mm.sent.IsZero() {
		mm.sent = received
	}
	if ref := m.MessageReference; ref != nil && ref.MessageID != "" {
		mm.replyTo = ref.MessageID
		mm.replyToMsg = m.ReferencedMessage // nil when deleted or not sent
	}
	return mm
}

// onButton records the vote of a button press and replies with an
// ephemeral message saying what happened: at once when the vote is
// written within voteWait, else after a deferred acknowledgement.
func (b *Bot) onButton(i *discordgo.Interaction, received time.Time) {
	defer b.recoverHandler("button", i.ID)
	p := buttonPress{id: i.ID, customID: i.MessageComponentData().CustomID, userID: callerID(i)}
	result := make(chan string, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), voteTimeout)
		defer cancel()
		result <- b.vote(ctx, p)
	}()
	wait := time.NewTimer(voteWait - time.Since(received))
	defer wait.Stop()
	select {
	case text := <-result:
		b.respondNow(i, received, textMessage(text), true)
		b.lg.Debug("button acknowledged", "id", i.ID, "deferred", false, "ack_ms", time.Since(received).Milliseconds())
		return
	case <-wait.C:
	}
	err := b.deferResponse(i, received, true)
	b.lg.Debug("button acknowledged", "id", i.ID, "deferred", true, "ack_ms", time.Since(received).Milliseconds())
	text := <-result
	if err != nil {
		b.lg.Error("couldn't acknowledge a button press", "id", i.ID, "err", safeErr(err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), deliveryTimeout)
	defer cancel()
	r := &interactionReply{s: b.s, i: i, ephemeral: true}
	if err := b.withRetry(ctx, "edit vote reply", func() error { return r.edit(ctx, Message{Content: text}) }); err != nil {
		b.lg.Error("couldn't reply to a button press", "id", i.ID, "err", err)
	}
}
