package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// evalBudgets are the B of hit@B, in characters of joined passage text.
var evalBudgets = [4]int{1500, 3000, 4500, 9000}

// evalFigures are the figures of one group of questions. Rates are shares
// of the group's on-topic questions, 0 when it has none.
type evalFigures struct {
	Questions int     `json:"questions"`
	OnTopic   int     `json:"on_topic"`
	OffTopic  int     `json:"off_topic"`
	Hit1500   float64 `json:"hit@1500"`
	Hit3000   float64 `json:"hit@3000"`
	Hit4500   float64 `json:"hit@4500"`
	Hit9000   float64 `json:"hit@9000"`
	CiteHit   float64 `json:"cite_hit"`
	// MRR is the mean reciprocal rank of the first passage that holds an
	// evidence phrase (0 when none of the ranked passages does): finer
	// than hit@B for comparing rankings on a few dozen questions.
	MRR             float64 `json:"mrr"`
	Refused         int     `json:"refused"`
	OffTopicRefused int     `json:"offtopic_refused"`
	FalseRefusals   int     `json:"false_refusals"`

	hits  [4]int  // on-topic questions with evidence within each budget
	cites int     // on-topic questions answered with evidence in a cited passage
	rr    float64 // sum of the reciprocal ranks
}

// evalReport holds the figures eval prints. The embedded figures cover
// every scored question: single questions and conversation turns alike.
type evalReport struct {
	evalFigures
	Misses1500 []string `json:"misses@1500"`
	// Context is what a model is given per answered question: passages,
	// characters of the whole prompt, and prompt tokens when a model reported them.
	ContextPassages float64  `json:"context_passages"`
	PromptChars     float64  `json:"prompt_chars"`
	PromptTokens    float64  `json:"prompt_tokens,omitempty"`
	Failures        []string `json:"failures"`
	// Refusals counts refusals by answer.Reason, for on-topic questions
	// (false refusals) and off-topic ones apart.
	Refusals struct {
		OnTopic  map[string]int `json:"on_topic"`
		OffTopic map[string]int `json:"off_topic"`
	} `json:"refusals"`
	ByKind map[string]*evalFigures `json:"by_kind"`
	// EnglishOnTopic is the on-topic questions other than kind foreign,
	// which the quality bar is read on.
	EnglishOnTopic evalFigures `json:"english_on_topic"`
	Foreign        struct {
		Questions       int `json:"questions"`
		RefusedLanguage int `json:"refused_language"`
	} `json:"foreign"`
	Conversations int         `json:"conversations"`
	FirstTurns    evalFigures `json:"first_turns"`
	FollowUps     evalFigures `json:"follow_ups"`

	answered int // questions retrieval did not abstain on, for the context means
}

// historyTurn is one earlier turn of a conversation: the question and the
// bot's own answer to it, with its citations.
type historyTurn = answer.Turn

// askFunc asks question after history (oldest first) and returns the
// ranked passages hit@B is measured on along with the bot's answer.
// (*app).askTurn is the real one; tests pass a fake.
type askFunc func(ctx context.Context, question string, history []historyTurn) (retrieval.Results, answer.Answer, error)

// evalScore is how the bot did on one question.
type evalScore struct {
	hits    [4]bool
	rr      float64 // 1/rank of the first passage with evidence, 0 for none
	cite    bool
	refused bool
	reason  string
	noCites bool
}

// evaluate asks every entry, each conversation turn after the earlier
// turns and answers of its conversation, and scores the answers.
// contextChars is the configured passage budget of a model's prompt.
func evaluate(ctx context.Context, entries []evalEntry, ask askFunc, contextChars int) (evalReport, error) {
	rep := evalReport{Misses1500: []string{}, Failures: []string{}, ByKind: map[string]*evalFigures{}}
	rep.Refusals.OnTopic, rep.Refusals.OffTopic = map[string]int{}, map[string]int{}
	for _, e := range entries {
		if e[0].Turn > 0 {
			rep.Conversations++
		}
		var history []historyTurn
		for _, it := range e {
			res, ans, err := ask(ctx, it.Question, history)
			if err != nil {
				return rep, fmt.Errorf("eval %s: %w", it.ID, err)
			}
			prior := history
			history = append(history, historyTurn{Question: it.Question, Answer: ans.Text, Citations: ans.Citations})
			rep.add(it, score(it, res, ans))
			if !res.Abstained {
				ctxPs := answer.ContextPassages(res.Hits, contextChars)
				rep.answered++
				rep.ContextPassages += float64(len(ctxPs))
				rep.PromptChars += float64(answer.PromptChars(it.Question, prior, ctxPs))
				if ans.Usage != nil {
					rep.PromptTokens += float64(ans.Usage.PromptTokens)
				}
			}
		}
	}
	rep.finish()
	return rep, nil
}

