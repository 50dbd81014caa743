package main

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkServeAsk measures /ask through `articlebot serve` against the
// fake Discord on loopback, with the offline (extractive) answerer: the
// time from the fake writing INTERACTION_CREATE to the deferred
// acknowledgement arriving, and to the final answer's edit arriving. Each
// iteration asks as a new user, so the rate limit stays out of the way,
// and 8 askers (4 per core) run at once.
//
//	go test -run '^$' -bench BenchmarkServeAsk -benchtime 300x ./cmd/articlebot/
func BenchmarkServeAsk(b *testing.B) {
	sb := startServe(b, map[string]string{"ARTICLEBOT_LOG_LEVEL": "warn"})
	ctx := serveCtx(b, 10*time.Minute)
	var (
		mu      sync.Mutex
		acks    []time.Duration
		asked   = map[string]time.Time{} // token -> dispatched
		users   atomic.Int64
		answers []time.Duration
	)
	b.SetParallelism(4) // 8 askers at a time on 2 cores: the default 4 workers stay busy
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			token := sb.ask(b, ctx, fmt.Sprintf("35%016d", users.Add(1)), onTopic2, false)
			r := sb.wait(b, ctx, token, edited)
			mu.Lock()
			acks = append(acks, r.AckedAt.Sub(r.DispatchedAt))
			asked[token] = r.DispatchedAt
			mu.Unlock()
		}
	})
	b.StopTimer()
	final := map[string]time.Time{}
	for _, req := range sb.fake.Requests() {
		if req.Method != "PATCH" {
			continue
		}
		parts := strings.Split(req.Path, "/") // /api/v9/webhooks/{app}/{token}/messages/@original
		if len(parts) > 5 && req.Time.After(final[parts[5]]) {
			final[parts[5]] = req.Time
		}
	}
	for token, at := range asked {
		answers = append(answers, final[token].Sub(at))
	}
	report := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(ds[(len(ds)*99)/100].Microseconds())/1000, name+"-p99-ms")
	}
	report("ack", acks)
	report("answer", answers)
}
