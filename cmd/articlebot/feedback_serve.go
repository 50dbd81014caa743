package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/articlebot/articlebot/config"
	"github.com/articlebot/articlebot/feedback"
)

// servedFeedback is the feedback store as serve uses it: the database for
// votes and lookups, which are synchronous, and a background writer for
// answers, so that recording one never delays it.
type servedFeedback struct {
	DB     *feedback.DB
	Writer *feedback.Writer
	stop   context.CancelFunc
	done   chan struct{}
}

// feedbackQueue is how many answer records may wait for the database.
const feedbackQueue = 256

// openServedFeedback opens the feedback database in the data folder,
// deletes what is older than the retention period at once and then every
// feedback.RetentionInterval, and starts the answer writer. Close stops it.
func openServedFeedback(ctx context.Context, lg *slog.Logger, cfg config.Config) (*servedFeedback, error) {
	db, err := openFeedback(ctx, cfg) // applies retention once before returning
	if err != nil {
		return nil, err
	}
	rctx, stop := context.WithCancel(context.Background())
	f := &servedFeedback{DB: db, Writer: feedback.NewWriter(lg, db, feedbackQueue), stop: stop, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		// The first tick repeats the purge openFeedback just did: harmless.
		feedback.KeepFor(rctx, lg, db, cfg.Retention, feedback.RetentionInterval, time.Now)
	}()
	return f, nil
}

// Close writes the queued answer records (until ctx is done), stops the
// retention loop and closes the database.
func (f *servedFeedback) Close(ctx context.Context) error {
	werr := f.Writer.Close(ctx)
	f.stop()
	<-f.done
	return errors.Join(werr, f.DB.Close())
}

// feedbackCloseTimeout bounds closing the feedback store on shutdown:
// writing the queued answer records and closing the database.
const feedbackCloseTimeout = 500 * time.Millisecond

// closeWithin closes f, giving up after d: the process must exit on
// time, and SQLite's WAL keeps every committed write whatever happens to
// the rest. Records still queued then are lost, and logged.
func (f *servedFeedback) closeWithin(lg *slog.Logger, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.Close(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			lg.Warn("couldn't close the feedback store cleanly", "err", err, "dropped", f.Writer.Dropped())
		}
	case <-ctx.Done():
		lg.Warn("gave up closing the feedback store", "dropped", f.Writer.Dropped())
	}
}
