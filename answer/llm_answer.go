package answer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"github.com/articlebot/articlebot/corpus"
)

// refusalPhrases mark a model saying the passages don't answer. They are
// looked for only in answers with no valid citation, so a partial answer
// ("it doesn't cover X, but [1] says Y") stays an answer.
var refusalPhrases = []string{
	"doesn't cover", "does not cover", "don't cover", "do not cover",
	"isn't covered", "is not covered", "not covered",
	"doesn't mention", "does not mention", "don't mention", "do not mention",
	"doesn't answer", "does not answer", "don't answer", "do not answer",
	"doesn't say", "does not say", "no information",
}

// isRefusal reports whether text says the passages don't answer.
func isRefusal(text string) bool {
	folded := corpus.Fold(text)
	for _, p := range refusalPhrases {
		if strings.Contains(folded, p) {
			return true
		}
	}
	return false
}

// finish turns a complete stream into the Answer: leak check, refusal
// detection, citation check and renumbering, and the length cap
// (LLMOptions.MaxAnswerRunes), in that order.
func (l *LLM) finish(question string, passages []corpus.Passage, res streamResult) (Answer, error) {
	a := Answer{Question: question, Mode: ModeLLM, Citations: []Citation{}, Usage: &Usage{}}
	if res.usage != nil {
		a.Usage = &Usage{PromptTokens: res.usage.PromptTokens, CompletionTokens: res.usage.CompletionTokens}
	}
	// An answer that can't be used still cost its tokens: the errors below
	// come with an Answer holding only the Usage.
	spent := Answer{Usage: a.Usage}
	if l.leak.leaks(res.text) {
		return spent, ErrPromptLeak
	}
	if res.finish == openai.FinishReasonContentFilter {
		return spent, fmt.Errorf("content filter stopped the answer: %w", ErrEmptyAnswer)
	}
	text := strings.TrimSpace(stripIncompleteMarker(res.text))
	if text == "" {
		return spent, ErrEmptyAnswer
	}
	a.Truncated = res.truncated || res.finish == openai.FinishReasonLength
	text, order := renumber(mergeDuplicates(text, passages), len(passages))
	if len(order) == 0 {
		if isRefusal(text) {
			a.Refused, a.Text, a.Reason = true, RefusalText, ReasonModelDeclined
			return a, nil
		}
		return spent, ErrNoValidCitations
	}
	if limit := l.opt.MaxAnswerRunes; limit > 0 {
		if a.Truncated {
			limit -= utf8.RuneCountInString(TruncatedNote)
		}
		text = CapAnswer(text, max(limit, 1))
	}
	// The cap may cut markers off the end: renumber again (a no-op on the
	// numbers kept, as first use is unchanged) and map back to passages.
	text, kept := renumber(text, len(order))
	for i, j := range kept {
		kept[i] = order[j]
	}
	if len(kept) == 0 {
		return spent, ErrNoValidCitations
	}
	a.Citations = buildCitations(text, kept, passages)
	if a.Truncated {
		text += TruncatedNote
	}
	a.Text = text
	return a, nil
}
