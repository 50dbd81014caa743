package fakediscord_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

func TestReady(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{BotUsername: "bot"})
	ready := make(chan *discordgo.Ready, 1)
	s := openSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	})

	r := receive(t, timeout(t, 5*time.Second), ready)
	if r.Application == nil || r.Application.ID != fake.AppID() || r.Application.ID == r.User.ID {
		t.Fatalf("READY application = %+v, user = %+v; want app %s distinct from user", r.Application, r.User, fake.AppID())
	}
	if got, want := s.State.Application.ID, fake.AppID(); got != want {
		t.Errorf("State.Application.ID = %q, want %q", got, want)
	}
	if got, want := s.State.User.ID, fake.BotUserID(); got != want || !s.State.User.Bot {
		t.Errorf("State.User = %+v, want bot %s", s.State.User, want)
	}
	gw := fake.Gateway()
	if got, want := gw.LastURL, "/gateway/?v=9&encoding=json"; got != want {
		t.Errorf("LastURL = %q, want %q", got, want)
	}
	if gw.Identifies != 1 || gw.Intents&int64(discordgo.IntentMessageContent) == 0 || !gw.Compress {
		t.Errorf("Gateway() = %+v, want 1 identify with MESSAGE_CONTENT and compress", gw)
	}
}

func TestInteractionDeferredEditFollowup(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	got := make(chan *discordgo.InteractionCreate, 1)
	errs := make(chan error, 1)
	openSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			got <- i
			errs <- answer(s, i.Interaction)
		})
	})

	ctx := timeout(t, 5*time.Second)
	_, token, err := fake.InteractionCreate(ctx, fakediscord.Interaction{
		Name: "ask", GuildID: "9", User: fakediscord.User{ID: "42"},
		Options:        []fakediscord.Option{{Name: "question", Value: "why?"}, {Name: "public", Value: true}},
		Permissions:    8,
		AppPermissions: 1 << 11,
	})
	if err != nil {
		t.Fatalf("InteractionCreate: %v", err)
	}
	i := receive(t, ctx, got)
	if err := receive(t, ctx, errs); err != nil {
		t.Fatalf("answer: %v", err)
	}
	data := i.ApplicationCommandData()
	if data.Name != "ask" || data.GetOption("question").StringValue() != "why?" || !data.GetOption("public").BoolValue() {
		t.Errorf("data = %+v, want ask(question=why?, public=true)", data)
	}
	if i.Member == nil || i.Member.User.ID != "42" || i.Member.Permissions != 8 || i.AppPermissions != 1<<11 || i.AppID != fake.AppID() {
		t.Errorf("interaction = %+v, want member 42 with permissions 8, app permissions 2048", i.Interaction)
	}

	resp, ok := fake.Responses(token)
	if !ok {
		t.Fatal("Responses: unknown token")
	}
	if resp.CallbackType != 5 || resp.CallbackFlags != 64 {
		t.Errorf("callback = %d flags %d, want 5 flags 64", resp.CallbackType, resp.CallbackFlags)
	}
	if resp.Original == nil || resp.Original.Content != "answer [1]" || len(resp.Original.Embeds) != 1 || resp.Original.Flags != 64 {
		t.Errorf("original = %+v, want edited ephemeral answer with one embed", resp.Original)
	}
	if len(resp.Followups) != 1 || resp.Followups[0].Content != "more" {
		t.Errorf("followups = %+v, want one", resp.Followups)
	}
	if unsafe := fake.UnsafeMentions(); len(unsafe) != 0 {
		t.Errorf("UnsafeMentions = %+v, want none", unsafe)
	}
}

// answer defers ephemerally, edits the original and adds a follow-up, as
// the bot does.
func answer(s *discordgo.Session, i *discordgo.Interaction) error {
	err := s.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		return err
	}
	content := "answer [1]"
	embeds := []*discordgo.MessageEmbed{{Title: "Sources", Description: "[1] quote"}}
	if _, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, AllowedMentions: noMentions()}); err != nil {
		return err
	}
	m, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "more", AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral})
	if err != nil {
		return err
	}
	if m == nil || m.ID == "" {
		return errors.New("follow-up returned no message")
	}
	return nil
}

