package retrieval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
)

// crashChildEnv makes the test binary act as the child of TestCrashDuringWrite.
const crashChildEnv = "ARTICLEBOT_CRASH_CHILD_SNAPSHOT"

// syntheticDoc is a document of n distinct sentences.
func syntheticDoc(name string, n int) corpus.Document {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Sentence %d talks about topic %d and detail %d of the report. ", i, i%97, i%31)
	}
	return corpus.ParseText(name, b.String())
}

// TestCrashChild is not a test of its own: run by TestCrashDuringWrite as a
// subprocess, it reindexes two alternating corpora in a loop until killed.
func TestCrashChild(t *testing.T) {
	snap := os.Getenv(crashChildEnv)
	if snap == "" {
		t.Skip("runs only as the subprocess of TestCrashDuringWrite")
	}
	small, _ := corpus.Bundled()
	big := append(append([]corpus.Document{}, small...), syntheticDoc("big.txt", 3000))
	turn := 0
	lib := NewLibrary(NewLocalEmbedder(0), func() ([]corpus.Document, error) {
		turn++
		if turn%2 == 1 {
			return small, nil
		}
		return big, nil
	}, Options{Snapshot: snap})
	fmt.Println("started")
	for {
		if _, err := lib.Reindex(context.Background(), nil); err != nil {
			fmt.Fprintln(os.Stderr, "reindex:", err)
			os.Exit(3)
		}
	}
}

// TestCrashDuringWrite kills a process that keeps rewriting the index with
// SIGKILL at many moments, and checks that every time the snapshot left
// behind loads and is one complete index, old or new, never a torn one.
func TestCrashDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	dir := t.TempDir()
	snap := filepath.Join(dir, "index.gob")
	small, _ := corpus.Bundled()
	smallLen := len(corpus.Split(small[0], corpus.DefaultSplit()))
	bigLen := smallLen + len(corpus.Split(syntheticDoc("big.txt", 3000), corpus.DefaultSplit()))

	// Kill at random moments until several kills have landed mid-write
	// (a temporary file is left), within a bounded number of tries.
	const minKills, maxKills, wantMidWrite = 10, 60, 3
	midWrite, kills := 0, 0
	for i := 0; i < maxKills && (i < minKills || midWrite < wantMidWrite); i++ {
		kills++
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+snap)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 16)
		_, _ = out.Read(buf) // wait until the child runs
		// The first child must get a snapshot written before the kills start.
		for deadline := time.Now().Add(20 * time.Second); i == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if _, err := os.Stat(snap); err == nil {
				break
			}
		}
		time.Sleep(time.Duration(20+rand.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()

		if leftovers, _ := filepath.Glob(snap + ".tmp-*"); len(leftovers) > 0 {
			midWrite++
		}
		lib := NewLibrary(NewLocalEmbedder(0), nil, Options{Snapshot: snap})
		if err := lib.Load(context.Background()); err != nil {
			t.Fatalf("kill %d: snapshot does not load: %v", i, err)
		}
		if n := lib.Current().Len(); n != smallLen && n != bigLen {
			t.Fatalf("kill %d: snapshot has %d passages, want %d or %d", i, n, smallLen, bigLen)
		}
		if leftovers, _ := filepath.Glob(snap + ".tmp-*"); len(leftovers) > 0 {
			t.Fatalf("kill %d: Load left stale temporary files %v", i, leftovers)
		}
	}
	t.Logf("%d of %d kills landed while a snapshot was being written", midWrite, kills)
	if midWrite == 0 {
		t.Fatalf("no kill landed mid-write; the test proved nothing")
	}
}
