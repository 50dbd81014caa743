package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// maxListMessages bounds the messages of one /sources reply; a corpus with
// more sections than fit is summarised at the end.
const maxListMessages = 3

// noIndexText answers /sources before any index is loaded.
const noIndexText = "No articles are indexed yet. An admin can run `/reindex`."

// RenderSources renders the /sources reply: every indexed document with
// its section titles and passage counts, and when the index was built (as
// a Discord timestamp, shown in each reader's time zone). Long lists are
// packed into at most three messages, ending with how many sections were
// left out. With no documents it says that nothing is indexed.
func RenderSources(docs []retrieval.DocumentInfo, builtAt time.Time) []Message {
	return RenderSourcesWith(docs, nil, nil, builtAt)
}

// Origin is who added a document, and when.
type Origin struct {
	By string // Discord user ID, or "cli"
	At time.Time
}

// RenderSourcesWith is RenderSources that also links each document with a
// URL (a masked link that doesn't unfurl), says who added it and when
// (origins, by Source), and lists the skipped files.
func RenderSourcesWith(docs []retrieval.DocumentInfo, origins map[string]Origin, skipped []corpus.Skipped, builtAt time.Time) []Message {
	if len(docs) == 0 {
		return textMessage(noIndexText)
	}
	passages, sections := 0, 0
	for _, d := range docs {
		passages += d.Passages
		sections += len(d.Sections)
	}
	ts := strconv.FormatInt(builtAt.Unix(), 10)
	lines := []string{fmt.Sprintf("**What I know:** %s, %s, last indexed <t:%s:f> (<t:%s:R>).",
		plural(len(docs), "document"), plural(passages, "passage"), ts, ts)}
	for _, d := range docs {
		title := strings.TrimSpace(d.Title)
		if title == "" {
			title = d.Source
		}
		name := safeText(title)
		if target, ok := linkTarget(d.URL); ok {
			name = "[" + strings.NewReplacer("[", "(", "]", ")").Replace(name) + "](<" + target + ">)"
		}
		line := fmt.Sprintf("**%s**: %s, %s", name, plural(len(d.Sections), "section"), plural(d.Passages, "passage"))
		if o, ok := origins[d.Source]; ok && o.By != "" {
			by := "the command line"
			if o.By != "cli" {
				by = "`" + strings.ReplaceAll(o.By, "`", "") + "`"
			}
			line += fmt.Sprintf(", added by %s <t:%d:d>", by, o.At.Unix())
		}
		lines = append(lines, "", line)
		for _, s := range d.Sections {
			heading := "(opening, before any heading)"
			if h := strings.TrimSpace(s.Heading); h != "" {
				heading = safeText(h)
			}
			lines = append(lines, fmt.Sprintf("• %s (%d)", heading, s.Passages))
		}
	}
	if text := skippedText(skipped); text != "" {
		lines = append(lines, strings.Split(strings.TrimPrefix(text, "\n"), "\n")...)
	}
	return packLines(lines, maxListMessages)
}

// Bounds on the document titles /help names, so the help always fits.
const (
	maxHelpTitles = 5
	maxHelpTitle  = 100
)

// HelpInfo is what /help states about the bot's limits.
type HelpInfo struct {
	MaxQuestion   int // characters
	RatePerMinute int // questions per user
}

// RenderHelp renders the /help reply: what the bot knows (the document
// titles), how to ask and the commands.
func RenderHelp(titles []string, info HelpInfo) Message {
	known := "the articles it has indexed"
	if len(titles) > 0 {
		var quoted []string
		for _, t := range titles[:min(len(titles), maxHelpTitles)] {
			quoted = append(quoted, "*"+safeText(answer.TrimRunes(t, maxHelpTitle))+"*")
		}
		if left := len(titles) - maxHelpTitles; left > 0 {
			quoted = append(quoted, plural(left, "more document"))
		}
		known = joinAnd(quoted)
	}
	text := strings.Join([]string{
		"I answer questions about " + known + ", quoting and citing the passages I rely on. " +
			"When the article doesn't cover a question, I say so instead of guessing.",
		"",
		"**How to ask**",
		"• `/ask question: …` in a channel; add `private: True` to see the answer alone, or `thread: True` to talk it through in a thread.",
		"• Mention me with your question: `@articlebot What does the article say about …?`",
		"• Send me a direct message with your question.",
		"• Follow up by replying to my answer (\"why?\", \"and china?\", \"source?\"), in a thread I started, or in a DM.",
		"• Rate any answer with 👍 or 👎: it tells the admins what to fix.",
		"",
		"**Commands**",
		"• `/ask`: ask a question about the article",
		"• `/sources`: the documents and sections I know, and when they were indexed",
		"• `/help`: this message",
		"• `/reindex`, `/add`, `/remove`: re-read, add or remove documents (admins only)",
		"",
		fmt.Sprintf("Questions can be up to %d characters; each person can ask %s a minute.",
			info.MaxQuestion, plural(info.RatePerMinute, "question")),
	}, "\n")
	return Message{Content: answer.TrimRunes(text, MaxContent)}
}

// moreText ends a list too long for its messages.
const moreText = "…and more: the list is too long to show in full."

// packLines joins lines into at most maxMsgs messages of at most
// MaxContent runes, breaking only between lines (a longer line is
// trimmed). When lines are left over, the last message ends with
// moreText.
func packLines(lines []string, maxMsgs int) []Message {
	var msgs []Message
	var cur []string
	size := 0
	flush := func() {
		if text := strings.TrimSpace(strings.Join(cur, "\n")); text != "" {
			msgs = append(msgs, Message{Content: text})
		}
		cur, size = nil, 0
	}
	for _, l := range lines {
		l = answer.TrimRunes(l, MaxContent)
		n := len([]rune(l)) + 1
		if size+n > MaxContent {
			flush()
		}
		if len(msgs) == maxMsgs {
			last := &msgs[maxMsgs-1]
			for len([]rune(last.Content))+1+len([]rune(moreText)) > MaxContent {
				j := strings.LastIndexByte(last.Content, '\n')
				if j < 0 {
					break
				}
				last.Content = last.Content[:j]
			}
			last.Content += "\n" + moreText
			return msgs
		}
		cur = append(cur, l)
		size += n
	}
	flush()
	return msgs
}

// safeText makes corpus text safe to show: mentions neutralized, Markdown
// escaped, on one line.
func safeText(s string) string { return escapeMarkdown(neutralize(oneLine(s))) }

// plural is "1 passage", "2 passages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// joinAnd is "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
