package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a half-open byte range [Start, End) of a text.
type Span struct {
	Start, End int
}

// abbreviations end with a period but rarely end a sentence. Lower-case,
// without the final period. Dotted acronyms such as "U.S." and single
// initials are recognised by shape and need no entry.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"jr": true, "sr": true, "vs": true, "etc": true, "inc": true, "ltd": true,
	"co": true, "corp": true, "fig": true, "figs": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "rev": true, "col": true,
	"lt": true, "capt": true, "sgt": true, "approx": true, "est": true, "dept": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"mt": true, "ft": true, "vol": true, "pp": true, "ed": true, "al": true,
	"cf": true, "ca": true, "e.g": true, "i.e": true, "viz": true, "pres": true,
}

// Sentences splits text into sentence spans. A sentence ends at '.', '!' or
// '?' (plus any closing quotes or brackets) followed by white space, unless the
// word before the period is an abbreviation, an initial or a dotted acronym
// such as "U.S.". Line breaks that separate paragraphs always end a sentence.
// Leading and trailing white space is excluded from every span.
//
// It is written here rather than taken from a library because callers need
// exact byte offsets into the original text, curly-quote awareness and a
// predictable abbreviation list; the Punkt ports available for Go return
// neither offsets nor stable behaviour on short texts.
func Sentences(text string) []Span {
	var spans []Span
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		s, e := trimSpan(text, start, end)
		if e > s {
			spans = append(spans, Span{s, e})
		}
		start = -1
	}
	// runEnd is where the run of closing punctuation last skipped ends:
	// every '.', '!' or '?' inside that run ends at the same place, so a
	// long run ("......") is scanned once, not once per character.
	runEnd := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if start < 0 && !unicode.IsSpace(r) {
			start = i
		}
		switch {
		case r == '\n' && paragraphBreak(text, i):
			emit(i)
		case r == '.' || r == '!' || r == '?':
			end := runEnd
			if i >= runEnd {
				end = skipClosers(text, i+size)
				runEnd = end
			}
			if end >= len(text) {
				break
			}
			next, _ := utf8.DecodeRuneInString(text[end:])
			if !unicode.IsSpace(next) {
				break
			}
			if r == '.' && !endsSentence(text, start, i, end) {
				break
			}
			emit(end)
			i = end
			continue
		}
		i += size
	}
	emit(len(text))
	return spans
}

// paragraphBreak reports whether the newline at i is followed, after optional
// horizontal space, by another newline, or is preceded by a heading-like line.
func paragraphBreak(text string, i int) bool {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// skipClosers advances over closing quotes and brackets after terminal
// punctuation, so that `He said "no."` ends after the quote.
func skipClosers(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '"', '\'', ')', ']', '\u2019', '\u201d', '.', '!', '?':
			i += size
			continue
		}
		break
	}
	return i
}

// endsSentence decides whether the period at dot (with the sentence's closers
// ending at end) ends the sentence started at start.
func endsSentence(text string, start, dot, end int) bool {
	word := lastWord(text[max(start, 0):dot])
	lw := strings.ToLower(word)
	if abbreviations[lw] {
		return false
	}
	// Single initial ("J. K. Rowling") or dotted acronym ("U.S", "e.g").
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]) {
		return false
	}
	if strings.Contains(word, ".") && isDottedAcronym(word) {
		// "U.S." followed by a lower-case word or a digit is mid-sentence;
		// followed by a capital it is ambiguous, and keeping the sentence
		// whole is the safer error for quoting.
		return false
	}
	// A lower-case word after the period means the sentence goes on, and so
	// does a number after "No." ("No. 5").
	rest := strings.TrimLeft(text[end:min(end+maxLook, len(text))], " \t\r\n")
	r, _ := utf8.DecodeRuneInString(rest)
	if unicode.IsLower(r) || ((lw == "no" || lw == "nos") && unicode.IsDigit(r)) {
		return false
	}
	return true
}

// maxLook bounds how far endsSentence looks around a period: no
// abbreviation or acronym is longer, and a run of thousands of dots or
// spaces must not be scanned again at every dot.
const maxLook = 64

// lastWord returns the run of letters and periods that ends s, or its last
// maxLook bytes.
func lastWord(s string) string {
	i := len(s)
	for i > 0 && len(s)-i < maxLook {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		i -= size
	}
	return strings.TrimLeft(s[i:], ".")
}

// isDottedAcronym reports whether w looks like "U.S" or "e.g": single letters
// separated by periods.
func isDottedAcronym(w string) bool {
	for _, part := range strings.Split(w, ".") {
		if utf8.RuneCountInString(part) != 1 {
			return false
		}
	}
	return true
}

func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, size := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += size
	}
	for e > s {
		r, size := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= size
	}
	return s, e
}
