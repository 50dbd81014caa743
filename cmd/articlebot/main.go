// Command articlebot answers questions about an article, with citations,
// on the command line and as a Discord bot.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError marks a mistake in how the program was called (exit status 2).
type usageError struct{ msg string }

// Error returns the message for stderr.
func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelp reports that help was printed as asked; the exit status is 0.
var errHelp = errors.New("help printed")

// exitCode prints err as one line on stderr and maps it to the exit status:
// 0 success, 2 usage or configuration error, 1 anything else.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue), isConfigError(err):
		fmt.Fprintln(stderr, "articlebot:", oneLine(err))
		return 2
	default:
		fmt.Fprintln(stderr, "articlebot:", oneLine(err))
		return 1
	}
}
