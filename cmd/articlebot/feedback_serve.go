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
