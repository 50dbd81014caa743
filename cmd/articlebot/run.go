package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/articlebot/articlebot/config"
)

const usage = `articlebot answers questions about an article, quoting and citing it.

Usage:
  articlebot ask [--json] [--history FILE] QUESTION
                                           answer a question with citations
  articlebot search [--json] [-k N] QUERY  show the ranked passages
  articlebot chat                          a conversation in the terminal
  articlebot index [--json]                build or update the index
  articlebot add [--json] URL|FILE         add a web page or a file to the documents
  articlebot remove [--json] DOCUMENT      remove a document (title, file name or ID)
  articlebot documents [--json]            list the documents
  articlebot eval [--json] FILE            score retrieval and answers on a question file
  articlebot feedback [--json]             summarise the 👍/👎 votes on the bot's answers
  articlebot feedback export FILE          write the 👎 questions for labelling
  articlebot feedback purge --user ID      delete a member's records
  articlebot serve                         run the Discord bot

Run "articlebot COMMAND --help" for a command's options. Settings come from
the environment; see README.md for the list.
`

// command is one subcommand: its flags and what it does with them.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, env *env, fs *flag.FlagSet, args []string) error
	flags func(fs *flag.FlagSet)
}

// env is what a command runs with.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	cfg    config.Config
}

var commands = []command{askCmd, searchCmd, chatCmd, indexCmd, addCmd, removeCmd, documentsCmd, evalCmd, feedbackCmd, serveCmd}

// run is the whole program: it parses args, loads the configuration and runs
// the command. Tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return errHelp
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, versionLine(readBuildInfo()))
		return nil
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == args[0] {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprint(stderr, usage)
		return usagef("unknown command %q", args[0])
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), cmd.usage)
		fs.PrintDefaults()
	}
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	// The flag package prints its own error and the usage while parsing;
	// silence it so that help goes once to stdout and an error once to
	// stderr.
	fs.SetOutput(io.Discard)
	positional, err := parseInterleaved(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return errHelp
		}
		fs.SetOutput(stderr)
		fs.Usage()
		return usagef("%s: %v", cmd.name, err)
	}
	fs.SetOutput(stderr)
	cfg, err := config.Load(getenv)
	var ce *config.Error
	if errors.As(err, &ce) {
		err = ce.For(cmd.name)
	}
	if err != nil {
		return err
	}
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, cfg: cfg}
	return cmd.run(ctx, e, fs, positional)
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("ask 'why?' --json"); "--" ends flag parsing.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func isConfigError(err error) bool {
	var ce *config.Error
	return errors.As(err, &ce)
}

// oneLine flattens a possibly multi-line (joined) error for stderr.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
