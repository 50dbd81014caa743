package bot

import (
	"context"
	"errors"
	"testing"
	"time"
)

var timeZero time.Time

// clock is a settable time for the limiter.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func TestLimiter(t *testing.T) {
	t.Parallel()
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(5, 3, c.Now)

	t.Run("OKBurstThenWait", func(t *testing.T) {
		for i := range 5 {
			if wait, _ := l.reserve("a"); wait != 0 {
				t.Fatalf("question %d waits %v, want 0", i+1, wait)
			}
		}
		wait, cancel := l.reserve("a")
		if got, want := wait, 12*time.Second; got != want || cancel != nil {
			t.Fatalf("6th question wait = %v, want %v and no cancel", got, want)
		}
		c.now = c.now.Add(12 * time.Second)
		if wait, _ := l.reserve("a"); wait != 0 {
			t.Fatalf("after 12 s wait = %v, want 0", wait)
		}
	})
	t.Run("OKUsersIndependent", func(t *testing.T) {
		if wait, _ := l.reserve("b"); wait != 0 {
			t.Fatalf("user b waits %v", wait)
		}
	})
	t.Run("OKCancelRefunds", func(t *testing.T) {
		for range 4 {
			l.reserve("c")
		}
		_, cancel := l.reserve("c")
		cancel()
		if wait, _ := l.reserve("c"); wait != 0 {
			t.Fatalf("after refund wait = %v, want 0", wait)
		}
	})
	t.Run("OKMemoryCapped", func(t *testing.T) {
		for _, u := range []string{"d", "e", "f", "g"} {
			l.reserve(u)
		}
		if got, want := l.tracked(), 3; got != want {
			t.Fatalf("tracked = %d, want %d", got, want)
		}
	})
}

func TestQueue(t *testing.T) {
	t.Parallel()
	q := newQueue(1, 1)
	defer q.stop()
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	job := func() { started <- struct{}{}; <-release }

	t1, err := q.acquire()
	if err != nil {
		t.Fatalf("acquire 1: %v", err)
	}
	t1.submit(job)
	t2, err := q.acquire()
	if err != nil {
		t.Fatalf("acquire 2 (queued): %v", err)
	}
	t2.submit(job)
	if _, err := q.acquire(); !errors.Is(err, ErrBusy) {
		t.Fatalf("acquire 3 err = %v, want ErrBusy", err)
	}
	<-started
	if got, want := q.busy(), 2; got != want {
		t.Fatalf("busy = %d, want %d", got, want)
	}
	release <- struct{}{} // first job ends, second starts
	<-started
	t3, err := q.acquire()
	if err != nil {
		t.Fatalf("acquire after a job finished: %v", err)
	}
	t3.release()
	t3.release() // harmless
	q.close()
	if _, err := q.acquire(); !errors.Is(err, ErrShuttingDown) {
		t.Fatalf("acquire after close err = %v, want ErrShuttingDown", err)
	}
	release <- struct{}{}
}

func TestTracker(t *testing.T) {
	t.Parallel()
	tr := newTracker()
	if err := tr.wait(context.Background()); err != nil {
		t.Fatalf("wait on idle tracker: %v", err)
	}
	done := tr.add()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := tr.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait with work in flight = %v, want deadline", err)
	}
	go func() { time.Sleep(10 * time.Millisecond); done(); done() }()
	if err := tr.wait(context.Background()); err != nil {
		t.Fatalf("wait: %v", err)
	}
}
