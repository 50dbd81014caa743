package bot

import (
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
// one field per citation, named "[n] Section" and holding the verbatim
// quote. Quotes are trimmed at word boundaries with "…" to the field limit
// (1024) and, when they would not all fit, to a fair share of the 6000
// characters all embeds of a message may hold; beyond 25 fields the
// fields continue in further embeds. It returns nil for no citations.
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
	for i, c := range cites {
		names[i] = fieldName(c)
		values[i] = fieldValue(c)
	}
	// Names may take at most half the budget, values the rest; either
	// side's unused share goes to the other.
	nameCap := fairShare(names, budget/2, maxFieldName)
	for i := range names {
		names[i] = answer.TrimRunes(names[i], nameCap)
		budget -= utf8.RuneCountInString(names[i])
	}
	share := fairShare(values, budget, maxFieldValue)
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
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: names[i], Value: answer.TrimRunes(values[i], share)})
	}
	return out
}

// fieldName is "[n] Section", or "[n] Document" for text before the first
// heading, trimmed to the field-name limit.
func fieldName(c answer.Citation) string {
	title := strings.TrimSpace(c.Section)
	if title == "" {
		title = strings.TrimSpace(c.Document)
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
	return neutralize(v)
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
