package feedback

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// ErrDropped reports an answer the Writer did not queue, because its queue
// was full or it was closed. The answer itself was still given; only its
// record is lost.
var ErrDropped = errors.New("feedback writer dropped the record")

// Recorder stores an answer. *DB is the real one and *Mem the fake.
type Recorder interface {
	RecordAnswer(ctx context.Context, a Answer) error
}

// Writer records answers in the background so that a slow or locked
// database never delays an answer: RecordAnswer only queues, and one
// goroutine writes the queue in order. When the queue is full the record
// is dropped and logged. Close writes what is queued.
type Writer struct {
	lg      *slog.Logger
	rec     Recorder
	timeout time.Duration

	mu     sync.Mutex // guards closed and sends on queue
	closed bool
	queue  chan Answer

	cancel  context.CancelFunc // stops the write in progress, for Close
	done    chan struct{}
	dropped atomic.Int64
	failed  atomic.Int64
}

// writeTimeout bounds one background write, so a database locked by
// another process cannot stall the queue for ever.
const writeTimeout = 10 * time.Second

// NewWriter starts a writer with room for size records waiting (at least
// one) in front of rec.
func NewWriter(lg *slog.Logger, rec Recorder, size int) *Writer {
	ctx, cancel := context.WithCancel(context.Background())
	w := &Writer{lg: lg, rec: rec, timeout: writeTimeout, queue: make(chan Answer, max(size, 1)), cancel: cancel, done: make(chan struct{})}
	go w.loop(ctx)
	return w
}

// RecordAnswer queues a for writing and returns at once. It returns
// ErrDropped, after logging it, when the queue is full or the writer is
// closed; ctx is not used, since nothing waits.
func (w *Writer) RecordAnswer(ctx context.Context, a Answer) error {
	if a.Created.IsZero() {
		a.Created = time.Now() // the time of the answer, not of the write
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		select {
		case w.queue <- a:
			return nil
		default:
		}
	}
	w.dropped.Add(1)
	w.lg.Warn("feedback record dropped", "answer", a.ID, "closed", w.closed, "queue", cap(w.queue))
	return ErrDropped
}

// Dropped is the number of records RecordAnswer dropped.
func (w *Writer) Dropped() int64 { return w.dropped.Load() }

// Failed is the number of queued records the store refused (logged).
func (w *Writer) Failed() int64 { return w.failed.Load() }

// Close stops taking records and writes those queued, until ctx is done;
// then the write in progress is cancelled and the rest are dropped. It
// returns ctx's error in that case. Calling it again does nothing more.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		w.cancel()
		<-w.done
		return ctx.Err()
	}
}

func (w *Writer) loop(ctx context.Context) {
	defer close(w.done)
	defer w.cancel()
	for a := range w.queue {
		if ctx.Err() != nil {
			w.dropped.Add(1)
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, w.timeout)
		err := w.rec.RecordAnswer(wctx, a)
		cancel()
		if err != nil {
			w.failed.Add(1)
			w.lg.Error("couldn't record answer", "answer", a.ID, "err", err)
		}
	}
}
