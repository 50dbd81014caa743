package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/articlebot/articlebot/bot"
	"github.com/articlebot/articlebot/config"
	"github.com/articlebot/articlebot/metrics"
)

var serveCmd = command{
	name: "serve",
	usage: `Usage: articlebot serve

Runs the Discord bot until SIGINT or SIGTERM, then finishes the answers in
flight (up to ARTICLEBOT_SHUTDOWN_TIMEOUT) and exits 0. Needs DISCORD_TOKEN;
see README.md for the settings.
`,
	run: runServe,
}

// runServe loads the index, connects the bot and serves until ctx is
// cancelled, then shuts the bot down gracefully. A signal is a normal
// exit; only a failure to start is an error.
func runServe(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		fs.Usage()
		return usagef("serve: takes no arguments")
	}
	lg := newLogger(e.cfg, e.stderr)
	var ready atomic.Pointer[bot.Bot] // the bot, once built, for /readyz
	var a *app
	m := metrics.New(func() int {
		if ix := a.lib.Current(); ix != nil {
			return ix.Len()
		}
		return 0
	})
	a = newApp(lg, e.cfg, m.ModelRetry, bot.MaxAnswerRunes)
	stopHTTP, err := startOpsServer(lg, e.cfg.HTTPAddr, metrics.Handler(m, func() error {
		switch b := ready.Load(); {
		case a.lib.Current() == nil:
			return errors.New("no index loaded")
		case b == nil || !b.Ready():
			return errors.New("Discord gateway not connected")
		case b.Degraded() != "":
			return &metrics.Degraded{Reason: b.Degraded()}
		}
		return nil
	}))
	if err != nil {
		return err
	}
	defer stopHTTP()
	_, err = a.open(ctx, progressPrinter(e.stderr))
	if ctx.Err() != nil {
		return nil // stopped by a signal while loading the index
	}
	if err != nil {
		return err
	}
	s, err := bot.NewSession(e.cfg.DiscordToken, e.cfg.DiscordAPI)
	if err != nil {
		return err
	}
	fb, err := openServedFeedback(ctx, lg, e.cfg)
	if err != nil {
		return err
	}
	// Closed after the bot has stopped, so the answers it finished while
	// draining are written too.
	defer fb.closeWithin(lg, feedbackCloseTimeout)
	opt := botOptions(e.cfg, m.Hooks(), fb)
	opt.Documents = a.documents(ctx)
	b := bot.New(lg, s, wrapAsker(ctx, a.answerer), a.lib, opt)
	ready.Store(b)
	started := make(chan error, 1)
	go func() { started <- b.Start(ctx) }()
	startErr, ok := awaitStart(ctx, started, e.cfg.ShutdownTimeout)
	if !ok {
		// discordgo's Open takes no context, so a Discord slow to answer
		// could hold the process past its 10 s to stop: give up on it.
		lg.Warn("stopped while still connecting to Discord")
		go func() { <-started; _ = b.Shutdown(context.Background()) }()
		return nil
	}
	if ctx.Err() != nil {
		startErr = nil // a signal during start-up is a normal stop, not a failure
	}
	if errors.Is(startErr, bot.ErrTokenRefused) {
		// Said first, before the shutdown lines, so the cause is not lost
		// among them.
		startErr = errors.New("Discord refused DISCORD_TOKEN (401 Unauthorized): reset the bot's token in the Discord developer portal and set DISCORD_TOKEN to the new one")
	}
	if startErr != nil {
		lg.Error("couldn't start", "err", startErr)
	}
	if startErr == nil {
		<-ctx.Done()
		lg.Info("stop requested", "timeout", e.cfg.ShutdownTimeout)
	}
	if !shutdownWithin(lg, b, e.cfg.ShutdownTimeout) {
		lg.Warn("gave up waiting for the Discord session to close")
	} else if startErr == nil {
		lg.Info("stopped")
	}
	return startErr
}

// askerHookKey is the context key of a test's wrapper around the bot's
// Asker: the one seam through which a test of the whole program sees the
// requests (question and history) the bot makes. No production caller
// sets it.
type askerHookKey struct{}

// wrapAsker applies the context's asker wrapper, if any, to a.
func wrapAsker(ctx context.Context, a bot.Asker) bot.Asker {
	if wrap, ok := ctx.Value(askerHookKey{}).(func(bot.Asker) bot.Asker); ok {
		return wrap(a)
	}
	return a
}

// shutdownGrace is what Shutdown may take beyond the drain: abandoned
// answers' last message, the wait for a heartbeat and discordgo's 1 s
// Close. With MaxShutdownTimeout, feedbackCloseTimeout for the feedback
// store and the 0.5 s allowed for the health server to stop afterwards
// (it reports not ready during the drain), the exit stays within 10 s.
const shutdownGrace = 3500 * time.Millisecond

// shutdownWithin shuts b down, draining answers for drain, and returns
// false if that has not finished after drain plus shutdownGrace. discordgo
// holds its session lock through a reconnect, with no deadline on the
// handshake, so Close can block while Discord is unreachable; the process
// must exit on time regardless.
func shutdownWithin(lg *slog.Logger, b *bot.Bot, drain time.Duration) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), drain)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			lg.Warn("stopped before every answer was sent", "err", err)
		}
	}()
	t := time.NewTimer(drain + shutdownGrace)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// awaitStart returns the result of Start from started, waiting at most
// grace once ctx is done; ok is false when it gave up waiting.
func awaitStart(ctx context.Context, started <-chan error, grace time.Duration) (err error, ok bool) {
	select {
	case err := <-started:
		return err, true
	case <-ctx.Done():
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-started:
		return err, true
	case <-t.C:
		return nil, false
	}
}

// botOptions maps the configuration and the feedback store onto the
// bot's options.
func botOptions(cfg config.Config, hooks bot.Hooks, fb *servedFeedback) bot.Options {
	return bot.Options{
		GuildID:       cfg.GuildID,
		AdminIDs:      cfg.AdminIDs,
		RatePerMinute: cfg.RatePerMinute,
		Workers:       cfg.Workers,
		QueueSize:     cfg.QueueSize,
		MaxQuestion:   cfg.MaxQuestion,
		AnswerTimeout: cfg.AnswerTimeout(),
		Hooks:         hooks,
		// Which messages belong to which answer, for follow-ups: the
		// latest in memory, older ones (from before a restart) from the
		// feedback database, which records every answer with its
		// messages, citations and conversation. What neither knows is
		// rebuilt from Discord. A vote finds its answer by the ID its
		// button carries.
		AnswerLog:      bot.NewStoredAnswerLog(bot.NewMemAnswerLog(0), fb.DB),
		FollowUpWindow: cfg.FollowUpWindow,
		Feedback:       fb.DB,
		RecordAnswer:   fb.Writer.RecordAnswer,
	}
}

// startOpsServer serves the health and metrics endpoints on addr (none
// when addr is empty). It fails at once when the address cannot be bound,
// so a port clash is a start-up error rather than a silent gap in
// monitoring. The returned function stops the server.
func startOpsServer(lg *slog.Logger, addr string, h http.Handler) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("couldn't serve health and metrics (ARTICLEBOT_HTTP_ADDR): %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			lg.Error("health and metrics server stopped", "err", err)
		}
	}()
	lg.Info("serving health and metrics", "addr", ln.Addr().String())
	var once sync.Once
	return func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			_ = srv.Shutdown(ctx)
		})
	}, nil
}
