package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/articlebot/articlebot/corpus"
)

// markerRE matches one citation marker: [3] or [1, 2].
var markerRE = regexp.MustCompile(`\[\d+(?:\s*,\s*\d+)*\]`)

// Split cuts s into pieces of at most max runes each, for Discord's
// 2000-character messages. Each cut falls at the last paragraph break that
// fits when that keeps the piece at least half full, else after the last
// whole sentence that fits (with the citation markers that follow it),
// else at the last space, else after max runes. A cut never falls inside a
// citation marker such as [12] or [1, 2], nor between markers that sit
// side by side. Pieces are trimmed of surrounding white space and empty
// pieces are dropped, so Split("", n) is empty.
func Split(s string, max int) []string {
	if max < 1 {
		max = 1
	}
	var out []string
	s = strings.TrimSpace(s)
	for utf8.RuneCountInString(s) > max {
		cut := cutPoint(s, byteIndexOfRune(s, max))
		piece := strings.TrimRightFunc(s[:cut], unicode.IsSpace)
		if piece != "" {
			out = append(out, piece)
		}
		s = strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// cutPoint returns where to end the next piece of s, given that s[:limit]
// is the most that fits. The result is in (0, limit].
func cutPoint(s string, limit int) int {
	groups := markerGroups(s)
	ok := func(pos int) bool { return pos > 0 && pos <= limit && outside(groups, pos) }
	if i := strings.LastIndex(s[:limit], "\n\n"); i >= limit/2 && ok(i) {
		return i
	}
	if end := lastSentenceEnd(s, limit, groups); end > 0 && ok(end) {
		return end
	}
	if cut := lastSpace(s, limit, ok); cut > 0 {
		return cut
	}
	// A run of markers longer than a piece may be cut between markers.
	singles := markerSpans(s)
	if cut := lastSpace(s, limit, func(pos int) bool { return outside(singles, pos) }); cut > 0 {
		return cut
	}
	// No boundary at all: cut after max runes, moved back before the
	// marker group it would break, or at least before the single marker.
	for _, spans := range [][]corpus.Span{groups, markerSpans(s)} {
		cut := limit
		for _, g := range spans {
			if g.Start < cut && cut < g.End {
				cut = g.Start
			}
		}
		if cut > 0 {
			return cut
		}
	}
	return limit // a single marker longer than a piece
}

// markerSpans returns the byte spans of the single citation markers in s.
func markerSpans(s string) []corpus.Span {
	var out []corpus.Span
	for _, m := range markerRE.FindAllStringIndex(s, -1) {
		out = append(out, corpus.Span{Start: m[0], End: m[1]})
	}
	return out
}

// outside reports whether a cut at pos leaves every span whole.
func outside(spans []corpus.Span, pos int) bool {
	for _, g := range spans {
		if g.Start < pos && pos < g.End {
			return false
		}
	}
	return true
}

// lastSpace returns the position of the last white space in s[:limit]
// where ok allows a cut, or 0.
func lastSpace(s string, limit int, ok func(int) bool) int {
	for i := limit; i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) && i-size > 0 && ok(i-size) {
			return i - size
		}
		i -= size
	}
	return 0
}

// lastSentenceEnd returns the end of the last whole sentence of s that
// fits within limit together with the citation markers right after it,
// extended over those markers, or 0 when no sentence does.
func lastSentenceEnd(s string, limit int, groups []corpus.Span) int {
	spans := corpus.Sentences(s)
	for i := len(spans) - 1; i >= 0; i-- {
		end := spans[i].End
		if end > limit {
			continue
		}
		fits := true
		for _, g := range groups {
			if g.End <= end {
				continue
			}
			if g.Start < end || (strings.TrimSpace(s[end:g.Start]) == "" && g.End > limit) {
				fits = false // inside a marker, or its markers don't fit
				break
			}
			if strings.TrimSpace(s[end:g.Start]) != "" {
				break
			}
			end = g.End
		}
		if fits {
			return end
		}
	}
	return 0
}

// markerGroups returns the byte spans of citation markers in s, with
// markers separated only by spaces merged into one group: "[1] [2]".
func markerGroups(s string) []corpus.Span {
	var out []corpus.Span
	for _, m := range markerSpans(s) {
		if n := len(out); n > 0 && strings.Trim(s[out[n-1].End:m.Start], " ") == "" {
			out[n-1].End = m.End
			continue
		}
		out = append(out, m)
	}
	return out
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
