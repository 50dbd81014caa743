package fakediscord_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

func TestMessageLimits(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	s := newSession(t, fake, fake.Token())

	fields := func(n int) []*discordgo.MessageEmbedField {
		out := make([]*discordgo.MessageEmbedField, n)
		for i := range out {
			out[i] = &discordgo.MessageEmbedField{Name: "n", Value: "v"}
		}
		return out
	}
	embeds := func(n int) []*discordgo.MessageEmbed {
		out := make([]*discordgo.MessageEmbed, n)
		for i := range out {
			out[i] = &discordgo.MessageEmbed{Title: "t"}
		}
		return out
	}
	tests := []struct {
		name     string
		msg      discordgo.MessageSend
		wantCode int // 0 means accepted
		wantPath string
	}{
		{name: "OK2000Runes", msg: discordgo.MessageSend{Content: strings.Repeat("é", 2000)}},
		{name: "ErrContent2001Runes", msg: discordgo.MessageSend{Content: strings.Repeat("é", 2001)}, wantCode: 50035, wantPath: "content"},
		{name: "ErrEmpty", msg: discordgo.MessageSend{}, wantCode: 50006},
		{name: "OK10Embeds", msg: discordgo.MessageSend{Embeds: embeds(10)}},
		{name: "ErrEmbeds11", msg: discordgo.MessageSend{Embeds: embeds(11)}, wantCode: 50035, wantPath: "embeds"},
		{name: "ErrTitle", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Title: strings.Repeat("a", 257)}}}, wantCode: 50035, wantPath: "embeds.0.title"},
		{name: "ErrDescription", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: strings.Repeat("a", 4097)}}}, wantCode: 50035, wantPath: "embeds.0.description"},
		{name: "OK25Fields", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: fields(25)}}}},
		{name: "ErrFields26", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: fields(26)}}}, wantCode: 50035, wantPath: "embeds.0.fields"},
		{name: "ErrFieldName", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{{Name: strings.Repeat("a", 257), Value: "v"}}}}}, wantCode: 50035, wantPath: "embeds.0.fields.0.name"},
		{name: "ErrFieldValue", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{{Name: "n", Value: strings.Repeat("a", 1025)}}}}}, wantCode: 50035, wantPath: "embeds.0.fields.0.value"},
		{name: "ErrFooter", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Footer: &discordgo.MessageEmbedFooter{Text: strings.Repeat("a", 2049)}}}}, wantCode: 50035, wantPath: "embeds.0.footer.text"},
		{name: "ErrAuthor", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Author: &discordgo.MessageEmbedAuthor{Name: strings.Repeat("a", 257)}}}}, wantCode: 50035, wantPath: "embeds.0.author.name"},
		{name: "OKTotal6000", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{
			{Description: strings.Repeat("a", 4000)}, {Description: strings.Repeat("b", 2000)},
		}}},
		{name: "ErrTotal6001", msg: discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{
			{Description: strings.Repeat("a", 4000)}, {Title: "x", Description: strings.Repeat("b", 2000)},
		}}, wantCode: 50035, wantPath: "embeds"},
		{name: "ErrMultipartContent", msg: discordgo.MessageSend{
			Content: strings.Repeat("a", 2001),
			Files:   []*discordgo.File{{Name: "a.txt", Reader: strings.NewReader("hi")}},
		}, wantCode: 50035, wantPath: "content"},
		{name: "OKFileOnly", msg: discordgo.MessageSend{Files: []*discordgo.File{{Name: "a.txt", Reader: strings.NewReader("hi")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.msg.AllowedMentions = noMentions()
			_, err := s.ChannelMessageSendComplex("100", &tt.msg)
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("ChannelMessageSendComplex: %v", err)
				}
				return
			}
			status, code := restCode(t, err)
			if got, want := status, http.StatusBadRequest; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := code, tt.wantCode; got != want {
				t.Fatalf("code = %d, want %d", got, want)
			}
			if tt.wantPath != "" {
				assertErrorPath(t, err, tt.wantPath)
			}
		})
	}
}

