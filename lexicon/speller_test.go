package lexicon

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// chatVocab is a corpus vocabulary as the integrator builds it: lower-case
// words and their counts.
func chatVocab() map[string]int {
	return map[string]int{
		"russia": 120, "china": 150, "military": 90, "article": 40, "security": 70,
		"safety": 20, "supplies": 15, "government": 200, "economy": 60, "sanctions": 45,
		"critical": 10, "arctic": 5, "russian": 80, "chinese": 60, "militia": 3,
		"exercises": 12, "territory": 18, "weapons": 33, "the": 900, "war": 50,
		"was": 400, "sanction": 8, "economic": 30,
	}
}

func setKnown(words ...string) func(string) bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return func(w string) bool { return m[w] }
}

func TestCorrect(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{"Deletion", "rusia", "russia", true},
		{"Transposition", "chian", "china", true},
		{"Insertion", "millitary", "military", true},
		{"TwoEditsSameFirstLetter", "artical", "article", true}, // critical is 2 away too
		{"DeletionSecurity", "securty", "security", true},
		{"DeletionSafety", "safty", "safety", true},
		{"TwoEditsPlural", "supplys", "supplies", true},
		{"DeletionGovernment", "goverment", "government", true},
		{"DeletionEconomy", "econmy", "economy", true},
		{"DeletionSanctions", "sanctons", "sanctions", true},
		{"InVocabulary", "russia", "", false},
		{"Known", "drills", "", false},
		{"TooShort", "wat", "", false},
		{"TooFarFor5Runes", "rssai", "", false},
		{"Digits", "russia1", "", false},
		{"Empty", "", "", false},
		{"NothingNear", "quixotic", "", false},
	}
	s := NewSpeller(chatVocab(), setKnown("drills"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := s.Correct(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("Correct(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestCorrectTies(t *testing.T) {
	tests := []struct {
		name  string
		vocab map[string]int
		in    string
		want  string
	}{
		{"MoreFrequentWins", map[string]int{"bast": 1, "best": 9}, "bost", "best"},
		{"LexicographicOnEqualCounts", map[string]int{"bast": 3, "best": 3}, "bost", "bast"},
		{"NearerBeatsFrequent", map[string]int{"article": 1, "articles": 1000}, "artcle", "article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := NewSpeller(tt.vocab, nil).Correct(tt.in); got != tt.want {
				t.Fatalf("Correct(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCorrectWithLexicon(t *testing.T) {
	// As the integrator wires it: the Lexicon's Known vetoes corrections.
	l := Default()
	s := NewSpeller(chatVocab(), l.Known)
	for _, w := range []string{"rusia", "chian", "millitary", "supplys"} {
		if _, ok := s.Correct(w); !ok {
			t.Errorf("Correct(%q) with Known = no correction, want one", w)
		}
	}
	for _, w := range []string{"weapon", "drills", "met", "moscow"} {
		if got, ok := s.Correct(w); ok {
			t.Errorf("Correct(%q) with Known = %q, want no correction", w, got)
		}
	}
}

func FuzzCorrect(f *testing.F) {
	for _, w := range []string{"rusia", "chian", "millitary", "artical", "supplys", "drills", "russia", "", "é", "ab", "securty"} {
		f.Add(w)
	}
	vocab := chatVocab()
	known := setKnown("drills", "weapon", "met")
	s := NewSpeller(vocab, known)
	f.Fuzz(func(t *testing.T, w string) {
		got, ok := s.Correct(w)
		_, inVocab := vocab[w]
		if inVocab || known(w) {
			if ok {
				t.Fatalf("Correct(%q) = %q, want no correction of a known word", w, got)
			}
			return
		}
		if !ok {
			if got != "" {
				t.Fatalf("Correct(%q) = %q, false, want \"\"", w, got)
			}
			return
		}
		if _, in := vocab[got]; !in {
			t.Fatalf("Correct(%q) = %q, not in the vocabulary", w, got)
		}
		if d := osa([]rune(w), []rune(got), 100, make([]int, 3*(utf8.RuneCountInString(got)+1))); d < 1 || d > MaxDistance(utf8.RuneCountInString(w)) {
			t.Fatalf("Correct(%q) = %q at distance %d, want 1..%d", w, got, d, MaxDistance(utf8.RuneCountInString(w)))
		}
	})
}

func TestOSA(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"chian", "china", 1}, {"artical", "article", 2}, {"supplys", "supplies", 2},
		{"ca", "abc", 3}, // OSA, not unrestricted Damerau (2)
		{"", "abc", 3}, {"same", "same", 0},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			got := osa([]rune(tt.a), []rune(tt.b), 10, make([]int, 3*(len(tt.b)+1)))
			if got != tt.want {
				t.Fatalf("osa(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// benchVocab returns n single words from the lexicon's table, with made-up
// but deterministic counts: a vocabulary of the size a corpus has.
func benchVocab(n int) map[string]int {
	v := map[string]int{}
	tab := string(newTable(tableText))
	for i := 0; len(v) < n && tab != ""; i++ {
		line, rest, _ := strings.Cut(tab, "\n")
		tab = rest
		k, _, _ := strings.Cut(line, "\t")
		if i%37 == 0 && len(k) > 2 && !strings.ContainsAny(k, " -.'0123456789") {
			v[k] = 1 + i%97
		}
	}
	for w, c := range chatVocab() {
		v[w] = c
	}
	return v
}

func BenchmarkCorrect(b *testing.B) {
	words := []string{"rusia", "chian", "millitary", "artical", "securty", "safty", "supplys", "goverment", "econmy", "sanctons"}
	vocab := benchVocab(3000)
	for _, w := range words {
		delete(vocab, w) // the table has "chian"
	}
	s := NewSpeller(vocab, Default().Known)
	for _, w := range words {
		if _, ok := s.Correct(w); !ok {
			b.Fatalf("Correct(%q): no correction", w)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s.Correct(words[i%len(words)])
	}
}

func ExampleSpeller_Correct() {
	s := NewSpeller(map[string]int{"russia": 12, "china": 30, "military": 7}, Default().Known)
	for _, w := range []string{"rusia", "chian", "millitary", "weapons"} {
		got, ok := s.Correct(w)
		fmt.Println(w, got, ok)
	}
	// Output:
	// rusia russia true
	// chian china true
	// millitary military true
	// weapons  false
}
