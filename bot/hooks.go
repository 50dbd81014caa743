package bot

import (
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/retrieval"
)

// Source is where a question came from.
type Source string

// Question sources, as metric labels.
const (
	SourceSlash   Source = "slash"
	SourceDM      Source = "dm"
	SourceMention Source = "mention"
)

// Outcome is how a question ended.
type Outcome string

// Question outcomes, as metric labels.
const (
	OutcomeAnswered    Outcome = "answered"
	OutcomeRefused     Outcome = "refused"      // the article doesn't cover it
	OutcomeRateLimited Outcome = "rate_limited" // the user asked too often
	OutcomeBusy        Outcome = "busy"         // queue full
	OutcomeInvalid     Outcome = "invalid"      // empty or too long
	OutcomeRestarting  Outcome = "restarting"   // asked while shutting down
	OutcomeFailed      Outcome = "failed"       // retrieval or Discord failed
)

// QuestionEvent describes one question after its final message was sent
// (or could not be).
type QuestionEvent struct {
	ID      string // interaction or message ID
	Source  Source
	Outcome Outcome
	UserID  string
	GuildID string // "" in a DM
	// Mode is how the answer was written; empty unless answered or
	// refused.
	Mode answer.Mode
	// Fallback is why a configured model's answer was not used, or "".
	Fallback  string
	Citations int
	// Acked is the time from receiving the event to acknowledging it:
	// the deferred callback of a slash command, zero for messages.
	Acked time.Duration
	// Latency is the time from receiving the event to the final message.
	Latency time.Duration
}

// Hooks receive what the bot does, for metrics and health. Every field is
// optional. Hooks are called synchronously from the bot's goroutines, so
// they must be quick and safe for concurrent use.
type Hooks struct {
	// Question is called once per question, slash command, DM or mention,
	// however it ended.
	Question func(QuestionEvent)
	// Gateway is called when the gateway connects (true: READY or
	// RESUMED) and disconnects (false).
	Gateway func(connected bool)
	// Reindex is called after each /reindex with its summary or error.
	Reindex func(sum retrieval.Summary, err error)
	// RegisterFailed is called each time Discord refuses the slash
	// commands' registration.
	RegisterFailed func(err error)
	// Feedback is called for each vote recorded from a button press
	// (a changed vote too): 👍 when up, else 👎.
	Feedback func(up bool)
}

func (h Hooks) registerFailed(err error) {
	if h.RegisterFailed != nil {
		h.RegisterFailed(err)
	}
}

func (h Hooks) question(e QuestionEvent) {
	if h.Question != nil {
		h.Question(e)
	}
}

func (h Hooks) gateway(up bool) {
	if h.Gateway != nil {
		h.Gateway(up)
	}
}

func (h Hooks) reindex(sum retrieval.Summary, err error) {
	if h.Reindex != nil {
		h.Reindex(sum, err)
	}
}

func (h Hooks) feedback(up bool) {
	if h.Feedback != nil {
		h.Feedback(up)
	}
}
