package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// fakeTurn is what the fake bot retrieves and answers for one question.
type fakeTurn struct {
	hits    []string // passage texts, best first; none means retrieval abstained
	reason  answer.Reason
	answer  string
	citeTxt []string // texts of the cited passages
}

// fakeAsk answers from turns, keyed by question, and records the history
// each question was asked with.
func fakeAsk(turns map[string]fakeTurn, asked map[string][]historyTurn) askFunc {
	return func(_ context.Context, q string, history []historyTurn) (retrieval.Results, answer.Answer, error) {
		ft, ok := turns[q]
		if !ok {
			return retrieval.Results{}, answer.Answer{}, fmt.Errorf("unexpected question %q", q)
		}
		asked[q] = slices.Clone(history)
		res := retrieval.Results{Query: q, Abstained: len(ft.hits) == 0}
		for i, h := range ft.hits {
			res.Hits = append(res.Hits, retrieval.Hit{Passage: corpus.Passage{ID: fmt.Sprint(i), Text: h}, Rank: i + 1})
		}
		ans := answer.Answer{Question: q, Text: ft.answer, Refused: ft.reason != "", Reason: ft.reason, Citations: []answer.Citation{}}
		if ans.Refused {
			ans.Text = answer.RefusalText
		}
		for i, c := range ft.citeTxt {
			ans.Citations = append(ans.Citations, answer.Citation{N: i + 1, Text: c})
		}
		return res, ans, nil
	}
}

