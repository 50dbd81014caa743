package answer

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/modelclient"
)

const testKey = "test-key"

// testPassages are four passages of one article, as retrieval returns them.
func testPassages() []corpus.Passage {
	return []corpus.Passage{
		{ID: "p-background", Document: "Xi and Russia", Section: "Background",
			Text: "Xi Jinping first visited Moscow as president in March 2013. The trip set the tone for a decade of summits."},
		{ID: "p-energy", Document: "Xi and Russia", Section: "Energy",
			Text: "Russia supplies a growing share of China's oil imports. The Power of Siberia pipeline began delivering gas in 2019."},
		{ID: "p-sanctions", Document: "Xi and Russia", Section: "Sanctions",
			Text: "Western sanctions after 2022 pushed Russian trade toward China. Chinese exports of machinery to Russia rose sharply."},
		{ID: "p-outlook", Document: "Xi and Russia", Section: "Outlook",
			Text: "Analysts disagree on how durable the partnership is. Some call it a marriage of convenience."},
	}
}

// goodAnswer cites passages 1 and 2 of testPassages.
const goodAnswer = "Xi first visited Moscow as president in 2013 [1]. Gas began flowing through the Power of Siberia pipeline in 2019 [2]."

// retryLog records what the retry policy of an LLM under test did.
type retryLog struct {
	mu      sync.Mutex
	waits   []time.Duration
	retries []int
}

func (r *retryLog) Waits() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

func (r *retryLog) Retries() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.retries...)
}

// newTestLLM starts a fake with opts and returns an LLM calling it with
// key. With fakeClock, the retry policy records its waits instead of
// sleeping, advances a fake clock by them, and uses the full backoff
// ceiling as the jitter, so attempt counts are deterministic.
func newTestLLM(t testing.TB, fopts fakeopenai.Options, key string, opt LLMOptions, fakeClock bool) (*LLM, *fakeopenai.Server, *retryLog) {
	t.Helper()
	fake := fakeopenai.New(fopts)
	t.Cleanup(fake.Close)
	if opt.Model == "" {
		opt.Model = "test-model"
	}
	log := &retryLog{}
	onRetry := opt.OnRetry
	opt.OnRetry = func(attempt int, err error) {
		log.mu.Lock()
		log.retries = append(log.retries, attempt)
		log.mu.Unlock()
		if onRetry != nil {
			onRetry(attempt, err)
		}
	}
	l := NewLLM(slog.New(slog.DiscardHandler), modelclient.New(fake.BaseURL(), key, nil), opt)
	if fakeClock {
		var mu sync.Mutex
		var offset time.Duration
		l.retry.Now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return time.Now().Add(offset)
		}
		l.retry.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			offset += d
			mu.Unlock()
			log.mu.Lock()
			log.waits = append(log.waits, d)
			log.mu.Unlock()
			return ctx.Err()
		}
		l.retry.Jitter = func(ceiling time.Duration) time.Duration { return ceiling }
	}
	return l, fake, log
}

// partials collects what onPartial receives.
type partials struct {
	mu   sync.Mutex
	seen []string
}

func (p *partials) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, s)
}

func (p *partials) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}
