package bot

import (
	"context"
	"sync"
	"time"
)

// maxRecordWait bounds how long a follow-up waits for the answer it
// replies to to be recorded.
const maxRecordWait = 2 * time.Second

// pendingAnswers tracks, per channel, the answers being delivered and not
// yet recorded in the answer log. A reply can reach the bot between the
// moment Discord shows an answer and the moment the bot records which
// messages it was made of; the follow-up then waits for the record instead
// of rebuilding a poorer turn (no citations) from the message alone.
type pendingAnswers struct {
	mu sync.Mutex
	ch map[string]*pendingChannel
}

type pendingChannel struct {
	n    int
	idle chan struct{} // closed when n drops to 0
}

// start notes an answer being delivered in channel; the returned function
// marks it recorded.
func (p *pendingAnswers) start(channel string) (done func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil {
		p.ch = make(map[string]*pendingChannel)
	}
	c := p.ch[channel]
	if c == nil {
		c = &pendingChannel{idle: make(chan struct{})}
		p.ch[channel] = c
	}
	c.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if c.n--; c.n == 0 {
				close(c.idle)
				delete(p.ch, channel)
			}
		})
	}
}

// waitIdle returns once idle (from idle) is closed, or when ctx ends or
// maxRecordWait passes.
func waitIdle(ctx context.Context, idle <-chan struct{}) {
	t := time.NewTimer(maxRecordWait)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	case <-ctx.Done():
	}
}

// idle returns a channel closed once no answer is being delivered in
// channel, or nil when none is now.
func (p *pendingAnswers) idle(channel string) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.ch[channel]; c != nil {
		return c.idle
	}
	return nil
}

// lookupAnswer finds the answer that message id belongs to in the answer
// log, waiting for an answer still being delivered in channelID. What is
// pending is read before the first lookup: an answer recorded between
// the two is found by the second lookup, not missed.
func (b *Bot) lookupAnswer(ctx context.Context, channelID, id string) (AnswerEntry, bool) {
	idle := b.pending.idle(channelID)
	e, ok, err := b.opt.AnswerLog.Lookup(ctx, id)
	if err == nil && ok {
		return e, true
	}
	if idle == nil {
		return AnswerEntry{}, false
	}
	waitIdle(ctx, idle)
	e, ok, err = b.opt.AnswerLog.Lookup(ctx, id)
	return e, err == nil && ok
}
