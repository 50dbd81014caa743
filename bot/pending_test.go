package bot

import (
	"context"
	"testing"
)

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func TestPendingAnswers(t *testing.T) {
	var p pendingAnswers
	if p.idle("c1") != nil || p.wait(context.Background(), "c1") {
		t.Fatal("a channel with nothing pending is waited on")
	}
	first, second := p.start("c1"), p.start("c1")
	idle := p.idle("c1")
	first()
	first() // a second call is a no-op
	if closed(idle) {
		t.Fatal("idle while an answer is still being delivered")
	}
	second()
	if !closed(idle) || p.idle("c1") != nil {
		t.Fatal("not idle once both answers are recorded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer p.start("c2")()
	cancel()
	if !p.wait(ctx, "c2") {
		t.Fatal("wait on a cancelled context did not say it waited")
	}
}
