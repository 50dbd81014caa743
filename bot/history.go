package bot

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// History limits (answer.MaxHistoryTurns and MaxHistoryChars): the last 6
// turns and about 6,000 characters, dropping the oldest first but keeping
// the question a thread was started from.
const (
	maxHistoryTurns = answer.MaxHistoryTurns
	maxHistoryChars = answer.MaxHistoryChars
	// threadPage is how many of a thread's latest messages one request
	// reads: room for 6 turns among other members' chatter.
	threadPage = 100
	dmPage     = 20
)

// history rebuilds the conversation q continues, oldest turn first, from
// Discord: the reply chain, the thread's messages or the DM's recent
// messages. Answers the log knows cost no request and bring their
// citations; a reply chain costs at most one request per turn the log
// doesn't know, a thread or a DM one request. Failures only shorten the
// history.
func (b *Bot) history(ctx context.Context, q question) []answer.Turn {
	var (
		turns     []answer.Turn // newest first
		keepFirst bool
	)
	switch c := q.conv; {
	case c.thread != "":
		turns, keepFirst = b.threadTurns(ctx, q), true
	case c.parent != "":
		turns = b.chainTurns(ctx, q.channelID, c.parent, c.parentMsg)
	case c.dm:
		turns = b.dmTurns(ctx, q)
	default:
		return nil
	}
	slices.Reverse(turns)
	return capHistory(turns, keepFirst)
}

// chainTurns walks the reply chain back from the bot message id: each
// answer, the question it replies to, the answer that question replied
// to, and so on.
func (b *Bot) chainTurns(ctx context.Context, channelID, id string, pre *discordgo.Message) []answer.Turn {
	var turns []answer.Turn
	for id != "" && len(turns) < maxHistoryTurns {
		if e, ok := b.lookupAnswer(ctx, channelID, id); ok {
			turns = append(turns, entryTurn(e))
			id, pre = e.ParentMessageID, nil
			continue
		}
		m := pre
		if m == nil || (m.MessageReference != nil && m.ReferencedMessage == nil) {
			var err error
			if m, err = b.s.ChannelMessage(channelID, id, discordgo.WithContext(ctx)); err != nil {
				b.lg.Debug("couldn't fetch a message of the conversation", "message", id, "err", safeErr(err))
				break
			}
		}
		if m.Author == nil || m.Author.ID != b.botUserID() {
			break
		}
		t, next := b.messageTurn(m)
		turns = append(turns, t)
		id, pre = next, nil
	}
	return turns
}

// threadTurns reads the thread's latest messages in one request: the
// starter system message points at the answer the thread was opened
// from, and each of the bot's replies in it at the question it answers.
func (b *Bot) threadTurns(ctx context.Context, q question) []answer.Turn {
	msgs, err := b.s.ChannelMessages(q.channelID, threadPage, q.id, "", "", discordgo.WithContext(ctx))
	if err != nil {
		b.lg.Debug("couldn't read the thread", "thread", q.channelID, "err", safeErr(err))
		return b.chainTurns(ctx, q.channelID, q.conv.parent, q.conv.parentMsg)
	}
	var turns []answer.Turn
	starter := false
	for _, m := range msgs { // newest first
		switch {
		case m.Type == discordgo.MessageTypeThreadStarterMessage && m.ReferencedMessage != nil:
			turns, starter = append(turns, b.knownTurn(ctx, m.ReferencedMessage)), true
		case m.Author != nil && m.Author.ID == b.botUserID() && m.ReferencedMessage != nil:
			turns = append(turns, b.knownTurn(ctx, m))
		}
	}
	if !starter { // the thread is longer than a page: its ID is the starter's
		if e, ok, err := b.opt.AnswerLog.Lookup(ctx, q.channelID); err == nil && ok {
			turns = append(turns, entryTurn(e))
		}
	}
	return turns
}

