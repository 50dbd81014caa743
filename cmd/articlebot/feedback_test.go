package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/config"
	"github.com/articlebot/articlebot/feedback"
)

// Members of the seeded feedback database.
const (
	ann = "111111111111111111"
	bob = "222222222222222222"
	cat = "333333333333333333"
)

// seedFeedback records answers and votes in a new data folder's feedback
// database, the way the bot does, and returns the folder: a1 (llm, asked
// by ann) 👎👎👍, a2 (extractive, ann) 👎, a3 (extractive, off_topic,
// bob) 👎👍, a4 (extractive, cat) 👍, a5 (llm, language, cat) no votes,
// and old, given ageOld ago, 👎.
func seedFeedback(t *testing.T, ageOld time.Duration) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := feedback.Open(ctx, filepath.Join(dir, "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for i, a := range []feedback.Answer{
		{ID: "a1", Question: "Why does Russia need China?", Mode: "llm", UserID: ann},
		{ID: "a2", Question: "why does russia  need China?", Mode: "extractive", UserID: ann},
		{ID: "a3", Question: "Who painted the Mona Lisa?", Mode: "extractive", Reason: "off_topic", UserID: bob},
		{ID: "a4", Question: "Where are the drills?", Mode: "extractive", UserID: cat},
		{ID: "a5", Question: "¿Por qué?", Mode: "llm", Reason: "language", UserID: cat},
		{ID: "old", Question: "An old question", Mode: "llm", UserID: cat, Created: now.Add(-ageOld)},
	} {
		if a.Created.IsZero() {
			a.Created = now.Add(time.Duration(i-10) * time.Minute)
		}
		a.Text, a.MessageIDs = "text of "+a.ID, []string{"m-" + a.ID}
		if err := db.RecordAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []struct {
		answer, user string
		up           bool
	}{
		{"a1", bob, false}, {"a1", cat, false}, {"a1", ann, true},
		{"a2", bob, false},
		{"a3", ann, false}, {"a3", cat, true},
		{"a4", ann, true},
		{"old", ann, false},
	} {
		if _, err := db.Vote(ctx, v.answer, v.user, v.up); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFeedbackSummary(t *testing.T) {
	dir := seedFeedback(t, 40*24*time.Hour) // "old" is past the 30-day retention
	code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	want := `5 answers (2 refused); 7 votes on 4 answers: 3 👍, 4 👎 (57% 👎)

👎 rate by mode:
  mode        answers  up  down  down rate
  extractive  3        2   2     50%
  llm         2        1   2     67%

👎 rate by refusal reason:
  reason      answers  up  down  down rate
  (answered)  3        2   3     60%
  language    1        0   0     -
  off_topic   1        1   1     50%

Most downvoted:
  down  up  answer  mode        reason     question
  2     1   a1      llm         -          "Why does Russia need China?"
  1     0   a2      extractive  -          "why does russia  need China?"
  1     1   a3      extractive  off_topic  "Who painted the Mona Lisa?"
`
	if stdout != want {
		t.Fatalf("feedback printed:\n%s\nwant:\n%s", stdout, want)
	}

	code, stdout, stderr = runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback", "--json", "-n", "1")
	if code != 0 {
		t.Fatalf("--json: exit %d, stderr %s", code, stderr)
	}
	var got feedbackSummary
	decodeOne(t, stdout, &got)
	if got.Answers != 5 || got.Refused != 2 || got.Up != 3 || got.Down != 4 || got.VotedAnswers != 4 {
		t.Errorf("totals = %+v", got)
	}
	if len(got.ByMode) != 2 || got.ByMode[1] != (modeRate{"llm", voteRate{Answers: 2, Up: 1, Down: 2, DownRate: 2.0 / 3}}) {
		t.Errorf("by_mode = %+v", got.ByMode)
	}
	if len(got.ByReason) != 3 || got.ByReason[0].Reason != "" || got.ByReason[2] != (reasonRate{"off_topic", voteRate{Answers: 1, Up: 1, Down: 1, DownRate: 0.5}}) {
		t.Errorf("by_reason = %+v", got.ByReason)
	}
	if len(got.MostDownvoted) != 1 || got.MostDownvoted[0].ID != "a1" || got.MostDownvoted[0].Down != 2 || got.MostDownvoted[0].Created.IsZero() {
		t.Errorf("most_downvoted with -n 1 = %+v, want a1 alone", got.MostDownvoted)
	}
}

func TestFeedbackEmpty(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback")
	if want := "no answers recorded in " + filepath.Join(dir, "feedback.db") + "\n"; code != 0 || stdout != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0, %q", code, stdout, stderr, want)
	}
}

func TestFeedbackRetention(t *testing.T) {
	tests := []struct {
		name      string
		ageOld    time.Duration
		retention string
		answers   string
	}{
		{"Default", 40 * 24 * time.Hour, "", "5 answers"},
		{"DefaultKeeps", 29 * 24 * time.Hour, "", "6 answers"},
		{"Days", 40 * 24 * time.Hour, "60d", "6 answers"},
		{"Hours", 2 * time.Hour, "1h", "5 answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := seedFeedback(t, tt.ageOld)
			code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir, "ARTICLEBOT_RETENTION": tt.retention}, "feedback")
			if code != 0 || !strings.HasPrefix(stdout, tt.answers) {
				t.Fatalf("ARTICLEBOT_RETENTION=%q: exit %d, stdout %q, stderr %q; want it to start %q", tt.retention, code, stdout, stderr, tt.answers)
			}
		})
	}
}

