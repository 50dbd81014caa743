package retrieval

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/articlebot/articlebot/corpus"
)

// QType is the kind of answer a question asks for, read from its question
// words. It steers which sentences answer it best ("where" wants a place,
// "why" a reason) as a boost, never as a filter.
type QType int

// Question types.
const (
	QOther  QType = iota // what, which, yes/no and everything else
	QWhy                 // why, how come, what for
	QHow                 // how (not how many/much/long)
	QWhere               // where, which region
	QWhen                // when, what year
	QWho                 // who, whom, whose
	QNumber              // how many, how much, what year: a figure
)

var qtypeNames = [...]string{"other", "why", "how", "where", "when", "who", "number"}

// String returns the type's name, as logs and tests show it.
func (t QType) String() string {
	if int(t) < len(qtypeNames) {
		return qtypeNames[t]
	}
	return "unknown"
}

// qtypeRules are tried in order; the first whose pattern occurs in the
// question's lower-cased words decides. Chat spellings ("y", "wen") count.
var qtypeRules = []struct {
	t  QType
	re *regexp.Regexp
}{
	{QNumber, regexp.MustCompile(`\bhow many\b|\b(what|which|wat) (number|percent(age)?|amount|year|date)\b|\b(actual|exact|real) (numbers?|figures?)\b|\bin (what|which) year\b`)},
	{QWhy, regexp.MustCompile(`^(y|why)\b|\bwhy\b|\bhow come\b|\bwhat for\b|\b(what|whats) (is |are )?the (reason|point|goal|motive|motivation|purpose)|\breasons?\b|\bmotivat|\bcuz\b|\bcause\b`)},
	// An amount asked in a unit or a rate is a figure, whoever or
	// wherever it is about ("who spends more on the army, in dollars",
	// "how much oil per day"); a bare "how much" is not ("how much does
	// russia rely on china"), and a why question stays one.
	{QNumber, regexp.MustCompile(`\bhow much (money|cash|oil|gas|does (it|that|this) cost)\b|\bin (us |american )?(dollars|usd|euros|rubles|roubles|yuan|bucks)\b|\bper (day|week|month|year|barrel|capita)\b`)},
	{QWhen, regexp.MustCompile(`\bwhen\b|^wen\b|\bwhat (time|decade|century|era|period)\b|\bwhich (decade|century|era)\b|\bhow long ago\b`)},
	{QWhere, regexp.MustCompile(`\bwhere\b|^wher\b|\bwhich (region|regions|area|areas|place|places|ocean|sea|part of the world)\b|\bin what (region|area|place|part)\b`)},
	{QWho, regexp.MustCompile(`\bwho\b|\bwhom\b|\bwhose\b|\bwhich (leader|leaders|person|people|country|countries|nation|nations|side)\b`)},
	// Spending and budgets are figures when nothing above asked for a
	// reason, a time, a place or a person ("which one spends more on its
	// military", but "why did russia raise its budget" is a why).
	{QNumber, regexp.MustCompile(`\bspends? (more|less)\b|\b(budget|budgets|gdp)\b`)},
	{QHow, regexp.MustCompile(`\bhow\b|\bin what way`)},
}

// Classify returns the question's type.
func Classify(question string) QType {
	q := strings.Join(splitWords(question), " ")
	for _, r := range qtypeRules {
		if r.re.MatchString(q) {
			return r.t
		}
	}
	return QOther
}

// Cues of each type in a sentence. Place and person names are found from
// capitalisation instead (see capitalisedInside).
var (
	whyCueRE    = regexp.MustCompile(`(?i)\b(because|since|due to|driven by|driv(e|es|en|ing)|reasons?|so that|in order to|designed to|aim(s|ed)? (to|at)|seek(s|ing)? to|allow(s|ing)?|incentive|desire|needs? to|as a result|thanks to|to (keep|reduce|hedge|protect|counter|balance|create|build|enhance|deter|ensure|maintain|avoid|resist|challenge|boost|focus|pursue|show|demonstrate|send)|means|leverag|lifeline|vulnerab|pressure)\b`)
	howCueRE    = regexp.MustCompile(`(?i)\b(by|through|via|using|including|involving|such as|in the form of|with)\b`)
	whenCueRE   = regexp.MustCompile(`(?i)\b(1[5-9]\d\d|20\d\d|centur(y|ies)|decades?|years?|era|months?|weeks?|overnight|after|before|during|until|since|recent(ly)?|today|now|future|past|history|historical|soviet era)\b`)
	numberCueRE = regexp.MustCompile(`(?i)\d|\b(dozens?|hundreds?|thousands?|millions?|billions?|trillions?|percent)\b`)
	placeCueRE  = regexp.MustCompile(`(?i)\b(regions?|areas?|borders?|ocean|sea|continent|east|west|north|south|eastern|western|central)\b`)
)

// Fits reports whether sentence has what a question of type t asks for:
// a reason for why, a means for how, a place for where, a time for when,
// a name for who and a figure for how many or what year. QOther fits every sentence.
func (t QType) Fits(sentence string) bool {
	switch t {
	case QWhy:
		return whyCueRE.MatchString(sentence)
	case QHow:
		return howCueRE.MatchString(sentence) || whyCueRE.MatchString(sentence)
	case QWhere:
		return placeCueRE.MatchString(sentence) || capitalisedInside(sentence, true)
	case QWhen:
		return whenCueRE.MatchString(sentence)
	case QWho:
		return capitalisedInside(sentence, false)
	case QNumber:
		return numberCueRE.MatchString(sentence)
	}
	return true
}

// placePrepositions introduce a place name: "in the Pacific Ocean".
var placePrepositions = wordSet("in", "at", "across", "near", "into", "from", "throughout", "around", "like")

// capitalisedInside reports whether sentence has a capitalised word other
// than its first, a cheap sign of a name. With afterPreposition, the word
// must follow a preposition of place ("in Central Asia"), with "the" and
// other capitalised words allowed between.
func capitalisedInside(sentence string, afterPreposition bool) bool {
	fields := strings.Fields(corpus.FoldQuotes(sentence))
	prep := false
	for i, f := range fields {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) })
		if w == "" {
			prep = false
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		capital := unicode.IsUpper(r) && i > 0 && w != "I"
		switch {
		case capital && (!afterPreposition || prep):
			return true
		case placePrepositions[strings.ToLower(w)]:
			prep = true
		case strings.EqualFold(w, "the") && prep:
		default:
			prep = false
		}
	}
	return false
}
