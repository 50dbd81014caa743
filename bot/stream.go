package bot

import (
	"context"
	"sync"
	"time"
)

// partialEditTimeout bounds one edit of a streaming answer. A failed
// partial edit is skipped: the final edit carries the whole answer.
const partialEditTimeout = 5 * time.Second

// streamer shows a streaming answer by editing the reply as text arrives,
// at most once per Options.StreamInterval: the first text at once, then
// the latest text at each interval. Its goroutine starts with the first
// text, so extractive answers cost nothing.
type streamer struct {
	b      *Bot
	r      reply
	header string

	once   sync.Once
	kick   chan struct{} // a new text is waiting
	done   chan struct{} // closed by stop
	exited chan struct{} // closed when the goroutine returns

	mu     sync.Mutex
	latest string
}

func (b *Bot) newStreamer(r reply, q question) *streamer {
	s := &streamer{b: b, r: r, kick: make(chan struct{}, 1), done: make(chan struct{}), exited: make(chan struct{})}
	if q.quote {
		s.header = q.text
	}
	return s
}

// update records the answer's text so far. It never blocks the model's
// stream.
func (s *streamer) update(text string) {
	s.mu.Lock()
	s.latest = text
	s.mu.Unlock()
	s.once.Do(func() { go s.loop() })
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// stop ends streaming and waits for an edit in progress, so that the
// final edit comes after every partial one.
func (s *streamer) stop() {
	started := true
	s.once.Do(func() { started = false })
	close(s.done)
	if started {
		<-s.exited
	}
}

func (s *streamer) loop() {
	defer close(s.exited)
	var last time.Time
	shown := ""
	for {
		select {
		case <-s.kick:
		case <-s.done:
			return
		}
		if wait := s.b.opt.StreamInterval - time.Since(last); !last.IsZero() && wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-s.done:
				t.Stop()
				return
			}
		}
		s.mu.Lock()
		text := s.latest
		s.mu.Unlock()
		if text == shown {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), partialEditTimeout)
		err := s.r.edit(ctx, RenderPartial(s.header, text))
		cancel()
		last, shown = time.Now(), text
		if err != nil {
			s.b.lg.Debug("couldn't show partial answer", "err", safeErr(err))
		}
	}
}
