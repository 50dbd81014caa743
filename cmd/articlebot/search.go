package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/retrieval"
)

var searchCmd = command{
	name: "search",
	usage: `Usage: articlebot search [--json] [-k N] [--history FILE] QUERY

Prints the passages ranked for QUERY, best first. With --history, QUERY
follows up on the earlier turns in FILE, whose questions rank at a lower
weight.
`,
	flags: func(fs *flag.FlagSet) {
		fs.Bool("json", false, "write one JSON object (see README.md) to stdout")
		fs.String("history", "", historyFlagUsage)
		fs.Int("k", 5, "number of passages to show (clamped to the index size)")
	},
	run: runSearch,
}

// searchJSON is the `search --json` contract of README.md (Commands).
type searchJSON struct {
	Query string `json:"query"`
	// Weak is true when retrieval abstained: nothing matches well enough
	// for ask to answer offline (the text output's "weak match" notice).
	Weak    bool           `json:"weak"`
	Results []searchResult `json:"results"`
}

type searchResult struct {
	Rank     int     `json:"rank"`
	ID       string  `json:"id"`
	Document string  `json:"document"`
	Section  string  `json:"section"`
	Text     string  `json:"text"`
	Score    float64 `json:"score"`
}

func runSearch(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	query := strings.TrimSpace(strings.Join(args, " "))
	if query == "" {
		fs.Usage()
		return usagef("search: give a query")
	}
	k, _ := strconv.Atoi(fs.Lookup("k").Value.String())
	if k < 1 {
		return usagef("search: -k must be at least 1")
	}
	if err := checkQuestion("search", query, e.cfg.MaxQuestion); err != nil {
		return err
	}
	history, err := readHistory(fs.Lookup("history").Value.String())
	if err != nil {
		return err
	}
	a := newApp(newLogger(e.cfg, e.stderr), e.cfg, nil, 0)
	if _, err := a.open(ctx, progressPrinter(e.stderr)); err != nil {
		return err
	}
	res, err := a.lib.SearchQuery(ctx, retrieval.Query{Text: answer.SearchText(query), History: historyQuestions(history)}, k)
	if err != nil {
		return err
	}
	res.Query = query
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, toSearchJSON(res))
	}
	if res.Abstained {
		fmt.Fprintln(e.stdout, "(weak match: ask would say the article doesn't cover this)")
	}
	for _, h := range res.Hits {
		fmt.Fprintf(e.stdout, "%d. [%.4f] %s, %q\n   %s\n", h.Rank, h.Score, h.Document, h.Section, h.Text)
	}
	return nil
}

func toSearchJSON(res retrieval.Results) searchJSON {
	out := searchJSON{Query: res.Query, Weak: res.Abstained, Results: []searchResult{}}
	for _, h := range res.Hits {
		out.Results = append(out.Results, searchResult{Rank: h.Rank, ID: h.ID, Document: h.Document, Section: h.Section, Text: h.Text, Score: h.Score})
	}
	return out
}
