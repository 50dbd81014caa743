package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// BenchmarkServeFollowUp measures follow-ups through `articlebot serve`
// against the fake Discord with 20 ms of latency on every REST call,
// from MESSAGE_CREATE to the bot's reply: first questions in DMs; then,
// after a restart, a reply to each answer (cold); then a reply to each of
// those answers (warm). It reports the REST reads (GET) each follow-up
// cost. The offline answerer answers. The restart is on a new data
// folder (NewData: nothing recorded, as on another machine) or on the
// same one (SameData: the answers are in feedback.db).
//
//	go test -run '^$' -bench BenchmarkServeFollowUp -benchtime 50x ./cmd/articlebot/
func BenchmarkServeFollowUp(b *testing.B) {
	b.Run("NewData", func(b *testing.B) { benchFollowUp(b, false) })
	b.Run("SameData", func(b *testing.B) { benchFollowUp(b, true) })
}

func benchFollowUp(b *testing.B, sameData bool) {
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	b.Cleanup(fake.Close)
	env := map[string]string{"ARTICLEBOT_LOG_LEVEL": "warn", "ARTICLEBOT_RATE_PER_MINUTE": "600"}
	if sameData {
		env["ARTICLEBOT_DATA_DIR"] = b.TempDir()
	}
	_, stop := startServeOn(b, b.Context(), fake, env)
	fake.SetLatency(20 * time.Millisecond)
	ctx := serveCtx(b, 10*time.Minute)
	// replied waits for the bot's nth message in ch and returns its ID.
	replied := func(ch string, n int) string {
		var id string
		if err := fake.WaitFor(ctx, func([]fakediscord.Request) bool {
			msgs := fake.ChannelMessages(ch)
			if len(msgs) >= n {
				id = msgs[n-1].ID
			}
			return len(msgs) >= n
		}); err != nil {
			b.Fatalf("no reply in %s: %v", ch, err)
		}
		return id
	}
	// turn sends content in DM i, replying to ref, and waits for the
	// bot's nth reply; it returns the time taken, the reply and the GETs.
	turn := func(i int, content, ref string, n int) (time.Duration, string, int) {
		ch, user := fmt.Sprintf("46%016d", i), fakediscord.User{ID: fmt.Sprintf("36%016d", i)}
		before := len(fake.Requests())
		start := time.Now()
		if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: user, Content: content, ReferenceID: ref}); err != nil {
			b.Fatal(err)
		}
		id := replied(ch, n)
		d := time.Since(start)
		gets := 0
		for _, r := range fake.Requests()[before:] {
			if r.Method == "GET" && strings.Contains(r.Path, "/channels/"+ch) {
				gets++
			}
		}
		return d, id, gets
	}
	var first, cold, warm []time.Duration
	var coldGets, warmGets int
	answers := make([]string, b.N)
	b.ResetTimer()
	for i := range b.N {
		var d time.Duration
		d, answers[i], _ = turn(i, onTopic2, "", 1)
		first = append(first, d)
	}
	b.StopTimer()
	fake.SetLatency(0)
	stop()
	startServeOn(b, b.Context(), fake, env)
	fake.SetLatency(20 * time.Millisecond)
	b.StartTimer()
	for i := range b.N {
		d, id, g := turn(i, followUp1, answers[i], 2)
		cold, coldGets, answers[i] = append(cold, d), coldGets+g, id
	}
	for i := range b.N {
		d, _, g := turn(i, followUp2, answers[i], 3)
		warm, warmGets = append(warm, d), warmGets+g
	}
	b.StopTimer()
	report := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(ds[(len(ds)*99)/100].Microseconds())/1000, name+"-p99-ms")
	}
	report("first", first)
	report("cold", cold)
	report("warm", warm)
	b.ReportMetric(float64(coldGets)/float64(b.N), "gets/cold")
	b.ReportMetric(float64(warmGets)/float64(b.N), "gets/warm")
}
