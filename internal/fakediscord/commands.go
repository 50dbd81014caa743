package fakediscord

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Command is an application command the bot registered by bulk overwrite.
type Command struct {
	ID      string
	Name    string
	GuildID string // "" for a global command
	// Raw is the command object as the bot sent it.
	Raw json.RawMessage
}

// Commands returns the commands last registered for guildID, or the global
// commands when guildID is "".
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.commands[guildID])
	for i := range out {
		out[i].Raw = slices.Clone(out[i].Raw)
	}
	return out
}

// commandName is Discord's rule for command and option names (lowercase
// is checked separately).
var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

type commandOption struct {
	Type        int             `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	MinLength   *int            `json:"min_length"`
	MaxLength   *int            `json:"max_length"`
	Options     []commandOption `json:"options"`
}

type commandBody struct {
	Type        int             `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Options     []commandOption `json:"options"`
}

func (s *Server) putCommands(c *call) {
	if c.r.PathValue("app") != s.opts.AppID {
		writeError(c.w, http.StatusNotFound, 10002, "Unknown Application")
		return
	}
	guildID := c.r.PathValue("guild")
	var raws []json.RawMessage
	if err := json.Unmarshal(c.body, &raws); err != nil {
		writeBodyError(c.w)
		return
	}
	parsed := make([]commandBody, len(raws))
	var errs []fieldError
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &parsed[i]); err != nil {
			writeBodyError(c.w)
			return
		}
		errs = append(errs, parsed[i].validate(strconv.Itoa(i))...)
	}
	if len(errs) > 0 {
		writeFormErrors(c.w, errs)
		return
	}

	s.mu.Lock()
	old := s.commands[guildID]
	cmds := make([]Command, len(raws))
	echo := make([]map[string]any, len(raws))
	for i, raw := range raws {
		cmds[i] = Command{ID: s.ids.next(), Name: parsed[i].Name, GuildID: guildID, Raw: slices.Clone(raw)}
		for _, o := range old { // Discord keeps the ID of a command it already knows
			if o.Name == cmds[i].Name {
				cmds[i].ID = o.ID
			}
		}
		echo[i] = s.commandJSON(cmds[i])
	}
	s.commands[guildID] = cmds
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, echo)
}

func (s *Server) getCommands(c *call) {
	if c.r.PathValue("app") != s.opts.AppID {
		writeError(c.w, http.StatusNotFound, 10002, "Unknown Application")
		return
	}
	s.mu.Lock()
	echo := []map[string]any{}
	for _, cmd := range s.commands[c.r.PathValue("guild")] {
		echo = append(echo, s.commandJSON(cmd))
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, echo)
}

// commandJSON is the command as sent plus the fields Discord assigns.
func (s *Server) commandJSON(cmd Command) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal(cmd.Raw, &out) // validated when stored
	out["id"] = cmd.ID
	out["application_id"] = s.opts.AppID
	out["version"] = cmd.ID
	if cmd.GuildID != "" {
		out["guild_id"] = cmd.GuildID
	}
	if _, ok := out["type"]; !ok {
		out["type"] = 1
	}
	return out
}

// validate applies the documented rules that a bot can get wrong: names,
// descriptions, option counts and string lengths.
func (b commandBody) validate(at string) []fieldError {
	var errs []fieldError
	if !commandName.MatchString(b.Name) || strings.ToLower(b.Name) != b.Name {
		errs = append(errs, fieldError{at + ".name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"})
	}
	if b.Type == 0 || b.Type == 1 { // chat input
		if n := utf8.RuneCountInString(b.Description); n < 1 || n > 100 {
			errs = append(errs, fieldError{at + ".description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."})
		}
	}
	return append(errs, validateOptions(at+".options", b.Options)...)
}

func validateOptions(at string, opts []commandOption) []fieldError {
	var errs []fieldError
	if len(opts) > 25 {
		errs = append(errs, fieldError{at, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."})
	}
	for i, o := range opts {
		p := at + "." + strconv.Itoa(i)
		if !commandName.MatchString(o.Name) || strings.ToLower(o.Name) != o.Name {
			errs = append(errs, fieldError{p + ".name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"})
		}
		if n := utf8.RuneCountInString(o.Description); n < 1 || n > 100 {
			errs = append(errs, fieldError{p + ".description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."})
		}
		for _, l := range []struct {
			name string
			v    *int
		}{{"min_length", o.MinLength}, {"max_length", o.MaxLength}} {
			if l.v != nil && (*l.v < 0 || *l.v > 6000) {
				errs = append(errs, fieldError{p + "." + l.name, "NUMBER_TYPE_MAX", "int value should be less than or equal to 6000."})
			}
		}
		errs = append(errs, validateOptions(p+".options", o.Options)...)
	}
	return errs
}