// assertErrorPath checks that a 50035 answer names the dotted path.
func assertErrorPath(t *testing.T, err error, path string) {
	t.Helper()
	re := err.(*discordgo.RESTError)
	var body struct {
		Errors map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(re.ResponseBody, &body); err != nil {
		t.Fatalf("decode error body: %v", err)
	}
	node := body.Errors
	for _, part := range strings.Split(path, ".") {
		next, ok := node[part].(map[string]any)
		if !ok {
			t.Fatalf("errors = %s, want an entry at %q", re.ResponseBody, path)
		}
		node = next
	}
	if _, ok := node["_errors"]; !ok {
		t.Fatalf("errors = %s, want _errors at %q", re.ResponseBody, path)
	}
}

func TestChannelMessagesAndMentions(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	s := newSession(t, fake, fake.Token())

	m, err := s.ChannelMessageSendComplex("7", &discordgo.MessageSend{Content: "hello", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if _, err := s.ChannelMessageEdit("7", m.ID, "hello @everyone"); err != nil { // no allowed_mentions
		t.Fatalf("edit: %v", err)
	}
	if err := s.ChannelTyping("7"); err != nil {
		t.Fatalf("typing: %v", err)
	}
	got := fake.ChannelMessages("7")
	if len(got) != 1 || got[0].Content != "hello @everyone" || got[0].Edits != 1 {
		t.Fatalf("ChannelMessages = %+v, want one edited message", got)
	}
	unsafe := fake.UnsafeMentions()
	if len(unsafe) != 1 || unsafe[0].Method != http.MethodPatch {
		t.Fatalf("UnsafeMentions = %d requests, want the PATCH only", len(unsafe))
	}
	if _, err := s.ChannelMessageEdit("7", "999", "x"); err == nil {
		t.Fatal("edit of unknown message: want error")
	} else if _, code := restCode(t, err); code != 10008 {
		t.Fatalf("code = %d, want 10008", code)
	}
}

func TestAuthAndRoutes(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})

	t.Run("ErrWrongToken", func(t *testing.T) {
		_, err := newSession(t, fake, "wrong").ChannelMessageSend("1", "x")
		if status, _ := restCode(t, err); status != http.StatusUnauthorized {
			t.Fatalf("status = %d, want 401", status)
		}
	})
	t.Run("ErrUnknownRoute", func(t *testing.T) {
		_, err := newSession(t, fake, fake.Token()).Request(http.MethodGet, discordgo.EndpointAPI+"nope", nil)
		if status, code := restCode(t, err); status != http.StatusNotFound || code != 0 {
			t.Fatalf("status, code = %d, %d, want 404, 0", status, code)
		}
	})
	t.Run("OKGateway", func(t *testing.T) {
		gw, err := newSession(t, fake, fake.Token()).Gateway()
		if err != nil {
			t.Fatalf("Gateway: %v", err)
		}
		if got, want := gw, fake.GatewayURL()+"/"; got != want {
			t.Fatalf("Gateway() = %q, want %q", got, want)
		}
	})
	t.Run("OKUserChannelCreate", func(t *testing.T) {
		ch, err := newSession(t, fake, fake.Token()).UserChannelCreate("42")
		if err != nil {
			t.Fatalf("UserChannelCreate: %v", err)
		}
		id, ok := fake.DMChannel("42")
		if ch.Type != discordgo.ChannelTypeDM || !ok || ch.ID != id || ch.Recipients[0].ID != "42" {
			t.Fatalf("channel = %+v, DMChannel = %q, %v", ch, id, ok)
		}
	})
	t.Run("ErrFollowupBeforeCallback", func(t *testing.T) {
		i := &discordgo.Interaction{AppID: fake.AppID(), Token: "unknown"}
		_, err := newSession(t, fake, fake.Token()).FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "x"})
		if status, code := restCode(t, err); status != http.StatusNotFound || code != 10015 {
			t.Fatalf("status, code = %d, %d, want 404, 10015", status, code)
		}
	})
}

