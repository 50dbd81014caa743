package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/articlebot/articlebot/answer"
)

var chatCmd = command{
	name: "chat",
	usage: `Usage: articlebot chat

An interactive conversation about the article in the terminal: each line
is a question, and follow-ups ("why?", "and china?", "source?") build on
the earlier turns, as in a Discord thread. Answers show their citations.
/new starts a new conversation; /quit or end of input leaves.
`,
	flags: func(*flag.FlagSet) {},
	run:   runChat,
}

func runChat(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		fs.Usage()
		return usagef("chat: takes no arguments; type questions at the prompt")
	}
	a := newApp(newLogger(e.cfg, e.stderr), e.cfg, nil, 0)
	if _, err := a.open(ctx, progressPrinter(e.stderr)); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Ask about the article. /new starts a new conversation, /quit leaves.")
	var history []answer.Turn
	in := bufio.NewScanner(e.stdin)
	in.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for {
		fmt.Fprint(e.stdout, "> ")
		if !in.Scan() {
			fmt.Fprintln(e.stdout)
			return in.Err()
		}
		q := strings.TrimSpace(in.Text())
		switch {
		case q == "":
			continue
		case q == "/quit" || q == "/exit":
			return nil
		case q == "/new":
			history = nil
			fmt.Fprintln(e.stdout, "(new conversation)")
			continue
		}
		if err := checkQuestion("chat", q, e.cfg.MaxQuestion); err != nil {
			fmt.Fprintln(e.stdout, err)
			continue
		}
		ans, err := a.answerer.Ask(ctx, answer.Request{Question: q, History: history})
		if err != nil {
			return err
		}
		writeAnswer(e.stdout, ans)
		fmt.Fprintln(e.stdout)
		history = append(history, answer.Turn{Question: q, Answer: ans.Text, Citations: ans.Citations})
		if len(history) > answer.MaxHistoryTurns {
			history = history[len(history)-answer.MaxHistoryTurns:]
		}
	}
}
