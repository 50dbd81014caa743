package bot

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// typingTimeout bounds the typing indicator, which is only a courtesy.
const typingTimeout = 2 * time.Second

// onMessage answers DMs and mentions. Any DM is a question; in a server
// only a message that mentions the bot is, with the mention removed.
// Messages from bots, the bot itself included, are ignored.
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
	src, text := SourceDM, m.Content
	if m.GuildID != "" {
		if !mentionsUser(m, b.botUserID()) {
			return
		}
		src, text = SourceMention, stripMention(m.Content, b.botUserID())
	}
	q := newQuestion(m.ID, m.Author.ID, m.GuildID, src, text, received)
	r := &channelReply{s: b.s, channelID: m.ChannelID, guildID: m.GuildID, messageID: m.ID}
	t, reply, outcome := b.admit(q)
	if t == nil {
		ctx, cancel := b.deliveryContext()
		defer cancel()
		if err := b.deliver(ctx, r, textMessage(reply)); err != nil {
			b.lg.Error("couldn't reply", "id", m.ID, "err", err)
		}
		b.finish(q, outcome, answer.Answer{})
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), typingTimeout)
	if err := b.s.ChannelTyping(m.ChannelID, discordgo.WithContext(ctx)); err != nil {
		b.lg.Debug("couldn't show typing", "err", safeErr(err))
	}
	cancel()
	jobDone := b.inflight.add()
	t.submit(func() {
		defer jobDone()
		b.answer(q, r)
	})
}

// mentionsUser reports whether m mentions the user with ID id, directly or
// by replying to one of their messages.
func mentionsUser(m *discordgo.Message, id string) bool {
	if id == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == id {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+id+">") || strings.Contains(m.Content, "<@!"+id+">")
}

// stripMention removes every mention of the user id from content ("<@id>"
// and the older nickname form "<@!id>") and tidies the white space left
// behind.
func stripMention(content, id string) string {
	content = strings.NewReplacer("<@"+id+">", " ", "<@!"+id+">", " ").Replace(content)
	lines := strings.Split(content, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
