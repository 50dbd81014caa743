package bot

import (
	"context"
	"fmt"
	"testing"
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
