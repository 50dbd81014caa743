//go:build unix

package collection

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lock takes the documents folder's lock, waiting for another process
// (`articlebot add` beside `serve`) to release it, and returns the
// function that releases it. Every change to the folder reads, changes
// and writes the manifest under it, so two processes don't lose each
// other's entries. The lock is flock(2) on a hidden file, released by
// the kernel if the process dies.
func (s *Store) lock() (unlock func(), err error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("couldn't create the documents folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(s.dir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("couldn't lock the documents folder: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't lock the documents folder: %w", err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
