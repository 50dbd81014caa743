package fakediscord

import (
	"encoding/json"
	"net/http"
	"time"
)

// interactionState is what the fake knows about one dispatched interaction.
type interactionState struct {
	id, token, channelID string
	guildID, userID      string    // where and by whom a slash command was used
	kind                 int       // 2 application command, 3 message component, 4 autocomplete
	messageID            string    // the message whose button was pressed (kind 3)
	dispatchedAt         time.Time // zero until written to a websocket
	callbackType         int       // 0 until acknowledged
	callbackFlags        int
	ackedAt              time.Time
	original             *Message
	followups            []*Message
	choices              []Choice // the autocomplete result (callback type 8)
}

// InteractionResponse is how the bot answered one interaction.
type InteractionResponse struct {
	ID, Token    string
	DispatchedAt time.Time // when INTERACTION_CREATE was written; zero while queued
	// CallbackType is the accepted callback's type (4 message, 5 deferred,
	// 6 deferred update, 7 update), 0 while unacknowledged.
	CallbackType int
	// CallbackFlags are the callback data's flags (64 = ephemeral).
	CallbackFlags int
	AckedAt       time.Time
	// Original is the @original message with edits applied, nil until
	// acknowledged.
	Original  *Message
	Followups []Message
	// Choices are the suggestions of an autocomplete result (type 8).
	Choices []Choice
}

// Responses returns the bot's answer to the interaction with the given
// token, and false if no such interaction was dispatched.
func (s *Server) Responses(token string) (InteractionResponse, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byToken[token]
	if st == nil {
		return InteractionResponse{}, false
	}
	out := InteractionResponse{
		ID: st.id, Token: st.token, DispatchedAt: st.dispatchedAt,
		CallbackType: st.callbackType, CallbackFlags: st.callbackFlags, AckedAt: st.ackedAt,
	}
	if st.original != nil {
		o := st.original.clone()
		out.Original = &o
	}
	for _, f := range st.followups {
		out.Followups = append(out.Followups, f.clone())
	}
	out.Choices = append([]Choice(nil), st.choices...)
	return out, true
}

// registerInteraction makes an interaction known before it is dispatched.
func (s *Server) registerInteraction(id, token, channelID, guildID, userID string, autocomplete bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.threads[channelID] == nil {
		s.channelGuild[channelID] = guildID
	}
	st := &interactionState{id: id, token: token, channelID: channelID, guildID: guildID, userID: userID, kind: 2}
	if autocomplete {
		st.kind = 4
	}
	s.interactions[id] = st
	s.byToken[token] = st
}

// markDispatched starts the acknowledgement clock the first time the
// INTERACTION_CREATE is written.
func (s *Server) markDispatched(id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.interactions[id]; st != nil && st.dispatchedAt.IsZero() {
		st.dispatchedAt = at
		s.notifyLocked()
	}
}

func (s *Server) postCallback(c *call) {
	doc, files, err := readDocument(c.r, c.body)
	if err != nil {
		writeBodyError(c.w)
		return
	}
	var outer struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(doc, &outer); err != nil {
		writeBodyError(c.w)
		return
	}
	if outer.Type == 8 {
		s.postAutocompleteResult(c, outer.Data)
		return
	}
	data := messageBody{}
	if len(outer.Data) > 0 && string(outer.Data) != "null" {
		if data, err = parseMessage(outer.Data, files); err != nil {
			writeBodyError(c.w)
			return
		}
	}
	c.note(data)

	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	st, ok := s.unacknowledgedLocked(c, now)
	if !ok {
		return
	}
	if outer.Type < 4 || outer.Type > 9 {
		writeFormErrors(c.w, []fieldError{{"type", "BASE_TYPE_CHOICES", "Value must be one of {4, 5, 6, 7, 8, 9}."}})
		return
	}
	if st.kind == 4 {
		writeError(c.w, http.StatusBadRequest, 40043, "Interaction response type is not supported for this interaction")
		return
	}
	if (outer.Type == 6 || outer.Type == 7) && st.kind != 3 {
		writeError(c.w, http.StatusBadRequest, 40043, "Interaction response type is not supported for this interaction")
		return
	}
	if errs := data.validate("data"); len(errs) > 0 {
		writeFormErrors(c.w, errs)
		return
	}
	if outer.Type == 6 || outer.Type == 7 {
		s.updateMessageLocked(c, st, outer.Type, data, now)
		return
	}
	original := s.newMessage(st.channelID, data)
	if outer.Type == 4 && original.empty() {
		writeEmptyMessage(c.w)
		return
	}
	original.GuildID = st.guildID
	if st.kind == 2 {
		original.InteractionUserID = st.userID
	}
	st.callbackType, st.callbackFlags, st.ackedAt = outer.Type, data.flags, now
	st.original = original
	s.addLocked(original)
	c.w.WriteHeader(http.StatusNoContent)
}

