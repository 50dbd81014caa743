package bot

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
)

// liveMentionRE matches text that could ping: a live @everyone or @here,
// or a user, nickname or role mention.
var liveMentionRE = regexp.MustCompile(`(?i)@(everyone|here)|<@[!&]?\d+>`)

func TestNeutralize(t *testing.T) {
	t.Parallel()
	const z = "\u200b"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"Everyone", "hi @everyone!", "hi @" + z + "everyone!"},
		{"Here", "@here now", "@" + z + "here now"},
		{"MixedCase", "@EveryOne", "@" + z + "EveryOne"},
		{"User", "ask <@123>", "ask <@" + z + "123>"},
		{"Nickname", "ask <@!123>", "ask <@" + z + "!123>"},
		{"Role", "ping <@&123>", "ping <@" + z + "&123>"},
		{"Channel", "see <#123>", "see <#123>"},
		{"Email", "mail bob@example.com", "mail bob@example.com"},
		{"NotAMention", "<@abc> and <@123 and <@>", "<@abc> and <@123 and <@>"},
		{"Several", "@everyone <@&1><@2>", "@" + z + "everyone <@" + z + "&1><@" + z + "2>"},
		{"Plain", "no mentions [1].", "no mentions [1]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := neutralize(tt.in)
			if got != tt.want {
				t.Errorf("neutralize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := neutralize(got); again != got {
				t.Errorf("neutralize is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestNeutralizeMessage(t *testing.T) {
	t.Parallel()
	const ping = "@everyone <@&1>"
	in := Message{Content: ping, Embeds: []*discordgo.MessageEmbed{{
		Title: ping, Description: ping,
		Author: &discordgo.MessageEmbedAuthor{Name: ping},
		Footer: &discordgo.MessageEmbedFooter{Text: ping},
		Fields: []*discordgo.MessageEmbedField{{Name: ping, Value: ping}},
	}}}
	got := neutralizeMessage(in)
	e := got.Embeds[0]
	for _, s := range []string{got.Content, e.Title, e.Description, e.Author.Name, e.Footer.Text, e.Fields[0].Name, e.Fields[0].Value} {
		if p := liveMentionRE.FindString(s); p != "" {
			t.Errorf("neutralizeMessage left a live %q in %q", p, s)
		}
	}
	if in.Content != ping || in.Embeds[0].Title != ping || in.Embeds[0].Fields[0].Value != ping || in.Embeds[0].Footer.Text != ping {
		t.Errorf("neutralizeMessage changed its argument: %+v", in.Embeds[0])
	}
	if got := neutralizeMessage(Message{Content: "plain"}); got.Content != "plain" || got.Embeds != nil {
		t.Errorf("neutralizeMessage(plain) = %+v, want it unchanged", got)
	}
}

func TestSearchTextStripsDiscordMarkup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "OKMassAndRole", in: "@everyone <@&123456789012345678> Why does Russia need China?", want: "Why does Russia need China?"},
		{name: "OKUserChannelEmoji", in: "<@!123456789012345678> <#123456789012345678> <:pog:123456789012345678> <a:dance:42> why", want: "why"},
		{name: "OKCode", in: "```python\nprint(leak)\n``` why does `import os` russia", want: "why does russia"},
		{name: "OKOnlyMarkup", in: "@here <@1>", want: ""},
		{name: "OKEmailKept", in: "who is bob@example.com", want: "who is bob@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQuestion("1", "2", "3", SourceSlash, tt.in, time.Now())
			if got := q.searchText(); got != tt.want {
				t.Errorf("searchText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMentionsNeverSent has the answerer stream and answer text full of
// mentions, as a hostile model might, and checks that no request the bot
// sends (partial edits included) carries a live one, while the defused
// text is still shown.
func TestMentionsNeverSent(t *testing.T) {
	t.Parallel()
	const hostile = "@everyone @here <@&123> <@!456> read this [1]."
	var hp atomic.Pointer[harness] // set before the question is asked
	shown := make(chan struct{})
	h := startBot(t, Options{StreamInterval: 10 * time.Millisecond}, askFunc(func(ctx context.Context, q string, onPartial func(string)) (answer.Answer, error) {
		words := strings.Fields(hostile)
		for i := range words {
			onPartial(strings.Join(words[:i+1], " "))
		}
		// Return only once a partial edit has reached Discord, so that
		// the test checks one whatever the scheduling.
		for partialEdits(hp.Load()) == 0 {
			select {
			case <-ctx.Done():
				return answer.Answer{}, ctx.Err()
			case <-time.After(time.Millisecond):
			}
		}
		close(shown)
		return answer.Answer{
			Question: q, Text: hostile, Mode: answer.ModeLLM,
			Citations: []answer.Citation{{N: 1, Section: "@everyone", Quote: "<@&123> quoted."}},
		}, nil
	}))
	hp.Store(h)
	ctx := timeout(t, 10*time.Second)
	token := h.ask(t, ctx, "501", "@here why?", false)
	r := h.waitResponse(t, ctx, token, hasEmbeds)
	if !strings.Contains(r.Original.Content, "@\u200beveryone") {
		t.Errorf("final content = %q, want the defused @everyone shown", r.Original.Content)
	}
	<-shown
	for _, req := range h.fake.Requests() {
		if p := liveMentionRE.Find(req.Body); req.CarriesContent && p != nil {
			t.Errorf("%s %s carries a live %q: %s", req.Method, req.Path, p, req.Body)
		}
	}
}

// partialEdits counts the edits without embeds the fake has received: the
// partial texts of a streaming answer.
func partialEdits(h *harness) int {
	n := 0
	for _, req := range h.fake.Requests() {
		if req.CarriesContent && req.Method == http.MethodPatch && !strings.Contains(string(req.Body), `"embeds":[{`) {
			n++
		}
	}
	return n
}
