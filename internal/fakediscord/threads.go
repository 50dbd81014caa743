package fakediscord

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Message types and flags the fake gives meaning to.
const (
	typeReply         = 19
	typeThreadStarter = 21
	flagEphemeral     = 64
	maxThreadName     = 100
)

// thread is a public thread started from a message. Its ID is the
// starter message's ID, as on Discord.
type thread struct {
	id, parentID, guildID, name, ownerID string
	created                              time.Time
}

// Thread describes a thread the bot started.
type Thread struct {
	ID, ParentID, GuildID, Name string
}

// Threads returns the threads started through the REST API, oldest first.
func (s *Server) Threads() []Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Thread
	for _, th := range s.threads {
		out = append(out, Thread{ID: th.id, ParentID: th.parentID, GuildID: th.guildID, Name: th.name})
	}
	slices.SortFunc(out, func(a, b Thread) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (s *Server) threadJSON(th *thread) map[string]any {
	return map[string]any{
		"id": th.id, "type": 11, "guild_id": th.guildID, "parent_id": th.parentID,
		"owner_id": th.ownerID, "name": th.name, "flags": 0, "message_count": 0, "member_count": 1,
		"thread_metadata": map[string]any{
			"archived": false, "auto_archive_duration": 1440, "locked": false,
			"archive_timestamp": th.created.UTC().Format(time.RFC3339Nano),
		},
	}
}

// postThread starts a public thread from a message:
// POST /channels/{cid}/messages/{mid}/threads.
func (s *Server) postThread(c *call) {
	var in struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		writeBodyError(c.w)
		return
	}
	if n := utf8.RuneCountInString(in.Name); n < 1 || n > maxThreadName {
		writeFormErrors(c.w, []fieldError{{"name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."}})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cid := c.r.PathValue("cid")
	m := s.messages[c.r.PathValue("mid")]
	if m == nil || m.Deleted || m.ChannelID != cid || m.Flags&flagEphemeral != 0 {
		writeError(c.w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	guild := s.channelGuild[cid]
	if guild == "" || s.threads[cid] != nil {
		writeError(c.w, http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
		return
	}
	if m.ThreadID != "" {
		writeError(c.w, http.StatusBadRequest, 160004, "A thread has already been created for this message")
		return
	}
	th := &thread{id: m.ID, parentID: cid, guildID: guild, name: in.Name, ownerID: s.opts.BotUserID, created: time.Now()}
	s.threads[th.id] = th
	m.ThreadID = th.id
	// The thread opens with a system message pointing at its starter.
	starter := &Message{ID: s.ids.next(), ChannelID: th.id, GuildID: guild, Type: typeThreadStarter,
		ReferenceID: m.ID, Created: time.Now()}
	s.messages[starter.ID] = starter
	s.timeline[th.id] = append(s.timeline[th.id], starter)
	writeJSON(c.w, http.StatusCreated, s.threadJSON(th))
}

// getChannel answers GET /channels/{cid} for threads and for channels
// the fake has seen events in.
func (s *Server) getChannel(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cid := c.r.PathValue("cid")
	if th := s.threads[cid]; th != nil {
		writeJSON(c.w, http.StatusOK, s.threadJSON(th))
		return
	}
	guild, ok := s.channelGuild[cid]
	if !ok {
		writeError(c.w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	if guild == "" {
		writeJSON(c.w, http.StatusOK, map[string]any{"id": cid, "type": 1, "flags": 0, "recipients": []any{}})
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"id": cid, "type": 0, "guild_id": guild, "name": "general", "flags": 0})
}

// getMessage answers GET /channels/{cid}/messages/{mid}.
func (s *Server) getMessage(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[c.r.PathValue("mid")]
	if m == nil || m.Deleted || m.ChannelID != c.r.PathValue("cid") || m.Flags&flagEphemeral != 0 {
		writeError(c.w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	writeJSON(c.w, http.StatusOK, s.messageJSON(m, false))
}

// getMessages answers GET /channels/{cid}/messages?limit=&before=&after=
// as Discord does: newest first, limit 1–100 (default 50), before and
// after as message IDs. A thread's first message is its starter system
// message (type 21), whose referenced_message is the message the thread
// was started from.
func (s *Server) getMessages(c *call) {
	q := c.r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeFormErrors(c.w, []fieldError{{"limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100."}})
			return
		}
		limit = n
	}
	before, after := snowflakeOf(q.Get("before")), snowflakeOf(q.Get("after"))
	s.mu.Lock()
	defer s.mu.Unlock()
	cid := c.r.PathValue("cid")
	if _, ok := s.channelGuild[cid]; !ok && s.threads[cid] == nil && s.timeline[cid] == nil {
		writeError(c.w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	out := []any{}
	all := s.timeline[cid]
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		m, id := all[i], snowflakeOf(all[i].ID)
		if m.Deleted || (before > 0 && id >= before) || (after > 0 && id <= after) {
			continue
		}
		out = append(out, s.messageJSON(m, false))
	}
	if after > 0 { // Discord returns the oldest page after the ID, still newest first
		slices.Reverse(out)
		out = out[:min(len(out), limit)]
		slices.Reverse(out)
	}
	writeJSON(c.w, http.StatusOK, out)
}

func snowflakeOf(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
