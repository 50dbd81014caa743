package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Vote records userID's 👍 (up) or 👎 on answerID. A member has one vote
// per answer: a second vote replaces the first, and replaced reports that
// there was one (in either direction). It returns ErrNotFound when the
// answer is not recorded.
func (db *DB) Vote(ctx context.Context, answerID, userID string, up bool) (replaced bool, err error) {
	err = db.write(ctx, "vote", func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM answers WHERE id = ?`, answerID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM votes WHERE answer_id = ? AND user_id = ?`, answerID, userID).Scan(&one)
		switch {
		case err == nil:
			replaced = true
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO votes (answer_id, user_id, up, voted) VALUES (?, ?, ?, ?)
			ON CONFLICT(answer_id, user_id) DO UPDATE SET up = excluded.up, voted = excluded.voted`,
			answerID, userID, up, millis(time.Now()))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("couldn't record vote on answer %s: %w", answerID, err)
	}
	return replaced, nil
}
