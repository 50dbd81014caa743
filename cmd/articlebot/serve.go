package main

import (
	"context"
	"flag"

	"github.com/articlebot/articlebot/bot"
	"github.com/articlebot/articlebot/config"
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
	if err := e.cfg.CheckServe(); err != nil {
		return err
	}
	lg := newLogger(e.cfg, e.stderr)
	a := newApp(lg, e.cfg)
	if _, err := a.open(ctx, progressPrinter(e.stderr)); err != nil {
		return err
	}
	s, err := bot.NewSession(e.cfg.DiscordToken, e.cfg.DiscordAPI)
	if err != nil {
		return err
	}
	b := bot.New(lg, s, a.answerer, a.lib, botOptions(e.cfg, bot.Hooks{}))
	startErr := b.Start(ctx)
	if startErr == nil {
		<-ctx.Done()
		lg.Info("stop requested", "timeout", e.cfg.ShutdownTimeout)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.ShutdownTimeout)
	defer cancel()
	if err := b.Shutdown(sctx); err != nil {
		lg.Warn("stopped before every answer was sent", "err", err)
	}
	if startErr == nil {
		lg.Info("stopped")
	}
	return startErr
}

// botOptions maps the configuration onto the bot's options.
func botOptions(cfg config.Config, hooks bot.Hooks) bot.Options {
	return bot.Options{
		GuildID:       cfg.GuildID,
		AdminIDs:      cfg.AdminIDs,
		RatePerMinute: cfg.RatePerMinute,
		Workers:       cfg.Workers,
		QueueSize:     cfg.QueueSize,
		MaxQuestion:   cfg.MaxQuestion,
		Hooks:         hooks,
	}
}
