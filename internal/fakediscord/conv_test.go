package fakediscord_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// TestRepliesAndHistory checks replies, fetching a message with its
// referenced_message, and a channel's recent messages.
func TestRepliesAndHistory(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	got := make(chan *discordgo.MessageCreate, 4)
	s := openSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { got <- m })
	})
	ctx := timeout(t, 5*time.Second)
	const ch, guild = "500000000000000001", "100000000000000009"
	q, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: guild, Content: "question?"})
	if err != nil {
		t.Fatal(err)
	}
	receive(t, ctx, got)
	fail := true
	ans, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "answer", AllowedMentions: noMentions(),
		Reference: &discordgo.MessageReference{MessageID: q, ChannelID: ch, FailIfNotExists: &fail}})
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	if ans.Type != discordgo.MessageTypeReply || ans.MessageReference == nil || ans.ReferencedMessage == nil || ans.ReferencedMessage.Content != "question?" {
		t.Errorf("reply = type %d ref %+v, want a reply carrying the question", ans.Type, ans.MessageReference)
	}
	if _, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions(),
		Reference: &discordgo.MessageReference{MessageID: "1", ChannelID: ch, FailIfNotExists: &fail}}); err == nil {
		t.Error("reply to an unknown message with fail_if_not_exists accepted")
	}

	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: guild, Content: "why?", ReferenceID: ans.ID}); err != nil {
		t.Fatal(err)
	}
	ev := receive(t, ctx, got)
	if ev.MessageReference == nil || ev.MessageReference.MessageID != ans.ID || ev.ReferencedMessage == nil || ev.ReferencedMessage.Author.ID != fake.BotUserID() {
		t.Errorf("MESSAGE_CREATE ref = %+v referenced %+v, want the bot's answer", ev.MessageReference, ev.ReferencedMessage)
	}

	m, err := s.ChannelMessage(ch, ans.ID)
	if err != nil || m.ReferencedMessage == nil || m.ReferencedMessage.ID != q {
		t.Fatalf("GET message = %+v, %v; want the answer with its question", m, err)
	}
	list, err := s.ChannelMessages(ch, 2, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(list), 2; got != want || list[0].Content != "why?" || list[1].Content != "answer" {
		t.Fatalf("GET messages limit 2 = %d messages, want newest first: why?, answer", len(list))
	}
	list, _ = s.ChannelMessages(ch, 10, ans.ID, "", "")
	if len(list) != 1 || list[0].ID != q {
		t.Errorf("GET messages before the answer = %d messages, want the question", len(list))
	}
	if _, err := s.ChannelMessages(ch, 101, "", "", ""); err == nil {
		t.Error("limit 101 accepted")
	}
}

