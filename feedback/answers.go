package feedback

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RecordAnswer stores a, or updates it when its ID is already recorded:
// the fields are replaced (but Sources, ParentMessageID and ThreadID only
// by non-empty values), message IDs are added to those already known and
// votes are kept, so the bot may record an answer before its messages are
// sent and again once they are. A zero Created means now. Everything is
// written in one transaction.
func (db *DB) RecordAnswer(ctx context.Context, a Answer) error {
	if a.ID == "" {
		return errors.New("couldn't record answer: empty ID")
	}
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	cites, err := json.Marshal(nonNil(a.Citations))
	if err != nil {
		return fmt.Errorf("couldn't record answer %s: %w", a.ID, err)
	}
	sources, err := json.Marshal(nonNilSources(a.Sources))
	if err != nil {
		return fmt.Errorf("couldn't record answer %s: %w", a.ID, err)
	}
	err = db.write(ctx, "answer", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO answers
			(id, question, answer, citations, mode, reason, user_id, guild_id, channel_id, created,
				sources, parent_message_id, thread_id, linked)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT(id) DO UPDATE SET question = excluded.question, answer = excluded.answer,
				citations = excluded.citations, mode = excluded.mode, reason = excluded.reason,
				user_id = excluded.user_id, guild_id = excluded.guild_id,
				channel_id = excluded.channel_id, created = excluded.created,
				-- A record made from an earlier copy (a vote's, before the
				-- answer opened its thread) doesn't blank what is known.
				sources = CASE WHEN excluded.sources = '[]' THEN sources ELSE excluded.sources END,
				parent_message_id = CASE WHEN excluded.parent_message_id = '' THEN parent_message_id ELSE excluded.parent_message_id END,
				thread_id = CASE WHEN excluded.thread_id = '' THEN thread_id ELSE excluded.thread_id END,
				linked = 1`,
			a.ID, a.Question, a.Text, string(cites), a.Mode, a.Reason, a.UserID, a.GuildID, a.ChannelID, millis(a.Created),
			string(sources), a.ParentMessageID, a.ThreadID)
		if err != nil {
			return err
		}
		for _, m := range a.MessageIDs {
			// A message belongs to one answer; the latest record wins.
			if _, err := tx.ExecContext(ctx, `INSERT INTO messages (message_id, answer_id) VALUES (?, ?)
				ON CONFLICT(message_id) DO UPDATE SET answer_id = excluded.answer_id`, m, a.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("couldn't record answer %s: %w", a.ID, err)
	}
	return nil
}

// Answer returns the answer recorded under id, with its message IDs. It
// returns ErrNotFound when there is none.
func (db *DB) Answer(ctx context.Context, id string) (Answer, error) {
	var (
		a              Answer
		cites, sources string
		created        int64
	)
	err := db.sql.QueryRowContext(ctx, `SELECT id, question, answer, citations, mode, reason,
		user_id, guild_id, channel_id, created, sources, parent_message_id, thread_id, linked
		FROM answers WHERE id = ?`, id).
		Scan(&a.ID, &a.Question, &a.Text, &cites, &a.Mode, &a.Reason, &a.UserID, &a.GuildID, &a.ChannelID, &created,
			&sources, &a.ParentMessageID, &a.ThreadID, &a.Linked)
	if errors.Is(err, sql.ErrNoRows) {
		return Answer{}, fmt.Errorf("couldn't find answer %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Answer{}, fmt.Errorf("couldn't read answer %s: %w", id, err)
	}
	a.Created = fromMillis(created)
	if err := json.Unmarshal([]byte(cites), &a.Citations); err != nil {
		return Answer{}, fmt.Errorf("couldn't read citations of answer %s: %w", id, err)
	}
	a.Citations = nonNil(a.Citations)
	if err := json.Unmarshal([]byte(sources), &a.Sources); err != nil {
		return Answer{}, fmt.Errorf("couldn't read sources of answer %s: %w", id, err)
	}
	a.Sources = nonNilSources(a.Sources)
	rows, err := db.sql.QueryContext(ctx, `SELECT message_id FROM messages WHERE answer_id = ? ORDER BY rowid`, id)
	if err != nil {
		return Answer{}, fmt.Errorf("couldn't read messages of answer %s: %w", id, err)
	}
	defer rows.Close()
	a.MessageIDs = []string{}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return Answer{}, fmt.Errorf("couldn't read messages of answer %s: %w", id, err)
		}
		a.MessageIDs = append(a.MessageIDs, m)
	}
	if err := rows.Err(); err != nil {
		return Answer{}, fmt.Errorf("couldn't read messages of answer %s: %w", id, err)
	}
	return a, nil
}

// AnswerByMessage returns the answer that messageID carries. It returns
// ErrNotFound when the message is not one of a recorded answer's.
func (db *DB) AnswerByMessage(ctx context.Context, messageID string) (Answer, error) {
	var id string
	err := db.sql.QueryRowContext(ctx, `SELECT answer_id FROM messages WHERE message_id = ?`, messageID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Answer{}, fmt.Errorf("couldn't find an answer for message %s: %w", messageID, ErrNotFound)
	}
	if err != nil {
		return Answer{}, fmt.Errorf("couldn't look up message %s: %w", messageID, err)
	}
	return db.Answer(ctx, id)
}

// nonNil returns s, or an empty slice for nil, so empty lists compare and
// encode alike.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilSources(s []Source) []Source {
	if s == nil {
		return []Source{}
	}
	return s
}