// updateMessageLocked answers a button press with type 6 (deferred
// update: nothing changes yet) or 7 (update the pressed message now).
// The pressed message becomes the interaction's @original, as on
// Discord. s.mu must be held.
func (s *Server) updateMessageLocked(c *call, st *interactionState, typ int, data messageBody, now time.Time) {
	m := s.messages[st.messageID]
	if m == nil || m.Deleted {
		writeError(c.w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	if typ == 7 {
		edited := m.clone()
		edited.apply(data)
		if edited.empty() {
			writeEmptyMessage(c.w)
			return
		}
		*m = edited
	}
	st.callbackType, st.callbackFlags, st.ackedAt = typ, data.flags, now
	st.original = m
	c.w.WriteHeader(http.StatusNoContent)
}

// webhookLocked finds the acknowledged interaction a webhook URL names,
// answering the request itself when there is none. s.mu must be held.
func (s *Server) webhookLocked(c *call) *interactionState {
	st := s.byToken[c.r.PathValue("token")]
	if c.r.PathValue("app") != s.opts.AppID || st == nil || st.callbackType == 0 {
		writeError(c.w, http.StatusNotFound, 10015, "Unknown Webhook")
		return nil
	}
	if time.Since(st.dispatchedAt) > s.opts.TokenLifetime {
		writeError(c.w, http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil
	}
	return st
}

// webhookMessageLocked finds @original or a follow-up by ID.
func (s *Server) webhookMessageLocked(c *call) (*interactionState, *Message) {
	st := s.webhookLocked(c)
	if st == nil {
		return nil, nil
	}
	mid := c.r.PathValue("mid")
	var m *Message
	if mid == "@original" {
		m = st.original
	}
	for _, f := range st.followups {
		if f.ID == mid {
			m = f
		}
	}
	if m == nil || m.Deleted {
		writeError(c.w, http.StatusNotFound, 10008, "Unknown Message")
		return nil, nil
	}
	return st, m
}

func (s *Server) postFollowup(c *call) {
	b, ok := c.readMessage(false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookLocked(c)
	if st == nil {
		return
	}
	m := s.newMessage(st.channelID, b)
	if m.empty() {
		writeEmptyMessage(c.w)
		return
	}
	m.GuildID = st.guildID
	st.followups = append(st.followups, m)
	s.addLocked(m)
	if c.r.URL.Query().Get("wait") != "true" {
		c.w.WriteHeader(http.StatusNoContent) // as Discord does without ?wait=true
		return
	}
	writeJSON(c.w, http.StatusOK, s.messageJSON(m, true))
}

func (s *Server) getWebhookMessage(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, m := s.webhookMessageLocked(c); m != nil {
		writeJSON(c.w, http.StatusOK, s.messageJSON(m, true))
	}
}

func (s *Server) patchWebhookMessage(c *call) {
	b, ok := c.readMessage(false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, m := s.webhookMessageLocked(c); m != nil {
		s.editLocked(c, m, b, true)
	}
}

func (s *Server) deleteWebhookMessage(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, m := s.webhookMessageLocked(c); m != nil {
		m.Deleted = true
		c.w.WriteHeader(http.StatusNoContent)
	}
}

// postAutocompleteResult answers callback type 8, allowed only for an
// autocomplete interaction, within the acknowledgement deadline, once.
func (s *Server) postAutocompleteResult(c *call, raw json.RawMessage) {
	var data struct {
		Choices []Choice `json:"choices"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &data); err != nil {
			writeBodyError(c.w)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	st, ok := s.unacknowledgedLocked(c, now)
	if !ok {
		return
	}
	if st.kind != 4 {
		writeError(c.w, http.StatusBadRequest, 40043, "Interaction response type is not supported for this interaction")
		return
	}
	if errs := validateChoices(data.Choices); len(errs) > 0 {
		writeFormErrors(c.w, errs)
		return
	}
	st.callbackType, st.ackedAt, st.choices = 8, now, data.Choices
	s.notifyLocked()
	c.w.WriteHeader(http.StatusNoContent)
}

// unacknowledgedLocked returns the interaction a callback request names, as
// Discord checks it: known, with its token, within the acknowledgement
// deadline (10062 otherwise) and not yet acknowledged (40060). It writes
// the error and returns false when the callback must fail. s.mu is held.
func (s *Server) unacknowledgedLocked(c *call, now time.Time) (*interactionState, bool) {
	st := s.interactions[c.r.PathValue("id")]
	if st == nil || st.token != c.r.PathValue("token") || st.dispatchedAt.IsZero() ||
		now.Sub(st.dispatchedAt) > s.opts.AckDeadline {
		writeError(c.w, http.StatusNotFound, 10062, "Unknown interaction")
		return nil, false
	}
	if st.callbackType != 0 {
		writeError(c.w, http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		return nil, false
	}
	return st, true
}
