package bot

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// Discord's embed limits (Discord API documentation, "Embed Limits").
const (
	maxEmbeds      = 10
	maxEmbedTitle  = 256
	maxEmbedFields = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxEmbedTotal  = 6000 // all embeds of one message together
)

// sourcesTitle heads the citations embed.
const sourcesTitle = "Sources"

// embedColor is Discord's blurple.
const embedColor = 0x5865F2

// SourcesEmbeds renders citations as the "Sources" embeds of an answer:
// one field per citation, named "[n] Section" (`[n] Document, "Section"`
// when the citations come from more than one document) and holding the
// verbatim quote, followed by a masked link "[source](<url>)" to the quoted
// sentence when the citation has a URL; the angle brackets keep Discord
// from unfurling it. Quotes are trimmed at word boundaries with "…" to the
// field limit (1024) and, when they would not all fit, to a fair share of
// the 6000 characters all embeds of a message may hold; links are never
// cut, and one that leaves too little room for its quote is left out.
// Beyond 25 fields the fields continue in further embeds. It returns nil
// for no citations.
func SourcesEmbeds(cites []answer.Citation) []*discordgo.MessageEmbed {
	if len(cites) == 0 {
		return nil
	}
	cites = slices.Clone(cites)
	slices.SortStableFunc(cites, func(a, b answer.Citation) int { return a.N - b.N })
	if max := maxEmbeds * maxEmbedFields; len(cites) > max {
		cites = cites[:max]
	}
	embeds := (len(cites) + maxEmbedFields - 1) / maxEmbedFields
	budget := maxEmbedTotal - embeds*utf8.RuneCountInString(sourcesTitle+" (continued)")
	names := make([]string, len(cites))
	values := make([]string, len(cites))
	links := make([]string, len(cites))
	whole := make([]string, len(cites)) // quote and link, for the shares
	multi := multiDocument(cites)
	for i, c := range cites {
		names[i] = fieldName(c, multi)
		values[i] = fieldValue(c)
		links[i] = sourceLink(c.URL)
		whole[i] = values[i] + links[i]
	}
	// Names may take at most half the budget, values the rest; either
	// side's unused share goes to the other.
	nameCap := fairShare(names, budget/2, maxFieldName)
	for i := range names {
		names[i] = answer.TrimRunes(names[i], nameCap)
		budget -= utf8.RuneCountInString(names[i])
	}
	share := fairShare(whole, budget, maxFieldValue)
	out := make([]*discordgo.MessageEmbed, 0, embeds)
	for i := range cites {
		if i%maxEmbedFields == 0 {
			title := sourcesTitle
			if i > 0 {
				title += " (continued)"
			}
			out = append(out, &discordgo.MessageEmbed{Title: title, Color: embedColor})
		}
		e := out[len(out)-1]
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: names[i], Value: fieldWithLink(values[i], links[i], share)})
	}
	return out
}

// fieldName is "[n] Section", or "[n] Document" for text before the first
// heading, trimmed to the field-name limit. With multi, the document is
// always named: `[n] Document, "Section"`.
func fieldName(c answer.Citation, multi bool) string {
	title := strings.TrimSpace(c.Section)
	doc := strings.TrimSpace(c.Document)
	switch {
	case title == "":
		title = doc
	case multi && doc != "":
		title = doc + ", \"" + title + "\""
	}
	name := "[" + strconv.Itoa(c.N) + "]"
	if title != "" {
		name += " " + oneLine(title)
	}
	return answer.TrimRunes(neutralize(name), maxFieldName)
}

// fieldValue is the citation's verbatim quote, or its passage when it has
// none: a field value may not be empty.
func fieldValue(c answer.Citation) string {
	v := strings.TrimSpace(c.Quote)
	if v == "" {
		v = strings.TrimSpace(c.Text)
	}
	if v == "" {
		v = "…"
	}
	return neutralize(defuseLinks(v))
}

// multiDocument reports whether cites come from more than one document.
func multiDocument(cites []answer.Citation) bool {
	for _, c := range cites[1:] {
		if c.Document != cites[0].Document {
			return true
		}
	}
	return false
}

// minLinkedQuote is the fewest runes of quote a field keeps beside its
// link; with less room the link is left out rather than the quote lost.
const minLinkedQuote = 40

// sourceLink is the masked link "\n[source](<url>)" to a citation's URL,
// or "" when it has none, it can't be a link (see linkTarget) or it is
// longer than half a field.
func sourceLink(u string) string {
	target, ok := linkTarget(u)
	if !ok {
		return ""
	}
	link := "\n[source](<" + target + ">)"
	if utf8.RuneCountInString(link) > maxFieldValue/2 {
		return ""
	}
	return link
}

// linkTarget returns u as the target of a masked link "[text](<u>)": an
// http(s) URL with a host and no user part, with every byte that could
// end the angle brackets early, that mention neutralizing would change
// ("@") or that isn't printable ASCII percent-encoded, so that
// "https://medium.com/@user/é" still links. ok is false for anything
// else, which is shown without a link.
func linkTarget(u string) (target string, ok bool) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.User != nil {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c > '~' || strings.IndexByte("<>@`\"\\^{}|", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// fieldWithLink is quote trimmed so that it and link fit in share runes;
// when that would leave fewer than minLinkedQuote runes of quote, the link
// is dropped instead. The link is never cut.
func fieldWithLink(quote, link string, share int) string {
	room := share - utf8.RuneCountInString(link)
	if link == "" || room < min(minLinkedQuote, utf8.RuneCountInString(quote)) {
		return answer.TrimRunes(quote, share)
	}
	return answer.TrimRunes(quote, room) + link
}

// fairShare returns the largest cap, at most limit, such that values
// trimmed to it total at most budget runes. Short values keep their full
// length and leave their unused share to the long ones.
func fairShare(values []string, budget, limit int) int {
	lens := make([]int, len(values))
	for i, v := range values {
		lens[i] = min(utf8.RuneCountInString(v), limit)
	}
	slices.Sort(lens)
	left := len(lens)
	for _, n := range lens {
		if n*left > budget {
			return max(budget/left, 1)
		}
		budget -= n
		left--
	}
	return limit
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
