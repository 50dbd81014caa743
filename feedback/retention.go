package feedback

import (
	"context"
	"log/slog"
	"time"
)

// Purger deletes records older than a cutoff. *DB is the real one and
// *Mem the fake.
type Purger interface {
	PurgeOlderThan(ctx context.Context, cutoff time.Time) (int, error)
}

// RetentionInterval is how often KeepFor purges while serving.
const RetentionInterval = time.Hour

// KeepFor enforces a retention period: it deletes the answers (with their
// messages and votes) older than keep at once, then every interval, until
// ctx is done. Serve runs it in its own goroutine right after opening the
// database. A failed purge is logged and retried at the next tick; now is
// the clock (time.Now outside tests).
func KeepFor(ctx context.Context, lg *slog.Logger, p Purger, keep, interval time.Duration, now func() time.Time) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		purge(ctx, lg, p, now().Add(-keep))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purge runs one retention purge and logs what it did.
func purge(ctx context.Context, lg *slog.Logger, p Purger, cutoff time.Time) {
	n, err := p.PurgeOlderThan(ctx, cutoff)
	switch {
	case err != nil && ctx.Err() == nil:
		lg.Error("couldn't apply feedback retention", "err", err)
	case n > 0:
		lg.Info("feedback retention: deleted old answers", "answers", n, "before", cutoff.UTC().Format(time.RFC3339))
	}
}
