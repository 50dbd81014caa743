package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// TestServeGatewayDrops kills the gateway connection several times while
// the bot is idle and dispatches a slash command and a DM at once, while
// the connection is down. The bot must resume the same session each time
// (no new IDENTIFY), receive the events replayed on RESUME, acknowledge
// the slash command within 3 s of receiving it and answer both. (Dropping
// in the middle of a streamed answer is TestServeModel/GatewayDropMidAnswer.)
func TestServeGatewayDrops(t *testing.T) {
	t.Parallel()
	sb := startServe(t, map[string]string{"ARTICLEBOT_LOG_FORMAT": "json"})
	ctx := serveCtx(t, 40*time.Second)
	const rounds = 2
	for round := 1; round <= rounds; round++ {
		sb.fake.DropConnection()
		if sb.fake.Gateway().Connected {
			t.Fatalf("round %d: still connected after the drop", round)
		}
		id, token := sb.askID(t, ctx, fmt.Sprintf("39000000000000000%d", round), onTopic)
		ch := fmt.Sprintf("49000000000000000%d", round)
		dm, err := sb.fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: ch, Author: fakediscord.User{ID: fmt.Sprintf("39100000000000000%d", round)}, Content: onTopic2})
		if err != nil {
			t.Fatalf("round %d: MessageCreate: %v", round, err)
		}
		for _, q := range []string{id, dm} {
			if got := sb.waitQuestion(t, ctx, q).str("outcome"); got != "answered" {
				t.Errorf("round %d: question %s outcome = %q, want answered", round, q, got)
			}
		}
		r, _ := sb.fake.Responses(token)
		if d := r.AckedAt.Sub(r.DispatchedAt); r.CallbackType != 5 || d > ackContract {
			t.Errorf("round %d: callback type %d after %v, want a deferral within %v", round, r.CallbackType, d, ackContract)
		}
		checkAnswerMessages(t, responseMessages(r))
		checkAnswerMessages(t, sb.fake.ChannelMessages(ch))
		if gw := sb.fake.Gateway(); gw.Resumes != round || gw.Identifies != 1 || gw.FailedResumes != 0 {
			t.Errorf("round %d: gateway = %+v, want %d resumes on the one session", round, gw, round)
		}
		if err := sb.fake.WaitReady(ctx); err != nil {
			t.Fatalf("round %d: WaitReady: %v", round, err)
		}
	}
	if got := strings.Count(sb.logs.String(), "gateway disconnected; reconnecting"); got != rounds {
		t.Errorf("logged %d disconnections, want %d", got, rounds)
	}
}
