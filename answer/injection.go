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
var injectionRE = regexp.MustCompile(`(?i)` +
	`\bsystem\s+(prompt|message|instructions)\b` +
	`|\b(your|previous|prior|above|earlier|initial|original|hidden)\s+(instructions|rules|prompt|directives)\b` +
	`|\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|your|these|those)\s+(instructions|rules|prompts?|directives|messages)\b` +
	`|\bdeveloper\s+mode\b|\bjailbreak` +
	`|\bpretend\s+(to\s+be|you\s+are)\b|\byou\s+are\s+now\s+(a|an|in|my|DAN)\b`)

// IsInjection reports whether question asks about or tries to override the
// bot's instructions.
func IsInjection(question string) bool {
	return injectionRE.MatchString(corpus.FoldQuotes(question))
}
