package feedback

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// store is everything DB and Mem share; the contract tests run on both.
type store interface {
	Recorder
	Purger
	Answer(ctx context.Context, id string) (Answer, error)
	AnswerByMessage(ctx context.Context, messageID string) (Answer, error)
	Vote(ctx context.Context, answerID, userID string, up bool) (bool, error)
	Summary(ctx context.Context, limit int) (Summary, error)
	DownvotedQuestions(ctx context.Context) ([]Tally, error)
	PurgeUser(ctx context.Context, userID string) (Purged, error)
}

var (
	_ store = (*DB)(nil)
	_ store = (*Mem)(nil)
)

// stores returns a fresh store of each kind.
func stores(t *testing.T) map[string]store {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "feedback.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return map[string]store{"DB": db, "Mem": NewMem()}
}

// forEachStore runs test as a subtest against a fresh DB and a fresh Mem.
func forEachStore(t *testing.T, test func(t *testing.T, s store)) {
	t.Helper()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) { test(t, s) })
	}
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// answerN is a test answer; i varies its ID, question and time.
func answerN(id, user, mode, reason string, minutes int, msgs ...string) Answer {
	return Answer{
		ID: id, Question: "question " + id, Text: "answer " + id, Citations: []string{"p1", "p2"},
		Mode: mode, Reason: reason, UserID: user, GuildID: "900", ChannelID: "901",
		Created: t0.Add(time.Duration(minutes) * time.Minute), MessageIDs: msgs,
		Sources: []Source{
			{N: 1, PassageID: "p1", Document: "Doc", Section: "Part one", Text: "The whole passage p1.", Quote: "passage p1"},
			{N: 2, PassageID: "p2", Document: "Doc", Text: "Passage p2.", Quote: "Passage p2.", URL: "https://example.org/doc#:~:text=Passage%20p2."},
		},
		ParentMessageID: "parent-" + id, ThreadID: "thread-" + id, Linked: true,
	}
}

func mustRecord(t *testing.T, s store, as ...Answer) {
	t.Helper()
	for _, a := range as {
		if err := s.RecordAnswer(context.Background(), a); err != nil {
			t.Fatalf("RecordAnswer(%s): %v", a.ID, err)
		}
	}
}

func mustVote(t *testing.T, s store, answerID, user string, up bool) {
	t.Helper()
	if _, err := s.Vote(context.Background(), answerID, user, up); err != nil {
		t.Fatalf("Vote(%s, %s): %v", answerID, user, err)
	}
}

func TestContractRecordAndLookup(t *testing.T) {
	forEachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		a := answerN("a1", "u1", "llm", "", 0, "m1", "m2")
		a.Created = a.Created.Add(1234567 * time.Nanosecond) // kept to the millisecond
		mustRecord(t, s, a, answerN("a2", "u2", "extractive", "off_topic", 1))
		want := a
		want.Created = t0.Add(time.Millisecond)

		tests := []struct {
			name   string
			lookup func() (Answer, error)
			want   Answer
			err    error
		}{
			{"ByID", func() (Answer, error) { return s.Answer(ctx, "a1") }, want, nil},
			{"ByFirstMessage", func() (Answer, error) { return s.AnswerByMessage(ctx, "m1") }, want, nil},
			{"ByLastMessage", func() (Answer, error) { return s.AnswerByMessage(ctx, "m2") }, want, nil},
			{"NoMessages", func() (Answer, error) { return s.Answer(ctx, "a2") }, func() Answer {
				a := answerN("a2", "u2", "extractive", "off_topic", 1)
				a.MessageIDs = []string{}
				return a
			}(), nil},
			{"ErrUnknownID", func() (Answer, error) { return s.Answer(ctx, "nope") }, Answer{}, ErrNotFound},
			{"ErrUnknownMessage", func() (Answer, error) { return s.AnswerByMessage(ctx, "m9") }, Answer{}, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.lookup()
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %+v\nwant %+v", got, tt.want)
				}
			})
		}
	})
}

