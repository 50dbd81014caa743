package fakediscord

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// Request is one REST request the fake received, with the answer it gave.
type Request struct {
	Method string
	Path   string // URL path, e.g. /api/v9/channels/1/messages
	Query  string // raw query without '?'
	Header http.Header
	Body   []byte    // raw body as sent, JSON or multipart
	Time   time.Time // arrival, before any injected latency
	Status int       // status the fake answered
	// Response is the body the fake answered.
	Response []byte
	// CarriesContent reports whether the request creates or edits message
	// content or embeds.
	CarriesContent bool
	// AllowedMentions is the raw allowed_mentions object of a
	// content-carrying request, nil when the key is absent.
	AllowedMentions json.RawMessage
}

// Requests returns a copy of every REST request recorded so far, in the
// order they completed.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// UnsafeMentions returns the content-carrying requests whose
// allowed_mentions is not {"parse": []}: each of them could ping
// @everyone or users on the real Discord.
func (s *Server) UnsafeMentions() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.CarriesContent && !parseIsEmpty(r.AllowedMentions) {
			out = append(out, r)
		}
	}
	return out
}

func parseIsEmpty(raw json.RawMessage) bool {
	var am struct {
		Parse *[]string `json:"parse"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &am) != nil {
		return false
	}
	return am.Parse != nil && len(*am.Parse) == 0
}

// call is one REST request in flight.
type call struct {
	w    *recorder
	r    *http.Request
	body []byte
	rec  *Request
}

type callKey struct{}

// recorder keeps the status and body a handler wrote.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/gateway" || r.URL.Path == "/gateway/" {
		s.serveGateway(w, r)
		return
	}
	if s.serveAttachment(w, r) {
		return
	}
	arrived := time.Now()
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	c := &call{
		w:    &recorder{ResponseWriter: w},
		r:    r,
		body: body,
		rec: &Request{
			Method: r.Method,
			Path:   r.URL.Path,
			Query:  r.URL.RawQuery,
			Header: r.Header.Clone(),
			Body:   body,
			Time:   arrived,
		},
	}
	s.handle(c)
	c.rec.Status, c.rec.Response = c.w.status, c.w.buf.Bytes()

	s.mu.Lock()
	s.requests = append(s.requests, *c.rec)
	s.notifyLocked()
	s.mu.Unlock()
}

// handle applies latency, authentication and injected faults, then routes.
func (s *Server) handle(c *call) {
	if !s.sleep(c.r.Context(), s.delayFor(c.r.Method, c.r.URL.Path)) {
		writeError(c.w, http.StatusServiceUnavailable, 0, "503: fake server closing")
		return
	}
	if c.r.Header.Get("Authorization") != "Bot "+s.opts.Token {
		writeError(c.w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	garble := false
	if f := s.takeFault(c.r.Method, c.r.URL.Path); f != nil {
		if f.kind != faultGarble {
			f.respond(c.w)
			return
		}
		garble = true
	}
	if _, pattern := s.mux.Handler(c.r); pattern == "" {
		writeError(c.w, http.StatusNotFound, 0, "404: Not Found")
		return
	}
	real := c.w.ResponseWriter
	if garble {
		c.w.ResponseWriter = &discardWriter{header: http.Header{}}
	}
	s.mux.ServeHTTP(c.w, c.r.WithContext(context.WithValue(c.r.Context(), callKey{}, c)))
	if garble {
		c.w.ResponseWriter = real
		c.w.buf.Reset()
		c.w.status = 0
		real.Header().Set("Content-Type", "application/json")
		c.w.WriteHeader(http.StatusOK)
		_, _ = c.w.Write([]byte(`{"id": "1234`)) // cut short: not JSON
	}
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	route := func(pattern string, h func(*call)) {
		mux.HandleFunc(pattern, func(_ http.ResponseWriter, r *http.Request) {
			c := r.Context().Value(callKey{}).(*call)
			c.r = r // carries the path values
			h(c)
		})
	}
	const api = "/api/v9"
	route("GET "+api+"/gateway", s.getGateway)
	route("GET "+api+"/gateway/bot", s.getGatewayBot)
	route("GET "+api+"/users/@me", s.getMe)
	route("PUT "+api+"/applications/{app}/commands", s.putCommands)
	route("PUT "+api+"/applications/{app}/guilds/{guild}/commands", s.putCommands)
	route("GET "+api+"/applications/{app}/commands", s.getCommands)
	route("GET "+api+"/applications/{app}/guilds/{guild}/commands", s.getCommands)
	route("POST "+api+"/interactions/{id}/{token}/callback", s.postCallback)
	route("POST "+api+"/webhooks/{app}/{token}", s.postFollowup)
	route("GET "+api+"/webhooks/{app}/{token}/messages/{mid}", s.getWebhookMessage)
	route("PATCH "+api+"/webhooks/{app}/{token}/messages/{mid}", s.patchWebhookMessage)
	route("DELETE "+api+"/webhooks/{app}/{token}/messages/{mid}", s.deleteWebhookMessage)
	route("POST "+api+"/users/@me/channels", s.postDMChannel)
	route("POST "+api+"/channels/{cid}/messages", s.postChannelMessage)
	route("PATCH "+api+"/channels/{cid}/messages/{mid}", s.patchChannelMessage)
	route("GET "+api+"/channels/{cid}", s.getChannel)
	route("GET "+api+"/channels/{cid}/messages", s.getMessages)
	route("GET "+api+"/channels/{cid}/messages/{mid}", s.getMessage)
	route("POST "+api+"/channels/{cid}/messages/{mid}/threads", s.postThread)
	route("POST "+api+"/channels/{cid}/typing", func(c *call) { c.w.WriteHeader(http.StatusNoContent) })
	return mux
}

func (s *Server) getGateway(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]any{"url": s.GatewayURL()})
}

func (s *Server) getGatewayBot(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) getMe(c *call) {
	writeJSON(c.w, http.StatusOK, s.botUserJSON())
}

func (s *Server) botUserJSON() map[string]any {
	return userJSON(User{ID: s.opts.BotUserID, Username: s.opts.BotUsername, Bot: true})
}

func (s *Server) postDMChannel(c *call) {
	var in struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		writeError(c.w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	if in.RecipientID == "" {
		writeFormErrors(c.w, []fieldError{{path: "recipient_id", code: "BASE_TYPE_REQUIRED", msg: "This field is required"}})
		return
	}
	s.mu.Lock()
	id, ok := s.dmChannels[in.RecipientID]
	if !ok {
		id = s.ids.next()
		s.dmChannels[in.RecipientID] = id
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{
		"id": id, "type": 1, "flags": 0, "last_message_id": nil,
		"recipients": []any{userJSON(User{ID: in.RecipientID, Username: "user" + in.RecipientID})},
	})
}

// DMChannel returns the ID of the DM channel the bot opened with userID
// through POST /users/@me/channels, and whether it did.
func (s *Server) DMChannel(userID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.dmChannels[userID]
	return id, ok
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "fakediscord: marshal: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError answers with Discord's error shape {"message":..., "code":...}.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "code": code})
}

// hasMediaType reports whether the Content-Type header names mediaType.
func hasMediaType(r *http.Request, mediaType string) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), mediaType)
}

// discardWriter swallows a response that a garbled one replaces.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
