package bot

import (
	"context"
	"errors"
	"sync"
)

// Reasons a question is turned away before it is queued; check them with
// errors.Is.
var (
	// ErrBusy means every worker is busy and the queue is full.
	ErrBusy = errors.New("bot is busy")
	// ErrShuttingDown means the bot is draining and takes no new work.
	ErrShuttingDown = errors.New("bot is shutting down")
)

// queue runs jobs on a fixed number of workers with a bounded backlog:
// at most workers jobs run and at most backlog wait. A caller first takes
// a slot, which fails at once when none is free, and only then submits, so
// that it can tell the user "busy" before acknowledging anything.
type queue struct {
	slots chan struct{} // one token per running or waiting job
	jobs  chan func()
	quit  chan struct{}

	mu     sync.Mutex
	closed bool
}

// newQueue starts workers goroutines serving a backlog of backlog jobs.
func newQueue(workers, backlog int) *queue {
	workers = max(workers, 1)
	backlog = max(backlog, 0)
	q := &queue{
		slots: make(chan struct{}, workers+backlog),
		jobs:  make(chan func(), workers+backlog),
		quit:  make(chan struct{}),
	}
	for range workers {
		go q.work()
	}
	return q
}

func (q *queue) work() {
	for {
		select {
		case job := <-q.jobs:
			job()
		case <-q.quit:
			return
		}
	}
}

// ticket is a slot taken in the queue: submit a job with it, or release it.
type ticket struct {
	q    *queue
	once sync.Once
}

// acquire takes a slot without blocking. It returns ErrBusy when none is
// free and ErrShuttingDown after close.
func (q *queue) acquire() (*ticket, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil, ErrShuttingDown
	}
	select {
	case q.slots <- struct{}{}:
		return &ticket{q: q}, nil
	default:
		return nil, ErrBusy
	}
}

// submit queues job; its slot is freed when job returns. It never blocks:
// the slot guarantees room.
func (t *ticket) submit(job func()) {
	t.q.jobs <- func() {
		defer t.release()
		job()
	}
}

// release frees the slot of a ticket whose job will not be submitted.
// Calling it more than once is harmless.
func (t *ticket) release() { t.once.Do(func() { <-t.q.slots }) }

// busy is the number of slots taken: jobs running or waiting.
func (q *queue) busy() int { return len(q.slots) }

// close stops new acquisitions; jobs already submitted still run.
func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
}

// stop tells the workers to end once they finish their current job, and
// does not wait: a job stuck past the shutdown deadline must not hold the
// process. Jobs still waiting are dropped, so call it after draining.
func (q *queue) stop() { close(q.quit) }

// tracker counts work in flight so that shutdown can wait for it.
type tracker struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed while n == 0
}

func newTracker() *tracker {
	t := &tracker{zero: make(chan struct{})}
	close(t.zero)
	return t
}

// add counts one piece of work; call the returned func when it is done.
func (t *tracker) add() (done func()) {
	t.mu.Lock()
	if t.n == 0 {
		t.zero = make(chan struct{})
	}
	t.n++
	t.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			t.mu.Lock()
			t.n--
			if t.n == 0 {
				close(t.zero)
			}
			t.mu.Unlock()
		})
	}
}

// wait returns nil once nothing is in flight, or ctx's error.
func (t *tracker) wait(ctx context.Context) error {
	for {
		t.mu.Lock()
		n, zero := t.n, t.zero
		t.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-zero:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
