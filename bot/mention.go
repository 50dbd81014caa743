package bot

import (
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Discord's mention rules: what the bot defuses in everything it sends and
// strips from questions before they reach the answerer. The answer package
// knows nothing of them.

// zwsp is the zero-width space that breaks a mention without changing how
// the text reads.
const zwsp = "\u200b"

// neutralize defuses Discord mentions in s so that they cannot ping anyone
// even if a message were sent without allowed_mentions: @everyone and @here
// (in any case) and user, nickname and role mentions (<@123>, <@!123>,
// <@&123>) get a zero-width space after the '@'. Channel mentions (<#123>)
// ping nobody and are left alone. neutralize is idempotent.
func neutralize(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '@' && (massMention(s[i+1:]) || (i > 0 && s[i-1] == '<' && idMention(s[i+1:]))) {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

// massMention reports whether rest (the text after an '@') starts with
// "everyone" or "here".
func massMention(rest string) bool {
	for _, w := range []string{"everyone", "here"} {
		if len(rest) >= len(w) && strings.EqualFold(rest[:len(w)], w) {
			return true
		}
	}
	return false
}

// idMention reports whether rest (the text after "<@") is an ID mention's
// remainder: an optional '!' or '&', digits, '>'.
func idMention(rest string) bool {
	if rest != "" && (rest[0] == '!' || rest[0] == '&') {
		rest = rest[1:]
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	return n > 0 && n < len(rest) && rest[n] == '>'
}

// neutralizeMessage defuses mentions in every text of m that Discord shows:
// the content and each embed's title, description, fields, author and
// footer. The render functions neutralize already, before they split text
// to fit Discord's limits, so for their messages it changes nothing; it is
// applied where messages leave the bot, so that no path can send a live
// mention. m's embeds are copied, not changed.
func neutralizeMessage(m Message) Message {
	out := Message{Content: neutralize(m.Content), Components: m.Components}
	if m.Embeds == nil {
		return out
	}
	out.Embeds = make([]*discordgo.MessageEmbed, len(m.Embeds))
	for i, e := range m.Embeds {
		if e == nil {
			continue
		}
		c := *e
		c.Title, c.Description = neutralize(c.Title), neutralize(c.Description)
		if c.Author != nil {
			a := *c.Author
			a.Name = neutralize(a.Name)
			c.Author = &a
		}
		if c.Footer != nil {
			f := *c.Footer
			f.Text = neutralize(f.Text)
			c.Footer = &f
		}
		if c.Fields != nil {
			c.Fields = make([]*discordgo.MessageEmbedField, len(e.Fields))
			for j, fd := range e.Fields {
				if fd == nil {
					continue
				}
				g := *fd
				g.Name, g.Value = neutralize(g.Name), neutralize(g.Value)
				c.Fields[j] = &g
			}
		}
		out.Embeds[i] = &c
	}
	return out
}

// discordMarkupRE matches Discord mention and emoji markup and mass
// mentions: they name people, roles and channels of the server, never
// anything in the article, and their IDs would count as unknown names.
var discordMarkupRE = regexp.MustCompile(`<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|@(?:everyone|here)\b`)

// stripMarkup removes Discord mention and emoji markup from a question.
func stripMarkup(s string) string { return discordMarkupRE.ReplaceAllString(s, " ") }