func TestContractRecordAgain(t *testing.T) {
	forEachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		a := answerN("a1", "u1", "llm", "", 0, "m1")
		mustRecord(t, s, a)
		mustVote(t, s, "a1", "u7", false)
		a.Text, a.MessageIDs = "edited", []string{"m2", "m1"}
		mustRecord(t, s, a)
		got, err := s.AnswerByMessage(ctx, "m2")
		if err != nil {
			t.Fatalf("AnswerByMessage(m2): %v", err)
		}
		if got.Text != "edited" || !reflect.DeepEqual(got.MessageIDs, []string{"m1", "m2"}) {
			t.Fatalf("after recording again: text %q, messages %q; want edited, [m1 m2]", got.Text, got.MessageIDs)
		}
		sum, err := s.Summary(ctx, 5)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := [2]int{sum.Answers, sum.Down}, [2]int{1, 1}; got != want {
			t.Fatalf("answers, 👎 = %v, want %v (one answer, its vote kept)", got, want)
		}
		if err := s.RecordAnswer(ctx, Answer{Question: "no id"}); err == nil {
			t.Fatal("RecordAnswer without an ID succeeded")
		}
		// A record from an earlier copy (a vote's, made before the
		// answer opened its thread) doesn't blank what is known.
		stale := answerN("a1", "u1", "llm", "", 0)
		stale.Sources, stale.ParentMessageID, stale.ThreadID = nil, "", ""
		mustRecord(t, s, stale)
		got, err = s.Answer(ctx, "a1")
		if err != nil {
			t.Fatal(err)
		}
		if want := answerN("a1", "u1", "llm", "", 0); !reflect.DeepEqual(got.Sources, want.Sources) || got.ThreadID != want.ThreadID || got.ParentMessageID != want.ParentMessageID || !got.Linked {
			t.Fatalf("after an empty record: sources %v, parent %q, thread %q, linked %v; want them kept", got.Sources, got.ParentMessageID, got.ThreadID, got.Linked)
		}
	})
}

func TestContractVote(t *testing.T) {
	forEachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		mustRecord(t, s, answerN("a1", "u1", "llm", "", 0))
		// The steps run in order, each on what the previous left.
		steps := []struct {
			name     string
			answer   string
			user     string
			up       bool
			replaced bool
			err      error
			wantUp   int // totals afterwards
			wantDown int
		}{
			{name: "First", answer: "a1", user: "u2", up: true, wantUp: 1},
			{name: "ChangeOfVote", answer: "a1", user: "u2", up: false, replaced: true, wantDown: 1},
			{name: "SameAgain", answer: "a1", user: "u2", up: false, replaced: true, wantDown: 1},
			{name: "OtherMember", answer: "a1", user: "u3", up: true, wantUp: 1, wantDown: 1},
			{name: "ErrUnknownAnswer", answer: "gone", user: "u3", up: true, err: ErrNotFound, wantUp: 1, wantDown: 1},
		}
		for _, tt := range steps {
			t.Run(tt.name, func(t *testing.T) {
				replaced, err := s.Vote(ctx, tt.answer, tt.user, tt.up)
				if !errors.Is(err, tt.err) || replaced != tt.replaced {
					t.Fatalf("Vote(%s, %s, %v) = %v, %v; want %v, %v", tt.answer, tt.user, tt.up, replaced, err, tt.replaced, tt.err)
				}
				sum, err := s.Summary(ctx, 5)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := [2]int{sum.Up, sum.Down}, [2]int{tt.wantUp, tt.wantDown}; got != want {
					t.Fatalf("👍, 👎 = %v, want %v", got, want)
				}
			})
		}
	})
}

// seed records five answers and their votes for the summary and purge
// tests: a1 (llm, u1) 👎👎👍, a2 (extractive, u1) 👎, a3 (extractive,
// off_topic, u2) 👎👍, a4 (extractive, u3) 👍, a5 (llm, language, u3) none.
func seed(t *testing.T, s store) {
	t.Helper()
	mustRecord(t, s,
		answerN("a1", "u1", "llm", "", 0, "m1"),
		answerN("a2", "u1", "extractive", "", 10, "m2"),
		answerN("a3", "u2", "extractive", "off_topic", 20, "m3"),
		answerN("a4", "u3", "extractive", "", 30, "m4"),
		answerN("a5", "u3", "llm", "language", 40, "m5"),
	)
	for _, v := range []struct {
		answer, user string
		up           bool
	}{
		{"a1", "u2", false}, {"a1", "u3", false}, {"a1", "u1", true},
		{"a2", "u2", false},
		{"a3", "u1", false}, {"a3", "u3", true},
		{"a4", "u1", true},
	} {
		mustVote(t, s, v.answer, v.user, v.up)
	}
}

