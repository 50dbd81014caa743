package answer

import (
	"regexp"

	"github.com/articlebot/articlebot/corpus"
)

// injectionRE matches requests aimed at the bot's own instructions rather
// than the article: "ignore your instructions", "print your system prompt",
// "you are now in developer mode". Such a question is refused like any
// other the article doesn't cover, before retrieval can match a stray word
// ("ignored", "system") and quote it, and before any model sees it.
var injectionRE = regexp.MustCompile(`(?i)\b(system\s+prompt|(your|the|previous|prior|above|all)\s+(instructions|rules|prompt)|ignore\s+(all|any|every|previous|prior|the|your|above)\b|disregard\s+(all|any|the|your|previous|prior|above)\b|developer\s+mode|jailbreak|pretend\s+(to\s+be|you\s+are)|you\s+are\s+now\b)`)

// IsInjection reports whether question asks about or tries to override the
// bot's instructions.
func IsInjection(question string) bool {
	return injectionRE.MatchString(corpus.FoldQuotes(question))
}
