package feedback

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// gatedRecorder records into a Mem once gate is closed, so a test can hold
// the writer's goroutine inside a write.
type gatedRecorder struct {
	mem     *Mem
	gate    chan struct{}
	started chan string // receives each answer ID as its write starts
}

func (g *gatedRecorder) RecordAnswer(ctx context.Context, a Answer) error {
	g.started <- a.ID
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.mem.RecordAnswer(ctx, a)
}

func newGated() *gatedRecorder {
	return &gatedRecorder{mem: NewMem(), gate: make(chan struct{}), started: make(chan string, 100)}
}

// syncBuffer is a log destination safe for the writer's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWriter(t *testing.T) {
	tests := []struct {
		name     string
		size     int
		records  int
		closeCtx func() (context.Context, context.CancelFunc)
		open     bool // open the gate before Close
		dropped  int64
		written  int
		closeErr error
		logAbout string
	}{
		// One record is held in the write, size more wait; the rest drop.
		{name: "FlushOnClose", size: 4, records: 5, open: true, written: 5},
		{name: "DropOnOverflow", size: 2, records: 6, open: true, dropped: 3, written: 3, logAbout: "feedback record dropped"},
		{name: "CloseDeadline", size: 4, records: 3, dropped: 2, closeErr: context.DeadlineExceeded, logAbout: "couldn't record answer",
			closeCtx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 50*time.Millisecond)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			rec := newGated()
			w := NewWriter(slog.New(slog.NewTextHandler(&logs, nil)), rec, tt.size)
			ctx := context.Background()
			for i := range tt.records {
				err := w.RecordAnswer(ctx, answerN(fmt.Sprintf("a%d", i), "u1", "llm", "", i))
				if i == 0 {
					<-rec.started // the first is being written; the queue is empty again
				}
				if dropped := i > tt.size; dropped != errors.Is(err, ErrDropped) {
					t.Fatalf("RecordAnswer #%d = %v, want dropped: %v", i, err, dropped)
				}
			}
			if tt.open {
				close(rec.gate)
			}
			cctx, cancel := context.Background(), context.CancelFunc(func() {})
			if tt.closeCtx != nil {
				cctx, cancel = tt.closeCtx()
			}
			defer cancel()
			if err := w.Close(cctx); !errors.Is(err, tt.closeErr) {
				t.Fatalf("Close = %v, want %v", err, tt.closeErr)
			}
			if got := w.Dropped(); got != tt.dropped {
				t.Errorf("Dropped() = %d, want %d", got, tt.dropped)
			}
			sum, _ := rec.mem.Summary(ctx, 0)
			if got := sum.Answers; got != tt.written {
				t.Errorf("%d answers written, want %d", got, tt.written)
			}
			if !strings.Contains(logs.String(), tt.logAbout) {
				t.Errorf("log %q lacks %q", logs.String(), tt.logAbout)
			}
			if err := w.RecordAnswer(ctx, answerN("late", "u1", "llm", "", 0)); !errors.Is(err, ErrDropped) {
				t.Errorf("RecordAnswer after Close = %v, want ErrDropped", err)
			}
			if err := w.Close(ctx); err != nil {
				t.Errorf("second Close = %v", err)
			}
		})
	}
}

// TestWriterNeverBlocks checks that RecordAnswer returns at once while the
// store is stuck.
func TestWriterNeverBlocks(t *testing.T) {
	rec := newGated()
	w := NewWriter(slog.New(slog.DiscardHandler), rec, 8)
	defer func() { close(rec.gate); w.Close(context.Background()) }()
	start := time.Now()
	for i := range 1000 {
		_ = w.RecordAnswer(context.Background(), answerN(fmt.Sprintf("a%d", i), "u1", "llm", "", 0))
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("1000 RecordAnswer calls on a stuck store took %v", d)
	}
	if got := w.Dropped(); got < 1000-9 {
		t.Fatalf("Dropped() = %d, want at least %d", got, 1000-9)
	}
}

// waitFor polls cond until it holds, failing after 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(time.Millisecond)
	}
}
