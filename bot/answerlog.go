package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/feedback"
)

// AnswerEntry is what the bot keeps about one delivered answer or
// refusal, so that replies, thread messages and button presses can find
// it from any of its messages.
type AnswerEntry struct {
	ID         string   // answer ID, from NewAnswerID
	MessageIDs []string // the bot's messages, first to last
	ChannelID  string   // where they are; a thread's ID inside a thread
	GuildID    string   // "" in a DM
	UserID     string   // who asked
	Question   string   // the question as the answerer saw it
	Text       string   // the answer's text, markers included; "" for a refusal
	Citations  []answer.Citation
	Refused    bool
	Mode       answer.Mode   // how the answer was written
	Reason     answer.Reason // why it was refused; "" when answered
	// ParentMessageID is a message of the answer this one follows up, ""
	// for the first question of a conversation.
	ParentMessageID string
	// ThreadID is the thread the answer opened or was given in, "".
	ThreadID string
	Time     time.Time // when the first message was delivered
}

// AnswerLog keeps which messages belong to which answer. MemAnswerLog
// keeps the latest in memory; StoredAnswerLog, which serve uses, adds the
// answers the feedback database recorded before a restart.
type AnswerLog interface {
	// Record stores e, replacing an entry with the same ID.
	Record(ctx context.Context, e AnswerEntry) error
	// Lookup finds the answer one of whose messages has ID messageID;
	// ok is false when the log doesn't know it.
	Lookup(ctx context.Context, messageID string) (e AnswerEntry, ok bool, err error)
}

// MemAnswerLog is an AnswerLog in memory that keeps the most recently
// recorded answers and forgets the oldest beyond its size. It is safe for
// concurrent use.
type MemAnswerLog struct {
	mu        sync.Mutex
	byID      *lru.Cache[string, AnswerEntry]
	byMessage map[string]string // message ID -> answer ID, for entries in byID
}

// NewMemAnswerLog returns a MemAnswerLog of at most size answers
// (10,000 when size <= 0).
func NewMemAnswerLog(size int) *MemAnswerLog {
	if size <= 0 {
		size = 10000
	}
	l := &MemAnswerLog{byMessage: make(map[string]string)}
	// The eviction callback runs under l.mu, held by Record.
	l.byID, _ = lru.NewWithEvict(size, func(_ string, e AnswerEntry) {
		for _, id := range e.MessageIDs {
			if l.byMessage[id] == e.ID {
				delete(l.byMessage, id)
			}
		}
	})
	return l
}

// Record implements AnswerLog; it never fails.
func (l *MemAnswerLog) Record(_ context.Context, e AnswerEntry) error {
	e.MessageIDs = slices.Clone(e.MessageIDs)
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.byID.Peek(e.ID); ok {
		for _, id := range old.MessageIDs {
			delete(l.byMessage, id)
		}
	}
	l.byID.Add(e.ID, e)
	for _, id := range e.MessageIDs {
		l.byMessage[id] = e.ID
	}
	return nil
}

// Lookup implements AnswerLog; it never fails.
func (l *MemAnswerLog) Lookup(_ context.Context, messageID string) (AnswerEntry, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id, ok := l.byMessage[messageID]
	if !ok {
		return AnswerEntry{}, false, nil
	}
	e, ok := l.byID.Get(id)
	return e, ok, nil
}

// AnswerFinder finds a recorded answer by one of its messages.
// *feedback.DB and *feedback.Mem are AnswerFinders.
type AnswerFinder interface {
	// AnswerByMessage returns the answer messageID carries, or an error
	// wrapping feedback.ErrNotFound.
	AnswerByMessage(ctx context.Context, messageID string) (feedback.Answer, error)
}

// StoredAnswerLog is the AnswerLog serve uses: recent answers in memory,
// and the answers given before a restart from the feedback store, which
// records every answer with its messages, citations and conversation
// anyway (Options.RecordAnswer). After a restart a reply still finds its
// answer's exact citations ("source?") and walks its conversation back
// without asking Discord; the store's retention bounds how far back.
type StoredAnswerLog struct {
	mem   *MemAnswerLog
	store AnswerFinder
}

// NewStoredAnswerLog returns a StoredAnswerLog keeping what it records and
// finds in mem.
func NewStoredAnswerLog(mem *MemAnswerLog, store AnswerFinder) *StoredAnswerLog {
	return &StoredAnswerLog{mem: mem, store: store}
}

// Record implements AnswerLog: the answer goes to memory; the feedback
// store gets it through Options.RecordAnswer.
func (l *StoredAnswerLog) Record(ctx context.Context, e AnswerEntry) error {
	return l.mem.Record(ctx, e)
}

// Lookup implements AnswerLog, asking the store for what memory doesn't
// know and keeping what it finds.
func (l *StoredAnswerLog) Lookup(ctx context.Context, messageID string) (AnswerEntry, bool, error) {
	if e, ok, _ := l.mem.Lookup(ctx, messageID); ok {
		return e, true, nil
	}
	a, err := l.store.AnswerByMessage(ctx, messageID)
	switch {
	case errors.Is(err, feedback.ErrNotFound):
		return AnswerEntry{}, false, nil
	case err != nil:
		return AnswerEntry{}, false, err
	case !a.Linked:
		// Recorded before citations and conversations were kept: its
		// turn is rebuilt from Discord, which still has the whole chain.
		return AnswerEntry{}, false, nil
	}
	e := storedEntry(a)
	_ = l.mem.Record(ctx, e) // never fails
	return e, true, nil
}

// Len is the number of answers kept.
func (l *MemAnswerLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.byID.Len()
}

// NewAnswerID returns a short random answer ID: 12 hex digits, short
// enough for a button's custom_id beside a prefix.
func NewAnswerID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}