func TestThreads(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	s := openSession(t, fake, nil)
	ctx := timeout(t, 5*time.Second)
	const ch, guild, dm = "500000000000000002", "100000000000000009", "500000000000000003"
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: guild, Content: "hi"}); err != nil {
		t.Fatal(err)
	}
	starter, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "answer", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MessageThreadStartComplex(ch, starter.ID, &discordgo.ThreadStart{Name: strings.Repeat("n", 101)}); err == nil {
		t.Error("thread name of 101 characters accepted")
	}
	th, err := s.MessageThreadStartComplex(ch, starter.ID, &discordgo.ThreadStart{Name: "question"})
	if err != nil {
		t.Fatalf("start thread: %v", err)
	}
	if th.ID != starter.ID || th.ParentID != ch || th.OwnerID != fake.BotUserID() || th.Type != discordgo.ChannelTypeGuildPublicThread {
		t.Errorf("thread = %+v, want a public thread with the starter's ID, owned by the bot", th)
	}
	if _, err := s.MessageThreadStartComplex(ch, starter.ID, &discordgo.ThreadStart{Name: "again"}); err == nil {
		t.Error("second thread on one message accepted")
	}
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: th.ID, GuildID: guild, Content: "follow-up"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Channel(th.ID)
	if err != nil || c.ParentID != ch {
		t.Fatalf("GET thread = %+v, %v", c, err)
	}
	list, err := s.ChannelMessages(th.ID, 50, "", "", "")
	if err != nil || len(list) != 2 {
		t.Fatalf("thread messages = %d, %v; want the starter and the follow-up", len(list), err)
	}
	if first := list[1]; first.Type != discordgo.MessageTypeThreadStarterMessage || first.ReferencedMessage == nil || first.ReferencedMessage.Content != "answer" {
		t.Errorf("first thread message = %+v, want the starter system message", first)
	}
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: dm, Content: "dm"}); err != nil {
		t.Fatal(err)
	}
	inDM, _ := s.ChannelMessageSendComplex(dm, &discordgo.MessageSend{Content: "a", AllowedMentions: noMentions()})
	if _, err := s.MessageThreadStartComplex(dm, inDM.ID, &discordgo.ThreadStart{Name: "x"}); err == nil {
		t.Error("thread in a DM accepted")
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{})
	presses := make(chan *discordgo.InteractionCreate, 4)
	s := openSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { presses <- i })
	})
	ctx := timeout(t, 5*time.Second)
	button := func(id string) discordgo.MessageComponent {
		return discordgo.Button{Label: "b", Style: discordgo.SecondaryButton, CustomID: id}
	}
	row := func(ids ...string) discordgo.MessageComponent {
		var bs []discordgo.MessageComponent
		for _, id := range ids {
			bs = append(bs, button(id))
		}
		return discordgo.ActionsRow{Components: bs}
	}
	tests := []struct {
		name  string
		comps []discordgo.MessageComponent
		ok    bool
	}{
		{name: "OK", comps: []discordgo.MessageComponent{row("up", "down")}, ok: true},
		{name: "OK100", comps: []discordgo.MessageComponent{row(strings.Repeat("a", 100))}, ok: true},
		{name: "ErrCustomID101", comps: []discordgo.MessageComponent{row(strings.Repeat("a", 101))}},
		{name: "ErrDuplicate", comps: []discordgo.MessageComponent{row("a"), row("a")}},
		{name: "ErrSixButtons", comps: []discordgo.MessageComponent{row("1", "2", "3", "4", "5", "6")}},
		{name: "ErrSixRows", comps: []discordgo.MessageComponent{row("1"), row("2"), row("3"), row("4"), row("5"), row("6")}},
	}
	const ch = "500000000000000004"
	for _, tt := range tests {
		_, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "x", Components: tt.comps, AllowedMentions: noMentions()})
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
	if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, GuildID: "100000000000000009", Content: "q"}); err != nil {
		t.Fatal(err)
	}
	m, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "answer", Components: []discordgo.MessageComponent{row("up", "down")}, AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.PressButton(ctx, fakediscord.ComponentPress{MessageID: m.ID, CustomID: "sideways"}); err == nil {
		t.Error("press of a button the message lacks accepted")
	}
	token, err := fake.PressButton(ctx, fakediscord.ComponentPress{MessageID: m.ID, CustomID: "up"})
	if err != nil {
		t.Fatal(err)
	}
	i := receive(t, ctx, presses)
	if i.Type != discordgo.InteractionMessageComponent || i.MessageComponentData().CustomID != "up" || i.Message == nil || i.Message.ID != m.ID {
		t.Fatalf("interaction = %+v, want a press of up on %s", i.Interaction, m.ID)
	}
	content := "answer (voted)"
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: noMentions()}}); err != nil {
		t.Fatalf("type 7: %v", err)
	}
	if r, _ := fake.Responses(token); r.CallbackType != 7 || r.Original == nil || r.Original.Content != content {
		t.Errorf("response = %+v, want type 7 updating the message", r)
	}
	if got := fake.ChannelMessages(ch); got[len(got)-1].Content != content {
		t.Errorf("message after type 7 = %q, want %q", got[len(got)-1].Content, content)
	}
	// Type 6 and 7 are only for component interactions.
	if _, _, err := fake.InteractionCreate(ctx, fakediscord.Interaction{Name: "ask", GuildID: "100000000000000009"}); err != nil {
		t.Fatal(err)
	}
	slash := receive(t, ctx, presses)
	err = s.InteractionRespond(slash.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
	if status, _ := restCode(t, err); status != 400 {
		t.Errorf("type 6 on a slash command: status %d, want 400", status)
	}
}
