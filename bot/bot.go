// Package bot adapts articlebot to Discord. It answers /ask, DMs and
// mentions with cited answers, lists its sources, lets admins reindex, and
// keeps Discord's rules: every interaction is acknowledged within 3 s,
// no message exceeds Discord's limits, and nothing the bot sends can ping
// anyone (allowed_mentions {"parse": []} everywhere, mentions neutralized).
//
// Questions are rate limited per user and answered by a fixed pool of
// workers with a bounded queue, so a burst degrades into polite "busy" and
// "wait" replies rather than timeouts. Shutdown drains answers in flight.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/feedback"
	"github.com/articlebot/articlebot/retrieval"
)

// Asker answers a request with citations, calling its OnPartial with the
// text so far while a model streams. *answer.Answerer is the real one;
// tests use scripted fakes.
type Asker interface {
	Ask(ctx context.Context, req answer.Request) (answer.Answer, error)
}

// Library serves the index and rebuilds it. *retrieval.Library is the real
// one: it swaps a new index in atomically and keeps the old one serving
// when a reindex fails.
type Library interface {
	Current() *retrieval.Index
	Reindex(ctx context.Context, progress retrieval.Progress) (retrieval.Summary, error)
}

// Options configures a Bot. Zero values get the defaults of config.Load.
type Options struct {
	GuildID       string   // register commands in this guild only; "" for global
	AdminIDs      []string // user IDs that may /reindex anywhere
	RatePerMinute int      // questions per user per minute; default 5
	Workers       int      // answers computed at once; default 16
	QueueSize     int      // questions waiting beyond the workers; 0 for none
	MaxQuestion   int      // characters; default 1000
	// MaxTrackedUsers caps the per-user rate-limit state; default 10000.
	MaxTrackedUsers int
	// StreamInterval is the least time between edits of a streaming
	// answer; default 1 s, which respects Discord's rate limits.
	StreamInterval time.Duration
	// AnswerTimeout bounds one answer, model calls included; default 2 min.
	AnswerTimeout time.Duration
	// ReindexTimeout bounds one /reindex; default 10 min.
	ReindexTimeout time.Duration
	// Retries is how many times a failed edit or message is retried on a
	// 5xx, 429 or network error; default 3. RetryBackoff is the first wait,
	// doubled after each retry; default 250 ms.
	Retries      int
	RetryBackoff time.Duration
	// RegisterBackoff is the first wait before registering the slash
	// commands again after Discord refused them, doubled after each
	// failure up to 5 min; default 5 s.
	RegisterBackoff time.Duration
	// Hooks receive question outcomes, gateway state and reindexes.
	Hooks Hooks
	// AnswerLog keeps which messages belong to which answer; default a
	// MemAnswerLog of 10,000 answers.
	AnswerLog AnswerLog
	// FollowUpWindow is how long after the bot's last answer in a DM a
	// message that replies to nothing is a follow-up; default 10 min.
	FollowUpWindow time.Duration
	// Documents backs /add, /remove and the origins /sources shows; nil
	// turns /add and /remove into a polite refusal.
	Documents Documents
	// Feedback keeps answers and the votes their buttons record; default
	// a feedback.Mem, which a restart forgets.
	Feedback FeedbackStore
	// RecordAnswer records each answer delivered for the feedback store
	// without delaying it; default Feedback.RecordAnswer. serve passes a
	// feedback.Writer's, which queues.
	RecordAnswer func(ctx context.Context, a feedback.Answer) error
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.RatePerMinute, 5)
	def(&o.Workers, 16)
	def(&o.MaxQuestion, 1000)
	def(&o.MaxTrackedUsers, 10000)
	def(&o.Retries, 3)
	if o.QueueSize < 0 {
		o.QueueSize = 0
	}
	durations := []struct {
		v *time.Duration
		d time.Duration
	}{
		{&o.StreamInterval, time.Second}, {&o.AnswerTimeout, 2 * time.Minute},
		{&o.ReindexTimeout, 10 * time.Minute}, {&o.RetryBackoff, 250 * time.Millisecond},
		{&o.FollowUpWindow, 10 * time.Minute}, {&o.RegisterBackoff, 5 * time.Second},
	}
	for _, d := range durations {
		if *d.v <= 0 {
			*d.v = d.d
		}
	}
	if o.AnswerLog == nil {
		o.AnswerLog = NewMemAnswerLog(0)
	}
	if o.Feedback == nil {
		o.Feedback = feedback.NewMem()
	}
	if o.RecordAnswer == nil {
		o.RecordAnswer = o.Feedback.RecordAnswer
	}
	return o
}

// Bot is the Discord bot. Create it with New, then Start it; stop it with
// Shutdown. Its methods are safe for concurrent use.
type Bot struct {
	lg     *slog.Logger
	s      *discordgo.Session
	asker  Asker
	lib    Library
	opt    Options
	admins map[string]bool

	limiter  *limiter
	queue    *queue
	inflight *tracker
	convs    *conversations
	// recent are the latest answers as the feedback store records them,
	// from just before their buttons are sent (see Bot.vote).
	recent *lru.Cache[string, feedback.Answer]

	// ctx is the parent of all answering work; cancel abandons it when the
	// shutdown deadline passes.
	ctx    context.Context
	cancel context.CancelFunc

	userID atomic.Pointer[string] // the bot user, from READY
	// unregistered says why the slash commands are not registered yet;
	// nil once they are (or before Start).
	unregistered atomic.Pointer[string]
	seen         *seenIDs // interactions already handled
	pending      pendingAnswers
	connected    atomic.Bool
	draining     atomic.Bool
	stopOnce     sync.Once
}

