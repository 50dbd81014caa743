package fakeopenai

import (
	"net/http"
	"time"
)

// Canned answers for the scripted behaviours. They cite passage numbers
// only, so they fit any prompt with at least two passages.
const (
	// DefaultAnswer cites the first two passages.
	DefaultAnswer = "The first passage supports this claim [1]. The second passage adds a detail [2]."
	// OutOfRangeAnswer cites a passage number that no prompt of fewer than
	// nine passages contains.
	OutOfRangeAnswer = "This claim cites a passage that was never given [9]."
	// NoCitationAnswer makes claims without citing anything.
	NoCitationAnswer = "This answer makes a claim but cites nothing."
	// MentionAnswer tries to ping everyone, a user and a role.
	MentionAnswer = "@everyone and @here, see <@!456> and <@&123>: the first passage says so [1]."
	// RefusalAnswer is what a model says when the passages don't answer.
	RefusalAnswer = "The article doesn't cover that."
)

// Behavior scripts one response of the fake. The zero value streams
// DefaultAnswer with finish_reason "stop".
type Behavior struct {
	// Text is the answer. Empty means DefaultAnswer, unless EchoSystem.
	Text string
	// EchoSystem answers with the request's system message, as a model
	// that leaks its prompt would.
	EchoSystem bool
	// EchoQuestion answers a request whose last user message holds
	// <question>...</question> with the text between the tags: an identity
	// rewrite of a question. Other requests get Text.
	EchoQuestion bool
	// Status, when neither 0 nor 200, fails the call with this HTTP status
	// and an OpenAI error body.
	Status int
	// RetryAfter is sent as the Retry-After header of a failing Status.
	RetryAfter string
	// Delay is waited before the response starts. The wait ends early when
	// the client goes away, so a client timeout ends the test quickly.
	Delay time.Duration
	// StreamTime is spread evenly over the content chunks of a stream, to
	// model generation time (e.g. 200 ms per answer for load tests).
	StreamTime time.Duration
	// ChunkRunes, when positive, cuts the streamed text into chunks of this
	// many runes; otherwise each word with its trailing space is a chunk.
	ChunkRunes int
	// Cut ends a stream after CutAfter content chunks, without a
	// finish_reason and without [DONE], as a dropped connection would.
	Cut      bool
	CutAfter int
	// FinishReason is sent on the final chunk. Empty means "stop".
	FinishReason string
	// NoUsage omits usage even when the request asks for it.
	NoUsage bool
	// HangAfterFinish sends the finish reason and usage, then neither
	// [DONE] nor the end of the response, until the client goes away.
	HangAfterFinish bool
	// PlainJSON answers a streamed request with a plain JSON completion,
	// as servers that don't stream do.
	PlainJSON bool
}

// Good streams DefaultAnswer.
func Good() Behavior { return Behavior{Text: DefaultAnswer} }

// Answer streams text.
func Answer(text string) Behavior { return Behavior{Text: text} }

// OutOfRange streams an answer whose only citation is [9].
func OutOfRange() Behavior { return Behavior{Text: OutOfRangeAnswer} }

// NoCitations streams an answer without any [n].
func NoCitations() Behavior { return Behavior{Text: NoCitationAnswer} }

// Mentions streams an answer containing @everyone, @here, a user mention
// and a role mention <@&123>.
func Mentions() Behavior { return Behavior{Text: MentionAnswer} }

// Refusal streams "The article doesn't cover that."
func Refusal() Behavior { return Behavior{Text: RefusalAnswer} }

// EchoSystem streams the request's system message back.
func EchoSystem() Behavior { return Behavior{EchoSystem: true} }

// RateLimited fails with 429 and the given Retry-After header ("" for none).
func RateLimited(retryAfter string) Behavior {
	return Behavior{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// ServerError fails with 500.
func ServerError() Behavior { return Behavior{Status: http.StatusInternalServerError} }

// Slow waits d before answering with DefaultAnswer.
func Slow(d time.Duration) Behavior { return Behavior{Text: DefaultAnswer, Delay: d} }

// CutAfter streams the first n word chunks of text, then ends the stream
// without a finish_reason or [DONE].
func CutAfter(text string, n int) Behavior {
	return Behavior{Text: text, Cut: true, CutAfter: n}
}

// Paced streams text over total time, for load tests.
func Paced(text string, total time.Duration) Behavior {
	return Behavior{Text: text, StreamTime: total}
}

func (b Behavior) failing() bool {
	return b.Status != 0 && b.Status != http.StatusOK
}
