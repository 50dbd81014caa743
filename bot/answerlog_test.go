package bot

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/feedback"
)

func TestMemAnswerLog(t *testing.T) {
	ctx := context.Background()
	l := NewMemAnswerLog(2)
	for i := range 3 {
		e := AnswerEntry{ID: fmt.Sprint("a", i), MessageIDs: []string{fmt.Sprint("m", i, "x"), fmt.Sprint("m", i, "y")}, Text: fmt.Sprint(i)}
		if err := l.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, msg string
		want      string // answer ID, "" for unknown
	}{
		{name: "Evicted", msg: "m0x"},
		{name: "FirstMessage", msg: "m1x", want: "a1"},
		{name: "LastMessage", msg: "m2y", want: "a2"},
		{name: "Unknown", msg: "zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok, err := l.Lookup(ctx, tt.msg)
			if err != nil || ok != (tt.want != "") || e.ID != tt.want {
				t.Errorf("Lookup(%q) = %q, %v, %v; want %q", tt.msg, e.ID, ok, err, tt.want)
			}
		})
	}
	// Recording again replaces the messages of an answer.
	_ = l.Record(ctx, AnswerEntry{ID: "a2", MessageIDs: []string{"n"}})
	if _, ok, _ := l.Lookup(ctx, "m2y"); ok {
		t.Error("old message of a re-recorded answer still found")
	}
	if got, want := l.Len(), 2; got != want {
		t.Errorf("Len = %d, want %d", got, want)
	}
	if id := NewAnswerID(); len(id) != 12 || id == NewAnswerID() {
		t.Errorf("NewAnswerID = %q, want 12 random hex digits", id)
	}
}

// oldFinder finds one answer as recorded before its links were kept.
type oldFinder struct{ a feedback.Answer }

func (f oldFinder) AnswerByMessage(context.Context, string) (feedback.Answer, error) { return f.a, nil }

// brokenFinder fails every lookup, as a database that can't be read.
type brokenFinder struct{}

func (brokenFinder) AnswerByMessage(context.Context, string) (feedback.Answer, error) {
	return feedback.Answer{}, errors.New("disk on fire")
}

func TestStoredAnswerLog(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	answered := AnswerEntry{
		ID: "a1", MessageIDs: []string{"m1", "m2"}, ChannelID: "c1", GuildID: "g1", UserID: "u1",
		Question: "why does russia need china", Text: "\u201cBecause.\u201d [1]", Mode: answer.ModeExtractive,
		Citations:       []answer.Citation{{N: 1, ID: "p7", Document: "Xi Jinping and Russia", Section: "Economy", Quote: "Because.", Text: "Because. More.", URL: "https://example.org/x#:~:text=Because."}},
		ParentMessageID: "m0", ThreadID: "t1", Time: at,
	}
	refused := AnswerEntry{ID: "a2", MessageIDs: []string{"m3"}, ChannelID: "c1", UserID: "u1", Question: "capital of russia?",
		Refused: true, Reason: answer.ReasonOffTopic, Mode: answer.ModeExtractive, Citations: []answer.Citation{}, Time: at}
	unlabelled := AnswerEntry{ID: "a3", MessageIDs: []string{"m4"}, Refused: true, Citations: []answer.Citation{}, Time: at}

	// What serve's first process recorded in the feedback store...
	store := feedback.NewMem()
	for _, e := range []AnswerEntry{answered, refused, unlabelled} {
		if err := store.RecordAnswer(ctx, feedbackAnswer(e)); err != nil {
			t.Fatal(err)
		}
	}
	// ...a second one finds from any of its messages, as it was.
	mem := NewMemAnswerLog(0)
	l := NewStoredAnswerLog(mem, store)
	for msg, want := range map[string]AnswerEntry{"m2": answered, "m3": refused, "m4": unlabelled} {
		got, ok, err := l.Lookup(ctx, msg)
		if err != nil || !ok {
			t.Fatalf("Lookup(%s) = %v, %v", msg, ok, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Lookup(%s) =\n%+v\nwant\n%+v", msg, got, want)
		}
	}
	if mem.Len() != 3 {
		t.Errorf("memory keeps %d answers found in the store, want 3", mem.Len())
	}
	if _, ok, err := l.Lookup(ctx, "nope"); ok || err != nil {
		t.Errorf("Lookup(unknown) = %v, %v; want not found, no error", ok, err)
	}
	// An answer recorded before links were kept is left to Discord.
	old := oldFinder{feedback.Answer{ID: "a0", MessageIDs: []string{"m0"}, Question: "q", Text: "t", Mode: "extractive"}}
	if _, ok, err := NewStoredAnswerLog(NewMemAnswerLog(0), old).Lookup(ctx, "m0"); ok || err != nil {
		t.Errorf("Lookup of an unlinked answer = %v, %v; want not found, so that Discord rebuilds its chain", ok, err)
	}
	if _, ok, err := NewStoredAnswerLog(NewMemAnswerLog(0), brokenFinder{}).Lookup(ctx, "m1"); ok || err == nil {
		t.Errorf("a failing store: Lookup = %v, %v; want its error", ok, err)
	}
	// What memory knows needs no store.
	l2 := NewStoredAnswerLog(NewMemAnswerLog(0), brokenFinder{})
	if err := l2.Record(ctx, answered); err != nil {
		t.Fatal(err)
	}
	if e, ok, err := l2.Lookup(ctx, "m1"); !ok || err != nil || e.ID != "a1" {
		t.Errorf("Lookup of a recorded answer = %v, %v, %v", e.ID, ok, err)
	}
}
