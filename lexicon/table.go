package lexicon

import (
	_ "embed"
	"strings"
)

// tableText is the generated table: '#' header lines, then one line per
// key, sorted bytewise: "key TAB pos TAB kind:term|kind:term".
//
//go:embed table.txt
var tableText string

// table is the body of the table, past its header. It is a string so that
// lookups slice the embedded bytes without copying them.
type table string

// newTable skips the header, a few hundred bytes at the top.
func newTable(text string) table {
	for strings.HasPrefix(text, "#") {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return ""
		}
		text = text[i+1:]
	}
	return table(text)
}

// find returns the parts-of-speech and expansion fields of key's line.
// It binary-searches the text: each step jumps to the middle of the
// remaining range and backs up to the start of that line.
func (t table) find(key string) (pos, items string, ok bool) {
	lo, hi := 0, len(t) // both are line starts; key's line, if any, starts in [lo, hi)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(string(t[lo:mid]), '\n') + 1
		end := len(t)
		if i := strings.IndexByte(string(t[start:]), '\n'); i >= 0 {
			end = start + i + 1
		}
		line := string(t[start:end])
		k, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		switch {
		case k == key:
			pos, items, _ = strings.Cut(rest, "\t")
			return pos, items, true
		case k < key:
			lo = end
		default:
			hi = start
		}
	}
	return "", "", false
}
