package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
)

// Environment of the child process of TestCrashDuringWrite.
const (
	crashChildEnv = "ARTICLEBOT_CRASH_CHILD_SNAPSHOT" // snapshot path; set only in the child
	crashStageEnv = "ARTICLEBOT_CRASH_CHILD_STAGE"    // saveStage to stop at
	crashSaveEnv  = "ARTICLEBOT_CRASH_CHILD_SAVE"     // which save (1-based) to stop in
	crashFirstEnv = "ARTICLEBOT_CRASH_CHILD_FIRST"    // "small" or "big": the corpus of save 1
)

// syntheticDoc is a document of n distinct sentences.
func syntheticDoc(name string, n int) corpus.Document {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Sentence %d talks about topic %d and detail %d of the report. ", i, i%97, i%31)
	}
	return corpus.ParseText(name, b.String())
}

// crashCorpora returns the two corpora the child alternates between.
func crashCorpora() (small, big []corpus.Document) {
	small, _ = corpus.Bundled()
	big = append(append([]corpus.Document{}, small...), syntheticDoc("big.txt", 500))
	return small, big
}

// TestCrashChild is not a test of its own: run by TestCrashDuringWrite as a
// subprocess, it saves the two corpora alternately, starting with the one
// crashFirstEnv names. In save number crashSaveEnv, on reaching the stage
// crashStageEnv, it prints "paused STAGE" and blocks until it is killed.
func TestCrashChild(t *testing.T) {
	snap := os.Getenv(crashChildEnv)
	if snap == "" {
		t.Skip("runs only as the subprocess of TestCrashDuringWrite")
	}
	stage := saveStage(os.Getenv(crashStageEnv))
	pauseIn, err := strconv.Atoi(os.Getenv(crashSaveEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad", crashSaveEnv, err)
		os.Exit(3)
	}
	small, big := crashCorpora()
	turn := 0
	if os.Getenv(crashFirstEnv) == "big" {
		turn = 1
	}
	lib := NewLibrary(NewLocalEmbedder(), Documents(func() ([]corpus.Document, error) {
		turn++
		if turn%2 == 1 {
			return small, nil
		}
		return big, nil
	}), Options{Snapshot: snap})
	saves := 0
	lib.saveHook = func(s saveStage) {
		if s == stageTempCreated {
			saves++
		}
		if saves == pauseIn && s == stage {
			fmt.Println("paused", s)
			select {} // until killed
		}
	}
	for {
		if _, err := lib.Reindex(context.Background(), nil); err != nil {
			fmt.Fprintln(os.Stderr, "reindex:", err)
			os.Exit(3)
		}
	}
}

// TestCrashDuringWrite kills, with SIGKILL, a process that is writing the
// index snapshot, at each step of the write: with the temporary file just
// created, half-way through writing it, once it is complete and synced but
// not renamed, and after the rename but before the folder sync. The child
// reports that it has reached the step and waits there, so every kill lands
// where it is meant to. Each time, the snapshot left behind must load and be
// exactly the complete old index (before the rename) or the complete new one
// (after), and Load must remove the crashed writer's temporary file.
func TestCrashDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	small, big := crashCorpora()
	split := func(docs []corpus.Document) (n int) {
		for _, d := range docs {
			n += len(corpus.Split(d, corpus.DefaultSplit()))
		}
		return n
	}
	lens := map[string]int{"small": split(small), "big": split(big)}
	other := map[string]string{"small": "big", "big": "small"}

	tests := []struct {
		stage   saveStage
		renamed bool // the new snapshot is in place
		temp    bool // a temporary file is left behind
		data    bool // the temporary file holds data
	}{
		{stage: stageTempCreated, temp: true},
		{stage: stageMidFile, temp: true, data: true},
		{stage: stageSynced, temp: true, data: true},
		{stage: stageRenamed, renamed: true},
	}
	for _, tt := range tests {
		for _, first := range []string{"small", "big"} {
			t.Run(fmt.Sprintf("%s/%sTo%s", tt.stage, first, other[first]), func(t *testing.T) {
				t.Parallel()
				snap := filepath.Join(t.TempDir(), "index.gob")
				killChildAt(t, snap, tt.stage, 2, first)

				temps, _ := filepath.Glob(snap + ".tmp-*")
				if got := len(temps); got != 0 != tt.temp {
					t.Fatalf("after the kill, %d temporary files %v; want one: %v", got, temps, tt.temp)
				}
				if tt.temp {
					fi, err := os.Stat(temps[0])
					if err != nil {
						t.Fatal(err)
					}
					if got := fi.Size() > 0; got != tt.data {
						t.Fatalf("temporary file has %d bytes; want data: %v", fi.Size(), tt.data)
					}
				}
				want := lens[first]
				if tt.renamed {
					want = lens[other[first]]
				}
				lib := NewLibrary(NewLocalEmbedder(), nil, Options{Snapshot: snap})
				if err := lib.Load(context.Background()); err != nil {
					t.Fatalf("snapshot does not load: %v", err)
				}
				if got := lib.Current().Len(); got != want {
					t.Fatalf("snapshot has %d passages, want %d (small %d, big %d)", got, want, lens["small"], lens["big"])
				}
				if leftovers, _ := filepath.Glob(snap + ".tmp-*"); len(leftovers) > 0 {
					t.Fatalf("Load left stale temporary files %v", leftovers)
				}
			})
		}
	}
	// A crash during the very first save leaves no snapshot at all, and
	// Load says so rather than reading the partial file.
	t.Run("FirstSave", func(t *testing.T) {
		t.Parallel()
		snap := filepath.Join(t.TempDir(), "index.gob")
		killChildAt(t, snap, stageMidFile, 1, "small")
		if temps, _ := filepath.Glob(snap + ".tmp-*"); len(temps) != 1 {
			t.Fatalf("after the kill, temporary files %v; want one", temps)
		}
		lib := NewLibrary(NewLocalEmbedder(), nil, Options{Snapshot: snap})
		if err := lib.Load(context.Background()); !errors.Is(err, ErrNoSnapshot) {
			t.Fatalf("Load = %v, want ErrNoSnapshot", err)
		}
		if leftovers, _ := filepath.Glob(snap + ".tmp-*"); len(leftovers) > 0 {
			t.Fatalf("Load left stale temporary files %v", leftovers)
		}
	})
}

// killChildAt starts TestCrashChild writing snap, waits until it reports
// that it is paused at stage in save number save, and kills it with SIGKILL.
func killChildAt(t *testing.T, snap string, stage saveStage, save int, first string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		crashChildEnv+"="+snap, crashStageEnv+"="+string(stage),
		crashSaveEnv+"="+strconv.Itoa(save), crashFirstEnv+"="+first)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paused := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "paused "+string(stage) {
				paused <- true
				return
			}
		}
		paused <- false
	}()
	// The deadline only bounds a hung child; it is not what makes the
	// kill land mid-write.
	var ok bool
	select {
	case ok = <-paused:
	case <-time.After(2 * time.Minute):
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !ok {
		t.Fatalf("child never paused at %s in save %d; stderr:\n%s", stage, save, stderr.String())
	}
}
