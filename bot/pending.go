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

// wait returns once no answer is being delivered in channel, or when ctx
// ends or maxRecordWait passes. It reports whether it waited for one.
func (p *pendingAnswers) wait(ctx context.Context, channel string) bool {
	idle := p.idle(channel)
	if idle == nil {
		return false
	}
	t := time.NewTimer(maxRecordWait)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	case <-ctx.Done():
	}
	return true
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
// log, waiting for an answer still being delivered in channelID.
func (b *Bot) lookupAnswer(ctx context.Context, channelID, id string) (AnswerEntry, bool) {
	e, ok, err := b.opt.AnswerLog.Lookup(ctx, id)
	if err == nil && ok {
		return e, true
	}
	if !b.pending.wait(ctx, channelID) {
		return AnswerEntry{}, false
	}
	e, ok, err = b.opt.AnswerLog.Lookup(ctx, id)
	return e, err == nil && ok
}
