package bot

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Intents the bot identifies with: guilds, server messages and DMs, and
// message content so that mentions and DMs carry their text.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
	discordgo.IntentsDirectMessages | discordgo.IntentMessageContent

// discordHost is the host of every REST URL discordgo builds.
const discordHost = "discord.com"

// restTimeout bounds one REST call, including discordgo's own retries.
const restTimeout = 20 * time.Second

// ErrNoToken is returned by NewSession for an empty token.
var ErrNoToken = errors.New("no Discord bot token")

// NewSession returns a discordgo session for the bot token (with or
// without its "Bot " prefix; every request sends "Bot <token>"). When
// apiBase is not nil, such as http://127.0.0.1:8080 for a REST proxy or a
// test, the session's own HTTP client sends every request for
// https://discord.com there instead; discordgo's package globals are left
// alone. The gateway URL then comes from GET /api/v9/gateway on apiBase
// and is used as returned. The session is not connected. It returns
// ErrNoToken for an empty token.
func NewSession(token string, apiBase *url.URL) (*discordgo.Session, error) {
	token = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(token), "Bot "))
	if token == "" {
		return nil, ErrNoToken
	}
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("couldn't create Discord session: %w", err)
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 64 // answers go out in bursts to one host
	var rt http.RoundTripper = base
	if apiBase != nil {
		rt = rewriteHost{base: apiBase, next: base}
	}
	s.Client = &http.Client{Transport: rt, Timeout: restTimeout}
	s.Identify.Intents = Intents
	return s, nil
}

// rewriteHost sends requests for discord.com to base, keeping path and
// query. Other hosts pass through unchanged.
type rewriteHost struct {
	base *url.URL
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (rt rewriteHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.EqualFold(r.URL.Hostname(), discordHost) {
		return rt.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rt.base.Scheme, rt.base.Host, rt.base.Host
	return rt.next.RoundTrip(r)
}

// ErrTokenRefused is returned by Start when Discord refuses the bot token:
// a 401 from the REST API or the gateway's close code 4004
// (authentication failed). Retrying can't help; the token must change.
var ErrTokenRefused = errors.New("Discord refused the bot token (401 Unauthorized)")

// closeAuthFailed is the gateway close code for a bad token.
const closeAuthFailed = 4004

// tokenRefused reports whether err says Discord refused the token.
func tokenRefused(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return true
	}
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == closeAuthFailed
}
