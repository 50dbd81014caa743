package retrieval

// commonWords are frequent general English words: verbs, adjectives and
// nouns that carry little of what a question is about. Whether the article
// has one says less than whether it has a specific word ("take place"
// against "photosynthesis"), so coverage weighs them at half. The list is
// general English, not drawn from any article or question set.
var commonWords = stemSet(
	"able", "about", "act", "add", "after", "ago", "allow", "almost", "alone", "along", "already", "always",
	"among", "another", "answer", "anyone", "appear", "ask", "away", "back", "bad", "base", "become", "begin",
	"behave", "behind", "believe", "best", "better", "big", "bit", "bring", "build", "call", "care", "carry", "case",
	"cause", "certain", "change", "clear", "close", "come", "common", "consider", "continue", "cost", "could",
	"current", "day", "deal", "decide", "describe", "develop", "differ", "different", "difficult", "done",
	"early", "easy", "effect", "else", "end", "enough", "ever", "every", "example", "except", "expect",
	"explain", "face", "fact", "fail", "fall", "far", "feel", "few", "fill", "final", "find", "fine", "fix",
	"fixed", "follow", "form", "full", "general", "get", "give", "go", "good", "great", "grow", "happen",
	"hard", "help", "high", "hold", "how", "idea", "important", "improve", "include", "increase", "instead",
	"issue", "keep", "kind", "know", "large", "last", "late", "lead", "learn", "least", "leave", "less",
	"let", "level", "like", "likely", "little", "live", "long", "look", "lose", "lot", "low", "main", "major",
	"make", "many", "matter", "may", "mean", "meant", "meet", "might", "mind", "moment", "move", "much",
	"must", "name", "near", "need", "never", "new", "next", "nothing", "notice", "number", "offer", "often",
	"old", "open", "order", "outside", "overall", "part", "pass", "people", "per", "person", "place", "plan",
	"play", "point", "possible", "probably", "problem", "provide", "put", "question", "quite", "rather",
	"real", "really", "reason", "remain", "report", "result", "right", "role", "run", "say", "see", "seem",
	"set", "several", "short", "show", "side", "simple", "since", "small", "something", "sometimes", "soon",
	"sort", "stand", "start", "state", "stay", "step", "still", "stop", "strong", "sure", "take", "talk",
	"tell", "tend", "term", "than", "thing", "think", "though", "thus", "time", "today", "together", "toward",
	"true", "try", "turn", "type", "understand", "unless", "upon", "usually", "want", "way", "well", "whether",
	"whole", "why", "within", "without", "wonder", "word", "work", "world", "would", "wrong", "year", "yet",
)

func stemSet(words ...string) map[string]bool {
	out := make(map[string]bool, len(words))
	for _, w := range words {
		for _, t := range analyze(w) {
			out[t.stem] = true
		}
	}
	return out
}
