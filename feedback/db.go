package feedback

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver; no cgo
)

// DB is the embedded feedback store: one SQLite file (with its -wal and
// -shm companions) in the data folder, in WAL mode with full sync, so a
// committed write survives kill -9 and a power cut and an interrupted one
// leaves nothing behind. Several processes may use the file at once (the
// bot and the feedback command); writers wait for each other up to
// busyTimeout.
type DB struct {
	sql   *sql.DB
	path  string
	votes voteBatch // votes waiting for their group commit

	// hook, when not nil, is called inside write transactions, after the
	// statements and before the commit; only the crash test sets it.
	hook func(stage string)
}

// busyTimeout is how long a write waits for another process's write.
const busyTimeout = 5 * time.Second

// Open opens the feedback database at path, creating it (mode 0600, in a
// folder made 0700) and bringing its schema up to date. It returns
// ErrNewerSchema when the file was written by a newer articlebot.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("couldn't create data folder: %w", err)
	}
	// SQLite creates the file (and gives its -wal and -shm files the same
	// mode) with the umask's default; create it first so it is 0600.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("couldn't create feedback database: %w", err)
	}
	err = f.Chmod(0o600)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("couldn't set feedback database mode: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	// Deleted rows are overwritten, not left in free pages, so a purge
	// removes the text from the file.
	q.Add("_pragma", "secure_delete(ON)")
	// Write transactions take the write lock at BEGIN, so two writers
	// wait for each other instead of failing with SQLITE_BUSY on upgrade.
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("couldn't open feedback database: %w", err)
	}
	db := &DB{sql: sdb, path: path}
	if err := db.migrate(ctx, len(migrations)); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database. Writes in progress finish first.
func (db *DB) Close() error {
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("couldn't close feedback database: %w", err)
	}
	return nil
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// write runs fn in one write transaction, committed only if fn succeeds.
func (db *DB) write(ctx context.Context, stage string, fn func(tx *sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("couldn't begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if db.hook != nil {
		db.hook(stage)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("couldn't commit: %w", err)
	}
	return nil
}

// millis and fromMillis convert times to and from the stored form, Unix
// milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
