package main

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/articlebot/articlebot/lexicon/internal/stopword"
	"github.com/articlebot/articlebot/lexicon/internal/wordnet"
)

// The rules, in one place, with the measurements behind the numbers.
const (
	// sensesPerPOS is how many of a lemma's senses (most frequent first)
	// give synonyms, pertainyms and derivations. 2 loses drill -> exercise
	// (noun sense 3, verb sense 3); 3 keeps it and grows the table ~13% over 2;
	// all senses would let rare senses (drill -> Mandrillus leucophaeus is
	// already sense 2) drown the main one.
	sensesPerPOS = 3
	// maxItems caps one key's expansions; beyond a dozen, a term's
	// expansions are rare senses that retrieval would only dilute with.
	maxItems = 12
	// maxDerivations caps derivationally related forms per key: they are
	// the least precise kind ("supply" -> "supplying", "supplier").
	maxDerivations = 3
	// genusWords is how far into a gloss the genus term may start
	// ("the territory claimed by a juvenile gang" -> territory).
	genusWords = 6
	// genusDepth is how many hypernym levels may confirm a genus term
	// (turf -> city district -> district, territory: 2 levels).
	genusDepth = 3
	// holonymDepth bounds the part-holonym walk from a place to its country
	// (Kremlin -> Moscow -> Russia: 2 levels).
	holonymDepth = 4
	// minGenusDepth is how far below the root of the noun hierarchy a genus
	// term must be: "state" (state < attribute < abstraction < entity) is
	// at 3 and too general; "territory" is at 5, "tool" at 7.
	minGenusDepth = 4
)

type item struct {
	kind byte // 's', 'd', 'm', 'a': see the table header
	term string
}

type entry struct {
	pos   []byte
	items []item
}

// nameKind is what a proper-noun synset names, for the alias rules.
type nameKind uint8

const (
	// kindOther: a person, a day, a language, a quantity (GDP), a work...:
	// its synset members are synonyms and it gets no alias.
	kindOther nameKind = iota
	// kindLocated: a man-made thing (the Kremlin, Wall Street): its
	// members are aliases and the part-holonym walk applies, not the gloss
	// rule (the Pentagon building's gloss names the United States, whose
	// building it is, not what it stands for).
	kindLocated
	// kindPlace: a place, a political or organisational body, or a
	// personification of one (Uncle Sam): both alias rules apply.
	kindPlace
)

type builder struct {
	db *wordnet.DB
	// anchors are the synsets that make a synset a country or an
	// international organisation: its instance hypernym reaches one of them.
	anchors map[wordnet.ID]bool
	// countryOf maps a word, case kept, to the country/organisation
	// synset it most frequently names, for the gloss rule.
	countryOf map[string]wordnet.ID
	memo      map[wordnet.ID]bool
	depths    map[wordnet.ID]int
	// kindAnchors classify a proper noun by its hypernym and instance
	// hypernym chain; nameKinds memoises kind.
	kindAnchors map[wordnet.ID]nameKind
	excluded    map[wordnet.ID]bool
	nameKinds   map[wordnet.ID]nameKind
}

// key turns a WordNet word into a table key: lower case, spaces for
// underscores.
func key(w string) string { return strings.ToLower(strings.ReplaceAll(w, "_", " ")) }

func newBuilder(db *wordnet.DB) *builder {
	b := &builder{db: db, anchors: map[wordnet.ID]bool{}, countryOf: map[string]wordnet.ID{}, memo: map[wordnet.ID]bool{}, depths: map[wordnet.ID]int{}}
	// The anchors are named by lemma and sense rank, not by offset, so
	// the rule reads the same in any WordNet version: the first two noun
	// senses of "country" ({state, nation, country, land, ...} and
	// {country, state, land}) and the first of "international organization"
	// (the UN, NATO, ...).
	for lemma, n := range map[string]int{"country": 2, "international_organization": 1} {
		if e, ok := b.find(wordnet.Noun, lemma); ok {
			for _, id := range e.Synsets[:min(n, len(e.Synsets))] {
				b.anchors[id] = true
			}
		}
	}
	// The kinds' anchors, named the same way. A chain that reaches an
	// excluded synset (a person, a time period such as a day of the week,
	// a time unit, a language) is kindOther whatever else it reaches.
	b.kindAnchors, b.excluded, b.nameKinds = map[wordnet.ID]nameKind{}, map[wordnet.ID]bool{}, map[wordnet.ID]nameKind{}
	for _, a := range []struct {
		lemma string
		sense int
		kind  nameKind
	}{
		{"location", 1, kindPlace},             // regions, districts, administrative districts, geographical areas
		{"dry_land", 1, kindPlace},             // islands (Formosa)
		{"body_of_water", 1, kindPlace},        // rivers, seas, lakes
		{"geological_formation", 1, kindPlace}, // mountains, ranges
		{"social_group", 1, kindPlace},         // organisations, governing bodies, institutions
		{"organization", 1, kindPlace},
		{"organization", 3, kindPlace}, // governing body
		{"artifact", 1, kindLocated},   // buildings, streets
		{"person", 1, kindOther},
		{"time_period", 1, kindOther},
		{"time_unit", 1, kindOther},
		{"language", 1, kindOther},
	} {
		if e, ok := b.find(wordnet.Noun, a.lemma); ok && a.sense <= len(e.Synsets) {
			id := e.Synsets[a.sense-1]
			if a.kind == kindOther {
				b.excluded[id] = true
			} else {
				b.kindAnchors[id] = a.kind
			}
		}
	}
	for _, e := range db.Index[wordnet.Noun] {
		for _, id := range e.Synsets {
			if b.isCountry(id) {
				for _, w := range b.db.Synsets[id].Words {
					if key(w) == key(e.Lemma) {
						// Case kept: the gloss rule must tell "US" from "us".
						b.countryOf[strings.ReplaceAll(w, "_", " ")] = id
					}
				}
				break
			}
		}
	}
	return b
}

