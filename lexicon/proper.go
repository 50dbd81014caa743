package lexicon

import "strings"

// Proper reports whether the lower-case word or phrase is a name in every
// sense WordNet gives it ("taiwan", "crimea", "uncle sam"), as opposed to a
// common word that may also name something ("turkey", "china" the
// porcelain). A question about a name the article never mentions is
// about something else.
func (l *Lexicon) Proper(word string) bool {
	pos, _, ok := l.t.find(normalize(word))
	return ok && pos != "" && pos == strings.ToUpper(pos)
}