// New returns a Bot that talks to Discord through s (see NewSession),
// answers with asker and lists and rebuilds the index of lib. It makes
// no network call; Start connects.
func New(lg *slog.Logger, s *discordgo.Session, asker Asker, lib Library, opt Options) *Bot {
	opt = opt.withDefaults()
	admins := make(map[string]bool, len(opt.AdminIDs))
	for _, id := range opt.AdminIDs {
		admins[id] = true
	}
	if opt.GuildID == "" && len(admins) == 0 {
		lg.Warn("nobody may /reindex, /add or /remove: commands are global (no DISCORD_GUILD_ID) and ARTICLEBOT_ADMIN_IDS is empty; set one of them")
	}
	recent, _ := lru.New[string, feedback.Answer](recentAnswers) // fails only for a size <= 0
	ctx, cancel := context.WithCancel(context.Background())
	b := &Bot{
		lg: lg, s: s, asker: asker, lib: lib, opt: opt, admins: admins,
		limiter:  newLimiter(opt.RatePerMinute, opt.MaxTrackedUsers, time.Now),
		queue:    newQueue(opt.Workers, opt.QueueSize),
		inflight: newTracker(),
		convs:    newConversations(),
		seen:     newSeenIDs(),
		recent:   recent,
		ctx:      ctx, cancel: cancel,
	}
	s.AddHandler(b.onConnect)
	s.AddHandler(b.onDisconnect)
	s.AddHandler(b.onReady)
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	return b
}

// Start connects to the gateway, learns the application ID from READY
// and registers the slash commands with a bulk overwrite: in Options.GuildID
// when set, else globally. A registration Discord refuses doesn't stop the
// bot: DMs and mentions are served while it is retried in the background
// (see Degraded). The gateway reconnects and resumes by itself afterwards.
// It returns an error when the connection fails, wrapping ErrTokenRefused
// when Discord refused the token; call Shutdown either way.
func (b *Bot) Start(ctx context.Context) error {
	if err := b.s.Open(); err != nil {
		if tokenRefused(err) {
			return fmt.Errorf("couldn't connect to Discord: %w", ErrTokenRefused)
		}
		return fmt.Errorf("couldn't connect to the Discord gateway: %w", err)
	}
	b.s.State.RLock()
	var appID, userID string
	if b.s.State.Application != nil {
		appID = b.s.State.Application.ID
	}
	if b.s.State.User != nil {
		userID = b.s.State.User.ID
	}
	b.s.State.RUnlock()
	if appID == "" {
		return errors.New("couldn't register commands: READY carried no application ID")
	}
	b.userID.Store(&userID)
	b.registerCommands(ctx, appID, userID)
	return nil
}

// Ready reports whether the bot can answer: the gateway is connected, an
// index is loaded, and it is not shutting down. It backs /readyz.
func (b *Bot) Ready() bool {
	return b.connected.Load() && !b.draining.Load() && b.lib.Current() != nil
}

// InFlight is the number of questions being answered or waiting.
func (b *Bot) InFlight() int { return b.queue.busy() }

// Shutdown stops the bot gracefully. New questions get "restarting, ask
// again in a moment"; answers in flight finish until ctx is done, after
// which they are abandoned with the same message; then the gateway
// closes. It returns a wrapped ctx error when answers had to be
// abandoned. Calling it again does nothing.
func (b *Bot) Shutdown(ctx context.Context) error {
	var err error
	b.stopOnce.Do(func() { err = b.shutdown(ctx) })
	return err
}

// abandonGrace is how long abandoned answers get to send their last
// message once the shutdown deadline has passed.
const abandonGrace = 1500 * time.Millisecond

func (b *Bot) shutdown(ctx context.Context) error {
	b.draining.Store(true)
	b.queue.close()
	b.lg.Info("shutting down: finishing answers in flight", "in_flight", b.queue.busy())
	var err error
	if werr := b.inflight.wait(ctx); werr != nil {
		err = fmt.Errorf("couldn't finish answers in flight: %w", werr)
		b.lg.Warn("shutdown deadline passed; abandoning answers in flight", "in_flight", b.queue.busy())
		b.cancel()
		gctx, cancel := context.WithTimeout(context.Background(), abandonGrace)
		_ = b.inflight.wait(gctx)
		cancel()
	}
	b.cancel()
	b.awaitHeartbeat(500 * time.Millisecond)
	if cerr := b.s.Close(); cerr != nil {
		b.lg.Warn("couldn't close the gateway cleanly", "err", cerr)
	}
	b.queue.stop()
	return err
}

// awaitHeartbeat waits, at most d, until the session has sent a heartbeat
// on its current connection. Closing a connection whose heartbeat
// goroutine has not yet written makes discordgo reconnect by itself.
func (b *Bot) awaitHeartbeat(d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		b.s.RLock()
		ok := b.s.DataReady
		b.s.RUnlock()
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// botUserID is the bot's own user ID, "" before READY.
func (b *Bot) botUserID() string {
	if p := b.userID.Load(); p != nil {
		return *p
	}
	return ""
}
