package fakediscord

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// Message is a message the bot created, with every accepted edit applied.
type Message struct {
	ID        string
	ChannelID string
	GuildID   string // "" in a DM or where the fake does not know
	// Author is who sent it; the zero User means the bot.
	Author User
	// Type is Discord's message type: 0 default, 19 reply.
	Type int
	// ReferenceID is the message_reference.message_id of a reply, "" when
	// it replies to nothing (or fail_if_not_exists was false and the
	// message was unknown, as on Discord).
	ReferenceID string
	// InteractionUserID is the member whose slash command this message
	// answers (interaction_metadata.user), "" for other messages.
	InteractionUserID string
	// ThreadID is the thread started from this message, "" when none.
	ThreadID string
	// Components is the raw components array of the latest create or
	// edit that set it, nil when none.
	Components json.RawMessage
	Content    string
	Embeds     []Embed
	Flags      int // 64 = ephemeral
	Files      int // files attached by the latest create or edit
	// AllowedMentions is the raw allowed_mentions of the latest create or
	// edit, nil when absent.
	AllowedMentions json.RawMessage
	Created         time.Time
	// Nonce and EnforceNonce are what the create carried.
	Nonce        string
	EnforceNonce bool
	Edits        int
	Deleted      bool
	hasOther     bool // components, stickers, poll or attachments
}

// Embed is the part of a Discord embed the fake checks and stores.
type Embed struct {
	Type        string       `json:"type,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Color       int          `json:"color,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *EmbedText   `json:"footer,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
}

// EmbedField is one name/value field of an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// EmbedText is an embed footer.
type EmbedText struct {
	Text string `json:"text"`
}

// EmbedAuthor is an embed author.
type EmbedAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

func (m *Message) clone() Message {
	c := *m
	c.AllowedMentions = slices.Clone(m.AllowedMentions)
	c.Components = slices.Clone(m.Components)
	c.Embeds = make([]Embed, len(m.Embeds))
	for i, e := range m.Embeds {
		e.Fields = slices.Clone(e.Fields)
		if e.Footer != nil {
			f := *e.Footer
			e.Footer = &f
		}
		if e.Author != nil {
			a := *e.Author
			e.Author = &a
		}
		c.Embeds[i] = e
	}
	return c
}

// newMessage builds a message from a create body.
func (s *Server) newMessage(channelID string, b messageBody) *Message {
	m := &Message{ID: s.ids.next(), ChannelID: channelID, Created: time.Now(), Nonce: b.nonce, EnforceNonce: b.enforceNonce}
	m.apply(b)
	m.Flags = b.flags
	m.Edits = 0
	return m
}

// apply overwrites the fields the body names.
func (m *Message) apply(b messageBody) {
	if b.content != nil {
		m.Content = *b.content
	}
	if b.embeds != nil {
		m.Embeds = *b.embeds
	}
	m.AllowedMentions = b.allowedMentions
	if b.components != nil {
		m.Components = b.components
	}
	m.Files = b.files
	m.hasOther = m.hasOther || b.other
	m.Edits++
}

func (m *Message) empty() bool {
	return m.Content == "" && len(m.Embeds) == 0 && m.Files == 0 && !m.hasOther
}

// messageJSON renders m as Discord's message object, with the message it
// replies to as referenced_message one level deep, as Discord does. s.mu
// must be held.
func (s *Server) messageJSON(m *Message, webhook bool) map[string]any {
	return s.messageJSONDepth(m, webhook, 1)
}

