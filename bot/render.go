package bot

import (
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// Discord's message limits (Discord API documentation, "Create Message").
const (
	MaxContent = 2000 // runes of message content
	// MaxAnswerRunes bounds the text of a model answer, so that the answer
	// and a short header fit one message. The answerer applies it
	// (answer.LLMOptions.MaxAnswerRunes) before it builds citations, so
	// that a cut never leaves a source the text no longer cites; longer
	// texts, such as extractive answers, are split over several messages.
	MaxAnswerRunes = 1800
	// maxHeader bounds the quoted question above a slash-command answer:
	// enough to recognise the question, short enough to leave the answer
	// most of the first message.
	maxHeader = 300
)

// Message is one Discord message the bot sends: content, embeds and
// components (the vote buttons). Every Message that Render* returns is
// within Discord's limits.
type Message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

// Texts the bot sends. They are plain, so that they read well in a channel,
// a DM and an ephemeral reply alike.
const (
	// RefusalText is the whole reply to a question the article doesn't
	// cover: no markers, no sources.
	RefusalText   = answer.RefusalText + " Try `/sources` to see what it does cover."
	failedText    = "Sorry, something went wrong while answering. Please try again in a moment."
	busyText      = "I'm busy answering other questions right now. Please try again shortly."
	restartText   = "I'm restarting. Please ask again in a moment."
	thinkingText  = "Thinking…"
	unknownText   = "I don't know that command. Try `/help`."
	reindexDenied = "Only admins may reindex. Ask a bot admin, or an admin of the bot's home server (Manage Server permission)."
)

// RenderAnswer renders an answer as Discord messages: the text with its
// [n] markers, split at paragraph or sentence boundaries into messages of
// at most MaxContent runes, then a "Sources" embed on the last message
// with one field per citation. question, when not empty, is quoted above
// the answer (slash commands don't show it). A refused answer renders as
// RenderRefusal. Mentions in the question and the answer are neutralized.
func RenderAnswer(question string, a answer.Answer) []Message {
	if a.Refused {
		return RenderRefusal()
	}
	text := strings.TrimSpace(neutralize(defuseLinks(a.Text)))
	if text == "" {
		text = "…"
	}
	if h := questionHeader(question); h != "" {
		text = h + "\n\n" + text
	}
	var msgs []Message
	for _, piece := range Split(text, MaxContent) {
		msgs = append(msgs, Message{Content: piece})
	}
	if embeds := SourcesEmbeds(a.Citations); len(embeds) > 0 {
		msgs[len(msgs)-1].Embeds = embeds
	}
	return msgs
}

// RenderPartial renders the text of an answer still being written: the
// first message's worth of it, without sources.
func RenderPartial(question, text string) Message {
	text = strings.TrimSpace(neutralize(defuseLinks(text)))
	if h := questionHeader(question); h != "" {
		text = h + "\n\n" + text
	}
	pieces := Split(text, MaxContent)
	if len(pieces) == 0 {
		return Message{Content: thinkingText}
	}
	return Message{Content: pieces[0]}
}

// RenderRefusal renders the reply to a question the article doesn't cover.
func RenderRefusal() []Message { return []Message{{Content: RefusalText}} }

// textMessage is a single plain message.
func textMessage(s string) []Message { return []Message{{Content: s}} }

// questionHeader quotes question on one line, trimmed to maxHeader runes,
// with mentions neutralized and Markdown escaped so that a question cannot
// restyle the reply. It returns "" for an empty question.
func questionHeader(question string) string {
	q := strings.Join(strings.FieldsFunc(question, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if q == "" {
		return ""
	}
	return "> " + escapeMarkdown(neutralize(answer.TrimRunes(q, maxHeader)))
}

// markdownEscaper backslash-escapes the characters Discord Markdown gives
// meaning to within a line: emphasis, code, spoilers and links.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, "[", `\[`, "]", `\]`,
)

// escapeMarkdown makes a line of s display literally in a Discord
// message, including a leading heading, list or quote marker.
// defuseLinks escapes the "](" of every masked link in text the bot
// didn't write itself (quoted passages, a model's answer): an added page
// could otherwise show "[source](https://phish.example)", a link that
// looks like the bot's own [source] links. Escaped, the brackets show as
// typed and the address, if any, as plain text.
func defuseLinks(s string) string { return strings.ReplaceAll(s, "](", `\](`) }

func escapeMarkdown(s string) string {
	s = markdownEscaper.Replace(s)
	if s != "" && strings.ContainsRune("#->+", rune(s[0])) {
		s = `\` + s
	}
	return s
}
