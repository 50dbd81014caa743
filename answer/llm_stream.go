package answer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/articlebot/articlebot/modelclient"
)

// errStreamCut is a stream that ended (io.EOF) before any choice carried a
// finish reason: the connection dropped or the server gave up.
var errStreamCut = modelclient.ErrStreamCut

// errNoEvents is a streamed request answered without a single event: a
// server that doesn't stream (it sent plain JSON) or one that gave up at
// once. Retrying would only pay for the same answer again.
var errNoEvents = fmt.Errorf("the server answered a streamed request with no events (does it support \"stream\": true?): %w", modelclient.ErrRejected)

// maxStreamBytes bounds the text read from one stream: an answer is
// shown in at most a few thousand characters (MaxAnswerRunes), so 64 KB
// leaves ample room for markup and citations.
const maxStreamBytes = 64 << 10

// finishGrace is how long a stream is read after its finish reason, for
// the usage chunk that follows it; a server that then keeps the
// connection open doesn't hold the answer.
const finishGrace = 2 * time.Second

// streamResult is what one streamed attempt produced.
type streamResult struct {
	text      string // raw accumulated content of choice 0
	finish    openai.FinishReason
	usage     *openai.Usage // nil when the server sent none
	shown     bool          // onPartial received non-empty text
	truncated bool          // the stream broke after text was shown
}

// stream makes one streamed call under actx, the attempt's context from
// Retry.Do (which bounds it by the attempt timeout), and returns its result
// and the error. Once text has been shown a broken stream is not an error:
// it returns the text with truncated set, since a retry would show a
// different answer. A cancellation of ctx, the caller's, is always an error.
func (l *LLM) stream(ctx, actx context.Context, req openai.ChatCompletionRequest, k int, onPartial func(string)) (streamResult, error) {
	var res streamResult
	s, err := l.client.Stream(actx, req)
	if err != nil {
		return res, fmt.Errorf("start chat stream: %w", err)
	}
	defer s.Close()
	var (
		text   strings.Builder
		events int
		grace  *time.Timer
	)
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()
	shownText, leakChecked := "", 0
	for {
		chunk, err := s.Recv()
		if err != nil && res.finish != "" {
			// Complete: whatever ends it after the finish reason (EOF,
			// the grace period's close, an error) changes nothing.
			break
		}
		switch {
		case errors.Is(err, io.EOF) && events == 0:
			return res, fmt.Errorf("read chat stream: %w", errNoEvents)
		case errors.Is(err, io.EOF):
			err = errStreamCut
		}
		if err != nil {
			res.text = text.String()
			if res.shown && ctx.Err() == nil {
				res.truncated = true
				l.lg.Warn("chat stream broke after text was shown; keeping it", "err", err)
				return res, nil
			}
			return res, fmt.Errorf("read chat stream: %w", err)
		}
		events++
		if chunk.Usage != nil {
			res.usage = chunk.Usage
		}
		grew := false
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				text.WriteString(c.Delta.Content)
				grew = true
			}
			if c.FinishReason != "" && c.FinishReason != openai.FinishReasonNull {
				res.finish = c.FinishReason
				if grace == nil {
					grace = time.AfterFunc(finishGrace, func() { s.Close() })
				}
			}
		}
		if text.Len() > maxStreamBytes {
			// A server that ignores the token cap: nothing past this
			// can be shown, and rebuilding the partial text of an
			// ever longer stream costs quadratic CPU.
			l.lg.Warn("chat stream too long; keeping its start", "bytes", text.Len())
			res.text, res.truncated = text.String(), true
			return res, nil
		}
		if onPartial == nil || !grew || text.Len()-leakChecked < partialStep {
			continue
		}
		raw := text.String()
		if l.leak.leaks(leakTail(raw, leakChecked)) {
			return res, fmt.Errorf("read chat stream: %w", ErrPromptLeak)
		}
		leakChecked = len(raw)
		if p := l.partialText(raw, k); p != "" && p != shownText {
			onPartial(p)
			shownText, res.shown = p, true
		}
	}
	res.text = text.String()
	if onPartial != nil && len(res.text) > leakChecked {
		// The last step may be shorter than partialStep: show it too, so the
		// final partial is the whole answer.
		if l.leak.leaks(leakTail(res.text, leakChecked)) {
			return res, fmt.Errorf("read chat stream: %w", ErrPromptLeak)
		}
		if p := l.partialText(res.text, k); p != "" && p != shownText {
			onPartial(p)
			res.shown = true
		}
	}
	return res, nil
}

// partialStep is how many bytes of new text a stream gathers before the
// partial answer is rebuilt and shown. Rebuilding on every chunk made a
// 1,500-character answer cost 6.7 ms of CPU; readers (and Discord edits,
// at most one a second) gain nothing from finer steps.
const partialStep = 64

// partialText is what a user may see of a stream so far: no half-written
// marker, markers checked and renumbered as the final answer will be,
// length capped as the final answer will be.
func (l *LLM) partialText(raw string, k int) string {
	text, _ := renumber(strings.TrimSpace(stripIncompleteMarker(raw)), k)
	if l.opt.MaxAnswerRunes > 0 {
		text = CapAnswer(text, l.opt.MaxAnswerRunes)
	}
	return text
}
