package feedback

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestOpenFiles(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "feedback.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	mustRecord(t, db, answerN("a1", "u1", "llm", "", 0, "m1"))

	var mode string
	if err := db.sql.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	tests := []struct {
		name string
		want os.FileMode
	}{
		{dir, os.ModeDir | 0o700},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	}
	for _, tt := range tests {
		fi, err := os.Stat(tt.name)
		if err != nil {
			t.Fatalf("stat: %v", err)
		}
		if got := fi.Mode() & (os.ModeDir | os.ModePerm); got != tt.want {
			t.Errorf("mode of %s = %v, want %v", filepath.Base(tt.name), got, tt.want)
		}
	}
}

func TestOpenTightensMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedback.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	db.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode of a 0644 file after Open = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestReopenKeepsRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feedback.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, db)
	before, err := db.Summary(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	after, err := db.Summary(ctx, 10)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Fatalf("after reopening, Summary = %+v, %v; want %+v", after, err, before)
	}
}

// TestMigrateFromVersion1 builds a database at schema version 1 with rows
// in it, as the first release wrote it, and checks that Open migrates it
// to the current version with every row kept and the new features usable.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feedback.db")
	old, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Rebuild the file at version 1: drop everything, migrate one step.
	if _, err := old.sql.ExecContext(ctx, `DROP TABLE messages; DROP TABLE votes; DROP TABLE answers; PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	if err := old.migrate(ctx, 1); err != nil {
		t.Fatalf("migrate to 1: %v", err)
	}
	if got := userVersion(t, old); got != 1 {
		t.Fatalf("user_version = %d, want 1", got)
	}
	if _, err := old.sql.ExecContext(ctx, `
		INSERT INTO answers (id, question, answer, citations, mode, reason, guild_id, channel_id, created)
		VALUES ('a1', 'why?', 'because [1]', '["p3"]', 'extractive', '', '900', '901', 1772366400000),
		       ('a2', 'who?', 'not covered', '[]', 'llm', 'off_topic', '', '902', 1772366460000);
		INSERT INTO votes (answer_id, user_id, up, voted) VALUES ('a1', 'u2', 0, 1772366500000), ('a2', 'u3', 1, 1772366500000);`); err != nil {
		t.Fatalf("insert version-1 rows: %v", err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open a version-1 file: %v", err)
	}
	defer db.Close()
	if got, want := userVersion(t, db), len(migrations); got != want {
		t.Fatalf("user_version after Open = %d, want %d", got, want)
	}
	got, err := db.Answer(ctx, "a1")
	want := Answer{ID: "a1", Question: "why?", Text: "because [1]", Citations: []string{"p3"}, Mode: "extractive",
		GuildID: "900", ChannelID: "901", Created: t0, MessageIDs: []string{}, Sources: []Source{}}
	// Linked stays false: the old row has no sources or conversation.
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("migrated Answer(a1) = %+v, %v\nwant %+v", got, err, want)
	}
	sum, err := db.Summary(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [4]int{sum.Answers, sum.Refused, sum.Up, sum.Down}, [4]int{2, 1, 1, 1}; got != want {
		t.Fatalf("migrated answers, refused, 👍, 👎 = %v, want %v", got, want)
	}
	// Versions 2 and 3's additions work on the old rows.
	got.MessageIDs = []string{"m1"}
	got.Sources = []Source{{PassageID: "p3", Quote: "because"}}
	got.ParentMessageID, got.ThreadID = "m0", "t1"
	mustRecord(t, db, got)
	got.Linked = true
	if a, err := db.AnswerByMessage(ctx, "m1"); err != nil || !reflect.DeepEqual(a, got) {
		t.Fatalf("AnswerByMessage(m1) = %+v, %v; want %+v", a, err, got)
	}
	if p, err := db.PurgeUser(ctx, "u2"); err != nil || p != (Purged{Votes: 1}) {
		t.Fatalf("PurgeUser(u2) = %+v, %v; want one vote", p, err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feedback.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open of a version-99 file = %v, want ErrNewerSchema", err)
	}
}

func TestOpenNotAFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), filepath.Join(file, "feedback.db")); err == nil {
		t.Fatal("Open under a regular file succeeded")
	}
}

func userVersion(t *testing.T, db *DB) int {
	t.Helper()
	var v int
	if err := db.sql.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestConcurrentWriters has 30 members vote at once through one DB while
// a second handle on the same file (as the feedback command would be)
// records answers: every write must land, none fail with "database is
// locked".
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feedback.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mustRecord(t, db, answerN("a1", "u0", "llm", "", 0))
	const members = 30
	errs := make(chan error, 2*members)
	for i := range members {
		go func() {
			_, err := db.Vote(ctx, "a1", fmt.Sprintf("u%d", i), i%3 != 0)
			errs <- err
		}()
		go func() { errs <- other.RecordAnswer(ctx, answerN(fmt.Sprintf("b%d", i), "u0", "llm", "", i)) }()
	}
	for range 2 * members {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent write: %v", err)
		}
	}
	sum, err := db.Summary(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [3]int{sum.Answers, sum.Up, sum.Down}, [3]int{1 + members, 20, 10}; got != want {
		t.Fatalf("answers, 👍, 👎 = %v, want %v", got, want)
	}
}