func (b *builder) find(p wordnet.POS, lemma string) (wordnet.Entry, bool) {
	idx := b.db.Index[p]
	i, ok := slices.BinarySearchFunc(idx, lemma, func(e wordnet.Entry, l string) int { return cmp.Compare(e.Lemma, l) })
	if !ok {
		return wordnet.Entry{}, false
	}
	return idx[i], true
}

// isCountry reports whether the synset is an instance of a country or an
// international organisation: an "@i" pointer followed by "@" pointers
// reaches an anchor.
func (b *builder) isCountry(id wordnet.ID) bool {
	if v, ok := b.memo[id]; ok {
		return v
	}
	found := false
	s := b.db.Synsets[id]
	for _, p := range s.Pointers {
		if p.Symbol == "@i" && b.reaches(p.Target, 6) {
			found = true
			break
		}
	}
	b.memo[id] = found
	return found
}

// kind classifies a proper-noun synset by the anchors its "@" and "@i"
// chain reaches; a definition whose genus is "personification" ("a
// personification of the United States government") makes it a place.
func (b *builder) kind(id wordnet.ID) nameKind {
	if k, ok := b.nameKinds[id]; ok {
		return k
	}
	k := kindOther
	seen := map[wordnet.ID]bool{}
	excluded := false
	var up func(id wordnet.ID)
	up = func(id wordnet.ID) {
		if seen[id] {
			return
		}
		seen[id] = true
		if b.excluded[id] {
			excluded = true
		}
		if a, ok := b.kindAnchors[id]; ok && a > k {
			k = a
		}
		for _, p := range b.db.Synsets[id].Pointers {
			if p.Symbol == "@" || p.Symbol == "@i" {
				up(p.Target)
			}
		}
	}
	up(id)
	if g := glossWords(b.db.Synsets[id].Gloss, true); slices.Contains(g[:min(2, len(g))], "personification") {
		k = kindPlace
	}
	if excluded {
		k = kindOther
	}
	b.nameKinds[id] = k
	return k
}

func (b *builder) reaches(id wordnet.ID, depth int) bool {
	if b.anchors[id] {
		return true
	}
	if depth == 0 {
		return false
	}
	for _, p := range b.db.Synsets[id].Pointers {
		if p.Symbol == "@" && b.reaches(p.Target, depth-1) {
			return true
		}
	}
	return false
}

