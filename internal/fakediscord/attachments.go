package fakediscord

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Attachment is the value of an ATTACHMENT (type 11) option: a file the
// member uploaded. The fake serves Content itself, without authentication
// as Discord's CDN does, at the URL it puts in the interaction's resolved
// attachments.
type Attachment struct {
	Filename    string
	ContentType string // e.g. "text/markdown; charset=utf-8"; may be empty
	Content     []byte
}

// serveAttachment answers GET /attachments/{id}/{name}.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/attachments/")
	if !ok {
		return false
	}
	id, _, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	a, found := s.attachments[id]
	s.mu.Unlock()
	if !found || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return true
	}
	if a.ContentType != "" {
		w.Header().Set("Content-Type", a.ContentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Content)))
	_, _ = w.Write(a.Content)
	return true
}

// attachmentJSON registers a and returns its resolved object.
func (s *Server) attachmentJSON(a Attachment) (string, map[string]any) {
	id := s.ids.next()
	s.mu.Lock()
	s.attachments[id] = a
	s.mu.Unlock()
	u := s.URL() + "/attachments/" + id + "/" + a.Filename
	out := map[string]any{
		"id": id, "filename": a.Filename, "size": len(a.Content), "url": u, "proxy_url": u,
		"ephemeral": true,
	}
	if a.ContentType != "" {
		out["content_type"] = a.ContentType
	}
	return id, out
}

// Discord's autocomplete limits.
const (
	maxChoices     = 25
	maxChoiceName  = 100
	maxChoiceValue = 100
)

// Choice is one autocomplete suggestion the bot sent (callback type 8).
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// validateChoices checks an autocomplete result as Discord does.
func validateChoices(choices []Choice) []fieldError {
	var errs []fieldError
	if len(choices) > maxChoices {
		errs = append(errs, fieldError{"data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."})
	}
	for i, c := range choices {
		p := "data.choices." + strconv.Itoa(i) + "."
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > maxChoiceName {
			errs = append(errs, fieldError{p + "name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."})
		}
		if v, ok := c.Value.(string); ok && utf8.RuneCountInString(v) > maxChoiceValue {
			errs = append(errs, fieldError{p + "value", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."})
		}
	}
	return errs
}