// score measures one answer against its question's evidence.
func score(it evalItem, res retrieval.Results, ans answer.Answer) evalScore {
	s := evalScore{refused: ans.Refused, reason: string(ans.Reason), noCites: len(ans.Citations) == 0}
	if s.refused && s.reason == "" {
		s.reason = "unspecified"
	}
	if it.Offtopic {
		return s
	}
	var sb strings.Builder
	for _, h := range res.Hits {
		sb.WriteString(h.Text)
		sb.WriteByte('\n')
	}
	joined := sb.String()
	for r, h := range res.Hits {
		if containsEvidence(corpus.Fold(h.Text), it.Evidence) {
			s.rr = 1 / float64(r+1)
			break
		}
	}
	for i, b := range evalBudgets {
		s.hits[i] = hasEvidence(joined, b, it.Evidence)
	}
	s.cite = !ans.Refused && citesEvidence(ans.Citations, it.Evidence)
	return s
}

// add counts s in the overall figures and in every group it belongs to.
func (r *evalReport) add(it evalItem, s evalScore) {
	r.evalFigures.add(it, s)
	if r.ByKind[it.Kind] == nil {
		r.ByKind[it.Kind] = &evalFigures{}
	}
	r.ByKind[it.Kind].add(it, s)
	if !it.Offtopic && it.Kind != kindForeign {
		r.EnglishOnTopic.add(it, s)
	}
	switch {
	case it.Turn == 1:
		r.FirstTurns.add(it, s)
	case it.Turn > 1:
		r.FollowUps.add(it, s)
	}
	if it.Kind == kindForeign {
		r.Foreign.Questions++
		if s.refused && s.reason == string(answer.ReasonLanguage) {
			r.Foreign.RefusedLanguage++
		}
	}
	if it.Offtopic {
		if s.refused {
			r.Refusals.OffTopic[s.reason]++
		}
		if !s.refused || !s.noCites {
			r.Failures = append(r.Failures, it.ID+" answered off-topic")
		}
		return
	}
	if s.refused {
		r.Refusals.OnTopic[s.reason]++
		r.Failures = append(r.Failures, it.ID+" refused")
	}
	if !s.hits[0] {
		r.Misses1500 = append(r.Misses1500, it.ID)
	}
}

func (f *evalFigures) add(it evalItem, s evalScore) {
	f.Questions++
	if s.refused {
		f.Refused++
	}
	if it.Offtopic {
		f.OffTopic++
		if s.refused && s.noCites {
			f.OffTopicRefused++
		}
		return
	}
	f.OnTopic++
	if s.refused {
		f.FalseRefusals++
	}
	for i, hit := range s.hits {
		if hit {
			f.hits[i]++
		}
	}
	if s.cite {
		f.cites++
	}
	f.rr += s.rr
}

// finish turns counts into rates and sums into means.
func (r *evalReport) finish() {
	r.evalFigures.finish()
	for _, f := range r.ByKind {
		f.finish()
	}
	r.EnglishOnTopic.finish()
	r.FirstTurns.finish()
	r.FollowUps.finish()
	if r.answered > 0 {
		r.ContextPassages /= float64(r.answered)
		r.PromptChars /= float64(r.answered)
		r.PromptTokens /= float64(r.answered)
	}
}

func (f *evalFigures) finish() {
	f.Hit1500, f.Hit3000, f.Hit4500, f.Hit9000 = f.rate(f.hits[0]), f.rate(f.hits[1]), f.rate(f.hits[2]), f.rate(f.hits[3])
	f.CiteHit = f.rate(f.cites)
	if f.OnTopic > 0 {
		f.MRR = f.rr / float64(f.OnTopic)
	}
}

func (f *evalFigures) rate(n int) float64 {
	if f.OnTopic == 0 {
		return 0
	}
	return float64(n) / float64(f.OnTopic)
}

// hasEvidence cuts joined at budget characters and reports whether any
// evidence phrase appears in it, both sides folded as the eval format says.
func hasEvidence(joined string, budget int, evidence []string) bool {
	if r := []rune(joined); len(r) > budget {
		joined = string(r[:budget])
	}
	return containsEvidence(corpus.Fold(joined), evidence)
}

// citesEvidence reports whether the text of one of cits contains an
// evidence phrase, folded as for hit@B. Each passage is checked on its own:
// a phrase is only cited if one cited passage holds all of it.
func citesEvidence(cits []answer.Citation, evidence []string) bool {
	for _, c := range cits {
		if containsEvidence(corpus.Fold(c.Text), evidence) {
			return true
		}
	}
	return false
}

func containsEvidence(folded string, evidence []string) bool {
	for _, ev := range evidence {
		if f := corpus.Fold(ev); f != "" && strings.Contains(folded, f) {
			return true
		}
	}
	return false
}
