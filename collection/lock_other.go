//go:build !unix

package collection

// lock is a no-op where flock(2) doesn't exist: changes from one process
// are still serialised by the Manager's mutex.
func (s *Store) lock() (unlock func(), err error) { return func() {}, nil }
