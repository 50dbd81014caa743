package retrieval

import (
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// foreignStopWords are the Snowball stop-word lists of the other
// Latin-script languages the stemmer library ships. Function words are the
// most reliable sign of a language in a short text: "¿Por qué Rusia
// necesita a China?" names two countries the article knows, but "por",
// "qué" and "a" are Spanish.
var foreignStopWords = []func(string) bool{
	spanish.IsStopWord, french.IsStopWord, swedish.IsStopWord,
	norwegian.IsStopWord, hungarian.IsStopWord,
}

// IsEnglish reports whether text reads as English, the language the index
// is analysed in (Snowball English stems and stop words). Offline, a
// question in another language can't be matched against the passages, so
// the caller tells the member to ask in English or, with a model, rewrites
// the question first.
//
// A text is not English when most of its letters are outside the Latin
// script (Russian, Chinese, Arabic...), or when it uses at least two
// function words of another Latin-script language and more of those than
// English ones. Text with no letters counts as English: there is nothing
// to say about its language.
func IsEnglish(text string) bool {
	var latin, other int
	for _, r := range text {
		switch {
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			latin++
		default:
			other++
		}
	}
	if other > latin {
		return false
	}
	var en, foreign int
	for _, w := range splitWords(text) {
		if english.IsStopWord(w) || chatNoise[w] {
			en++
			continue
		}
		for _, stop := range foreignStopWords {
			if stop(w) {
				foreign++
				break
			}
		}
	}
	return foreign < 2 || foreign <= en
}