// build returns the table's entries by key.
func (b *builder) build() map[string]*entry {
	out := map[string]*entry{}
	get := func(k string) *entry {
		e := out[k]
		if e == nil {
			e = &entry{}
			out[k] = e
		}
		return e
	}
	type ranked struct {
		item
		rank int
	}
	lists := map[string]*[5][]ranked{} // morph, pertainym, alias, synonym, derivation
	list := func(k string) *[5][]ranked {
		l := lists[k]
		if l == nil {
			l = &[5][]ranked{}
			lists[k] = l
		}
		return l
	}
	for _, p := range wordnet.AllPOS() {
		for _, form := range b.db.ExcForms(p) {
			l := list(key(form))
			for _, base := range b.db.Exc(p, form) {
				l[0] = append(l[0], ranked{item{'m', key(base)}, 0})
			}
		}
		for _, e := range b.db.Index[p] {
			k := key(e.Lemma)
			get(k).pos = append(get(k).pos, posLetter(b.db, e))
			l := list(k)
			// derive: whether a proper-noun sense may take aliases beyond
			// its own synset (holonym walk, gloss). Only while every more
			// frequent sense of the word is itself a place or organisation
			// name, and when the word has no common sense in another part
			// of speech: "lincoln" is first the president, so Lincoln,
			// Nebraska doesn't make it an alias of the United States, nor
			// Nice one of France.
			derive := p == wordnet.Noun && !b.commonElsewhere(e.Lemma)
			for rank, id := range e.Synsets[:min(sensesPerPOS, len(e.Synsets))] {
				s := b.db.Synsets[id]
				w := wordIndex(s, k)
				// proper: a name of a place, an organisation or a located
				// thing; other capitalised senses (Tesla the engineer, Sunday
				// the day, French the language, GDP) count as common nouns.
				proper := w > 0 && unicode.IsUpper(rune(s.Words[w-1][0])) && p == wordnet.Noun && b.kind(id) != kindOther
				var others []string
				for i, x := range s.Words {
					if i+1 != w {
						others = append(others, key(x))
					}
				}
				for _, o := range others {
					if proper {
						l[2] = append(l[2], ranked{item{'a', o}, rank})
					} else {
						l[3] = append(l[3], ranked{item{'s', o}, rank})
					}
				}
				if proper && derive {
					for _, a := range b.aliases(s) {
						l[2] = append(l[2], ranked{item{'a', a}, rank})
					}
				} else if !proper {
					derive = false
				}
				if !proper && len(others) == 0 && p == wordnet.Noun && (w == 0 || !unicode.IsUpper(rune(s.Words[w-1][0]))) {
					if g := b.genus(s); g != "" {
						l[3] = append(l[3], ranked{item{'s', g}, rank})
					}
				}
				for _, ptr := range s.Pointers {
					if ptr.Source != w || ptr.Dest == 0 {
						continue
					}
					t := b.db.Synsets[ptr.Target].Words[ptr.Dest-1]
					switch ptr.Symbol {
					case `\`:
						l[1] = append(l[1], ranked{item{'d', key(t)}, rank})
					case "+":
						if commonPrefix(k, key(t)) >= 3 {
							l[4] = append(l[4], ranked{item{'d', key(t)}, rank})
						}
					}
				}
			}
		}
	}
	for k, l := range lists {
		e := get(k)
		if stopword.Is(k) {
			continue
		}
		seen := map[string]bool{k: true}
		nd := 0
		for g, rs := range l {
			// Synonyms of sense 1 of every part of speech come before
			// those of sense 2; the stable sort keeps WordNet's order within.
			slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
			for _, r := range rs {
				if seen[r.term] || stopword.Is(r.term) || len(e.items) >= maxItems || strings.ContainsAny(r.term, "|\t") {
					continue
				}
				if g == 4 {
					if nd >= maxDerivations {
						continue
					}
					nd++
				}
				seen[r.term] = true
				e.items = append(e.items, r.item)
			}
		}
	}
	return out
}

// commonElsewhere reports whether the lemma has a sense in a part of
// speech other than nouns that WordNet doesn't write capitalised (nice,
// the adjective).
func (b *builder) commonElsewhere(lemma string) bool {
	for _, p := range wordnet.AllPOS() {
		if p == wordnet.Noun {
			continue
		}
		if e, ok := b.find(p, lemma); ok && !unicode.IsUpper(rune(posLetter(b.db, e))) {
			return true
		}
	}
	return false
}

// aliases gives what a proper noun of a place, an organisation or a
// located thing (kind not kindOther) stands for or belongs to:
//   - the country or international organisation that a part-holonym walk
//     reaches (Moscow -> Russia; Kremlin -> Moscow -> Russia), all its
//     lemmas first, then the places passed on the way;
//   - failing that, and only for a place, a political or organisational
//     body or a personification of one (kindPlace), the first country or
//     organisation its gloss names (Uncle Sam, "a personification of the
//     United States government"). Never for a person ("United States
//     electrical engineer"), a day, a language or a quantity (GDP, "the
//     measure of an economy adopted by the United States"): the caller
//     passes none of those.
//
// Synset members (Beijing = Peking, UN = United Nations) are added by the
// caller.
func (b *builder) aliases(s *wordnet.Synset) []string {
	var path []wordnet.ID
	var walk func(id wordnet.ID, depth int) (wordnet.ID, bool)
	walk = func(id wordnet.ID, depth int) (wordnet.ID, bool) {
		if depth > holonymDepth {
			return wordnet.ID{}, false
		}
		for _, p := range b.db.Synsets[id].Pointers {
			if p.Symbol != "#p" {
				continue
			}
			if b.isCountry(p.Target) {
				return p.Target, true
			}
			path = append(path, p.Target)
			if c, ok := walk(p.Target, depth+1); ok {
				return c, true
			}
			path = path[:len(path)-1]
		}
		return wordnet.ID{}, false
	}
	var out []string
	if b.isCountry(s.ID) {
		return nil
	}
	if c, ok := walk(s.ID, 1); ok {
		out = append(out, b.names(c)...)
		for _, id := range path {
			out = append(out, key(b.db.Synsets[id].Words[0]))
		}
		return out
	}
	if b.kind(s.ID) != kindPlace {
		return nil
	}
	toks := glossWords(s.Gloss, false)
	for i := range toks {
		for n := min(4, len(toks)-i); n >= 1; n-- {
			phrase := strings.Join(toks[i:i+n], " ")
			if c, ok := b.countryOf[phrase]; ok {
				out = append(out, strings.ToLower(phrase))
				return append(out, b.names(c)...)
			}
		}
	}
	return nil
}

// names gives the names of a country or organisation that an alias points
// to: its head lemma and its one-word names without full stops ("united
// states", "america", "us", "usa"; "china", "prc", "cathay"). The long
// official names ("union of soviet socialist republics") stay with the
// country's own entry, so that every city of China doesn't repeat them.
func (b *builder) names(id wordnet.ID) []string {
	ws := b.db.Synsets[id].Words
	out := []string{key(ws[0])}
	for _, w := range ws[1:] {
		if !strings.ContainsAny(w, "_.") {
			out = append(out, key(w))
		}
	}
	return out
}

// genus finds, for a noun sense with no synonyms, the genus term of its
// definition: the first word or two-word phrase near the start of the
// gloss that is a lemma of one of its hypernyms up to genusDepth levels
// up. Checking against the hypernyms keeps a definition's incidental
// words out ("a tool with a sharp point" gives "tool", not "point"), and
// hypernyms fewer than minGenusDepth levels below the root are too
// general to help ("the state of being certain..." would give "state").
// Verbs are left out: their hierarchy is shallow, so their genus terms
// are mostly such general verbs ("cover", "change", "make").
func (b *builder) genus(s *wordnet.Synset) string {
	anc := map[string]bool{}
	var up func(id wordnet.ID, depth int)
	up = func(id wordnet.ID, depth int) {
		if depth > genusDepth {
			return
		}
		for _, p := range b.db.Synsets[id].Pointers {
			if p.Symbol == "@" || p.Symbol == "@i" {
				if b.depth(p.Target) >= minGenusDepth {
					for _, w := range b.db.Synsets[p.Target].Words {
						anc[key(w)] = true
					}
				}
				up(p.Target, depth+1)
			}
		}
	}
	up(s.ID, 1)
	toks := glossWords(s.Gloss, true)
	for i := range toks[:min(genusWords, len(toks))] {
		if i+1 < len(toks) && anc[toks[i]+" "+toks[i+1]] {
			return toks[i] + " " + toks[i+1]
		}
		if anc[toks[i]] {
			return toks[i]
		}
	}
	return ""
}

// depth returns the length of the shortest hypernym path from id to a root.
func (b *builder) depth(id wordnet.ID) int {
	if d, ok := b.depths[id]; ok {
		return d
	}
	b.depths[id] = 0 // guards against cycles
	d := -1
	for _, p := range b.db.Synsets[id].Pointers {
		if p.Symbol == "@" || p.Symbol == "@i" {
			if pd := b.depth(p.Target) + 1; d < 0 || pd < d {
				d = pd
			}
		}
	}
	d = max(d, 0)
	b.depths[id] = d
	return d
}

// glossWords returns the words of a gloss's definition, the part before
// the first example or semicolon, lower-cased if lower is set.
func glossWords(g string, lower bool) []string {
	if i := strings.IndexAny(g, `;"`); i >= 0 {
		g = g[:i]
	}
	if lower {
		g = strings.ToLower(g)
	}
	ws := strings.FieldsFunc(g, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-' && r != '.'
	})
	for i, w := range ws {
		if strings.Count(w, ".") == 1 { // a full stop, not "U.S."
			ws[i] = strings.TrimSuffix(w, ".")
		}
	}
	return ws
}

// posLetter returns the entry's part of speech, upper-cased when WordNet
// writes the lemma capitalised in every sense: a proper noun ("N" for
// moscow) or proper adjective ("A" for chian, of Chios). Known uses it to
// disown lemmas that exist only as proper adjectives: a chat user who
// types "chian" means "china", not the island of Chios.
func posLetter(db *wordnet.DB, e wordnet.Entry) byte {
	k := key(e.Lemma)
	for _, id := range e.Synsets {
		s := db.Synsets[id]
		if w := wordIndex(s, k); w == 0 || !unicode.IsUpper(rune(s.Words[w-1][0])) {
			return byte(e.POS)
		}
	}
	return byte(unicode.ToUpper(rune(e.POS)))
}

// wordIndex returns the 1-based number of the word k in s, or 0.
func wordIndex(s *wordnet.Synset, k string) int {
	for i, w := range s.Words {
		if key(w) == k {
			return i + 1
		}
	}
	return 0
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
