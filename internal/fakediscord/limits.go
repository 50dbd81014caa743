package fakediscord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Discord's documented message limits.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxEmbedTotal       = 6000
)

// errInvalidJSON marks a body that is neither JSON nor a multipart form
// with a payload_json part.
var errInvalidJSON = errors.New("invalid JSON body")

// messageBody is the message part of a create or edit request.
type messageBody struct {
	content         *string // nil when the key is absent
	embeds          *[]Embed
	flags           int
	allowedMentions json.RawMessage
	files           int  // attached files in a multipart body
	other           bool // components, stickers, poll or attachments
	// components is the raw components array, nil when the key is absent.
	components json.RawMessage
	// reference is the message_reference of a create, nil when absent.
	reference *messageReference
	// nonce and enforceNonce are a create's nonce (string or integer, as
	// text) and enforce_nonce.
	nonce        string
	enforceNonce bool
}

// messageReference is the message_reference of a reply.
type messageReference struct {
	MessageID       string `json:"message_id"`
	ChannelID       string `json:"channel_id"`
	GuildID         string `json:"guild_id"`
	FailIfNotExists *bool  `json:"fail_if_not_exists"`
}

// carriesContent reports whether the body sets content or embeds.
func (m messageBody) carriesContent() bool {
	return (m.content != nil && *m.content != "") || (m.embeds != nil && len(*m.embeds) > 0)
}

// readDocument returns the JSON document of a request body: the body
// itself, or the payload_json part of a multipart form, with the number
// of file parts.
func readDocument(r *http.Request, body []byte) ([]byte, int, error) {
	if !hasMediaType(r, "multipart/") {
		if len(bytes.TrimSpace(body)) == 0 {
			return []byte("{}"), 0, nil
		}
		return body, 0, nil
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, 0, fmt.Errorf("parse content type: %w", errInvalidJSON)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var doc []byte
	files := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("read multipart: %w: %w", errInvalidJSON, err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, 0, fmt.Errorf("read part %q: %w: %w", p.FormName(), errInvalidJSON, err)
		}
		switch {
		case p.FormName() == "payload_json":
			doc = data
		case p.FileName() != "":
			files++
		}
	}
	if doc == nil {
		doc = []byte("{}")
	}
	return doc, files, nil
}

// parseMessage decodes the message fields of doc.
func parseMessage(doc []byte, files int) (messageBody, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(doc, &raw); err != nil {
		return messageBody{}, fmt.Errorf("decode message: %w: %w", errInvalidJSON, err)
	}
	m := messageBody{files: files}
	if v, ok := raw["content"]; ok {
		var c *string
		if err := json.Unmarshal(v, &c); err != nil {
			return m, fmt.Errorf("decode content: %w: %w", errInvalidJSON, err)
		}
		m.content = new(string)
		if c != nil {
			*m.content = *c
		}
	}
	if v, ok := raw["embeds"]; ok {
		var e []Embed
		if err := json.Unmarshal(v, &e); err != nil {
			return m, fmt.Errorf("decode embeds: %w: %w", errInvalidJSON, err)
		}
		m.embeds = &e
	}
	if v, ok := raw["flags"]; ok {
		_ = json.Unmarshal(v, &m.flags) // null leaves 0
	}
	if v, ok := raw["allowed_mentions"]; ok && string(v) != "null" {
		m.allowedMentions = v
	}
	if v, ok := raw["components"]; ok && string(v) != "null" {
		m.components = v
	}
	if v, ok := raw["nonce"]; ok && string(v) != "null" {
		var str string
		if json.Unmarshal(v, &str) != nil {
			str = string(v) // an integer nonce
		}
		m.nonce = str
	}
	if v, ok := raw["enforce_nonce"]; ok {
		_ = json.Unmarshal(v, &m.enforceNonce)
	}
	if v, ok := raw["message_reference"]; ok && string(v) != "null" {
		m.reference = &messageReference{}
		if err := json.Unmarshal(v, m.reference); err != nil {
			return m, fmt.Errorf("decode message_reference: %w: %w", errInvalidJSON, err)
		}
	}
	for _, k := range []string{"components", "sticker_ids", "poll", "attachments"} {
		if v, ok := raw[k]; ok && string(v) != "null" && string(v) != "[]" {
			m.other = true
		}
	}
	return m, nil
}

// fieldError is one entry of a 50035 Invalid Form Body answer.
type fieldError struct {
	path string // dotted, e.g. "embeds.0.title"
	code string
	msg  string
}

// validate checks Discord's limits; prefix is prepended to every path
// ("data" for interaction callbacks).
func (m messageBody) validate(prefix string) []fieldError {
	var errs []fieldError
	at := func(p string) string {
		if prefix == "" {
			return p
		}
		return prefix + "." + p
	}
	tooLong := func(p string, max int) {
		errs = append(errs, fieldError{at(p), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max)})
	}
	if m.content != nil && utf8.RuneCountInString(*m.content) > maxContent {
		tooLong("content", maxContent)
	}
	errs = append(errs, validateComponents(m.components, at)...)
	if m.embeds == nil {
		return errs
	}
	embeds := *m.embeds
	if len(embeds) > maxEmbeds {
		tooLong("embeds", maxEmbeds)
	}
	total := 0
	for i, e := range embeds {
		p := "embeds." + strconv.Itoa(i) + "."
		check := func(name, v string, max int) {
			n := utf8.RuneCountInString(v)
			total += n
			if n > max {
				tooLong(p+name, max)
			}
		}
		check("title", e.Title, maxEmbedTitle)
		check("description", e.Description, maxEmbedDescription)
		if len(e.Fields) > maxEmbedFields {
			tooLong(p+"fields", maxEmbedFields)
		}
		for j, f := range e.Fields {
			check("fields."+strconv.Itoa(j)+".name", f.Name, maxFieldName)
			check("fields."+strconv.Itoa(j)+".value", f.Value, maxFieldValue)
		}
		if e.Footer != nil {
			check("footer.text", e.Footer.Text, maxFooterText)
		}
		if e.Author != nil {
			check("author.name", e.Author.Name, maxAuthorName)
		}
	}
	if total > maxEmbedTotal {
		errs = append(errs, fieldError{at("embeds"), "MAX_EMBED_SIZE_EXCEEDED",
			fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedTotal)})
	}
	return errs
}

// writeFormErrors answers 400 with code 50035 and Discord's nested error
// tree, e.g. {"embeds":{"0":{"title":{"_errors":[...]}}}}.
func writeFormErrors(w http.ResponseWriter, errs []fieldError) {
	tree := map[string]any{}
	for _, e := range errs {
		node := tree
		for _, part := range strings.Split(e.path, ".") {
			child, ok := node[part].(map[string]any)
			if !ok {
				child = map[string]any{}
				node[part] = child
			}
			node = child
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]any{"code": e.code, "message": e.msg})
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"code": 50035, "message": "Invalid Form Body", "errors": tree,
	})
}

// writeBodyError answers a body that failed to parse as Discord does.
func writeBodyError(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
}

// writeEmptyMessage answers a message with nothing to show.
func writeEmptyMessage(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, 50006, "Cannot send an empty message")
}
