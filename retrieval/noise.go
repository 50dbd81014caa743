package retrieval

import "regexp"

// chatNoise are the fillers, interjections and shorthand of chat: "lol",
// "tbh", "ngl", "bro", "u", "ur", "w" (with), "n" (and), "abt" (about).
// They say how a member feels, not what they ask about, so they neither
// rank passages nor count as words the article doesn't know. The list is
// general chat English, not drawn from any question set; it holds only
// words that are never the subject of a question.
var chatNoise = wordSet(
	// interjections and reactions
	"lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "heh", "lul", "kek", "omg", "omfg", "wtf", "smh",
	"ugh", "hmm", "hm", "uh", "um", "umm", "eh", "meh", "welp", "oof", "yikes", "bruh", "wow",
	"yo", "hey", "hi", "hello", "sup", "ok", "okay", "k", "kk", "ya", "yah", "yeah", "yep", "yup",
	"nah", "nope", "pls", "plz", "please", "thx", "thanks", "ty", "tysm",
	// address
	"bro", "bros", "dude", "man", "guys", "fam", "mate", "yall", "y'all",
	// shorthand for framing and hedging
	"tbh", "ngl", "fr", "brb", "gtg", "afk", "ttyl", "frfr", "imo", "imho", "idk", "idc", "iirc", "afaik", "btw", "rn", "tho",
	"irl", "lowkey", "highkey", "deadass", "legit", "literally", "basically", "actually", "honestly",
	"kinda", "sorta", "gonna", "wanna", "gotta", "lemme", "gimme", "dunno", "tryna", "finna",
	"pretty", "super", "really", "just", "like", "stuff", "exactly", "specifically", "precisely",
	"anyway", "anyways", "though",
	// contractions typed without the apostrophe
	"cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt",
	"couldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "im", "ive", "youre", "youve",
	"theyre", "theyve", "thats", "theres", "hes", "shes", "whos", "wheres", "itll",
	// letter and number shorthand for function words
	"u", "ur", "r", "n", "w", "wats", "wuts", "b", "c", "y", "abt", "cuz", "coz", "bc",
	"wat", "wut", "wot", "whats", "hows", "whys", "smth", "sth", "sb",
)

func wordSet(words ...string) map[string]bool {
	out := make(map[string]bool, len(words))
	for _, w := range words {
		out[w] = true
	}
	return out
}

// chatIdiomRE matches chat idioms that frame a request rather than name
// its content: "explain it like i'm 5" asks for a simple answer, and its
// 5 is no figure the article lacks.
var chatIdiomRE = regexp.MustCompile(`(?i)\beli5\b|\b(like|as if) (i['’]?m|i am) (5|five|a (kid|child|baby))\b`)

// dropIdioms removes chat idioms from a question.
func dropIdioms(text string) string { return chatIdiomRE.ReplaceAllString(text, " ") }
