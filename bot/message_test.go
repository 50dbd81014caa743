package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestStripMention(t *testing.T) {
	t.Parallel()
	const bot = "123456789012345678"
	tests := []struct {
		name, in, want string
	}{
		{name: "OKLeading", in: "<@123456789012345678> why is the sky blue?", want: "why is the sky blue?"},
		{name: "OKNicknameForm", in: "<@!123456789012345678>   what now", want: "what now"},
		{name: "OKMiddle", in: "hey <@123456789012345678>, what now?", want: "hey , what now?"},
		{name: "OKTwice", in: "<@123456789012345678> a <@123456789012345678> b", want: "a b"},
		{name: "OKOtherMentionsKept", in: "<@123456789012345678> ask <@999> and <@&5>", want: "ask <@999> and <@&5>"},
		{name: "OKLinesKept", in: "<@123456789012345678> first\n  second", want: "first\nsecond"},
		{name: "OKOnlyMention", in: "<@123456789012345678>", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripMention(tt.in, bot); got != tt.want {
				t.Errorf("stripMention(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMentionsUser(t *testing.T) {
	t.Parallel()
	const bot = "123456789012345678"
	tests := []struct {
		name string
		m    discordgo.Message
		want bool
	}{
		{name: "OKMentionsList", m: discordgo.Message{Mentions: []*discordgo.User{{ID: bot}}}, want: true},
		{name: "OKContentOnly", m: discordgo.Message{Content: "<@!" + bot + "> hi"}, want: true},
		{name: "ErrOtherUser", m: discordgo.Message{Content: "<@42> hi", Mentions: []*discordgo.User{{ID: "42"}}}, want: false},
		{name: "ErrPlain", m: discordgo.Message{Content: "hi"}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := mentionsUser(&tt.m, bot), tt.want; got != want {
				t.Errorf("mentionsUser(%s) = %v, want %v", tt.name, got, want)
			}
		})
	}
}

func TestNewQuestion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "OKTrim", in: "  why?  ", want: "why?"},
		{name: "OKNul", in: "wh\x00y?", want: "why?"},
		{name: "OKInvalidUTF8", in: "a\xffb", want: "a\uFFFDb"},
		{name: "OKWhitespaceOnly", in: " \t\n ", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newQuestion("1", "2", "", SourceDM, tt.in, timeZero).text; got != tt.want {
				t.Errorf("newQuestion(%q).text = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
