package bot

import (
	"context"
	"testing"
	"time"
)

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func TestPendingAnswers(t *testing.T) {
	var p pendingAnswers
	if p.idle("c1") != nil {
		t.Fatal("a channel with nothing pending has something to wait for")
	}
	first, second := p.start("c1"), p.start("c1")
	idle := p.idle("c1")
	first()
	first() // a second call is a no-op
	if closed(idle) {
		t.Fatal("idle while an answer is still being delivered")
	}
	second()
	if !closed(idle) || p.idle("c1") != nil {
		t.Fatal("not idle once both answers are recorded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer p.start("c2")()
	cancel()
	done := make(chan struct{})
	go func() { waitIdle(ctx, p.idle("c2")); close(done) }()
	select {
	case <-done: // a cancelled context ends the wait though c2 is still pending
	case <-time.After(maxRecordWait / 4):
		t.Fatal("waitIdle ignored its cancelled context")
	}
}

// recordingLog is an AnswerLog whose first Lookup misses and, while it
// runs, lets the pending answer be recorded: the race of a reply that
// arrives as its answer is being recorded.
type recordingLog struct {
	*MemAnswerLog
	first  bool
	during func()
}

func (l *recordingLog) Lookup(ctx context.Context, id string) (AnswerEntry, bool, error) {
	if !l.first {
		l.first = true
		l.during()
		return AnswerEntry{}, false, nil
	}
	return l.MemAnswerLog.Lookup(ctx, id)
}

func TestLookupAnswerRecordedMeanwhile(t *testing.T) {
	ctx := context.Background()
	mem := NewMemAnswerLog(0)
	b := &Bot{}
	done := b.pending.start("c1")
	log := &recordingLog{MemAnswerLog: mem}
	log.during = func() {
		_ = mem.Record(ctx, AnswerEntry{ID: "a1", MessageIDs: []string{"m1"}})
		done() // recorded: nothing pending any more
	}
	b.opt.AnswerLog = log
	if e, ok := b.lookupAnswer(ctx, "c1", "m1"); !ok || e.ID != "a1" {
		t.Fatalf("lookupAnswer = %+v, %v; want a1, recorded while the first lookup ran", e, ok)
	}
	if _, ok := b.lookupAnswer(ctx, "c1", "m9"); ok {
		t.Fatal("found an answer for an unknown message")
	}
}
