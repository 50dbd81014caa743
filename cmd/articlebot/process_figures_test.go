package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// benchBinaryEnv names a built articlebot binary for
// TestServeProcessFigures.
const benchBinaryEnv = "ARTICLEBOT_BENCH_BINARY"

// TestServeProcessFigures measures `articlebot serve` as a real process
// against the fake Discord, for BENCHMARKS.md: resident memory serving the
// bundled article, and the time from start to /readyz 200 with a corpus
// of about 10,000 passages, first with an empty data folder and then with
// the saved index. It checks that the restart makes no embedding call. It
// runs only when ARTICLEBOT_BENCH_BINARY names a binary built without the
// race detector:
//
//	go build -o /tmp/articlebot ./cmd/articlebot
//	ARTICLEBOT_BENCH_BINARY=/tmp/articlebot go test -run '^TestServeProcessFigures$' -count=1 -v ./cmd/articlebot/
func TestServeProcessFigures(t *testing.T) {
	bin := os.Getenv(benchBinaryEnv)
	if bin == "" {
		t.Skipf("set %s to a built articlebot binary to measure it", benchBinaryEnv)
	}
	t.Run("ResidentMemory", func(t *testing.T) { measureRSS(t, bin) })
	t.Run("ReadyWith10kPassages", func(t *testing.T) {
		corpusDir := t.TempDir()
		var b strings.Builder
		for i := range 30_000 {
			fmt.Fprintf(&b, "Sentence %d talks about topic %d and detail %d of the report. ", i, i%97, i%31)
		}
		if err := os.WriteFile(filepath.Join(corpusDir, "big.txt"), []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, embedder := range []string{"local", "openai"} {
			t.Run(embedder, func(t *testing.T) { measureReady(t, bin, corpusDir, embedder) })
		}
	})
}

// measureRSS reports VmRSS and VmHWM of serve on the bundled article once
// ready and after answering 50 questions from 10 users.
func measureRSS(t *testing.T, bin string) {
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	p := startServeProcess(t, bin, map[string]string{
		"DISCORD_TOKEN":        serveToken,
		"DISCORD_API_BASE":     fake.URL(),
		"DISCORD_GUILD_ID":     serveGuild,
		"ARTICLEBOT_DATA_DIR":  t.TempDir(),
		"ARTICLEBOT_HTTP_ADDR": freeAddr(t),
	})
	p.waitReady(t, fake, serveGuild)
	rss0, hwm0 := procMemory(t, p.cmd.Process.Pid)
	sb := &servedBot{fake: fake}
	ctx := serveCtx(t, 60*time.Second)
	var wg sync.WaitGroup
	for u := range 10 {
		wg.Go(func() {
			for q := range 5 {
				token := sb.ask(t, ctx, fmt.Sprintf("44%016d", u), loadQuestions[q], false)
				sb.wait(t, ctx, token, withSources)
			}
		})
	}
	wg.Wait()
	rss1, hwm1 := procMemory(t, p.cmd.Process.Pid)
	p.stop(t, 10*time.Second)
	t.Logf("serve, bundled article: VmRSS %.1f MB ready, %.1f MB after 50 answers; VmHWM %.1f MB, %.1f MB", rss0, rss1, hwm0, hwm1)
}

// measureReady reports the time from starting serve to /readyz 200 with
// an empty data folder (the index is built) and again with the saved
// index, and checks that the restart embeds nothing.
func measureReady(t *testing.T, bin, corpusDir, embedder string) {
	fake := fakediscord.New(fakediscord.Options{Token: serveToken})
	t.Cleanup(fake.Close)
	env := map[string]string{
		"DISCORD_TOKEN":         serveToken,
		"DISCORD_API_BASE":      fake.URL(),
		"DISCORD_GUILD_ID":      serveGuild,
		"ARTICLEBOT_DATA_DIR":   t.TempDir(),
		"ARTICLEBOT_CORPUS_DIR": corpusDir,
		"ARTICLEBOT_EMBEDDER":   embedder,
	}
	var ai *fakeopenai.Server
	if embedder == "openai" {
		ai = newModel(t, fakeopenai.Good())
		env["OPENAI_BASE_URL"], env["OPENAI_API_KEY"] = ai.BaseURL(), testAPIKey
	}
	var took [2]time.Duration
	var batches [2]int
	passages := ""
	for run := range 2 {
		env["ARTICLEBOT_HTTP_ADDR"] = freeAddr(t)
		p := startServeProcess(t, bin, env)
		took[run] = waitReadyz(t, p, env["ARTICLEBOT_HTTP_ADDR"])
		_, metrics := httpGet(t, "http://"+env["ARTICLEBOT_HTTP_ADDR"]+"/metrics")
		passages = regexp.MustCompile(`(?m)^articlebot_indexed_passages (\d+)$`).FindStringSubmatch(metrics)[1]
		if ai != nil {
			batches[run] = len(ai.EmbeddingBatches())
		}
		p.stop(t, 10*time.Second)
	}
	if ai != nil && (batches[0] == 0 || batches[1] != batches[0]) {
		t.Errorf("embedding calls: %d building, %d in all after the restart; want some, then none more", batches[0], batches[1])
	}
	t.Logf("serve, %s embedder, %s passages: ready %v with an empty data folder (%d embedding calls), %v restarting with the saved index (%d embedding calls)",
		embedder, passages, took[0].Round(time.Millisecond), batches[0], took[1].Round(time.Millisecond), batches[1]-batches[0])
}

// waitReadyz polls /readyz until it answers 200 and returns the time since
// the process started.
func waitReadyz(t *testing.T, p *serveProcess, addr string) time.Duration {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		if resp, err := client.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(p.started)
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("serve exited: %v\n%s", p.err, p.stderr.String())
		case <-time.After(2 * time.Millisecond):
		}
	}
	t.Fatalf("/readyz not 200 within 60 s\n%s", p.stderr.String())
	return 0
}

// procMemory returns VmRSS and VmHWM of process pid, in MB.
func procMemory(t *testing.T, pid int) (rss, hwm float64) {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read process status: %v", err)
	}
	kb := func(field string) float64 {
		m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB$`).FindSubmatch(status)
		if m == nil {
			t.Fatalf("no %s in /proc/%d/status", field, pid)
		}
		n, _ := strconv.ParseFloat(string(m[1]), 64)
		return n / 1024
	}
	return kb("VmRSS"), kb("VmHWM")
}
