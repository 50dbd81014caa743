package lexicon

import (
	"cmp"
	"math/bits"
	"slices"
	"unicode"
)

// Speller corrects words against a small vocabulary (the corpus's words
// and their counts).
//
// It scans the vocabulary words whose length is within the distance bound
// of the word's, computing an optimal-string-alignment distance with an
// early exit. SymSpell libraries answer faster on dictionaries of 100,000
// words, but they precompute every deletion of every word (memory and
// start-up time), and on this corpus-sized vocabulary the scan is already
// tens of microseconds per word (BenchmarkCorrect), so a dependency would
// buy nothing.
type Speller struct {
	known func(string) bool
	vocab map[string]int
	// byLen holds the vocabulary by length in runes, each bucket sorted
	// so that the scan is deterministic.
	byLen map[int][]vocabWord
}

type vocabWord struct {
	word  string
	runes []rune
	freq  int
	mask  uint64 // letterMask(runes)
}

// NewSpeller returns a Speller for vocab, which maps lower-case corpus
// words to their frequency. known reports words that must never be
// corrected (in the corpus, known to the Lexicon, or a stop word); nil
// means none beyond the vocabulary. Words with digits are left out of the
// vocabulary, as they are never corrected to.
func NewSpeller(vocab map[string]int, known func(string) bool) *Speller {
	s := &Speller{known: known, vocab: vocab, byLen: map[int][]vocabWord{}}
	for w, f := range vocab {
		if w == "" || hasDigit(w) {
			continue
		}
		r := []rune(w)
		s.byLen[len(r)] = append(s.byLen[len(r)], vocabWord{w, r, f, letterMask(r)})
	}
	for _, b := range s.byLen {
		slices.SortFunc(b, func(x, y vocabWord) int { return cmp.Compare(x.word, y.word) })
	}
	return s
}

// MaxDistance is the largest edit distance Correct accepts for a word of n
// runes. Words of up to 3 runes are never corrected: one edit turns most
// of them into another word ("wat" is "was", "war", "what"). 4 to 6 runes
// allow 1 edit (rusia, chian, safty, econmy), 7 and more allow 2 (artical
// -> article and supplys -> supplies need 2).
func MaxDistance(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	}
	return 2
}

// Correct returns the best correction of a lower-case word and true, or
// "", false when the word is in the vocabulary, known, has a digit, is too
// short, or has no vocabulary word within MaxDistance. The best is the
// nearest; ties go to a word with the same first letter (people rarely
// mistype the first letter: artical is article, not critical), then to
// the more frequent, then to the lexicographically first.
func (s *Speller) Correct(word string) (string, bool) {
	if word == "" || hasDigit(word) {
		return "", false
	}
	if _, ok := s.vocab[word]; ok || (s.known != nil && s.known(word)) {
		return "", false
	}
	r := []rune(word)
	maxD := MaxDistance(len(r))
	if maxD == 0 {
		return "", false
	}
	var best *vocabWord
	bestD, bestFirst := maxD+1, false
	mask := letterMask(r)
	row := make([]int, 3*(len(r)+maxD+1)) // three DP rows, reused
	for n := len(r) - maxD; n <= len(r)+maxD; n++ {
		for i := range s.byLen[n] {
			c := &s.byLen[n][i]
			// Each edit adds at most one letter the other word lacks, so
			// more than maxD letters on either side rule the word out
			// before the distance is computed (2.7x faster in BenchmarkCorrect).
			if bits.OnesCount64(mask&^c.mask) > maxD || bits.OnesCount64(c.mask&^mask) > maxD {
				continue
			}
			d := osa(r, c.runes, min(bestD, maxD), row)
			if d > maxD {
				continue
			}
			first := c.runes[0] == r[0]
			if best == nil || d < bestD ||
				d == bestD && (first && !bestFirst || first == bestFirst &&
					(c.freq > best.freq || c.freq == best.freq && c.word < best.word)) {
				best, bestD, bestFirst = c, d, first
			}
		}
	}
	if best == nil {
		return "", false
	}
	return best.word, true
}

// osa returns the optimal-string-alignment distance between a and b
// (Damerau-Levenshtein where a transposition of neighbours counts 1 and
// no substring is edited twice), or a number above limit as soon as the
// distance must exceed it. buf holds three rows of len(b)+1.
func osa(a, b []rune, limit int, buf []int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	w := len(b) + 1
	prev2, prev, cur := buf[:w], buf[w:2*w], buf[2*w:3*w]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// letterMask sets one bit per distinct rune (modulo 64; a collision only
// lets more words through to the exact distance).
func letterMask(r []rune) uint64 {
	var m uint64
	for _, c := range r {
		m |= 1 << (uint(c) % 64)
	}
	return m
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func hasDigit(w string) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
