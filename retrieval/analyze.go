// Package retrieval embeds passages into chromem-go, keeps a BM25 index of
// the same passages, and ranks passages for a question by fusing the two
// rankings. It abstains when the evidence is too weak to answer from.
package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/articlebot/articlebot/corpus"
	"github.com/kljensen/snowball/english"
)

// token is one analysed word: its folded surface form and its stem.
type token struct {
	word string
	stem string
}

// questionWords frame a question about the article rather than name its
// content ("what does the author say about ..."), so they carry no evidence.
var questionWords = map[string]bool{
	"article": true, "articles": true, "author": true, "authors": true, "writer": true,
	"text": true, "post": true, "blog": true, "piece": true, "essay": true, "passage": true,
	"say": true, "says": true, "said": true, "saying": true, "describe": true,
	"described": true, "describes": true, "mention": true, "mentioned": true,
	"mentions": true, "discuss": true, "discussed": true, "discusses": true,
	"according": true, "tell": true, "tells": true, "explain": true, "explains": true,
	"talk": true, "talks": true, "write": true, "writes": true, "wrote": true,
	"also": true, "would": true, "could": true, "might": true, "may": true,
	"much": true, "many": true, "kind": true, "sort": true, "way": true, "ways": true,
	"thing": true, "things": true, "anything": true, "something": true,
	"please": true, "give": true, "know": true, "get": true, "use": true, "used": true,
	"whats": true, "hows": true, "whos": true, "still": true, "even": true,
	"quote": true, "quotes": true, "quoted": true, "cite": true, "cites": true,
}

// analyze splits text into content tokens: words are folded to lower case,
// possessive "'s" is dropped, dotted acronyms are joined ("U.S." gives "us"),
// stop words and question framing words are removed, and the rest stemmed
// with the Snowball English stemmer.
func analyze(text string) []token {
	return stemCache(nil).analyze(text)
}

// stemCache memoises stems across many texts: stemming dominated loading an
// index (rebuilding BM25 for 10,000 passages), and word frequencies are
// skewed enough that a cache saves most of it. A nil cache stems every word.
type stemCache map[string]string

func (c stemCache) analyze(text string) []token {
	words := splitWords(text)
	out := make([]token, 0, len(words))
	for _, w := range words {
		if english.IsStopWord(w) || questionWords[w] || chatNoise[w] {
			continue
		}
		stem, ok := c[w]
		if !ok {
			stem = english.Stem(w, true)
			if c != nil {
				c[w] = stem
			}
		}
		out = append(out, token{word: w, stem: stem})
	}
	return out
}

// splitWords returns the lower-cased words of text.
func splitWords(text string) []string {
	text = corpus.FoldQuotes(text)
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := strings.TrimSuffix(strings.Trim(b.String(), "'."), "'s")
		w = strings.Trim(w, "'")
		if strings.Contains(w, ".") {
			w = strings.ReplaceAll(w, ".", "")
		}
		if w != "" {
			words = append(words, w)
		}
		b.Reset()
	}
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Cf, r):
			// Zero-width and bidirectional controls are invisible: a word
			// with one inside is still that word.
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '.') && b.Len() > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			// Keep apostrophes inside words and periods inside acronyms.
			if r == '.' && !acronymPeriod(rs, i) {
				flush()
				continue
			}
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// acronymPeriod reports whether the period at i sits between single letters,
// as in "U.S" or "e.g".
func acronymPeriod(rs []rune, i int) bool {
	before := i >= 1 && unicode.IsLetter(rs[i-1]) && (i < 2 || !unicode.IsLetter(rs[i-2]))
	after := i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && (i+2 >= len(rs) || !unicode.IsLetter(rs[i+2]))
	return before && after
}

// stems returns the stems of analysed tokens.
func stems(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.stem
	}
	return out
}

// Terms returns the content-word stems of text, analysed exactly as the
// index analyses passages and questions, for callers that score sentences.
func Terms(text string) []string {
	return stems(analyze(text))
}

// countCapitals counts, for each content stem of text, how often a word
// inside a sentence (not its first) is capitalised and how often not. A
// word the text nearly always capitalises there is a name: "China",
// "Putin", "NATO", but not "Relations" in a heading. It scans the text
// once, without analysing it again: loading an index runs it on every
// passage.
func countCapitals(counts map[string][2]int, cache stemCache, text string) {
	start := true
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		first := start
		start = strings.ContainsAny(f[len(f)-1:], ".!?:")
		if first || w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		lw := strings.TrimSuffix(strings.ToLower(corpus.FoldQuotes(w)), "'s")
		if english.IsStopWord(lw) || questionWords[lw] || chatNoise[lw] {
			continue
		}
		stem, ok := cache[lw]
		if !ok {
			stem = english.Stem(lw, true)
			cache[lw] = stem
		}
		n := counts[stem]
		if unicode.IsUpper(r) {
			n[0]++
		} else {
			n[1]++
		}
		counts[stem] = n
	}
}
