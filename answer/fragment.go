package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text fragments (#:~:text=, WICG "Scroll To Text Fragment") open a page
// scrolled to a quoted passage, highlighted. A short quote is linked
// whole; a long one by its first and last few words (textStart,textEnd),
// which keeps the link short and still matches when the page wraps the
// quote across elements.
const (
	// fragmentMaxWords and fragmentMaxRunes: a quote longer than either is
	// linked in the start,end form. Twelve words is about one sentence;
	// 300 runes bounds text without spaces (Chinese, Japanese).
	fragmentMaxWords = 12
	fragmentMaxRunes = 300
	// fragmentEdgeWords is how many words each of textStart and textEnd
	// holds: enough to be unique on a page, short enough for a link.
	fragmentEdgeWords = 5
	// fragmentEdgeRunes is the length of textStart and textEnd for a
	// long quote with too few words to split by word.
	fragmentEdgeRunes = 40
)

// FragmentURL returns page with a text fragment that highlights quote:
// page's own #fragment, if any, replaced by ":~:text=" and the quote
// percent-encoded as the text-fragment syntax requires (every character
// but ASCII letters, digits and "._~" is encoded, so "-", ",", "&" and "%"
// inside the text are never read as syntax). A quote of more than
// fragmentMaxWords words or fragmentMaxRunes runes is given by its first
// and last fragmentEdgeWords words. It returns page unchanged, without a
// fragment, when quote has no text, and "" when page is "".
func FragmentURL(page, quote string) string {
	if page == "" {
		return ""
	}
	if i := strings.IndexByte(page, '#'); i >= 0 {
		page = page[:i]
	}
	words := strings.Fields(quote)
	if len(words) == 0 {
		return page
	}
	text := strings.Join(words, " ")
	directive := encodeFragmentText(text)
	if len(words) > fragmentMaxWords || utf8.RuneCountInString(text) > fragmentMaxRunes {
		start, end := fragmentEdges(words, text)
		directive = encodeFragmentText(start) + "," + encodeFragmentText(end)
	}
	return page + "#:~:text=" + directive
}

// fragmentEdges returns the start and end of a long quote: its first and
// last fragmentEdgeWords words, or, when it has too few words to split
// (text without spaces), its first and last fragmentEdgeRunes runes.
func fragmentEdges(words []string, text string) (string, string) {
	if len(words) >= 2*fragmentEdgeWords {
		return strings.Join(words[:fragmentEdgeWords], " "), strings.Join(words[len(words)-fragmentEdgeWords:], " ")
	}
	runes := []rune(text)
	n := min(fragmentEdgeRunes, len(runes)/2)
	return strings.TrimRightFunc(string(runes[:n]), unicode.IsSpace), strings.TrimLeftFunc(string(runes[len(runes)-n:]), unicode.IsSpace)
}

// encodeFragmentText percent-encodes s, as UTF-8, for a text directive.
func encodeFragmentText(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
