package lexicon

import (
	"strconv"
	"strings"

	"github.com/articlebot/articlebot/lexicon/internal/stopword"
)

// Kind of an expansion.
type Kind uint8

// The kinds of expansion, from WordNet's relations.
const (
	// Synonym: another lemma of one of the word's most frequent senses
	// (weapon -> arm), or, for a noun sense without one, the genus term of
	// its definition (turf -> territory).
	Synonym Kind = iota + 1
	// Derivation: the noun an adjective pertains to (russian -> russia),
	// or a derivationally related form (supplier -> supply).
	Derivation
	// Morphology: the base of an irregular form (met -> meet).
	Morphology
	// Alias: what a proper noun also names or belongs to (peking ->
	// beijing, moscow -> russia, uncle sam -> united states).
	Alias
)

// String returns the kind's lower-case name, or "kind(N)" for an unknown one.
func (k Kind) String() string {
	switch k {
	case Synonym:
		return "synonym"
	case Derivation:
		return "derivation"
	case Morphology:
		return "morphology"
	case Alias:
		return "alias"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

func kindOf(b byte) Kind {
	switch b {
	case 's':
		return Synonym
	case 'd':
		return Derivation
	case 'm':
		return Morphology
	case 'a':
		return Alias
	}
	return 0
}

// Expansion is one term a word expands to.
type Expansion struct {
	Term string // lower case; may contain spaces ("united nations")
	Kind Kind
}

// Lexicon answers questions about English words from the WordNet-derived
// table. It holds no mutable state and is safe for concurrent use.
type Lexicon struct {
	t table
}

// Default returns the embedded WordNet-derived lexicon. It is cheap (it
// only skips the table's header) and safe for concurrent use.
func Default() *Lexicon {
	return &Lexicon{t: newTable(tableText)}
}

// Known reports whether the lower-case word or phrase is an English word
// WordNet knows, as a lemma or an inflected form of one (WordNet's morphy:
// the exception lists, then the suffix rules, "weapons" -> "weapon",
// "supplies" -> "supply"). Lemmas that WordNet has only as proper
// adjectives ("chian", of Chios) don't count: in chat they are typos.
func (l *Lexicon) Known(word string) bool {
	word = normalize(word)
	if word == "" {
		return false
	}
	if pos, _, ok := l.t.find(word); ok {
		// An empty pos is an irregular form (met); an upper-case one is a
		// proper name, and names count (moscow), but proper adjectives
		// alone don't ("chian", of Chios, is a typo of china in chat).
		return pos == "" || strings.ContainsAny(pos, "nvarN")
	}
	return len(l.regularBases(word)) > 0
}

// Expand returns the expansions of a lower-case word or phrase (words
// separated by one space), most useful first, without the word itself and
// without duplicates. Inflected input ("weapons", "drills") is reduced with
// morphy first, and the expansions of its base forms follow the word's own.
// Stop words and light verbs ("do", "is", "will", "get") expand to nothing,
// as do words WordNet doesn't know.
func (l *Lexicon) Expand(term string) []Expansion {
	term = normalize(term)
	if term == "" || stopword.Is(term) {
		return nil
	}
	seen := map[string]bool{term: true}
	var out []Expansion
	var bases []string
	add := func(items string) {
		for items != "" {
			var it string
			it, items, _ = strings.Cut(items, "|")
			if len(it) < 3 || seen[it[2:]] {
				continue
			}
			seen[it[2:]] = true
			e := Expansion{Term: it[2:], Kind: kindOf(it[0])}
			out = append(out, e)
			if e.Kind == Morphology {
				bases = append(bases, e.Term)
			}
		}
	}
	if _, items, ok := l.t.find(term); ok {
		add(items)
	}
	// Regular bases are the same word to the stemmer retrieval uses, so
	// they aren't listed themselves, only their expansions.
	for _, b := range l.regularBases(term) {
		seen[b] = true
		bases = append(bases, b)
	}
	for i := 0; i < len(bases); i++ { // add appends to bases: index, don't range
		if stopword.Is(bases[i]) {
			continue
		}
		if _, items, ok := l.t.find(bases[i]); ok {
			add(items)
		}
	}
	return out
}

// normalize lower-cases the term and joins its words with single spaces,
// in case a caller forgot.
func normalize(s string) string {
	if s == strings.ToLower(s) && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
