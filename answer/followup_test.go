package answer

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/retrieval"
)

// countingSearcher counts the searches made through the real library.
type countingSearcher struct {
	*retrieval.Library
	n int
}

func (c *countingSearcher) SearchQuery(ctx context.Context, q retrieval.Query, k int) (retrieval.Results, error) {
	c.n++
	return c.Library.SearchQuery(ctx, q, k)
}

func TestFollowUps(t *testing.T) {
	lib := bundledSearcher(t)
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	first, err := NewAnswerer(lg, lib, nil, Options{}).Ask(context.Background(), Request{Question: "how do russia n china work together on the military side"})
	if err != nil || first.Refused {
		t.Fatalf("first turn = %+v, %v", first, err)
	}
	prior := []Turn{{Question: first.Question, Answer: first.Text, Citations: first.Citations}}
	tests := []struct {
		name     string
		question string
		history  []Turn
		refused  bool
		searches int
		text     string // the answer holds it
	}{
		{name: "TopicCarriesOver", question: "and what about weapons sales?", history: prior, searches: 1, text: "arms"},
		{name: "WhyContinues", question: "why?", history: prior, searches: 1},
		// A chat idiom and a vague "bit" are no content of their own: the
		// follow-up continues the question before.
		{name: "ExplainLikeImFive", question: "explain that last bit like im 5", history: prior, searches: 1},
		{name: "Eli5", question: "eli5 pls", history: prior, searches: 1},
		{name: "SourceShowsLastCitations", question: "source?", history: prior, searches: 0, text: first.Citations[0].Quote},
		{name: "QuoteItPls", question: "quote it pls", history: prior, searches: 0, text: SourcesIntro},
		{name: "QuoteSomethingNewSearches", question: "can u quote the part about submarines", history: prior, searches: 1, text: "submarines"},
		// History never makes an unrelated question look related.
		{name: "OffTopicRefused", question: "totally unrelated but whats a good pizza topping", history: prior, refused: true, searches: 1},
		{name: "NameTheArticleLacks", question: "and north korea?", history: prior, refused: true, searches: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &countingSearcher{Library: lib}
			got, err := NewAnswerer(lg, s, nil, Options{}).Ask(context.Background(), Request{Question: tt.question, History: tt.history})
			if err != nil {
				t.Fatal(err)
			}
			if s.n != tt.searches {
				t.Errorf("%d searches, want %d", s.n, tt.searches)
			}
			if got.Refused != tt.refused {
				t.Fatalf("Ask(%q) = %+v, want refused=%v", tt.question, got, tt.refused)
			}
			if !strings.Contains(got.Text, tt.text) {
				t.Errorf("answer %q lacks %q", got.Text, tt.text)
			}
			for i, c := range got.Citations {
				if c.N != i+1 || c.Quote == "" || !strings.Contains(c.Text, c.Quote) {
					t.Errorf("citation %+v breaks the contract", c)
				}
			}
		})
	}
}
