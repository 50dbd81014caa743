package feedback

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Mem is an in-memory fake of DB for callers' tests: the same methods with
// the same results and errors, and nothing written anywhere. The zero
// value is not ready; use NewMem. It is safe for concurrent use.
type Mem struct {
	mu       sync.Mutex
	answers  map[string]Answer
	order    []string                   // answer IDs in recording order
	messages map[string]string          // message ID -> answer ID
	byAnswer map[string][]string        // answer ID -> message IDs in recording order
	votes    map[string]map[string]bool // answer ID -> user ID -> up
}

// NewMem returns an empty in-memory store.
func NewMem() *Mem {
	return &Mem{answers: map[string]Answer{}, messages: map[string]string{}, byAnswer: map[string][]string{}, votes: map[string]map[string]bool{}}
}

// RecordAnswer stores a, or updates it, as DB.RecordAnswer does.
func (m *Mem) RecordAnswer(ctx context.Context, a Answer) error {
	if a.ID == "" {
		return errors.New("couldn't record answer: empty ID")
	}
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	a.Created = fromMillis(millis(a.Created))
	a.Citations = slices.Clone(nonNil(a.Citations))
	a.Sources = slices.Clone(nonNilSources(a.Sources))
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.answers[a.ID]; !ok {
		m.order = append(m.order, a.ID)
	}
	for _, msg := range a.MessageIDs {
		if old, ok := m.messages[msg]; ok {
			if old == a.ID {
				continue
			}
			m.byAnswer[old] = slices.DeleteFunc(m.byAnswer[old], func(s string) bool { return s == msg })
		}
		m.messages[msg] = a.ID
		m.byAnswer[a.ID] = append(m.byAnswer[a.ID], msg)
	}
	a.MessageIDs = nil
	a.Linked = true
	if old, ok := m.answers[a.ID]; ok {
		// As DB: an earlier copy doesn't blank what is known.
		if len(a.Sources) == 0 {
			a.Sources = old.Sources
		}
		if a.ParentMessageID == "" {
			a.ParentMessageID = old.ParentMessageID
		}
		if a.ThreadID == "" {
			a.ThreadID = old.ThreadID
		}
	}
	m.answers[a.ID] = a
	return nil
}

// Answer returns the answer recorded under id, or ErrNotFound.
func (m *Mem) Answer(ctx context.Context, id string) (Answer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.answer(id)
}

func (m *Mem) answer(id string) (Answer, error) {
	a, ok := m.answers[id]
	if !ok {
		return Answer{}, fmt.Errorf("couldn't find answer %s: %w", id, ErrNotFound)
	}
	a.Citations = slices.Clone(a.Citations)
	a.Sources = slices.Clone(a.Sources)
	a.MessageIDs = append([]string{}, m.byAnswer[id]...)
	return a, nil
}

// AnswerByMessage returns the answer messageID carries, or ErrNotFound.
func (m *Mem) AnswerByMessage(ctx context.Context, messageID string) (Answer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.messages[messageID]
	if !ok {
		return Answer{}, fmt.Errorf("couldn't find an answer for message %s: %w", messageID, ErrNotFound)
	}
	return m.answer(id)
}

// Vote records a vote as DB.Vote does, returning ErrNotFound for an
// unknown answer.
func (m *Mem) Vote(ctx context.Context, answerID, userID string, up bool) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.answers[answerID]; !ok {
		return false, fmt.Errorf("couldn't record vote on answer %s: %w", answerID, ErrNotFound)
	}
	if m.votes[answerID] == nil {
		m.votes[answerID] = map[string]bool{}
	}
	_, replaced := m.votes[answerID][userID]
	m.votes[answerID][userID] = up
	return replaced, nil
}

// Summary counts as DB.Summary does.
func (m *Mem) Summary(ctx context.Context, limit int) (Summary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := Summary{ByMode: []Rate{}, ByReason: []Rate{}}
	byMode, byReason := map[string]*Rate{}, map[string]*Rate{}
	for _, t := range m.tallies() {
		s.Answers++
		if t.Reason != "" {
			s.Refused++
		}
		s.Up += t.Up
		s.Down += t.Down
		if t.Up+t.Down > 0 {
			s.Voted++
		}
		for _, g := range []struct {
			rs  map[string]*Rate
			key string
		}{{byMode, t.Mode}, {byReason, t.Reason}} {
			r := g.rs[g.key]
			if r == nil {
				r = &Rate{Key: g.key}
				g.rs[g.key] = r
			}
			r.Answers++
			r.Up += t.Up
			r.Down += t.Down
		}
	}
	s.ByMode, s.ByReason = sortedRates(byMode), sortedRates(byReason)
	s.MostDownvoted = m.downvoted()
	if limit >= 0 && len(s.MostDownvoted) > limit {
		s.MostDownvoted = s.MostDownvoted[:limit]
	}
	return s, nil
}

// DownvotedQuestions lists answers with a 👎 as DB.DownvotedQuestions does.
func (m *Mem) DownvotedQuestions(ctx context.Context) ([]Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.downvoted(), nil
}

// PurgeUser deletes a member's votes and answers as DB.PurgeUser does.
func (m *Mem) PurgeUser(ctx context.Context, userID string) (Purged, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var p Purged
	for _, vs := range m.votes {
		if _, ok := vs[userID]; ok {
			delete(vs, userID)
			p.Votes++
		}
	}
	for _, id := range slices.Clone(m.order) {
		if m.answers[id].UserID == userID {
			p.OtherVotes += len(m.votes[id])
			m.delete(id)
			p.Answers++
		}
	}
	return p, nil
}

// PurgeOlderThan deletes answers given before cutoff as DB.PurgeOlderThan
// does.
func (m *Mem) PurgeOlderThan(ctx context.Context, cutoff time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, id := range slices.Clone(m.order) {
		if m.answers[id].Created.Before(fromMillis(millis(cutoff))) {
			m.delete(id)
			n++
		}
	}
	return n, nil
}

// delete removes answer id with its messages and votes; m.mu is held.
func (m *Mem) delete(id string) {
	delete(m.answers, id)
	delete(m.votes, id)
	m.order = slices.DeleteFunc(m.order, func(s string) bool { return s == id })
	for _, msg := range m.byAnswer[id] {
		delete(m.messages, msg)
	}
	delete(m.byAnswer, id)
}

// tallies counts the votes of every answer; m.mu is held.
func (m *Mem) tallies() []Tally {
	ts := make([]Tally, 0, len(m.order))
	for _, id := range m.order {
		a := m.answers[id]
		t := Tally{ID: a.ID, Question: a.Question, Mode: a.Mode, Reason: a.Reason, Created: a.Created}
		for _, up := range m.votes[id] {
			if up {
				t.Up++
			} else {
				t.Down++
			}
		}
		ts = append(ts, t)
	}
	return ts
}

// downvoted lists answers with a 👎 in DB's order; m.mu is held.
func (m *Mem) downvoted() []Tally {
	ts := slices.DeleteFunc(m.tallies(), func(t Tally) bool { return t.Down == 0 })
	slices.SortFunc(ts, func(a, b Tally) int {
		switch {
		case a.Down != b.Down:
			return b.Down - a.Down
		case a.Up != b.Up:
			return a.Up - b.Up
		case !a.Created.Equal(b.Created):
			return b.Created.Compare(a.Created)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return ts
}

func sortedRates(rs map[string]*Rate) []Rate {
	out := make([]Rate, 0, len(rs))
	for _, r := range rs {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Rate) int { return strings.Compare(a.Key, b.Key) })
	return out
}
