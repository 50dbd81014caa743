package feedback

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PurgeUser deletes what is recorded about userID: every vote the member
// cast, and every answer to a question the member asked, with its message
// IDs and all votes on it (other members' included, counted in
// Purged.OtherVotes). Other members' answers keep their records; only the
// member's vote on them goes. Everything is deleted in one transaction, with
// secure_delete, and the WAL is then checkpointed and truncated so the
// deleted text does not linger in the files.
func (db *DB) PurgeUser(ctx context.Context, userID string) (Purged, error) {
	var p Purged
	err := db.write(ctx, "purge", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM votes WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		p.Votes = int(n)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM votes WHERE answer_id IN
			(SELECT id FROM answers WHERE user_id = ?)`, userID).Scan(&p.OtherVotes); err != nil {
			return err
		}
		// Messages and votes go with their answer (ON DELETE CASCADE).
		res, err = tx.ExecContext(ctx, `DELETE FROM answers WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		p.Answers = int(n)
		return nil
	})
	if err != nil {
		return Purged{}, fmt.Errorf("couldn't purge member %s: %w", userID, err)
	}
	// Copy the purge into the main file and empty the WAL, which still
	// holds the old pages. Best effort: a reader may hold the WAL, and the
	// next checkpoint overwrites those pages anyway.
	_, _ = db.sql.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return p, nil
}

// PurgeOlderThan deletes the answers given before cutoff, with their
// message IDs and votes, and returns how many answers it deleted. Votes go
// with their answer whatever their own age, so no vote outlives it.
func (db *DB) PurgeOlderThan(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "retention", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE created < ?`, millis(cutoff))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("couldn't purge answers older than %s: %w", cutoff.UTC().Format(time.RFC3339), err)
	}
	return int(n), nil
}
