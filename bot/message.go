package bot

import (
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// typingTimeout bounds the typing indicator, which is only a courtesy.
const typingTimeout = 2 * time.Second

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
