package fakediscord

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Discord's component limits ("Message Components" in the API docs).
const (
	maxActionRows   = 5
	maxRowButtons   = 5
	maxCustomID     = 100
	maxButtonLabel  = 80
	componentRow    = 1
	componentButton = 2
	buttonLink      = 5
)

type component struct {
	Type       int         `json:"type"`
	Style      int         `json:"style"`
	Label      string      `json:"label"`
	CustomID   *string     `json:"custom_id"`
	URL        string      `json:"url"`
	Components []component `json:"components"`
}

// validateComponents checks a components array as Discord does: at most
// 5 action rows of at most 5 buttons; every non-link button has a
// custom_id of 1–100 characters, unique within the message; link buttons
// have a URL and no custom_id.
func validateComponents(raw json.RawMessage, at func(string) string) []fieldError {
	if raw == nil {
		return nil
	}
	var rows []component
	if err := json.Unmarshal(raw, &rows); err != nil {
		return []fieldError{{at("components"), "MODEL_TYPE_CONVERT", "Only iterables may be used in a ListType"}}
	}
	var errs []fieldError
	bad := func(p, code, msg string) { errs = append(errs, fieldError{at(p), code, msg}) }
	if len(rows) > maxActionRows {
		bad("components", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 0 and %d in length.", maxActionRows))
	}
	seen := map[string]bool{}
	for i, row := range rows {
		p := "components." + strconv.Itoa(i)
		if row.Type != componentRow {
			bad(p+".type", "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
			continue
		}
		if n := len(row.Components); n < 1 || n > maxRowButtons {
			bad(p+".components", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 1 and %d in length.", maxRowButtons))
		}
		for j, b := range row.Components {
			q := p + ".components." + strconv.Itoa(j)
			if b.Type != componentButton {
				continue // select menus and others: not checked further
			}
			if utf8.RuneCountInString(b.Label) > maxButtonLabel {
				bad(q+".label", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxButtonLabel))
			}
			if b.Style == buttonLink {
				if b.URL == "" || b.CustomID != nil {
					bad(q, "BUTTON_COMPONENT_INVALID", "A link button needs a url and no custom_id.")
				}
				continue
			}
			if b.CustomID == nil || *b.CustomID == "" {
				bad(q+".custom_id", "BASE_TYPE_REQUIRED", "This field is required")
				continue
			}
			if utf8.RuneCountInString(*b.CustomID) > maxCustomID {
				bad(q+".custom_id", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 1 and %d in length.", maxCustomID))
			}
			if seen[*b.CustomID] {
				bad(q+".custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
			}
			seen[*b.CustomID] = true
		}
	}
	return errs
}

// ComponentPress describes a member pressing a button on a message: a
// MESSAGE_COMPONENT (type 3) interaction.
type ComponentPress struct {
	MessageID string // the message carrying the button; must be known
	CustomID  string
	User      User
	ID, Token string // generated when empty
}

// PressButton dispatches INTERACTION_CREATE of type 3 for a button on a
// message the fake knows, carrying that message as Discord does, and
// returns the interaction's token. The bot must answer it within the ack
// deadline with type 6 (deferred update), 7 (update the message) or 4
// (a new, typically ephemeral, message). Errors: an unknown message or a
// custom_id the message does not carry, a wrapped ctx error, ErrClosed.
func (s *Server) PressButton(ctx context.Context, in ComponentPress) (string, error) {
	in.ID, in.Token = cmp.Or(in.ID, s.ids.next()), cmp.Or(in.Token, randomToken())
	in.User = s.fillUser(in.User)
	s.mu.Lock()
	m := s.messages[in.MessageID]
	if m == nil || m.Deleted {
		s.mu.Unlock()
		return "", fmt.Errorf("press button: unknown message %s", in.MessageID)
	}
	if !hasCustomID(m.Components, in.CustomID) {
		s.mu.Unlock()
		return "", fmt.Errorf("press button: message %s has no button %q", in.MessageID, in.CustomID)
	}
	p := map[string]any{
		"id": in.ID, "application_id": s.opts.AppID, "type": 3, "token": in.Token, "version": 1,
		"channel_id": m.ChannelID, "locale": "en-US", "app_permissions": "0",
		"data":    map[string]any{"custom_id": in.CustomID, "component_type": componentButton},
		"message": s.messageJSON(m, false), "entitlements": []any{},
	}
	if m.GuildID != "" {
		p["guild_id"], p["guild_locale"], p["context"] = m.GuildID, "en-US", 0
		p["member"] = memberJSON(in.User, 0)
	} else {
		p["user"], p["context"] = userJSON(in.User), 1
	}
	st := &interactionState{id: in.ID, token: in.Token, channelID: m.ChannelID, kind: 3, messageID: m.ID}
	s.interactions[in.ID] = st
	s.byToken[in.Token] = st
	s.mu.Unlock()
	data, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("press button: %w", err)
	}
	onWrite := func(at time.Time) { s.markDispatched(in.ID, at) }
	if err := s.dispatch(ctx, "INTERACTION_CREATE", data, onWrite); err != nil {
		return "", fmt.Errorf("press button: %w", err)
	}
	return in.Token, nil
}

// hasCustomID reports whether a components array carries a button with
// the custom_id id.
func hasCustomID(raw json.RawMessage, id string) bool {
	var rows []component
	if json.Unmarshal(raw, &rows) != nil {
		return false
	}
	for _, r := range rows {
		for _, b := range r.Components {
			if b.CustomID != nil && *b.CustomID == id {
				return true
			}
		}
	}
	return false
}