func TestAckErrors(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{AckDeadline: 300 * time.Millisecond})
	errs := make(chan []error, 1)
	openSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			respond := func(content string) error {
				return s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: noMentions()},
				})
			}
			errs <- []error{respond(strings.Repeat("a", 2001)), respond("ok"), respond("again")}
		})
	})
	ctx := timeout(t, 5*time.Second)

	t.Run("OverLimitThenDoubleAck", func(t *testing.T) {
		if _, _, err := fake.InteractionCreate(ctx, fakediscord.Interaction{Name: "ask"}); err != nil {
			t.Fatalf("InteractionCreate: %v", err)
		}
		got := receive(t, ctx, errs)
		if _, code := restCode(t, got[0]); code != 50035 {
			t.Errorf("over-limit callback code = %d, want 50035", code)
		}
		assertErrorPath(t, got[0], "data.content")
		if got[1] != nil {
			t.Errorf("first valid callback: %v", got[1])
		}
		if status, code := restCode(t, got[2]); status != http.StatusBadRequest || code != 40060 {
			t.Errorf("double ack = %d, %d, want 400, 40060", status, code)
		}
	})
	t.Run("LateAck", func(t *testing.T) {
		fake.DelayNext(http.MethodPost, "/api/v9/interactions/*/*/callback", 1, 400*time.Millisecond)
		if _, _, err := fake.InteractionCreate(ctx, fakediscord.Interaction{Name: "ask"}); err != nil {
			t.Fatalf("InteractionCreate: %v", err)
		}
		got := receive(t, ctx, errs)
		if status, code := restCode(t, got[0]); status != http.StatusNotFound || code != 10062 {
			t.Errorf("late ack = %d, %d, want 404, 10062", status, code)
		}
	})
}

func TestMessageCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		intents     discordgo.Intent
		guildID     string
		mentionBot  bool
		wantContent string
		wantErr     error
	}{
		{name: "OKGuildWithContentIntent", intents: discordgo.IntentsGuildMessages | discordgo.IntentMessageContent, guildID: "9", wantContent: "hi"},
		{name: "OKGuildMentionWithoutContentIntent", intents: discordgo.IntentsGuildMessages, guildID: "9", mentionBot: true, wantContent: "hi"},
		{name: "OKGuildContentHidden", intents: discordgo.IntentsGuildMessages, guildID: "9", wantContent: ""},
		{name: "OKDM", intents: discordgo.IntentsDirectMessages, wantContent: "hi"},
		{name: "ErrNoDMIntent", intents: discordgo.IntentsGuildMessages, wantErr: fakediscord.ErrIntentMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t, fakediscord.Options{})
			errs := make(chan error, 1)
			openSession(t, fake, func(s *discordgo.Session) {
				s.Identify.Intents = tt.intents
				s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
					_, err := s.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
						Content: "echo:" + m.Content, AllowedMentions: noMentions(),
						Reference: m.Reference(),
					})
					errs <- err
				})
			})
			ctx := timeout(t, 5*time.Second)
			ev := fakediscord.MessageEvent{ChannelID: "77", GuildID: tt.guildID, Author: fakediscord.User{ID: "42"}, Content: "hi"}
			if tt.mentionBot {
				ev.Mentions = []fakediscord.User{{ID: fake.BotUserID(), Bot: true}}
			}
			_, err := fake.MessageCreate(ctx, ev)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("MessageCreate err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if err := receive(t, ctx, errs); err != nil {
				t.Fatalf("reply: %v", err)
			}
			msgs := fake.ChannelMessages("77")
			if len(msgs) != 1 || msgs[0].Content != "echo:"+tt.wantContent {
				t.Fatalf("ChannelMessages = %+v, want echo:%s", msgs, tt.wantContent)
			}
		})
	}
}