func TestFeedbackExport(t *testing.T) {
	dir := seedFeedback(t, time.Hour)
	file := filepath.Join(t.TempDir(), "downvoted.jsonl")
	code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback", "export", file)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if want := "wrote 3 questions to " + file + " (from 4 downvoted answers); add evidence phrases, or \"offtopic\": true, before using it with articlebot eval\n"; stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Most 👎 first, then fewest 👍; a2 repeats a1's question in other
	// case and spacing, so it is written once.
	want := `{"id":"fb-a1","question":"Why does Russia need China?","evidence":[]}
{"id":"fb-old","question":"An old question","evidence":[]}
{"id":"fb-a3","question":"Who painted the Mona Lisa?","evidence":[]}
`
	if string(data) != want {
		t.Fatalf("export wrote:\n%s\nwant:\n%s", data, want)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode = %v, want 0600", fi.Mode().Perm())
	}
	// Labelled, the lines are eval questions.
	labelled := filepath.Join(t.TempDir(), "labelled.jsonl")
	if err := os.WriteFile(labelled, []byte(strings.ReplaceAll(string(data), `[]`, `["China"]`)), 0o600); err != nil {
		t.Fatal(err)
	}
	if entries, err := readEvalFile(labelled); err != nil || len(entries) != 3 {
		t.Fatalf("readEvalFile(labelled export) = %d entries, %v; want 3", len(entries), err)
	}

	t.Run("ErrExists", func(t *testing.T) {
		code, _, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback", "export", file)
		if code != 1 || !strings.Contains(stderr, "already exists") {
			t.Fatalf("export over an existing file: exit %d, stderr %q; want 1, already exists", code, stderr)
		}
		if again, _ := os.ReadFile(file); string(again) != want {
			t.Fatal("the existing file was changed")
		}
	})
	t.Run("JSON", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "d.jsonl")
		code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback", "export", "--json", file)
		var got struct {
			File      string `json:"file"`
			Questions int    `json:"questions"`
			Downvoted int    `json:"downvoted_answers"`
		}
		decodeOne(t, stdout, &got)
		if code != 0 || got.File != file || got.Questions != 3 || got.Downvoted != 4 {
			t.Fatalf("exit %d, %+v, stderr %q", code, got, stderr)
		}
	})
}

