package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/articlebot/articlebot/corpus"
)

// LeakWords is how many consecutive words of the system prompt an answer
// may not repeat. Eight words is far longer than the stock phrases a
// grounded answer shares with the rules, and far shorter than any useful
// paraphrase of them.
const LeakWords = 8

// CapAnswer shortens s to at most max runes. It cuts after the last whole
// sentence that fits, keeping the citation markers that follow it; when not
// even the first sentence fits, it cuts at the last space that fits,
// outside any [n], and appends "…". The cut never falls inside a marker.
func CapAnswer(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	limit := byteIndexOfRune(s, max) // s[:limit] holds max runes
	cut := 0
	for _, sp := range corpus.Sentences(s) {
		if sp.End > limit {
			break
		}
		cut = sp.End
	}
	if cut > 0 {
		// Keep markers that follow the sentence end, e.g. "Claim. [2]".
		for _, g := range parseMarkers(s) {
			if g.start < cut {
				continue
			}
			if g.end <= limit && strings.TrimSpace(s[cut:g.start]) == "" {
				cut = g.end
				continue
			}
			break
		}
		return strings.TrimSpace(s[:cut])
	}
	return TrimRunes(s, max)
}

// TrimRunes shortens s to at most max runes, cutting at the last white
// space that fits and appending "…" when it cuts. A cut never leaves half a
// citation marker.
func TrimRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max < 2 {
		return strings.Repeat("…", max)
	}
	limit := byteIndexOfRune(s, max-1) // room for "…"
	cut := strings.LastIndexFunc(s[:limit], unicode.IsSpace)
	if cut <= 0 {
		cut = limit
	}
	for _, g := range parseMarkers(s) {
		if g.start < cut && cut < g.end {
			cut = g.start
		}
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + "…"
}

// byteIndexOfRune returns the byte offset of the n-th rune of s, or len(s).
func byteIndexOfRune(s string, n int) int {
	i := 0
	for j := range s {
		if i == n {
			return j
		}
		i++
	}
	return len(s)
}

// stripIncompleteMarker drops a citation marker that a stream has only
// begun, such as a trailing "[1" or "[1, ", so that partial text never
// shows a broken marker.
func stripIncompleteMarker(s string) string {
	i := strings.LastIndexByte(s, '[')
	if i < 0 || strings.IndexByte(s[i:], ']') >= 0 {
		return s
	}
	for _, r := range s[i+1:] {
		if !unicode.IsDigit(r) && r != ',' && r != ' ' {
			return s
		}
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace)
}

// leakDetector finds answers that repeat LeakWords or more consecutive
// words of a prompt. Shingles are arrays, not joined strings, so checking
// a growing stream after every chunk allocates little.
type leakDetector struct {
	shingles map[[LeakWords]string]bool
}

func newLeakDetector(prompt string) leakDetector {
	d := leakDetector{shingles: map[[LeakWords]string]bool{}}
	w := leakWords(prompt)
	for i := 0; i+LeakWords <= len(w); i++ {
		d.shingles[[LeakWords]string(w[i:i+LeakWords])] = true
	}
	return d
}

// leaks reports whether s repeats LeakWords consecutive words of the prompt.
func (d leakDetector) leaks(s string) bool {
	w := leakWords(s)
	for i := 0; i+LeakWords <= len(w); i++ {
		if d.shingles[[LeakWords]string(w[i:i+LeakWords])] {
			return true
		}
	}
	return false
}

// leakTail returns the part of s a leak check must still see when
// s[:checked] has been checked: everything after checked plus the
// 2*LeakWords white-space separated fields before it, enough for any run
// of LeakWords words that ends after checked. It keeps checking a growing
// stream linear; the final check looks at the whole answer anyway.
func leakTail(s string, checked int) string {
	i := min(max(checked, 0), len(s))
	for fields := 0; fields < 2*LeakWords && i > 0; fields++ {
		for i > 0 { // back over white space
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if !unicode.IsSpace(r) {
				break
			}
			i -= size
		}
		for i > 0 { // back over one field
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if unicode.IsSpace(r) {
				break
			}
			i -= size
		}
	}
	return s[i:]
}

// leakWords splits folded s into words of letters, digits and apostrophes,
// so that punctuation, case and typography cannot hide a repetition.
func leakWords(s string) []string {
	return strings.FieldsFunc(corpus.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}
