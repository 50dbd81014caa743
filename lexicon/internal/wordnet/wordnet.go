// Package wordnet reads the WordNet 3.0 database files (index.*, data.*,
// *.exc) into memory for the lexicon generator.
//
// It is a small parser of our own rather than a library such as
// github.com/ozlo/gown or github.com/lloyd/wnram: the file format is a
// documented, line-oriented text format (wndb(5WN)) that takes about 200
// lines to read completely, the generator needs the lexical (word-to-word)
// pointers, instance hypernyms and part holonyms with their source/target
// word numbers, which those libraries either don't expose or expose through
// their own sense model, and neither library is maintained any more. Reading
// the files ourselves also keeps a generation-time-only dependency out of
// go.mod. The parser runs only under go generate, never in the bot.
package wordnet

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// POS is a WordNet part of speech: 'n', 'v', 'a' or 'r'. Adjective
// satellites ('s') are folded into 'a'.
type POS byte

// The parts of speech, in WordNet's file order.
const (
	Noun POS = 'n'
	Verb POS = 'v'
	Adj  POS = 'a'
	Adv  POS = 'r'
)

// AllPOS lists the parts of speech in a fixed order.
func AllPOS() []POS { return []POS{Noun, Verb, Adj, Adv} }

func (p POS) file() string {
	switch p {
	case Noun:
		return "noun"
	case Verb:
		return "verb"
	case Adj:
		return "adj"
	default:
		return "adv"
	}
}

// ID names a synset: its part of speech and byte offset in data.POS.
type ID struct {
	POS    POS
	Offset int64
}

// Pointer is one relation from a synset (Source 0) or from one of its words
// (Source > 0, a lexical pointer) to a synset or one of its words.
type Pointer struct {
	Symbol string // "@", "@i", "#p", "\\", "+", ... as in wninput(5WN)
	Target ID
	Source int // 1-based word number in the source synset, 0 for the synset
	Dest   int // 1-based word number in the target synset, 0 for the synset
}

// Synset is one data.* line.
type Synset struct {
	ID       ID
	Words    []string // as written in the file, with underscores and case
	Pointers []Pointer
	Gloss    string
}

// Entry is one index.* line: a lemma and its synsets, most frequent first.
type Entry struct {
	Lemma   string // lower case, underscores for spaces
	POS     POS
	Synsets []ID
}

// DB is the whole database in memory.
type DB struct {
	Synsets  map[ID]*Synset
	Index    map[POS][]Entry // in file (sorted) order
	exc      map[POS]map[string][]string
	excOrder map[POS][]string
}

// Exc returns the base forms that POS's exception list gives for an
// inflected form, in file order.
func (db *DB) Exc(p POS, form string) []string { return db.exc[p][form] }

// ExcForms returns the inflected forms in POS's exception list, in file order.
func (db *DB) ExcForms(p POS) []string { return db.excOrder[p] }

// Load reads the database in dir. It returns an error if a file is missing
// or malformed.
func Load(dir string) (*DB, error) {
	db := &DB{
		Synsets:  map[ID]*Synset{},
		Index:    map[POS][]Entry{},
		exc:      map[POS]map[string][]string{},
		excOrder: map[POS][]string{},
	}
	for _, p := range AllPOS() {
		if err := eachLine(filepath.Join(dir, "data."+p.file()), func(line string) error {
			s, err := parseData(line)
			if err != nil {
				return err
			}
			db.Synsets[s.ID] = s
			return nil
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dir, "index."+p.file()), func(line string) error {
			e, err := parseIndex(line)
			if err != nil {
				return err
			}
			db.Index[p] = append(db.Index[p], e)
			return nil
		}); err != nil {
			return nil, err
		}
		db.exc[p] = map[string][]string{}
		if err := eachLine(filepath.Join(dir, p.file()+".exc"), func(line string) error {
			f := strings.Fields(line)
			if len(f) < 2 {
				return fmt.Errorf("couldn't parse exception line %q", line)
			}
			if _, dup := db.exc[p][f[0]]; !dup {
				db.excOrder[p] = append(db.excOrder[p], f[0])
			}
			db.exc[p][f[0]] = append(db.exc[p][f[0]], f[1:]...)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return db, nil
}

// eachLine calls fn on every line of the file except the licence header,
// whose lines start with a space.
func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("couldn't open WordNet file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == ' ' {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("couldn't read %s: %w", path, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("couldn't read %s: %w", path, err)
	}
	return nil
}

func parseIndex(line string) (Entry, error) {
	f := strings.Fields(line)
	if len(f) < 6 {
		return Entry{}, fmt.Errorf("couldn't parse index line %q", line)
	}
	nSyn, err1 := strconv.Atoi(f[2])
	nPtr, err2 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || len(f) < 4+nPtr+2+nSyn {
		return Entry{}, fmt.Errorf("couldn't parse index line %q", line)
	}
	e := Entry{Lemma: f[0], POS: POS(f[1][0])}
	for _, o := range f[4+nPtr+2 : 4+nPtr+2+nSyn] {
		off, err := strconv.ParseInt(o, 10, 64)
		if err != nil {
			return Entry{}, fmt.Errorf("couldn't parse offset in %q: %w", line, err)
		}
		e.Synsets = append(e.Synsets, ID{e.POS, off})
	}
	return e, nil
}

func parseData(line string) (*Synset, error) {
	body, gloss, _ := strings.Cut(line, " | ")
	f := strings.Fields(body)
	bad := fmt.Errorf("couldn't parse data line %.60q", line)
	if len(f) < 4 {
		return nil, bad
	}
	off, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return nil, bad
	}
	s := &Synset{ID: ID{fold(f[2][0]), off}, Gloss: strings.TrimSpace(gloss)}
	nw, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil || len(f) < 4+2*int(nw)+1 {
		return nil, bad
	}
	i := 4
	for range nw {
		w := f[i]
		if j := strings.IndexByte(w, '('); j > 0 { // adjective markers: (a), (p), (ip)
			w = w[:j]
		}
		s.Words = append(s.Words, w)
		i += 2
	}
	np, err := strconv.Atoi(f[i])
	if err != nil || len(f) < i+1+4*np {
		return nil, bad
	}
	i++
	for range np {
		o, err1 := strconv.ParseInt(f[i+1], 10, 64)
		st, err2 := strconv.ParseUint(f[i+3], 16, 16)
		if err1 != nil || err2 != nil {
			return nil, bad
		}
		s.Pointers = append(s.Pointers, Pointer{
			Symbol: f[i],
			Target: ID{fold(f[i+2][0]), o},
			Source: int(st >> 8),
			Dest:   int(st & 0xff),
		})
		i += 4
	}
	return s, nil
}

// fold maps the adjective satellite type 's' to 'a': both live in data.adj.
func fold(b byte) POS {
	if b == 's' {
		return Adj
	}
	return POS(b)
}