func (s *Server) messageJSONDepth(m *Message, webhook bool, depth int) map[string]any {
	embeds := m.Embeds
	if embeds == nil {
		embeds = []Embed{}
	}
	author := s.botUserJSON()
	if m.Author.ID != "" {
		author = userJSON(m.Author)
	}
	var components any = []any{}
	if len(m.Components) > 0 {
		components = m.Components
	}
	out := map[string]any{
		"id": m.ID, "type": m.Type, "channel_id": m.ChannelID,
		"content": m.Content, "embeds": embeds, "flags": m.Flags,
		"author":    author,
		"timestamp": m.Created.UTC().Format(time.RFC3339Nano),
		"tts":       false, "mention_everyone": false, "pinned": false,
		"mentions": []any{}, "mention_roles": []any{}, "attachments": []any{}, "components": components,
		"edited_timestamp": nil,
	}
	if m.GuildID != "" {
		out["guild_id"] = m.GuildID
	}
	if m.Nonce != "" {
		out["nonce"] = m.Nonce
	}
	if m.Edits > 0 {
		out["edited_timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	}
	if webhook || m.InteractionUserID != "" {
		out["webhook_id"] = s.opts.AppID
		out["application_id"] = s.opts.AppID
	}
	if m.InteractionUserID != "" {
		out["interaction_metadata"] = map[string]any{"id": m.ID, "type": 2, "user": userJSON(s.fillUserLocked(m.InteractionUserID))}
	}
	if m.ThreadID != "" {
		if th := s.threads[m.ThreadID]; th != nil {
			out["thread"] = s.threadJSON(th)
		}
	}
	if m.ReferenceID != "" {
		ref := map[string]any{"type": 0, "message_id": m.ReferenceID, "channel_id": m.ChannelID}
		if m.Type == typeThreadStarter {
			ref["channel_id"] = s.threads[m.ChannelID].parentID
		}
		out["message_reference"] = ref
		out["referenced_message"] = nil
		if r := s.messages[m.ReferenceID]; depth > 0 && r != nil && !r.Deleted {
			out["referenced_message"] = s.messageJSONDepth(r, false, depth-1)
		}
	}
	return out
}

// fillUserLocked is a user with only its ID known.
func (s *Server) fillUserLocked(id string) User { return User{ID: id, Username: "user" + id} }

// readMessage parses and validates a create or edit body. It answers the
// request itself and returns ok=false when the body is rejected.
func (c *call) readMessage(prefixed bool) (messageBody, bool) {
	doc, files, err := readDocument(c.r, c.body)
	if err != nil {
		writeBodyError(c.w)
		return messageBody{}, false
	}
	b, err := parseMessage(doc, files)
	if err != nil {
		writeBodyError(c.w)
		return messageBody{}, false
	}
	c.note(b)
	prefix := ""
	if prefixed {
		prefix = "data"
	}
	if errs := b.validate(prefix); len(errs) > 0 {
		writeFormErrors(c.w, errs)
		return messageBody{}, false
	}
	return b, true
}

// note records the content and allowed_mentions of a message body.
func (c *call) note(b messageBody) {
	c.rec.CarriesContent = b.carriesContent()
	if c.rec.CarriesContent {
		c.rec.AllowedMentions = b.allowedMentions
	}
}

func (s *Server) postChannelMessage(c *call) {
	b, ok := c.readMessage(false)
	if !ok {
		return
	}
	m := s.newMessage(c.r.PathValue("cid"), b)
	if m.empty() {
		writeEmptyMessage(c.w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev := s.nonceMessageLocked(m); prev != nil {
		// As Discord does with enforce_nonce: the message already made
		// for this nonce, and no new one.
		writeJSON(c.w, http.StatusOK, s.messageJSON(prev, false))
		return
	}
	if th := s.threads[m.ChannelID]; th != nil {
		m.GuildID = th.guildID
	} else {
		m.GuildID = s.channelGuild[m.ChannelID]
	}
	if ref := b.reference; ref != nil && ref.MessageID != "" {
		target := s.messages[ref.MessageID]
		known := target != nil && !target.Deleted && target.ChannelID == m.ChannelID
		switch {
		case known:
			m.Type, m.ReferenceID = typeReply, ref.MessageID
		case ref.FailIfNotExists == nil || *ref.FailIfNotExists:
			writeFormErrors(c.w, []fieldError{{"message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"}})
			return
		}
	}
	s.channels[m.ChannelID] = append(s.channels[m.ChannelID], m)
	s.addLocked(m)
	writeJSON(c.w, http.StatusOK, s.messageJSON(m, false))
}

// nonceWindow is how long Discord enforces a nonce ("the past few
// minutes").
const nonceWindow = 5 * time.Minute

// nonceMessageLocked returns the bot's message in m's channel created
// within nonceWindow with m's nonce, when m enforces it; else nil.
func (s *Server) nonceMessageLocked(m *Message) *Message {
	if !m.EnforceNonce || m.Nonce == "" {
		return nil
	}
	for _, prev := range s.channels[m.ChannelID] {
		if prev.Nonce == m.Nonce && prev.Author.ID == "" && m.Created.Sub(prev.Created) < nonceWindow {
			return prev
		}
	}
	return nil
}

// addLocked makes m a message of its channel that GET requests can find.
// s.mu must be held.
func (s *Server) addLocked(m *Message) {
	s.messages[m.ID] = m
	if m.Flags&flagEphemeral == 0 {
		s.timeline[m.ChannelID] = append(s.timeline[m.ChannelID], m)
	}
}

func (s *Server) patchChannelMessage(c *call) {
	b, ok := c.readMessage(false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[c.r.PathValue("mid")]
	if m == nil || m.ChannelID != c.r.PathValue("cid") || m.Deleted {
		writeError(c.w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	s.editLocked(c, m, b, false)
}

// editLocked applies b to m unless the result would be empty, and answers
// with the edited message. s.mu must be held.
func (s *Server) editLocked(c *call, m *Message, b messageBody, webhook bool) {
	edited := m.clone()
	edited.apply(b)
	if edited.empty() {
		writeEmptyMessage(c.w)
		return
	}
	*m = edited
	writeJSON(c.w, http.StatusOK, s.messageJSON(m, webhook))
}

// ChannelMessages returns the messages the bot posted to channelID through
// POST /channels/{id}/messages, oldest first, with edits applied.
func (s *Server) ChannelMessages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.channels[channelID] {
		out = append(out, m.clone())
	}
	return out
}
