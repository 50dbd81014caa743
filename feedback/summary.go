package feedback

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Summary is what the votes say, for the feedback command.
type Summary struct {
	Answers int // answers and refusals recorded
	Refused int // of which refusals
	Up      int // 👍 votes
	Down    int // 👎 votes
	Voted   int // answers with at least one vote

	ByMode   []Rate // one per answer mode, by mode
	ByReason []Rate // one per refusal reason, by reason; "" is the answers given

	// MostDownvoted are answers with at least one 👎, most 👎 first (then
	// fewest 👍, then newest), at most the limit given to Summary.
	MostDownvoted []Tally
}

// Rate is the votes on one group of answers.
type Rate struct {
	Key     string // the mode, or the refusal reason
	Answers int
	Up      int
	Down    int
}

// DownRate is the share of the group's votes that are 👎, 0 without votes.
func (r Rate) DownRate() float64 { return downRate(r.Up, r.Down) }

// DownRate is the share of all votes that are 👎, 0 without votes.
func (s Summary) DownRate() float64 { return downRate(s.Up, s.Down) }

func downRate(up, down int) float64 {
	if up+down == 0 {
		return 0
	}
	return float64(down) / float64(up+down)
}

// Tally is one answer with its votes counted.
type Tally struct {
	ID       string
	Question string
	Mode     string
	Reason   string
	Created  time.Time
	Up       int
	Down     int
}

// tallied is a common table expression of every answer with its votes.
const tallied = `WITH t AS (
	SELECT a.id, a.question, a.mode, a.reason, a.created,
		COALESCE(SUM(v.up), 0) AS up, COALESCE(SUM(1 - v.up), 0) AS down
	FROM answers a LEFT JOIN votes v ON v.answer_id = a.id GROUP BY a.id) `

// Summary counts answers and votes, overall, by mode and by refusal
// reason, and lists at most limit of the most-downvoted answers, all from
// one consistent snapshot.
func (db *DB) Summary(ctx context.Context, limit int) (Summary, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Summary{}, fmt.Errorf("couldn't summarise feedback: %w", err)
	}
	defer tx.Rollback()
	var s Summary
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(reason <> ''), 0) FROM answers`).Scan(&s.Answers, &s.Refused)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(up), 0), COALESCE(SUM(1 - up), 0), COUNT(DISTINCT answer_id) FROM votes`).
			Scan(&s.Up, &s.Down, &s.Voted)
	}
	if err == nil {
		s.ByMode, err = rates(ctx, tx, "mode")
	}
	if err == nil {
		s.ByReason, err = rates(ctx, tx, "reason")
	}
	if err == nil {
		s.MostDownvoted, err = downvoted(ctx, tx, limit)
	}
	if err != nil {
		return Summary{}, fmt.Errorf("couldn't summarise feedback: %w", err)
	}
	return s, nil
}

// DownvotedQuestions returns every answer with at least one 👎, most 👎
// first, as Summary orders them: the questions to turn into evaluation
// questions.
func (db *DB) DownvotedQuestions(ctx context.Context) ([]Tally, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("couldn't list downvoted questions: %w", err)
	}
	defer tx.Rollback()
	ts, err := downvoted(ctx, tx, -1)
	if err != nil {
		return nil, fmt.Errorf("couldn't list downvoted questions: %w", err)
	}
	return ts, nil
}

// rates groups the answers by col, a column name from this package.
func rates(ctx context.Context, tx *sql.Tx, col string) ([]Rate, error) {
	rows, err := tx.QueryContext(ctx, tallied+`SELECT `+col+`, COUNT(*), SUM(up), SUM(down) FROM t GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rs := []Rate{}
	for rows.Next() {
		var r Rate
		if err := rows.Scan(&r.Key, &r.Answers, &r.Up, &r.Down); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

// downvoted lists answers with a 👎, at most limit (all when negative).
func downvoted(ctx context.Context, tx *sql.Tx, limit int) ([]Tally, error) {
	rows, err := tx.QueryContext(ctx, tallied+`SELECT id, question, mode, reason, created, up, down
		FROM t WHERE down > 0 ORDER BY down DESC, up ASC, created DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []Tally{}
	for rows.Next() {
		var (
			t       Tally
			created int64
		)
		if err := rows.Scan(&t.ID, &t.Question, &t.Mode, &t.Reason, &created, &t.Up, &t.Down); err != nil {
			return nil, err
		}
		t.Created = fromMillis(created)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}
