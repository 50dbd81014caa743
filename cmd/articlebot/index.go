package main

import (
	"context"
	"flag"
	"fmt"
)

var indexCmd = command{
	name: "index",
	usage: `Usage: articlebot index

Builds the index, or brings it up to date with the corpus: only new or
changed passages are embedded, deleted ones are dropped.
`,
	run: runIndex,
}

func runIndex(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		return usagef("index: takes no arguments")
	}
	a := newApp(newLogger(e.cfg, e.stderr), e.cfg, nil, 0)
	_ = a.lib.Load(ctx) // a missing or unusable snapshot is rebuilt below
	sum, err := a.lib.Reindex(ctx, progressPrinter(e.stderr))
	if err != nil {
		return fmt.Errorf("index: %w", a.dataDirHint(err))
	}
	fmt.Fprintf(e.stdout, "indexed %d documents, %d passages: %d embedded, %d reused, %d added, %d changed, %d removed in %s\n",
		sum.Documents, sum.Passages, sum.Embedded, sum.Reused, sum.Added, sum.Changed, sum.Removed, sum.Duration.Round(1e6))
	return nil
}
