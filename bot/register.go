package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxRegisterBackoff caps the wait between registration attempts.
const maxRegisterBackoff = 5 * time.Minute

// registerCommands registers the slash commands. When Discord refuses
// them (a 400 for a command it doesn't accept, a 403, or errors that
// outlast the retries), it logs Discord's answer, counts the failure, marks
// the bot degraded and keeps trying in the background with backoff, so
// that DMs and mentions, which need no command, are served meanwhile.
func (b *Bot) registerCommands(ctx context.Context, appID, userID string) {
	scope := "global"
	if b.opt.GuildID != "" {
		scope = "guild " + b.opt.GuildID
	}
	register := func() error {
		return b.withRetry(ctx, "register commands", func() error {
			_, err := b.s.ApplicationCommandBulkOverwrite(appID, b.opt.GuildID, Commands(b.opt.GuildID == ""), discordgo.WithContext(ctx))
			return err
		})
	}
	err := register()
	if err == nil {
		b.lg.Info("discord bot ready", "application", appID, "user", userID, "commands", scope)
		return
	}
	b.registerFailed(1, err)
	b.lg.Warn("discord bot ready without slash commands; DMs and mentions are served", "application", appID, "user", userID, "commands", scope)
	go func() {
		wait := b.opt.RegisterBackoff
		for attempt := 2; ; attempt++ {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			case <-b.ctx.Done():
				t.Stop()
				return
			}
			err := register()
			if err == nil {
				b.unregistered.Store(nil)
				b.lg.Info("slash commands registered", "commands", scope, "attempt", attempt)
				return
			}
			if ctx.Err() != nil || b.ctx.Err() != nil {
				return
			}
			b.registerFailed(attempt, err)
			wait = min(wait*2, maxRegisterBackoff)
		}
	}()
}

// registerFailed records a failed registration: the log line carries
// Discord's error message, the hook counts it, and Degraded reports it.
func (b *Bot) registerFailed(attempt int, err error) {
	reason := fmt.Sprintf("slash commands not registered (attempt %d: %s); retrying in the background", attempt, discordMessage(err))
	b.unregistered.Store(&reason)
	b.lg.Error("couldn't register slash commands; retrying in the background", "attempt", attempt, "err", safeErr(err))
	b.opt.Hooks.registerFailed(err)
}

// discordMessage is the status and message of Discord's answer in err,
// or the sanitized error itself.
func discordMessage(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Message != nil && re.Message.Message != "" {
			return fmt.Sprintf("Discord answered %d: %s", re.Response.StatusCode, re.Message.Message)
		}
		return fmt.Sprintf("Discord answered %d", re.Response.StatusCode)
	}
	return safeErr(err)
}

// Degraded says why the bot serves only part of what it should, or ""
// when it serves everything: for now, slash commands Discord has not
// accepted yet. /readyz reports it.
func (b *Bot) Degraded() string {
	if p := b.unregistered.Load(); p != nil {
		return *p
	}
	return ""
}
