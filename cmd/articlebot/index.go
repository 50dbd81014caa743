package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/articlebot/articlebot/retrieval"
)

var indexCmd = command{
	name: "index",
	usage: `Usage: articlebot index [--json]

Builds the index, or brings it up to date with the corpus: only new or
changed passages are embedded, deleted ones are dropped. Files that cannot
be indexed (empty, binary, not UTF-8, over 10 MiB, unreadable, or not
.txt, .md or .html) are listed with the reason and the rest are indexed;
only a corpus with nothing indexable fails.
`,
	flags: func(fs *flag.FlagSet) {
		fs.Bool("json", false, "write one JSON object (see README.md) to stdout")
	},
	run: runIndex,
}

// indexJSON is the `index --json` report of README.md (Commands).
type indexJSON struct {
	Documents  int           `json:"documents"`
	Passages   int           `json:"passages"`
	Embedded   int           `json:"embedded"`
	Reused     int           `json:"reused"`
	Added      int           `json:"added"`
	Changed    int           `json:"changed"`
	Removed    int           `json:"removed"`
	Unchanged  bool          `json:"unchanged"`
	DurationMS int64         `json:"duration_ms"`
	Skipped    []skippedJSON `json:"skipped"`
}

type skippedJSON struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
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
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, toIndexJSON(sum))
	}
	writeIndexText(e.stdout, sum)
	return nil
}

func toIndexJSON(sum retrieval.Summary) indexJSON {
	out := indexJSON{
		Documents: sum.Documents, Passages: sum.Passages, Embedded: sum.Embedded, Reused: sum.Reused,
		Added: sum.Added, Changed: sum.Changed, Removed: sum.Removed, Unchanged: sum.Unchanged,
		DurationMS: sum.Duration.Milliseconds(), Skipped: []skippedJSON{},
	}
	for _, s := range sum.Skipped {
		out.Skipped = append(out.Skipped, skippedJSON{File: s.File, Reason: s.Reason})
	}
	return out
}

// writeIndexText prints the summary line, then each skipped file with
// the reason, one a line.
func writeIndexText(w io.Writer, sum retrieval.Summary) {
	fmt.Fprintf(w, "indexed %s, %s: %d embedded, %d reused, %d added, %d changed, %d removed in %s\n",
		plural(sum.Documents, "document"), plural(sum.Passages, "passage"),
		sum.Embedded, sum.Reused, sum.Added, sum.Changed, sum.Removed, sum.Duration.Round(1e6))
	if len(sum.Skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "skipped %s:\n", plural(len(sum.Skipped), "file"))
	for _, s := range sum.Skipped {
		fmt.Fprintf(w, "  %s: %s\n", s.File, s.Reason)
	}
}

// plural is "1 passage", "2 passages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
