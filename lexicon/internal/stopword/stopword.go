// Package stopword says which words the lexicon never expands and never
// offers as an expansion: function words (the Snowball English stop list)
// and the light verbs and auxiliaries that chat questions are full of
// ("do", "get", "make", "will"). WordNet gives them senses ("will" ->
// "volition", "do" -> "bash"), and expanding them only adds noise.
//
// Both the generator and the runtime use it: the generator drops their
// expansions from the table, and Expand refuses them before morphy, since
// morphy would turn "does" into "doe".
package stopword

// Is reports whether the lower-case word is a stop word. A switch instead
// of a map keeps the list free of package-level mutable state; the compiler
// turns it into a binary search.
func Is(w string) bool {
	switch w {
	case "a", "about", "above", "after", "again", "against", "all", "am", "an", "and",
		"any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
		"between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
		"down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
		"having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
		"i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most",
		"my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
		"other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
		"should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
		"themselves", "then", "there", "these", "they", "this", "those", "through", "to",
		"too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
		"which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
		"yours", "yourself", "yourselves",
		// Auxiliaries and modals the Snowball list lacks.
		"may", "might", "must", "shall", "cannot", "also", "yet", "still", "even", "ever",
		"much", "many", "lot", "lots", "well", "really", "please", "thanks", "thank",
		"ok", "okay", "yes", "yeah", "hi", "hello", "hey",
		// Light verbs: in a question they carry no topic.
		"get", "got", "gets", "getting", "make", "makes", "made", "making", "go", "goes",
		"going", "went", "gone", "come", "came", "take", "took", "give", "gave", "put",
		"say", "said", "says", "tell", "told", "know", "knew", "known", "think", "thought",
		"want", "like", "see", "saw", "seen", "look", "let", "seem", "happen", "happened",
		"mean", "means", "need", "use", "used", "way", "thing", "things", "one", "ones":
		return true
	}
	return false
}
