package feedback

import (
	"context"
	"errors"
	"fmt"
)

// ErrNewerSchema reports a database whose schema version is newer than
// this program knows: it was written by a newer articlebot, and is left
// untouched.
var ErrNewerSchema = errors.New("feedback database was written by a newer articlebot")

// migrations are the schema's steps, in order: migrations[i] takes the
// database from version i to version i+1. The version is SQLite's
// user_version, set in the same transaction as the step, so a step is
// applied entirely or not at all. Steps are only ever appended; a released
// step is never edited.
var migrations = []string{
	// 1: answers and one vote per member per answer.
	`CREATE TABLE answers (
		id         TEXT PRIMARY KEY,
		question   TEXT NOT NULL,
		answer     TEXT NOT NULL,
		citations  TEXT NOT NULL DEFAULT '[]', -- JSON array of passage IDs
		mode       TEXT NOT NULL,
		reason     TEXT NOT NULL DEFAULT '',   -- empty when answered
		guild_id   TEXT NOT NULL DEFAULT '',
		channel_id TEXT NOT NULL DEFAULT '',
		created    INTEGER NOT NULL            -- Unix milliseconds
	);
	CREATE INDEX answers_created ON answers(created);
	CREATE TABLE votes (
		answer_id TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
		user_id   TEXT NOT NULL,
		up        INTEGER NOT NULL,            -- 1 for 👍, 0 for 👎
		voted     INTEGER NOT NULL,            -- Unix milliseconds
		PRIMARY KEY (answer_id, user_id)
	);`,
	// 2: the Discord messages of each answer, and who asked, so replies and
	// button presses find an answer and PurgeUser finds a member's questions.
	`CREATE TABLE messages (
		message_id TEXT PRIMARY KEY,
		answer_id  TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE
	);
	CREATE INDEX messages_answer ON messages(answer_id);
	ALTER TABLE answers ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
	CREATE INDEX answers_user ON answers(user_id);
	CREATE INDEX votes_user ON votes(user_id);`,
	// 3: what each answer quoted, and the conversation it belongs to, so
	// that history and "source?" survive a restart without asking
	// Discord.
	`ALTER TABLE answers ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'; -- JSON array of Source
	ALTER TABLE answers ADD COLUMN parent_message_id TEXT NOT NULL DEFAULT '';
	ALTER TABLE answers ADD COLUMN thread_id TEXT NOT NULL DEFAULT '';
	-- 1 once the three above were recorded; rows from before stay 0.
	ALTER TABLE answers ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;`,
}

// migrate brings the schema to version target (len(migrations) outside
// tests), one step per transaction.
func (db *DB) migrate(ctx context.Context, target int) error {
	for {
		var v int
		if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("couldn't read feedback schema version: %w", err)
		}
		switch {
		case v > len(migrations):
			return fmt.Errorf("couldn't use %s (schema version %d, this program knows up to %d): %w", db.path, v, len(migrations), ErrNewerSchema)
		case v >= target:
			return nil
		}
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("couldn't begin feedback schema migration: %w", err)
		}
		// Re-read inside the write lock: another process may have migrated.
		var again int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&again); err != nil {
			tx.Rollback()
			return fmt.Errorf("couldn't read feedback schema version: %w", err)
		}
		if again != v {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("couldn't migrate feedback schema to version %d: %w", v+1, err)
		}
		// PRAGMA takes no bound parameters; v+1 is an int from this program.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("couldn't set feedback schema version %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("couldn't commit feedback schema version %d: %w", v+1, err)
		}
	}
}
