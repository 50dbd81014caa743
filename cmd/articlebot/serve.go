package main

import (
	"context"
	"errors"
	"flag"
)

var serveCmd = command{
	name: "serve",
	usage: `Usage: articlebot serve

Runs the Discord bot. Needs DISCORD_TOKEN; see README.md for the settings.
`,
	run: runServe,
}

func runServe(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if err := e.cfg.CheckServe(); err != nil {
		return err
	}
	return errors.New("serve: the Discord bot is not built yet (issue 4)")
}