func TestFeedbackPurge(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		stdout string
		after  string // first line of the summary afterwards
	}{
		{"AskerAndVoter", ann, "deleted member " + ann + "'s 4 votes and 2 answers to their questions (with 3 votes by other members on them)\n",
			"4 answers (2 refused); 1 vote on 1 answer: 1 👍, 0 👎 (0% 👎)"},
		{"OneEach", bob, "deleted member " + bob + "'s 2 votes and 1 answer to their questions (with 2 votes by other members on them)\n",
			"5 answers (1 refused); 4 votes on 3 answers: 2 👍, 2 👎 (50% 👎)"},
		{"Unknown", "444444444444444444", "deleted member 444444444444444444's 0 votes and 0 answers to their questions (with 0 votes by other members on them)\n",
			"6 answers (2 refused); 8 votes on 5 answers: 3 👍, 5 👎 (62% 👎)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := seedFeedback(t, time.Hour)
			env := map[string]string{"ARTICLEBOT_DATA_DIR": dir}
			code, stdout, stderr := runCLI(t, env, "feedback", "purge", "--user", tt.user)
			if code != 0 || stdout != tt.stdout {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0, %q", code, stdout, stderr, tt.stdout)
			}
			_, stdout, _ = runCLI(t, env, "feedback")
			if got, _, _ := strings.Cut(stdout, "\n"); got != tt.after {
				t.Fatalf("summary after purge starts %q, want %q", got, tt.after)
			}
		})
	}
	t.Run("JSON", func(t *testing.T) {
		dir := seedFeedback(t, time.Hour)
		code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dir}, "feedback", "purge", "--json", "--user", cat)
		var got struct {
			User       string `json:"user"`
			Votes      int    `json:"votes"`
			Answers    int    `json:"answers"`
			OtherVotes int    `json:"other_votes"`
		}
		decodeOne(t, stdout, &got)
		if code != 0 || got.User != cat || got.Votes != 2 || got.Answers != 3 || got.OtherVotes != 2 {
			t.Fatalf("exit %d, %+v, stderr %q", code, got, stderr)
		}
	})
}

func TestFeedbackUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"UnknownSubcommand", []string{"feedback", "show"}, `unknown subcommand "show"`},
		{"ExportNoFile", []string{"feedback", "export"}, "give one file"},
		{"ExportTwoFiles", []string{"feedback", "export", "a", "b"}, "give one file"},
		{"PurgeNoUser", []string{"feedback", "purge"}, "not a numeric Discord user ID"},
		{"PurgeName", []string{"feedback", "purge", "--user", "bob"}, `--user "bob" is not a numeric`},
		{"PurgePositional", []string{"feedback", "purge", ann}, "give the member as --user ID"},
		{"UserWithoutPurge", []string{"feedback", "--user", ann}, "--user goes with purge"},
		{"NWithExport", []string{"feedback", "export", "-n", "3", "f"}, "-n applies to the summary only"},
		{"NegativeN", []string{"feedback", "-n", "-1"}, "negative"},
		{"ExtraArgument", []string{"feedback", "all"}, `unknown subcommand "all"`},
		{"BadRetention", []string{"feedback"}, "ARTICLEBOT_RETENTION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			if tt.name == "BadRetention" {
				env["ARTICLEBOT_RETENTION"] = "30"
			}
			code, stdout, stderr := runCLI(t, env, tt.args...)
			if code != 2 || !strings.Contains(lastLine(stderr), tt.want) || stdout != "" {
				t.Fatalf("%v: exit %d, stdout %q, last stderr line %q; want 2, %q", tt.args, code, stdout, lastLine(stderr), tt.want)
			}
		})
	}
}

func TestServedFeedback(t *testing.T) {
	ctx := context.Background()
	dir := seedFeedback(t, 40*24*time.Hour)
	cfg := config.Config{DataDir: dir, Retention: config.DefaultRetention}
	f, err := openServedFeedback(ctx, slog.New(slog.DiscardHandler), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.Answer(ctx, "old"); !errors.Is(err, feedback.ErrNotFound) {
		t.Errorf("an answer past the retention period survived opening: %v", err)
	}
	if err := f.Writer.RecordAnswer(ctx, feedback.Answer{ID: "new", Question: "q", Mode: "llm", MessageIDs: []string{"m-new"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	db, err := feedback.Open(ctx, cfg.FeedbackDB())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if a, err := db.AnswerByMessage(ctx, "m-new"); err != nil || a.ID != "new" {
		t.Fatalf("the queued answer after Close = %+v, %v; want it written", a, err)
	}
}
