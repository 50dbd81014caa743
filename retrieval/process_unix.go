//go:build unix

package retrieval

import (
	"errors"
	"os"
	"syscall"
)

// processRuns reports whether a process with the given PID exists.
func processRuns(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
