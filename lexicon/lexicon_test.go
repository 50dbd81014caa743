package lexicon

import (
	"slices"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Expansion
	}{
		{"SynonymWeapon", "weapon", Expansion{"arm", Synonym}},
		{"SynonymPluralWeapons", "weapons", Expansion{"arm", Synonym}},
		{"SynonymDrills", "drills", Expansion{"exercise", Synonym}},
		{"SynonymGenusTurf", "turf", Expansion{"territory", Synonym}},
		{"SynonymArms", "arms", Expansion{"weaponry", Synonym}},
		{"DerivationRussian", "russian", Expansion{"russia", Derivation}},
		{"DerivationChinese", "chinese", Expansion{"china", Derivation}},
		{"DerivationSupplier", "supplier", Expansion{"supply", Derivation}},
		{"MorphologyMet", "met", Expansion{"meet", Morphology}},
		{"MorphologySold", "sold", Expansion{"sell", Morphology}},
		{"MorphologyBought", "bought", Expansion{"buy", Morphology}},
		{"MorphologyFought", "fought", Expansion{"fight", Morphology}},
		{"AliasMoscow", "moscow", Expansion{"russia", Alias}},
		{"AliasKremlin", "kremlin", Expansion{"russia", Alias}},
		{"AliasBeijing", "beijing", Expansion{"china", Alias}},
		{"AliasPeking", "peking", Expansion{"china", Alias}},
		{"AliasPekingBeijing", "peking", Expansion{"beijing", Alias}},
		{"AliasUN", "un", Expansion{"united nations", Alias}},
		{"AliasUSSR", "ussr", Expansion{"soviet union", Alias}},
		{"AliasUSSRRussia", "ussr", Expansion{"russia", Alias}},
		{"AliasUncleSam", "uncle sam", Expansion{"united states", Alias}},
		{"AliasUncleSamUS", "uncle sam", Expansion{"us", Alias}},
		{"AliasTexasPartOf", "texas", Expansion{"united states", Alias}},
		{"AliasTaiwan", "taiwan", Expansion{"china", Alias}},
		{"AliasVolga", "volga", Expansion{"russia", Alias}},
		{"UpperCaseInput", "Uncle  Sam", Expansion{"america", Alias}},
		{"PhrasePlural", "nuclear weapons", Expansion{"atomic weapon", Synonym}},
	}
	l := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.Expand(tt.in)
			for _, e := range got {
				if e == tt.want {
					return
				}
			}
			t.Fatalf("Expand(%q) = %v, want it to contain %v", tt.in, got, tt.want)
		})
	}
}

func TestExpandNothing(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"Do", "do"},
		{"Does", "does"}, // morphy would give "doe"
		{"Is", "is"},
		{"Was", "was"},
		{"Have", "have"},
		{"Has", "has"},
		{"Get", "get"},
		{"Make", "make"},
		{"Made", "made"},
		{"Will", "will"}, // WordNet: volition
		{"The", "the"},
		{"What", "what"},
		{"Empty", ""},
		{"Typo", "millitary"},
		{"Unknown", "xqzzy"},
	}
	l := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Expand(tt.in); len(got) != 0 {
				t.Fatalf("Expand(%q) = %v, want nothing", tt.in, got)
			}
		})
	}
}

func TestExpandNoSelfNoDuplicates(t *testing.T) {
	l := Default()
	for _, in := range []string{"weapons", "arms", "drills", "met", "moscow", "china", "russia", "supplies", "exercise", "security"} {
		t.Run(in, func(t *testing.T) {
			seen := map[string]bool{}
			for _, e := range l.Expand(in) {
				if e.Term == in || seen[e.Term] {
					t.Fatalf("Expand(%q) = %v: has %q twice or the word itself", in, l.Expand(in), e.Term)
				}
				if e.Kind < Synonym || e.Kind > Alias {
					t.Fatalf("Expand(%q): %q has kind %d", in, e.Term, e.Kind)
				}
				seen[e.Term] = true
			}
		})
	}
}

// TestExpandNoOffTopicAlias: the gloss rule applies only to places,
// organisations and personifications, so people, days, languages and
// quantities whose definitions name the United States don't become its
// aliases; nor does a word whose most frequent sense is a person get the
// country of a later place sense (Lincoln, Nebraska).
func TestExpandNoOffTopicAlias(t *testing.T) {
	l := Default()
	for _, in := range []string{"tesla", "sunday", "french", "gdp", "lincoln", "russian"} {
		t.Run(in, func(t *testing.T) {
			for _, e := range l.Expand(in) {
				switch e.Term {
				case "united states", "us", "usa", "america":
					t.Fatalf("Expand(%q) = %v, want no alias of the United States", in, l.Expand(in))
				}
			}
		})
	}
	// The day keeps its synonyms, as synonyms, not aliases.
	if got, want := l.Expand("sunday"), (Expansion{"lord's day", Synonym}); !slices.Contains(got, want) {
		t.Fatalf("Expand(%q) = %v, want it to contain %v", "sunday", got, want)
	}
	for _, e := range l.Expand("tesla") {
		if e.Kind == Alias {
			t.Fatalf("Expand(%q) = %v, want no alias", "tesla", l.Expand("tesla"))
		}
	}
}

func TestExpandNoStopWordTerms(t *testing.T) {
	l := Default()
	// "volition" is a synonym of "will"; "will" must not come back.
	for _, e := range l.Expand("volition") {
		if e.Term == "will" {
			t.Fatalf("Expand(%q) = %v, want no %q", "volition", l.Expand("volition"), "will")
		}
	}
}

func TestKnown(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"PluralNoun", "weapons", true},
		{"PluralVerb", "drills", true},
		{"IesPlural", "supplies", true},
		{"Irregular", "met", true},
		{"Lemma", "military", true},
		{"ProperNoun", "moscow", true},
		{"Phrase", "uncle sam", true},
		{"Adjective", "russian", true},
		{"TypoRusia", "rusia", false},
		{"TypoChian", "chian", false}, // WordNet has Chian (of Chios) only as a proper adjective
		{"TypoMillitary", "millitary", false},
		{"TypoSupplys", "supplys", false},
		{"Empty", "", false},
	}
	l := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Known(tt.in); got != tt.want {
				t.Fatalf("Known(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    Kind
		want string
	}{
		{Synonym, "synonym"}, {Derivation, "derivation"}, {Morphology, "morphology"}, {Alias, "alias"}, {0, "kind(0)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.k.String(); got != tt.want {
				t.Fatalf("Kind(%d).String() = %q, want %q", tt.k, got, tt.want)
			}
		})
	}
}

func TestTableSorted(t *testing.T) {
	// Binary search is only correct on a sorted table.
	tab := string(newTable(tableText))
	prev := ""
	for n := 0; tab != ""; n++ {
		line, rest, _ := strings.Cut(tab, "\n")
		k, _, _ := strings.Cut(line, "\t")
		if n > 0 && k <= prev {
			t.Fatalf("table line %d: key %q after %q, want sorted and unique", n, k, prev)
		}
		prev, tab = k, rest
	}
}