func TestContractSummary(t *testing.T) {
	tally := func(id, mode, reason string, minutes, up, down int) Tally {
		return Tally{ID: id, Question: "question " + id, Mode: mode, Reason: reason, Created: t0.Add(time.Duration(minutes) * time.Minute), Up: up, Down: down}
	}
	downvoted := []Tally{
		tally("a1", "llm", "", 0, 1, 2),
		tally("a2", "extractive", "", 10, 0, 1),
		tally("a3", "extractive", "off_topic", 20, 1, 1),
	}
	forEachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		empty, err := s.Summary(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Summary{ByMode: []Rate{}, ByReason: []Rate{}, MostDownvoted: []Tally{}}); !reflect.DeepEqual(empty, want) {
			t.Fatalf("empty Summary = %+v, want %+v", empty, want)
		}
		seed(t, s)
		got, err := s.Summary(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := Summary{
			Answers: 5, Refused: 2, Up: 3, Down: 4, Voted: 4,
			ByMode: []Rate{{Key: "extractive", Answers: 3, Up: 2, Down: 2}, {Key: "llm", Answers: 2, Up: 1, Down: 2}},
			ByReason: []Rate{{Key: "", Answers: 3, Up: 2, Down: 3}, {Key: "language", Answers: 1},
				{Key: "off_topic", Answers: 1, Up: 1, Down: 1}},
			MostDownvoted: downvoted[:2],
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Summary =\n%+v\nwant\n%+v", got, want)
		}
		if got, want := got.DownRate(), 4.0/7; got != want {
			t.Errorf("DownRate() = %v, want %v", got, want)
		}
		if got, want := got.ByReason[1].DownRate(), 0.0; got != want {
			t.Errorf("DownRate() without votes = %v, want %v", got, want)
		}
		all, err := s.DownvotedQuestions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(all, downvoted) {
			t.Fatalf("DownvotedQuestions =\n%+v\nwant\n%+v", all, downvoted)
		}
	})
}

func TestContractPurgeUser(t *testing.T) {
	tests := []struct {
		name string
		user string
		want Purged
		left []string // answers left
		up   int      // votes left
		down int
		gone string // a message no longer found
	}{
		// u1 asked a1 and a2 (votes by u2, u3 on them) and voted on a1, a3, a4.
		{name: "AskerAndVoter", user: "u1", want: Purged{Votes: 3, Answers: 2, OtherVotes: 3}, left: []string{"a3", "a4", "a5"}, up: 1, gone: "m2"},
		{name: "OtherMember", user: "u2", want: Purged{Votes: 2, Answers: 1, OtherVotes: 2}, left: []string{"a1", "a2", "a4", "a5"}, up: 2, down: 1, gone: "m3"},
		{name: "Unknown", user: "u9", left: []string{"a1", "a2", "a3", "a4", "a5"}, up: 3, down: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, s store) {
				ctx := context.Background()
				seed(t, s)
				got, err := s.PurgeUser(ctx, tt.user)
				if err != nil || got != tt.want {
					t.Fatalf("PurgeUser(%s) = %+v, %v; want %+v", tt.user, got, err, tt.want)
				}
				for _, id := range []string{"a1", "a2", "a3", "a4", "a5"} {
					_, err := s.Answer(ctx, id)
					if kept := err == nil; kept != contains(tt.left, id) {
						t.Errorf("after purge, Answer(%s) err = %v; want kept %v", id, err, !kept)
					}
				}
				if tt.gone != "" {
					if _, err := s.AnswerByMessage(ctx, tt.gone); !errors.Is(err, ErrNotFound) {
						t.Errorf("AnswerByMessage(%s) err = %v, want ErrNotFound", tt.gone, err)
					}
				}
				sum, err := s.Summary(ctx, 5)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := [2]int{sum.Up, sum.Down}, [2]int{tt.up, tt.down}; got != want {
					t.Fatalf("votes left 👍, 👎 = %v, want %v", got, want)
				}
			})
		})
	}
}

func TestContractPurgeOlderThan(t *testing.T) {
	tests := []struct {
		name   string
		cutoff time.Time
		n      int
		left   int
		down   int
	}{
		{"None", t0, 0, 5, 4},
		{"Exclusive", t0.Add(10 * time.Minute), 1, 4, 2}, // a2 at exactly the cutoff stays
		{"Some", t0.Add(25 * time.Minute), 3, 2, 0},
		{"All", t0.Add(time.Hour), 5, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, s store) {
				ctx := context.Background()
				seed(t, s)
				n, err := s.PurgeOlderThan(ctx, tt.cutoff)
				if err != nil || n != tt.n {
					t.Fatalf("PurgeOlderThan(%v) = %d, %v; want %d", tt.cutoff, n, err, tt.n)
				}
				sum, err := s.Summary(ctx, 5)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := [2]int{sum.Answers, sum.Down}, [2]int{tt.left, tt.down}; got != want {
					t.Fatalf("answers, 👎 left = %v, want %v", got, want)
				}
				if _, err := s.AnswerByMessage(ctx, "m1"); !errors.Is(err, ErrNotFound) != (tt.n == 0) {
					t.Fatalf("AnswerByMessage(m1) err = %v after purging %d", err, n)
				}
			})
		})
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