func TestDropConnectionResumes(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	got := make(chan string, 2)
	openSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "ok", AllowedMentions: noMentions()},
			})
			if err != nil {
				got <- "error: " + err.Error()
				return
			}
			got <- i.ApplicationCommandData().Name
		})
	})
	ctx := timeout(t, 10*time.Second)

	if _, _, err := fake.InteractionCreate(ctx, fakediscord.Interaction{Name: "before"}); err != nil {
		t.Fatalf("InteractionCreate: %v", err)
	}
	if name := receive(t, ctx, got); name != "before" {
		t.Fatalf("got %q, want before", name)
	}
	fake.DropConnection()
	_, token, err := fake.InteractionCreate(ctx, fakediscord.Interaction{Name: "during"}) // queued
	if err != nil {
		t.Fatalf("InteractionCreate: %v", err)
	}
	if name := receive(t, ctx, got); name != "during" {
		t.Fatalf("got %q, want during", name)
	}
	if r, _ := fake.Responses(token); r.CallbackType != 4 {
		t.Errorf("callback type = %d, want 4", r.CallbackType)
	}
	gw := fake.Gateway()
	if gw.Identifies != 1 || gw.Resumes != 1 || gw.FailedResumes != 0 || !gw.Connected || gw.Connections != 2 {
		t.Fatalf("Gateway() = %+v, want 1 identify, 1 resume, connected", gw)
	}
}

// TestGatewayProtocol drives the gateway with a raw websocket for the
// paths discordgo rarely takes.
func TestGatewayProtocol(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{HeartbeatInterval: 5 * time.Second})

	dial := func(t *testing.T) *websocket.Conn {
		t.Helper()
		c, _, err := websocket.DefaultDialer.Dial(fake.GatewayURL()+"/?v=9&encoding=json", nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { _ = c.Close() })
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if hello := read(t, c); hello.Op != 10 || !strings.Contains(string(hello.D), `"heartbeat_interval":5000`) {
			t.Fatalf("first payload = %+v, want HELLO with 5000 ms", hello)
		}
		return c
	}
	send := func(t *testing.T, c *websocket.Conn, op int, d any) {
		t.Helper()
		if err := c.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
			t.Fatalf("write: %v", err)
		}
	}

	t.Run("OKHeartbeat", func(t *testing.T) {
		c := dial(t)
		send(t, c, 1, nil)
		if p := read(t, c); p.Op != 11 {
			t.Fatalf("op = %d, want 11", p.Op)
		}
	})
	t.Run("ErrResumeUnknownSession", func(t *testing.T) {
		c := dial(t)
		send(t, c, 6, map[string]any{"token": "Bot " + fake.Token(), "session_id": "nope", "seq": 0})
		if p := read(t, c); p.Op != 9 || string(p.D) != "false" {
			t.Fatalf("payload = %+v, want op 9 false", p)
		}
	})
	t.Run("OKResumeReplaysMissed", func(t *testing.T) {
		ctx := timeout(t, 5*time.Second)
		c := dial(t)
		send(t, c, 2, map[string]any{"token": "Bot " + fake.Token(), "intents": 0})
		ready := read(t, c)
		var r struct {
			SessionID string `json:"session_id"`
		}
		if err := json.Unmarshal(ready.D, &r); err != nil || *ready.T != "READY" || *ready.S != 1 {
			t.Fatalf("payload = %+v, want READY s=1", ready)
		}
		for _, name := range []string{"seen", "missed"} {
			if _, _, err := fake.InteractionCreate(ctx, fakediscord.Interaction{Name: name}); err != nil {
				t.Fatalf("InteractionCreate: %v", err)
			}
		}
		if p := read(t, c); *p.S != 2 {
			t.Fatalf("s = %d, want 2", *p.S)
		}
		fake.DropConnection()

		c = dial(t)
		send(t, c, 6, map[string]any{"token": "Bot " + fake.Token(), "session_id": r.SessionID, "seq": 2})
		if p := read(t, c); *p.S != 3 || *p.T != "INTERACTION_CREATE" || !strings.Contains(string(p.D), `"name":"missed"`) {
			t.Fatalf("first payload after RESUME = %+v, want replay of s=3", p)
		}
		if p := read(t, c); *p.T != "RESUMED" {
			t.Fatalf("payload = %s, want RESUMED", *p.T)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		c := dial(t)
		send(t, c, 2, map[string]any{"token": "Bot wrong", "intents": 0})
		_, _, err := c.ReadMessage()
		if !websocket.IsCloseError(err, 4004) {
			t.Fatalf("read err = %v, want close 4004", err)
		}
	})
}

type payload struct {
	Op int             `json:"op"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
	D  json.RawMessage `json:"d"`
}

func read(t *testing.T, c *websocket.Conn) payload {
	t.Helper()
	var p payload
	if err := c.ReadJSON(&p); err != nil {
		t.Fatalf("read: %v", err)
	}
	return p
}
