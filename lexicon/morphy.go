package lexicon

import "strings"

// suffix is one of WordNet's morphy detachment rules: a word of part of
// speech pos ending in from may be an inflection of the base ending in to.
type suffix struct {
	pos      byte
	from, to string
}

// suffixes returns morphy's rules, from WordNet's morph.c, in its order.
// A function rather than a package-level variable keeps the package free
// of mutable state; the array is small and lives on the stack.
func suffixes() [20]suffix {
	return [20]suffix{
		{'n', "s", ""}, {'n', "ses", "s"}, {'n', "xes", "x"}, {'n', "zes", "z"},
		{'n', "ches", "ch"}, {'n', "shes", "sh"}, {'n', "men", "man"}, {'n', "ies", "y"},
		{'v', "s", ""}, {'v', "ies", "y"}, {'v', "es", "e"}, {'v', "es", ""},
		{'v', "ed", "e"}, {'v', "ed", ""}, {'v', "ing", "e"}, {'v', "ing", ""},
		{'a', "er", ""}, {'a', "est", ""}, {'a', "er", "e"}, {'a', "est", "e"},
	}
}

// regularBases returns the base forms morphy's suffix rules give for the
// word: candidates that WordNet lists as lemmas of the rule's part of
// speech ("drills" -> "drill", "supplies" -> "supply"). Irregular forms
// are in the table itself, as Morphology expansions. A phrase is handled
// as morphy does its last word ("nuclear weapons" -> "nuclear weapon").
func (l *Lexicon) regularBases(word string) []string {
	var out []string
	for _, r := range suffixes() {
		if !strings.HasSuffix(word, r.from) || len(word) <= len(r.from) {
			continue
		}
		base := word[:len(word)-len(r.from)] + r.to
		if base == word || contains(out, base) || r.from == "s" && consonantY(base) {
			continue
		}
		if pos, _, ok := l.t.find(base); ok && hasPOS(pos, r.pos) {
			out = append(out, base)
		}
	}
	return out
}

// consonantY reports whether w ends in a consonant and "y". Such words
// take "ies", never "ys" (supply: supplies; day: days), so morphy's bare
// "s" rule would otherwise make the typo "supplys" a known word and keep
// the speller from correcting it.
func consonantY(w string) bool {
	n := len(w)
	return n >= 2 && w[n-1] == 'y' && !strings.ContainsRune("aeiouy", rune(w[n-2]))
}

// hasPOS reports whether the table's parts-of-speech field has p, proper
// (upper case) or not.
func hasPOS(pos string, p byte) bool {
	return strings.IndexByte(pos, p) >= 0 || strings.IndexByte(pos, p-'a'+'A') >= 0
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
