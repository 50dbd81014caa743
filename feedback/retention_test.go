package feedback

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"
)

func TestKeepFor(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	mem := NewMem()
	mustRecord(t, mem, answerN("old", "u1", "llm", "", 0), answerN("new", "u1", "llm", "", 120))
	var (
		mu  sync.Mutex
		now = t0.Add(24*time.Hour + time.Minute) // "old" is a day and a minute old
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	done := make(chan struct{})
	go func() {
		KeepFor(ctx, slog.New(slog.DiscardHandler), mem, 24*time.Hour, time.Millisecond, clock)
		close(done)
	}()
	waitFor(t, func() bool { _, err := mem.Answer(ctx, "old"); return errors.Is(err, ErrNotFound) })
	if _, err := mem.Answer(ctx, "new"); err != nil {
		t.Fatalf("the purge at start took a recent answer: %v", err)
	}
	mu.Lock()
	now = now.Add(3 * time.Hour) // "new" is now over a day old
	mu.Unlock()
	waitFor(t, func() bool { _, err := mem.Answer(ctx, "new"); return errors.Is(err, ErrNotFound) })
	cancel()
	<-done
}
