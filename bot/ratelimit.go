package bot

import (
	"container/list"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is the per-user question rate limit: a token bucket per user
// (golang.org/x/time/rate) holding perMinute questions and refilling at
// perMinute a minute. Memory is capped: past maxUsers buckets the least
// recently used one is dropped. A bucket unused for a minute is full
// again, so dropping it changes nothing unless more than maxUsers people
// asked within the last minute.
type limiter struct {
	every    rate.Limit
	burst    int
	maxUsers int
	now      func() time.Time

	mu    sync.Mutex
	users map[string]*list.Element // of *userBucket
	lru   *list.List               // front is most recently used
}

type userBucket struct {
	user string
	lim  *rate.Limiter
}

// newLimiter returns a limiter allowing perMinute questions a minute per
// user, tracking at most maxUsers users.
func newLimiter(perMinute, maxUsers int, now func() time.Time) *limiter {
	perMinute = max(perMinute, 1)
	return &limiter{
		every:    rate.Every(time.Minute / time.Duration(perMinute)),
		burst:    perMinute,
		maxUsers: max(maxUsers, 1),
		now:      now,
		users:    make(map[string]*list.Element),
		lru:      list.New(),
	}
}

// reserve takes one question from user's bucket. When the bucket is
// empty it takes nothing and returns how long until the user may ask
// again. Otherwise it returns a zero wait and a cancel func that gives the
// question back, for a question then turned away for another reason.
func (l *limiter) reserve(user string) (wait time.Duration, cancel func()) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketLocked(user)
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, nil
	}
	return 0, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		r.CancelAt(l.now())
	}
}

// bucketLocked returns user's bucket, creating it and evicting the least
// recently used one when full. l.mu must be held.
func (l *limiter) bucketLocked(user string) *rate.Limiter {
	if e, ok := l.users[user]; ok {
		l.lru.MoveToFront(e)
		return e.Value.(*userBucket).lim
	}
	if l.lru.Len() >= l.maxUsers {
		oldest := l.lru.Back()
		l.lru.Remove(oldest)
		delete(l.users, oldest.Value.(*userBucket).user)
	}
	b := &userBucket{user: user, lim: rate.NewLimiter(l.every, l.burst)}
	l.users[user] = l.lru.PushFront(b)
	return b.lim
}

// tracked is the number of users with a bucket.
func (l *limiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}