func TestFaults(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	s := newSession(t, fake, fake.Token())
	const pattern = "/api/v9/channels/*/messages"

	t.Run("OKRateLimitRetried", func(t *testing.T) {
		fake.RateLimitNext(http.MethodPost, pattern, 2, 50*time.Millisecond)
		if _, err := s.ChannelMessageSendComplex("1", &discordgo.MessageSend{Content: "a", AllowedMentions: noMentions()}); err != nil {
			t.Fatalf("send: %v", err)
		}
		var statuses []int
		for _, r := range fake.Requests() {
			if r.Path == "/api/v9/channels/1/messages" {
				statuses = append(statuses, r.Status)
			}
		}
		if got, want := len(statuses), 3; got != want || statuses[2] != http.StatusOK {
			t.Fatalf("statuses = %v, want 429, 429, 200", statuses)
		}
		if got := fake.ChannelMessages("1"); len(got) != 1 {
			t.Fatalf("ChannelMessages = %d, want 1", len(got))
		}
	})
	t.Run("OKBadGatewayRetried", func(t *testing.T) {
		fake.FailNext(http.MethodPost, pattern, 1, http.StatusBadGateway)
		if _, err := s.ChannelMessageSendComplex("2", &discordgo.MessageSend{Content: "a", AllowedMentions: noMentions()}); err != nil {
			t.Fatalf("send: %v", err)
		}
	})
	t.Run("ErrInternal", func(t *testing.T) {
		fake.FailNext("", pattern, 1, http.StatusInternalServerError)
		_, err := s.ChannelMessageSendComplex("3", &discordgo.MessageSend{Content: "a", AllowedMentions: noMentions()})
		if status, _ := restCode(t, err); status != http.StatusInternalServerError {
			t.Fatalf("status = %d, want 500", status)
		}
	})
	t.Run("OKDelay", func(t *testing.T) {
		fake.DelayNext(http.MethodPost, pattern, 1, 100*time.Millisecond)
		start := time.Now()
		if _, err := s.ChannelMessageSendComplex("4", &discordgo.MessageSend{Content: "a", AllowedMentions: noMentions()}); err != nil {
			t.Fatalf("send: %v", err)
		}
		if got := time.Since(start); got < 100*time.Millisecond {
			t.Fatalf("took %v, want >= 100ms", got)
		}
	})
}

func TestApplicationCommandBulkOverwrite(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	s := newSession(t, fake, fake.Token())
	cmds := []*discordgo.ApplicationCommand{{
		Name: "ask", Description: "Ask the article",
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question", Required: true, MaxLength: 6000,
		}},
	}}

	created, err := s.ApplicationCommandBulkOverwrite(fake.AppID(), "555", cmds)
	if err != nil {
		t.Fatalf("ApplicationCommandBulkOverwrite: %v", err)
	}
	stored := fake.Commands("555")
	if len(created) != 1 || len(stored) != 1 || created[0].ID != stored[0].ID || stored[0].Name != "ask" {
		t.Fatalf("created = %+v, stored = %+v", created, stored)
	}
	again, err := s.ApplicationCommandBulkOverwrite(fake.AppID(), "555", cmds)
	if err != nil || again[0].ID != created[0].ID {
		t.Fatalf("second overwrite = %+v, %v; want the same ID", again, err)
	}
	if got := fake.Commands(""); len(got) != 0 {
		t.Fatalf("global commands = %+v, want none", got)
	}

	bad := []*discordgo.ApplicationCommand{{Name: "Ask", Description: "x"}}
	_, err = s.ApplicationCommandBulkOverwrite(fake.AppID(), "", bad)
	if _, code := restCode(t, err); code != 50035 {
		t.Fatalf("code = %d, want 50035", code)
	}
	_, err = s.ApplicationCommandBulkOverwrite(fake.BotUserID(), "", cmds)
	if status, _ := restCode(t, err); status != http.StatusNotFound {
		t.Fatalf("overwrite with the bot user ID: status = %d, want 404", status)
	}
}
