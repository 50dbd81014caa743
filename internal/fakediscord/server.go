// Package fakediscord is a fake Discord API and gateway on loopback for
// end-to-end tests of a bot built on github.com/bwmarrin/discordgo.
//
// The REST side serves /api/v9/... with Discord's status codes, error codes
// and message limits; the gateway side speaks the JSON gateway protocol
// (HELLO, IDENTIFY, READY, heartbeats, RESUME) over gorilla/websocket. Tests
// dispatch events with [Server.InteractionCreate] and [Server.MessageCreate]
// and assert on what the bot sent with [Server.Requests],
// [Server.Responses] and [Server.ChannelMessages].
//
// To point discordgo at the fake, give the session an *http.Client whose
// transport rewrites https://discord.com to [Server.URL]; the gateway URL is
// then discovered through GET /api/v9/gateway.
package fakediscord

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrClosed is returned by methods called after [Server.Close].
var ErrClosed = errors.New("fakediscord: server closed")

// Options configures a [Server]. Zero values get sensible defaults.
type Options struct {
	// Token is the bot token without the "Bot " prefix. REST requests must
	// carry "Authorization: Bot <Token>". Default "test-token".
	Token string
	// AppID is the application ID; it always differs from BotUserID, as on
	// Discord. Defaults are generated snowflakes.
	AppID, BotUserID string
	// BotUsername is the bot user's name in READY. Default "articlebot".
	BotUsername string
	// HeartbeatInterval is sent in HELLO. Default 41.25 s.
	HeartbeatInterval time.Duration
	// AckDeadline is how long after the INTERACTION_CREATE is written to the
	// socket the callback may arrive. Default 3 s.
	AckDeadline time.Duration
	// TokenLifetime is how long an interaction token works for webhook
	// calls after the dispatch. Default 15 min.
	TokenLifetime time.Duration
	// ReadyTimeout bounds how long dispatch helpers wait for the first
	// READY when the caller's context has no deadline. Default 10 s.
	ReadyTimeout time.Duration
}

// Server is a running fake Discord. Create it with [New]; all methods are
// safe for concurrent use.
type Server struct {
	opts Options
	srv  *httptest.Server
	mux  *http.ServeMux
	ids  *snowflakes
	done chan struct{} // closed by Close

	closeOnce sync.Once
	wg        sync.WaitGroup // websocket goroutines

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every state change
	closed       bool
	requests     []Request
	faults       []*fault
	latency      time.Duration
	commands     map[string][]Command         // by guild ID, "" for global
	interactions map[string]*interactionState // by interaction ID
	byToken      map[string]*interactionState
	channels     map[string][]*Message // messages the bot posted, by channel
	messages     map[string]*Message   // every message by ID
	dmChannels   map[string]string     // recipient user ID -> channel ID
	timeline     map[string][]*Message // every visible message, by channel, oldest first
	threads      map[string]*thread    // by thread ID
	channelGuild map[string]string     // channels seen in events -> guild ID, "" for DMs
	attachments  map[string]Attachment // uploaded files by attachment ID

	gw gateway
}

// New starts a fake Discord on 127.0.0.1. The caller must call Close, and
// should register it with t.Cleanup before opening the discordgo session
// so the session is closed first.
func New(opts Options) *Server {
	s := &Server{
		ids:          newSnowflakes(),
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		commands:     make(map[string][]Command),
		interactions: make(map[string]*interactionState),
		byToken:      make(map[string]*interactionState),
		channels:     make(map[string][]*Message),
		messages:     make(map[string]*Message),
		dmChannels:   make(map[string]string),
		timeline:     make(map[string][]*Message),
		threads:      make(map[string]*thread),
		channelGuild: make(map[string]string),
		attachments:  make(map[string]Attachment),
	}
	s.opts = s.withDefaults(opts)
	s.gw.init()
	s.mux = s.routes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

func (s *Server) withDefaults(o Options) Options {
	if o.Token == "" {
		o.Token = "test-token"
	}
	if o.BotUserID == "" {
		o.BotUserID = s.ids.next()
	}
	if o.AppID == "" || o.AppID == o.BotUserID {
		o.AppID = s.ids.next()
	}
	if o.BotUsername == "" {
		o.BotUsername = "articlebot"
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = 41250 * time.Millisecond
	}
	if o.AckDeadline <= 0 {
		o.AckDeadline = 3 * time.Second
	}
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = 15 * time.Minute
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 10 * time.Second
	}
	return o
}

// URL returns the REST base, e.g. http://127.0.0.1:PORT: the value that
// replaces https://discord.com.
func (s *Server) URL() string { return s.srv.URL }

// GatewayURL returns the websocket URL that GET /api/v9/gateway reports.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway"
}

// Token returns the bot token without the "Bot " prefix.
func (s *Server) Token() string { return s.opts.Token }

// AppID returns the application ID.
func (s *Server) AppID() string { return s.opts.AppID }

// BotUserID returns the bot user's ID.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// Close drops every websocket, stops the HTTP server and waits for its
// goroutines. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.notifyLocked()
		s.mu.Unlock()
		close(s.done)
		s.gw.closeAll()
		s.srv.Close()
		s.wg.Wait()
	})
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) notify() {
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
}

// WaitFor calls cond with a snapshot of the recorded requests whenever the
// fake's state changes, until cond returns true. cond runs without locks
// held, so it may call other Server methods. It returns ctx.Err() wrapped,
// or ErrClosed.
func (s *Server) WaitFor(ctx context.Context, cond func([]Request) bool) error {
	return s.waitUntil(ctx, func() bool { return cond(s.Requests()) })
}

func (s *Server) waitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		if closed {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("fakediscord: wait: %w", ctx.Err())
		}
	}
}

// snowflakes hands out increasing Discord-style IDs.
type snowflakes struct {
	mu   sync.Mutex
	last int64
}

func newSnowflakes() *snowflakes { return &snowflakes{} }

const discordEpochMS = 1420070400000

func (g *snowflakes) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := (time.Now().UnixMilli() - discordEpochMS) << 22
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return strconv.FormatInt(id, 10)
}

// randomToken returns an unguessable URL-safe token, like Discord's
// interaction tokens.
func randomToken() string {
	return "aW50ZXJhY3Rpb246" + randomString(48)
}

// randomString returns n random bytes, base64url-encoded.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}
