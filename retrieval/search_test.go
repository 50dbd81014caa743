package retrieval

import (
	"context"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/corpus"
)

func TestSearchFindsEvidence(t *testing.T) {
	lib := bundledLibrary(t, NewLocalEmbedder(), "")
	tests := []struct {
		question string
		evidence string
	}{
		{"Why does Russia need China?", "massive market"},
		{"What military hardware did Russia supply to China?", "fighter jets"},
		{"Which group brings China, Russia and Central Asian states together?", "Shanghai Cooperation Organization"},
		{"Why move away from the dollar?", "de-dollarization"},
		{"How does the article open?", "diving deep"},
		{"How does the article end?", "defining feature of our current geopolitical moment"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			res, err := lib.Search(context.Background(), tt.question, 5)
			if err != nil {
				t.Fatal(err)
			}
			if res.Abstained {
				t.Fatalf("Search(%q) abstained (coverage %.2f)", tt.question, res.Coverage)
			}
			var joined strings.Builder
			for _, h := range res.Hits[:3] {
				joined.WriteString(h.Text)
			}
			if !strings.Contains(joined.String(), tt.evidence) {
				t.Fatalf("top 3 for %q lack %q: %q", tt.question, tt.evidence, joined.String())
			}
		})
	}
}

func TestAbstention(t *testing.T) {
	lib := bundledLibrary(t, NewLocalEmbedder(), "")
	tests := []struct {
		question string
		abstain  bool
	}{
		{"What is the tallest mountain in Africa?", true},
		{"How do I reset my Discord password?", true},
		{"What time is it in Tokyo?", true},
		{"What is the capital of Australia?", true},
		{"Write me a poem about cats.", true},
		{"What is 17 times 23?", true},
		{"How do I make good coffee at home?", true},
		{"What is the best way to learn the guitar?", true},
		{"", true},
		{"the of and", true},
		{"What do both countries push back against?", false},
		{"Is their alignment fixed or changing?", false},
		{"Where do the military exercises take place?", false},
		{"Does trade extend beyond energy?", false},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			res, err := lib.Search(context.Background(), tt.question, 5)
			if err != nil {
				t.Fatal(err)
			}
			if res.Abstained != tt.abstain {
				t.Fatalf("Search(%q).Abstained = %v (coverage %.2f), want %v", tt.question, res.Abstained, res.Coverage, tt.abstain)
			}
		})
	}
}

func TestSearchClampsK(t *testing.T) {
	lib := NewLibrary(NewLocalEmbedder(), textSource("tiny.txt", "Pandas eat bamboo. Koalas eat eucalyptus."), Options{Split: corpus.SplitOptions{MaxChars: 10}})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	res, err := lib.Search(context.Background(), "What do pandas eat?", 50)
	if err != nil {
		t.Fatalf("Search with k > size: %v", err)
	}
	if got, want := len(res.Hits), 2; got != want {
		t.Fatalf("got %d hits, want %d", got, want)
	}
	if !strings.Contains(res.Hits[0].Text, "bamboo") {
		t.Fatalf("top hit %q, want the bamboo sentence", res.Hits[0].Text)
	}
}

func TestSearchBeforeIndex(t *testing.T) {
	lib := NewLibrary(NewLocalEmbedder(), textSource("a.txt", "x"), Options{})
	if _, err := lib.Search(context.Background(), "q", 3); err != ErrNoIndex {
		t.Fatalf("Search before index error = %v, want ErrNoIndex", err)
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"The U.S.-led order", "us led order"},
		{"Russia's economy", "russia economi"},
		{"What does the article say about drills?", "drill"},
		{"It\u2019s pushing back", "push back"},
		{"Ch\u200bina and \u202eRussia\u202c", "china russia"},
		{"bad \xff utf8 \x00 nul", "bad utf8 nul"},
	}
	for _, tt := range tests {
		if got := strings.Join(Terms(tt.in), " "); got != tt.want {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