func TestEvaluate(t *testing.T) {
	turns := map[string]fakeTurn{
		"s1": {hits: []string{"The Red  Fox runs."}, answer: "It runs [1].", citeTxt: []string{"The \u201cRed\u201d fox? No: the red fox runs."}},
		// Found past 4,500 characters: only hit@9000.
		"s2": {hits: []string{strings.Repeat("a", 5000), "Blue whale"}, answer: "a [1]", citeTxt: []string{"aaa"}},
		// A refusal never counts as citing, whatever it carries.
		"s3":   {hits: []string{"red fox"}, reason: answer.ReasonLanguage, citeTxt: []string{"red fox"}},
		"s4":   {reason: answer.ReasonOffTopic},
		"c1 1": {hits: []string{"red fox"}, answer: "first answer", citeTxt: []string{"red fox"}},
		"c1 2": {reason: answer.ReasonOffTopic},
		"c1 3": {hits: []string{"x"}, answer: "answered anyway", citeTxt: []string{"x"}},
		// The phrase spans two passages: a hit once joined, but no single
		// cited passage holds it.
		"c2 1": {hits: []string{"red", "fox"}, answer: "two [1][2]", citeTxt: []string{"red", "fox"}},
		"c2 2": {hits: []string{"red fox"}, answer: "yes", citeTxt: []string{"RED FOX"}},
	}
	on := func(id, q, kind string, turn int, ev string) evalItem {
		return evalItem{ID: id, Question: q, Evidence: []string{"", ev}, Kind: kind, Turn: turn}
	}
	off := func(id, q, kind string, turn int) evalItem {
		return evalItem{ID: id, Question: q, Offtopic: true, Kind: kind, Turn: turn}
	}
	entries := []evalEntry{
		{on("s1", "s1", "typo", 0, "red fox")},
		{on("s2", "s2", "typo", 0, "blue whale")},
		{on("s3", "s3", "foreign", 0, "red fox")},
		{off("s4", "s4", "offtopic", 0)},
		{on("c1#1", "c1 1", "-", 1, "red fox"), on("c1#2", "c1 2", "-", 2, "green frog"), off("c1#3", "c1 3", "-", 3)},
		{on("c2#1", "c2 1", "-", 1, "red fox"), on("c2#2", "c2 2", "-", 2, "red fox")},
	}
	asked := map[string][]historyTurn{}
	rep, err := evaluate(context.Background(), entries, fakeAsk(turns, asked), 1500)
	if err != nil {
		t.Fatal(err)
	}

	figures := []struct {
		name      string
		got, want evalFigures
	}{
		{"overall", rep.evalFigures, evalFigures{Questions: 9, OnTopic: 7, OffTopic: 2, Hit1500: 5.0 / 7, Hit3000: 5.0 / 7, Hit4500: 5.0 / 7, Hit9000: 6.0 / 7, CiteHit: 3.0 / 7, MRR: 4.5 / 7,
			Refused: 3, OffTopicRefused: 1, FalseRefusals: 2, hits: [4]int{5, 5, 5, 6}, cites: 3, rr: 4.5}},
		{"typo", *rep.ByKind["typo"], evalFigures{Questions: 2, OnTopic: 2, Hit1500: 0.5, Hit3000: 0.5, Hit4500: 0.5, Hit9000: 1, CiteHit: 0.5, MRR: 0.75, hits: [4]int{1, 1, 1, 2}, cites: 1, rr: 1.5}},
		{"foreign", *rep.ByKind["foreign"], evalFigures{Questions: 1, OnTopic: 1, Hit1500: 1, Hit3000: 1, Hit4500: 1, Hit9000: 1, MRR: 1, Refused: 1, FalseRefusals: 1, hits: [4]int{1, 1, 1, 1}, rr: 1}},
		{"offtopic", *rep.ByKind["offtopic"], evalFigures{Questions: 1, OffTopic: 1, Refused: 1, OffTopicRefused: 1}},
		{"-", *rep.ByKind["-"], evalFigures{Questions: 5, OnTopic: 4, OffTopic: 1, Hit1500: 0.75, Hit3000: 0.75, Hit4500: 0.75, Hit9000: 0.75, CiteHit: 0.5, MRR: 0.5,
			Refused: 1, FalseRefusals: 1, hits: [4]int{3, 3, 3, 3}, cites: 2, rr: 2}},
		{"english", rep.EnglishOnTopic, evalFigures{Questions: 6, OnTopic: 6, Hit1500: 4.0 / 6, Hit3000: 4.0 / 6, Hit4500: 4.0 / 6, Hit9000: 5.0 / 6, CiteHit: 0.5, MRR: 3.5 / 6,
			Refused: 1, FalseRefusals: 1, hits: [4]int{4, 4, 4, 5}, cites: 3, rr: 3.5}},
		{"first turns", rep.FirstTurns, evalFigures{Questions: 2, OnTopic: 2, Hit1500: 1, Hit3000: 1, Hit4500: 1, Hit9000: 1, CiteHit: 0.5, MRR: 0.5, hits: [4]int{2, 2, 2, 2}, cites: 1, rr: 1}},
		{"follow-ups", rep.FollowUps, evalFigures{Questions: 3, OnTopic: 2, OffTopic: 1, Hit1500: 0.5, Hit3000: 0.5, Hit4500: 0.5, Hit9000: 0.5, CiteHit: 0.5, MRR: 0.5,
			Refused: 1, FalseRefusals: 1, hits: [4]int{1, 1, 1, 1}, cites: 1, rr: 1}},
	}
	for _, f := range figures {
		if f.got != f.want {
			t.Errorf("%s figures = %+v, want %+v", f.name, f.got, f.want)
		}
	}
	if got, want := slices.Sorted(maps.Keys(rep.ByKind)), []string{"-", "foreign", "offtopic", "typo"}; !slices.Equal(got, want) {
		t.Errorf("kinds = %q, want %q", got, want)
	}

	lists := []struct {
		name      string
		got, want []string
	}{
		{"misses", rep.Misses1500, []string{"s2", "c1#2"}},
		{"failures", rep.Failures, []string{"s3 refused", "c1#2 refused", "c1#3 answered off-topic"}},
	}
	for _, l := range lists {
		if !slices.Equal(l.got, l.want) {
			t.Errorf("%s = %q, want %q", l.name, l.got, l.want)
		}
	}
	counts := []struct {
		name      string
		got, want any
	}{
		{"refusals.on_topic", rep.Refusals.OnTopic, map[string]int{"language": 1, "off_topic": 1}},
		{"refusals.off_topic", rep.Refusals.OffTopic, map[string]int{"off_topic": 1}},
		{"foreign", rep.Foreign, struct{ Questions, RefusedLanguage int }{1, 1}},
		{"conversations", rep.Conversations, 2},
	}
	for _, c := range counts {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	// Each turn is asked after the earlier turns of its own conversation,
	// with the bot's own answers; single questions and first turns alone.
	histories := []struct {
		question string
		want     [][2]string // question, answer
	}{
		{"s2", nil},
		{"c1 1", nil},
		{"c1 3", [][2]string{{"c1 1", "first answer"}, {"c1 2", answer.RefusalText}}},
		{"c2 1", nil},
		{"c2 2", [][2]string{{"c2 1", "two [1][2]"}}},
	}
	for _, h := range histories {
		var got [][2]string
		for _, t := range asked[h.question] {
			got = append(got, [2]string{t.Question, t.Answer})
		}
		if !slices.Equal(got, h.want) {
			t.Errorf("%q asked with history %q, want %q", h.question, got, h.want)
		}
	}
}

func TestEvidenceMatching(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		budget   int
		evidence []string
		hit      bool // within budget characters of text
		cited    bool // in text given as the one cited passage, which is not cut
	}{
		{"Exact", "Russia sells oil.", 1500, []string{"sells oil"}, true, true},
		{"FoldsCaseQuotesAndSpace", "the \u201cPower of\n Siberia\u201d line", 1500, []string{"\"power of siberia\""}, true, true},
		{"CutAtBudget", strings.Repeat("x", 10) + "sells oil", 12, []string{"sells oil"}, false, true},
		{"BudgetCountsRunes", strings.Repeat("я", 10) + "oil", 13, []string{"oil"}, true, true},
		{"AnyPhrase", "gas", 1500, []string{"oil", "gas"}, true, true},
		{"EmptyPhraseMatchesNothing", "gas", 1500, []string{"", " "}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hasEvidence(tt.text, tt.budget, tt.evidence); got != tt.hit {
				t.Errorf("hasEvidence(%q, %d, %q) = %v, want %v", tt.text, tt.budget, tt.evidence, got, tt.hit)
			}
			cits := []answer.Citation{{N: 1, Text: "unrelated"}, {N: 2, Text: tt.text}}
			if got := citesEvidence(cits, tt.evidence); got != tt.cited {
				t.Errorf("citesEvidence(%q, %q) = %v, want %v", tt.text, tt.evidence, got, tt.cited)
			}
		})
	}
}
