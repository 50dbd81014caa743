package feedback

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Environment of the child process of TestKillDuringWrite.
const (
	crashChildEnv = "ARTICLEBOT_FEEDBACK_CRASH_DB"    // database path; set only in the child
	crashStageEnv = "ARTICLEBOT_FEEDBACK_CRASH_STAGE" // "vote", "answer" or "purge"
	crashAfterEnv = "ARTICLEBOT_FEEDBACK_CRASH_AFTER" // writes committed before the one that pauses
)

// bigText is the size of the answer being written when the "answer" child
// is killed: larger than SQLite's 2 MB page cache, so the uncommitted
// transaction has spilled pages into the WAL file when the kill lands.
const bigText = 8 << 20

// crashAnswer is answer i of the "answer" child, with two messages.
func crashAnswer(i, after int) Answer {
	a := answerN(fmt.Sprintf("a%d", i), "asker", "extractive", "", i, fmt.Sprintf("m%d-1", i), fmt.Sprintf("m%d-2", i))
	if i == after+1 {
		a.Text = strings.Repeat("x", bigText)
	}
	return a
}

// TestCrashChild is not a test of its own: run by TestKillDuringWrite as a
// subprocess, it records answer a0, then writes in a loop (votes by member
// u1, u2, ... on a0; answers a1, a2, ...; or, for "purge", votes by u1..uN
// and then a purge of u1). Inside the write after crashAfterEnv committed
// ones, after its statements and before its commit, it prints "paused
// STAGE" and blocks until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs only as the subprocess of TestKillDuringWrite")
	}
	stage := os.Getenv(crashStageEnv)
	after, err := strconv.Atoi(os.Getenv(crashAfterEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad", crashAfterEnv, err)
		os.Exit(3)
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err == nil {
		err = db.RecordAnswer(ctx, answerN("a0", "asker", "llm", "", 0, "m0"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	writes := 0
	db.hook = func(s string) {
		if s != stage {
			return
		}
		if writes++; writes == after+1 {
			fmt.Println("paused", s)
			select {} // until killed
		}
	}
	for i := 1; ; i++ {
		switch stage {
		case "vote":
			_, err = db.Vote(ctx, "a0", fmt.Sprintf("u%d", i), i%2 == 0)
		case "answer":
			err = db.RecordAnswer(ctx, crashAnswer(i, after))
		case "purge":
			if i <= after {
				_, err = db.Vote(ctx, "a0", fmt.Sprintf("u%d", i), false)
			} else {
				after = 0 // pause in the first purge
				_, err = db.PurgeUser(ctx, "u1")
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, stage, err)
			os.Exit(3)
		}
	}
}

// TestKillDuringWrite kills, with SIGKILL, a process in the middle of a
// write transaction: a vote, an answer with its messages (large enough
// that uncommitted pages are already in the WAL file) and a purge. The
// child reports that it is inside the transaction and waits there, so the
// kill always lands mid-write. Reopened, the database must pass SQLite's
// integrity and foreign-key checks, hold every committed write, and show
// nothing of the interrupted one.
func TestKillDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	const after = 20
	tests := []struct {
		stage string
		check func(t *testing.T, db *DB)
	}{
		{"vote", func(t *testing.T, db *DB) {
			if got := count(t, db, "SELECT COUNT(*) FROM votes"); got != after {
				t.Errorf("%d votes, want the %d committed", got, after)
			}
			if got := count(t, db, "SELECT COUNT(*) FROM votes WHERE user_id = ?", fmt.Sprintf("u%d", after+1)); got != 0 {
				t.Errorf("the interrupted vote is present")
			}
			if got := count(t, db, "SELECT COUNT(*) FROM votes WHERE up = (CAST(SUBSTR(user_id, 2) AS INTEGER) % 2 = 0)"); got != after {
				t.Errorf("%d votes with the direction written, want %d", got, after)
			}
		}},
		{"answer", func(t *testing.T, db *DB) {
			if got := count(t, db, "SELECT COUNT(*) FROM answers"); got != after+1 {
				t.Errorf("%d answers, want a0 and the %d committed", got, after)
			}
			if got := count(t, db, "SELECT COUNT(*) FROM messages"); got != 1+2*after {
				t.Errorf("%d messages, want %d: every answer's and none of the interrupted one's", got, 1+2*after)
			}
			if got := count(t, db, "SELECT COUNT(*) FROM answers WHERE LENGTH(answer) >= ?", bigText); got != 0 {
				t.Errorf("the interrupted answer is present")
			}
			a, err := db.Answer(context.Background(), fmt.Sprintf("a%d", after))
			if err != nil || len(a.MessageIDs) != 2 {
				t.Errorf("last committed answer = %+v, %v; want it with 2 messages", a, err)
			}
		}},
		{"purge", func(t *testing.T, db *DB) {
			if got := count(t, db, "SELECT COUNT(*) FROM votes"); got != after {
				t.Errorf("%d votes, want all %d: the purge was not committed", got, after)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "feedback.db")
			killChildAt(t, path, tt.stage, after)
			if tt.stage == "answer" {
				// The kill must have caught uncommitted data in the WAL, or
				// this test would not show that recovery discards it.
				if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() < bigText/2 {
					t.Fatalf("WAL after the kill: %v, %v; want over %d bytes of uncommitted pages", fi, err, bigText/2)
				}
			}
			db, err := Open(context.Background(), path)
			if err != nil {
				t.Fatalf("reopen after kill -9: %v", err)
			}
			defer db.Close()
			var ok string
			if err := db.sql.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
				t.Fatalf("integrity_check = %q, %v", ok, err)
			}
			if got := count(t, db, "SELECT COUNT(*) FROM pragma_foreign_key_check"); got != 0 {
				t.Fatalf("foreign_key_check found %d orphan rows", got)
			}
			tt.check(t, db)
			// The database takes writes again.
			if _, err := db.Vote(context.Background(), "a0", "later", true); err != nil {
				t.Fatalf("vote after recovery: %v", err)
			}
		})
	}
}

func count(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.sql.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// killChildAt starts TestCrashChild writing path, waits until it reports
// that it is paused inside the write transaction of stage, and kills it
// with SIGKILL.
func killChildAt(t *testing.T, path, stage string, after int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path, crashStageEnv+"="+stage, crashAfterEnv+"="+strconv.Itoa(after))
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
			if sc.Text() == "paused "+stage {
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
		t.Fatalf("child never paused in a %s write; stderr:\n%s", stage, stderr.String())
	}
}
