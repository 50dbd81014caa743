package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"
)

// BenchmarkButtonAck measures how fast `articlebot serve` acknowledges
// vote buttons against the fake Discord, the feedback database in a
// fresh data folder: each round, 30 members press 👍 or 👎 on one answer
// at once, and the acknowledgement time of a press runs from the fake
// writing INTERACTION_CREATE to its receiving the callback. The vote is
// written to SQLite (WAL, synchronous FULL) before the callback, which
// carries the result. Rounds alternate new votes and changed ones.
//
//	go test -run '^$' -bench BenchmarkButtonAck -benchtime 20x ./cmd/articlebot/
func BenchmarkButtonAck(b *testing.B) {
	sb := startServe(b, map[string]string{"ARTICLEBOT_LOG_LEVEL": cmp.Or(os.Getenv("VOTES_LOG_LEVEL"), "warn")})
	ctx := serveCtx(b, 10*time.Minute)
	answer := *sb.wait(b, ctx, sb.ask(b, ctx, "349000000000000001", onTopic, false), withSources).Original
	up, down, _ := voteButtons(b, answer)
	const members = 30
	var (
		acks     []time.Duration
		deferred int
	)
	b.ResetTimer()
	for round := range b.N {
		rs := burst(b, ctx, sb, members, func(i int) (string, string, string) {
			button := up
			if (i+round)%2 == 0 {
				button = down
			}
			return answer.ID, button, fmt.Sprintf("3490000000000001%02d", i)
		})
		for _, r := range rs {
			checkVoteReply(b, r, r.Original.Content) // ephemeral, in time
			acks = append(acks, r.AckedAt.Sub(r.DispatchedAt))
			if r.CallbackType == 5 {
				deferred++
			}
		}
	}
	b.StopTimer()
	slices.Sort(acks)
	b.ReportMetric(float64(acks[len(acks)/2].Microseconds())/1000, "ack-p50-ms")
	b.ReportMetric(float64(acks[(len(acks)*99)/100].Microseconds())/1000, "ack-p99-ms")
	b.ReportMetric(float64(acks[len(acks)-1].Microseconds())/1000, "ack-max-ms")
	b.ReportMetric(float64(deferred)/float64(len(acks)), "deferred/press")
	if dump := os.Getenv("VOTES_DUMP_LOGS"); dump != "" {
		os.WriteFile(dump, []byte(sb.logs.String()), 0o600)
	}
}
