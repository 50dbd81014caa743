package fakediscord

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrIntentMissing is returned when the bot's IDENTIFY lacks the intent
// Discord requires to deliver an event; like Discord, the fake drops it.
var ErrIntentMissing = errors.New("fakediscord: bot did not identify with the required intent")

// Gateway intents the fake enforces.
const (
	intentGuildMessages  = 1 << 9
	intentDirectMessages = 1 << 12
	intentMessageContent = 1 << 15
)

// User is a Discord user in a dispatched event.
type User struct {
	ID       string // generated when empty
	Username string // "user<ID>" when empty
	Bot      bool
}

// Option is one option of a slash command. Value must be a string, bool,
// int, int64 or float64; the option type follows from it.
type Option struct {
	Name  string
	Value any
}

// Interaction describes an application command (type 2) invocation.
type Interaction struct {
	Name    string   // command name
	Options []Option // top-level options
	// GuildID makes it a guild interaction with a member; empty means a
	// DM, where the payload carries a user instead.
	GuildID   string
	ChannelID string // generated when empty
	User      User
	// Permissions is the member's permission bitset in the channel
	// (guild only), sent as a string like Discord.
	Permissions int64
	// ForgedMember adds a member object carrying Permissions to a DM
	// interaction, as a forged payload would; Discord never sends one.
	ForgedMember bool
	// AppPermissions is the bot's permission bitset in the channel, sent
	// as a string: discordgo drops the interaction if it is a number.
	AppPermissions int64
	ID, Token      string // generated when empty
	// Autocomplete makes it an APPLICATION_COMMAND_AUTOCOMPLETE (type 4):
	// the option named Focused is the one being typed. The bot must answer
	// with callback type 8.
	Autocomplete bool
	Focused      string
	// Deliveries is how many times the same INTERACTION_CREATE (same ID
	// and token) is dispatched, as a repeating gateway might; 0 means 1.
	// Only the first dispatch starts the acknowledgement clock.
	Deliveries int
}

// MessageEvent describes a MESSAGE_CREATE.
type MessageEvent struct {
	ID        string // generated when empty
	ChannelID string // generated when empty
	GuildID   string // empty means a DM
	Author    User
	Content   string
	Mentions  []User
	// ReferenceID makes the message a reply (type 19) to that message,
	// which the fake must know in the same channel; the event then
	// carries message_reference and referenced_message, as on Discord.
	ReferenceID string
	// Timestamp is when the message was sent; default now.
	Timestamp time.Time
}

// InteractionCreate dispatches INTERACTION_CREATE for a slash command and
// returns the interaction's ID and token. It waits for the bot's first
// READY (bounded by ctx, or Options.ReadyTimeout without a deadline) and
// queues the event while the websocket is down. The acknowledgement clock
// starts when the event is written. Errors: a wrapped ctx error,
// ErrClosed, or a bad option value.
func (s *Server) InteractionCreate(ctx context.Context, in Interaction) (id, token string, err error) {
	in.ID, in.Token = cmp.Or(in.ID, s.ids.next()), cmp.Or(in.Token, randomToken())
	in.ChannelID = cmp.Or(in.ChannelID, s.ids.next())
	in.User = s.fillUser(in.User)
	data, err := s.interactionJSON(in)
	if err != nil {
		return "", "", fmt.Errorf("interaction create: %w", err)
	}
	s.registerInteraction(in.ID, in.Token, in.ChannelID, in.GuildID, in.User.ID, in.Autocomplete)
	onWrite := func(at time.Time) { s.markDispatched(in.ID, at) }
	for range max(in.Deliveries, 1) {
		if err := s.dispatch(ctx, "INTERACTION_CREATE", data, onWrite); err != nil {
			return "", "", fmt.Errorf("interaction create: %w", err)
		}
		onWrite = nil
	}
	return in.ID, in.Token, nil
}

func (s *Server) interactionJSON(in Interaction) (json.RawMessage, error) {
	opts := []any{}
	resolved := map[string]any{}
	for _, o := range in.Options {
		if a, ok := o.Value.(Attachment); ok {
			id, obj := s.attachmentJSON(a)
			resolved[id] = obj
			opts = append(opts, map[string]any{"name": o.Name, "type": 11, "value": id})
			continue
		}
		t, err := optionType(o.Value)
		if err != nil {
			return nil, fmt.Errorf("option %q: %w", o.Name, err)
		}
		opt := map[string]any{"name": o.Name, "type": t, "value": o.Value}
		if in.Autocomplete && o.Name == in.Focused {
			opt["focused"] = true
		}
		opts = append(opts, opt)
	}
	cmdID := s.ids.next()
	for _, c := range append(s.Commands(in.GuildID), s.Commands("")...) {
		if c.Name == in.Name {
			cmdID = c.ID
		}
	}
	data := map[string]any{"id": cmdID, "name": in.Name, "type": 1, "options": opts}
	if len(resolved) > 0 {
		data["resolved"] = map[string]any{"attachments": resolved}
	}
	kind := 2
	if in.Autocomplete {
		kind = 4
	}
	p := map[string]any{
		"id": in.ID, "application_id": s.opts.AppID, "type": kind, "token": in.Token, "version": 1,
		"channel_id": in.ChannelID, "locale": "en-US",
		"app_permissions": strconv.FormatInt(in.AppPermissions, 10),
		"data":            data,
		"entitlements":    []any{},
	}
	if in.GuildID != "" {
		p["guild_id"], p["guild_locale"], p["context"] = in.GuildID, "en-US", 0
		p["member"] = memberJSON(in.User, in.Permissions)
	} else {
		p["user"], p["context"] = userJSON(in.User), 1
		if in.ForgedMember {
			p["member"] = memberJSON(in.User, in.Permissions)
		}
	}
	return json.Marshal(p)
}

