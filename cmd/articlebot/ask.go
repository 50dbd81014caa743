package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/articlebot/articlebot/answer"
)

var askCmd = command{
	name: "ask",
	usage: `Usage: articlebot ask [--json] [--history FILE] QUESTION

Answers QUESTION from the article, quoting and citing the passages used.
With --history, QUESTION follows up on the earlier turns in FILE.
Offline and extractive unless a model is configured (see README.md).
`,
	flags: func(fs *flag.FlagSet) {
		fs.Bool("json", false, "write one JSON object (see README.md) to stdout")
		fs.String("history", "", historyFlagUsage)
	},
	run: runAsk,
}

func runAsk(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	question := strings.TrimSpace(strings.Join(args, " "))
	if question == "" {
		fs.Usage()
		return usagef("ask: give a question, e.g. articlebot ask \"Why does Russia need China?\"")
	}
	if err := checkQuestion("ask", question, e.cfg.MaxQuestion); err != nil {
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
	ans, err := a.answerer.Ask(ctx, answer.Request{Question: question, History: history})
	if err != nil {
		return err
	}
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, ans)
	}
	writeAnswer(e.stdout, ans)
	return nil
}

// writeAnswer prints an answer for a person: the text, then the sources,
// each naming its document and section, quoting, and linking to the
// quoted sentence when the document has a URL.
func writeAnswer(w io.Writer, a answer.Answer) {
	fmt.Fprintln(w, a.Text)
	if len(a.Citations) == 0 {
		return
	}
	fmt.Fprintln(w, "\nSources:")
	for _, c := range a.Citations {
		fmt.Fprintf(w, "[%d] %s, %q\n    %s\n", c.N, c.Document, c.Section, c.Quote)
		if c.URL != "" {
			fmt.Fprintf(w, "    %s\n", c.URL)
		}
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func flagBool(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	return f != nil && f.Value.String() == "true"
}