// dmTurns reads the DM's recent messages in one request and takes the
// bot's answers back from the question, as long as each came within
// FollowUpWindow of what followed it.
func (b *Bot) dmTurns(ctx context.Context, q question) []answer.Turn {
	msgs, err := b.s.ChannelMessages(q.channelID, dmPage, q.id, "", "", discordgo.WithContext(ctx))
	if err != nil {
		b.lg.Debug("couldn't read the DM", "channel", q.channelID, "err", safeErr(err))
		return nil
	}
	var turns []answer.Turn
	last := q.conv.sent
	for _, m := range msgs { // newest first
		if m.Author == nil || m.Author.ID != b.botUserID() || m.ReferencedMessage == nil {
			continue
		}
		if last.Sub(m.Timestamp) > b.opt.FollowUpWindow || len(turns) == maxHistoryTurns {
			break
		}
		turns = append(turns, b.knownTurn(ctx, m))
		last = m.ReferencedMessage.Timestamp
	}
	return turns
}

// knownTurn is the turn of the bot message m: from the answer log when
// it knows m, else from m itself.
func (b *Bot) knownTurn(ctx context.Context, m *discordgo.Message) answer.Turn {
	if e, ok := b.lookupAnswer(ctx, m.ChannelID, m.ID); ok {
		return entryTurn(e)
	}
	t, _ := b.messageTurn(m)
	return t
}

func entryTurn(e AnswerEntry) answer.Turn {
	text := e.Text
	if e.Refused {
		text = answer.RefusalText
	}
	return answer.Turn{Question: e.Question, Answer: text, Citations: slices.Clone(e.Citations)}
}

// messageTurn rebuilds a turn from one of the bot's messages alone: the
// answer is its text without the quoted question, and the question is
// the message it replies to or, for a slash command, that quote. Its
// citations are unknown. next is the bot message the question itself
// replied to, "" when none.
func (b *Bot) messageTurn(m *discordgo.Message) (t answer.Turn, next string) {
	header, text := splitHeader(m.Content)
	t.Answer = text
	if r := m.ReferencedMessage; r != nil {
		t.Question = questionText(stripMention(r.Content, b.botUserID()))
		if r.MessageReference != nil {
			next = r.MessageReference.MessageID
		}
		return t, next
	}
	t.Question = unquoteHeader(header)
	return t, ""
}

// splitHeader splits a slash-command answer into its quoted question
// (questionHeader) and the answer below it.
func splitHeader(content string) (header, text string) {
	if h, rest, ok := strings.Cut(content, "\n\n"); ok && strings.HasPrefix(h, "> ") && !strings.Contains(h, "\n") {
		return h, strings.TrimSpace(rest)
	}
	return "", strings.TrimSpace(content)
}

// markdownUnescaper undoes escapeMarkdown and neutralize.
var markdownUnescaper = strings.NewReplacer(
	`\\`, `\`, `\*`, "*", `\_`, "_", `\~`, "~", "\\`", "`", `\|`, "|", `\[`, "[", `\]`, "]", zwsp, "",
)

// unquoteHeader is the question a questionHeader quotes.
func unquoteHeader(h string) string {
	h = strings.TrimPrefix(h, "> ")
	if h != "" && h[0] == '\\' && len(h) > 1 && strings.ContainsRune("#->+", rune(h[1])) {
		h = h[1:]
	}
	return questionText(markdownUnescaper.Replace(h))
}

// questionText is raw question text as the answerer sees it.
func questionText(raw string) string {
	return newQuestion("", "", "", SourceDM, raw, noTime).searchText()
}

// capHistory keeps the last maxHistoryTurns turns within about
// maxHistoryChars, dropping the oldest first; keepFirst keeps turns[0]
// (the question a thread was started from) whatever else goes. A turn
// that alone is too long keeps its question and a shortened answer.
func capHistory(turns []answer.Turn, keepFirst bool) []answer.Turn {
	first := 0
	if keepFirst && len(turns) > 0 {
		first = 1
	}
	for len(turns) > first+1 && (len(turns) > maxHistoryTurns || historyChars(turns) > maxHistoryChars) {
		turns = slices.Delete(turns, first, first+1)
	}
	for i := range turns {
		if over := historyChars(turns) - maxHistoryChars; over > 0 {
			n := utf8.RuneCountInString(turns[i].Answer)
			turns[i].Answer = answer.TrimRunes(turns[i].Answer, max(n-over, 0))
		}
	}
	return turns
}

func historyChars(turns []answer.Turn) int {
	n := 0
	for _, t := range turns {
		n += utf8.RuneCountInString(t.Question) + utf8.RuneCountInString(t.Answer)
	}
	return n
}