func optionType(v any) (int, error) {
	switch v.(type) {
	case string:
		return 3, nil
	case int, int64:
		return 4, nil
	case bool:
		return 5, nil
	case float64:
		return 10, nil
	}
	return 0, fmt.Errorf("unsupported option value type %T", v)
}

// MessageCreate dispatches MESSAGE_CREATE and returns the message ID. As
// on Discord, a guild message needs the GUILD_MESSAGES intent and a DM the
// DIRECT_MESSAGES intent (else ErrIntentMissing), and without
// MESSAGE_CONTENT a guild message arrives with empty content unless it
// mentions the bot. Waiting and queueing are as for InteractionCreate.
func (s *Server) MessageCreate(ctx context.Context, in MessageEvent) (string, error) {
	in.ID, in.ChannelID = cmp.Or(in.ID, s.ids.next()), cmp.Or(in.ChannelID, s.ids.next())
	in.Author = s.fillUser(in.Author)
	if err := s.awaitFirstReady(ctx); err != nil {
		return "", fmt.Errorf("message create: %w", err)
	}
	intents := s.Gateway().Intents
	need := int64(intentDirectMessages)
	if in.GuildID != "" {
		need = intentGuildMessages
	}
	if intents&need == 0 {
		return "", fmt.Errorf("message create: intent %d: %w", need, ErrIntentMissing)
	}
	mentioned := false
	mentions := []any{}
	for _, u := range in.Mentions {
		u = s.fillUser(u)
		mentioned = mentioned || u.ID == s.opts.BotUserID
		mentions = append(mentions, userJSON(u))
	}
	content := in.Content
	if in.GuildID != "" && intents&intentMessageContent == 0 && !mentioned && in.Author.ID != s.opts.BotUserID {
		content = ""
	}
	m := &Message{ID: in.ID, ChannelID: in.ChannelID, GuildID: in.GuildID, Author: in.Author,
		Content: in.Content, Created: cmp.Or(in.Timestamp, time.Now()), AllowedMentions: json.RawMessage(`{}`)}
	s.mu.Lock()
	if in.ReferenceID != "" {
		if r := s.messages[in.ReferenceID]; r == nil || r.ChannelID != in.ChannelID {
			s.mu.Unlock()
			return "", fmt.Errorf("message create: reply to unknown message %s in channel %s", in.ReferenceID, in.ChannelID)
		}
		m.Type, m.ReferenceID = typeReply, in.ReferenceID
	}
	if s.threads[in.ChannelID] == nil {
		s.channelGuild[in.ChannelID] = in.GuildID
	}
	p := s.messageJSON(m, false)
	s.addLocked(m)
	s.mu.Unlock()
	p["content"], p["mentions"] = content, mentions
	p["author"] = userJSON(in.Author)
	if in.GuildID != "" {
		p["guild_id"] = in.GuildID
		member := memberJSON(in.Author, 0)
		delete(member, "user")
		delete(member, "permissions")
		p["member"] = member
	}
	data, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("message create: %w", err)
	}
	if err := s.dispatch(ctx, "MESSAGE_CREATE", data, nil); err != nil {
		return "", fmt.Errorf("message create: %w", err)
	}
	return in.ID, nil
}

func (s *Server) fillUser(u User) User {
	u.ID = cmp.Or(u.ID, s.ids.next())
	u.Username = cmp.Or(u.Username, "user"+u.ID)
	return u
}

func userJSON(u User) map[string]any {
	out := map[string]any{
		"id": u.ID, "username": u.Username, "discriminator": "0",
		"global_name": nil, "avatar": nil, "public_flags": 0,
	}
	if u.Bot {
		out["bot"] = true
	}
	return out
}

func memberJSON(u User, perms int64) map[string]any {
	return map[string]any{
		"user": userJSON(u), "roles": []any{}, "nick": nil, "avatar": nil,
		"joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
		"flags": 0, "pending": false, "permissions": strconv.FormatInt(perms, 10),
	}
}
