package bot

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	lru "github.com/hashicorp/golang-lru/v2"
)

// followUpCheckTimeout bounds the REST calls that decide whether a
// message is a follow-up (only for a channel the bot has not seen yet).
const followUpCheckTimeout = 5 * time.Second

// conversationCacheSize bounds each of the conversation caches.
const conversationCacheSize = 10000

// conversation says which conversation a question continues, if any.
type conversation struct {
	// parent is the bot message the question replies to, or the bot's
	// last answer in a DM; parentMsg is it as the event carried it.
	parent    string
	parentMsg *discordgo.Message
	// thread is the bot's thread the question was asked in.
	thread string
	// dm: a DM the bot has no warm record of; the history then comes
	// from the DM's recent messages, within the follow-up window.
	dm   bool
	sent time.Time // Discord's timestamp of the question
	// openThread: /ask thread:true; startThread is the thread opened.
	openThread  bool
	startThread string
}

// threadInfo is what the bot knows about a channel: whether it is a
// thread the bot started, and who asked the question that started it.
type threadInfo struct {
	ours  bool
	asker string
}

// dmAnswer is the bot's last answer in a DM.
type dmAnswer struct {
	messageID string
	at        time.Time
}

// conversations caches, with a bound, what makes a message a follow-up.
// Everything in it can be rebuilt from Discord.
type conversations struct {
	threads *lru.Cache[string, threadInfo] // by channel ID
	dmLast  *lru.Cache[string, dmAnswer]   // by DM channel ID
}

func newConversations() *conversations {
	threads, _ := lru.New[string, threadInfo](conversationCacheSize)
	dmLast, _ := lru.New[string, dmAnswer](conversationCacheSize)
	return &conversations{threads: threads, dmLast: dmLast}
}

// answered notes an answer just delivered.
func (c *conversations) answered(q question, e AnswerEntry) {
	if q.conv.startThread != "" {
		c.threads.Add(q.conv.startThread, threadInfo{ours: true, asker: q.user})
	}
	if q.guild == "" && len(e.MessageIDs) > 0 {
		c.dmLast.Add(q.channelID, dmAnswer{messageID: e.MessageIDs[0], at: e.Time})
	}
}

// followUp decides whether m continues a conversation: it replies to one
// of the bot's messages; or it is the asking member's message in a
// thread the bot started; or it is a DM, replying to nothing, within
// FollowUpWindow of the bot's last answer there. A reply to anyone
// else's message starts a new conversation.
func (b *Bot) followUp(ctx context.Context, m memberMessage) (conversation, bool) {
	conv := conversation{sent: m.sent}
	var info threadInfo
	if m.guildID != "" {
		info = b.threadInfo(ctx, m.channelID)
	}
	if m.replyTo != "" {
		if m.replyToMsg == nil || m.replyToMsg.Author == nil || m.replyToMsg.Author.ID != b.botUserID() {
			return conv, false
		}
		conv.parent, conv.parentMsg = m.replyTo, m.replyToMsg
		if info.ours {
			conv.thread = m.channelID
		}
		return conv, true
	}
	if info.ours {
		if m.authorID != info.asker {
			return conv, false // others count only when they reply to the bot
		}
		conv.thread = m.channelID
		return conv, true
	}
	if m.guildID != "" {
		return conv, false
	}
	if last, ok := b.convs.dmLast.Get(m.channelID); ok {
		if m.sent.Sub(last.at) > b.opt.FollowUpWindow {
			return conv, false
		}
		conv.parent = last.messageID
		return conv, true
	}
	conv.dm = true // perhaps: the history decides, from the DM's messages
	return conv, true
}

// threadInfo reports whether channelID is a thread the bot started. It
// asks the cache, then the answer log (a thread's ID is its starter
// message's), then Discord, and caches what Discord says.
func (b *Bot) threadInfo(ctx context.Context, channelID string) threadInfo {
	if info, ok := b.convs.threads.Get(channelID); ok {
		return info
	}
	if e, ok, err := b.opt.AnswerLog.Lookup(ctx, channelID); err == nil && ok && e.ThreadID == channelID {
		info := threadInfo{ours: true, asker: e.UserID}
		b.convs.threads.Add(channelID, info)
		return info
	}
	ch, err := b.s.Channel(channelID, discordgo.WithContext(ctx))
	if err != nil {
		// An unknown channel or one the bot may not read (4xx other
		// than 429) won't change; remember it, or every message there
		// costs another request. Transient failures are asked again.
		if discordCode(err) == codeUnknownChannel || clientError(err) {
			b.convs.threads.Add(channelID, threadInfo{})
		}
		b.lg.Debug("couldn't look up the channel", "channel", channelID, "err", safeErr(err))
		return threadInfo{}
	}
	info := threadInfo{}
	if ch.IsThread() && ch.OwnerID == b.botUserID() && ch.ParentID != "" {
		starter, err := b.s.ChannelMessage(ch.ParentID, ch.ID, discordgo.WithContext(ctx))
		if err != nil {
			b.lg.Debug("couldn't fetch a thread's starter", "thread", channelID, "err", safeErr(err))
			return threadInfo{}
		}
		info = threadInfo{ours: true, asker: askerOf(starter)}
	}
	b.convs.threads.Add(channelID, info)
	return info
}

// codeUnknownChannel is Discord's error code for a channel that does not
// exist or that the bot cannot see.
const codeUnknownChannel = 10003

// askerOf is the member whose question the bot message m answers.
func askerOf(m *discordgo.Message) string {
	switch {
	case m.InteractionMetadata != nil && m.InteractionMetadata.User != nil:
		return m.InteractionMetadata.User.ID
	case m.Interaction != nil && m.Interaction.User != nil:
		return m.Interaction.User.ID
	case m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil:
		return m.ReferencedMessage.Author.ID
	}
	return ""
}

// clientError reports whether err is a REST answer in the 4xx range other
// than a rate limit: a refusal that asking again won't change.
func clientError(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	c := re.Response.StatusCode
	return c >= 400 && c < 500 && c != http.StatusTooManyRequests
}
