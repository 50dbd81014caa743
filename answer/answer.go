// Package answer turns retrieved passages into an answer that cites them:
// extractively offline, or through an OpenAI-compatible chat model whose
// citations are checked against the passages it was given.
package answer

// Mode says how an answer was written.
type Mode string

// Answer modes, as they appear in `ask --json`.
const (
	ModeExtractive Mode = "extractive"
	ModeLLM        Mode = "llm"
)

// Answer is the result of answering one question. Its JSON form is the
// `ask --json` contract of README.md (Commands); fields tagged "-" are for callers in
// this program only.
type Answer struct {
	Question string `json:"question"`
	Text     string `json:"answer"`
	Mode     Mode   `json:"mode"`
	Refused  bool   `json:"refused"`
	// Reason says why a refusal was given; empty when the question was
	// answered. See the Reason constants.
	Reason    Reason     `json:"reason,omitempty"`
	Citations []Citation `json:"citations"`
	Usage     *Usage     `json:"usage,omitempty"`

	// Fallback is non-empty when a model was configured but its answer
	// could not be used: a FallbackReason label, for logs and metrics.
	Fallback string `json:"-"`
	// Truncated is set when a streamed model answer was cut short after
	// text had already been shown.
	Truncated bool `json:"-"`
}

// Citation is one numbered source of an answer. Every [n] in Answer.Text has
// exactly one Citation with that N.
type Citation struct {
	N        int    `json:"n"`
	ID       string `json:"id"`
	Document string `json:"document"`
	Section  string `json:"section"`
	Quote    string `json:"quote"` // verbatim sentence(s) of Text supporting the answer
	Text     string `json:"text"`  // the passage as indexed
	// URL links to Quote on the page the document was published at (see
	// FragmentURL); empty when the document has no URL.
	URL string `json:"url,omitempty"`
}

// Usage is the token count a model reported for one answer.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Reason is why a question was refused, as it appears in `ask --json`.
type Reason string

// Refusal reasons.
const (
	// ReasonOffTopic: nothing in the index plausibly answers the question.
	ReasonOffTopic Reason = "off_topic"
	// ReasonLanguage: the question is in a language the index can't be
	// searched in offline.
	ReasonLanguage Reason = "language"
	// ReasonInjection: the question targets the bot's own instructions.
	ReasonInjection Reason = "injection"
	// ReasonModelDeclined: the model said the passages don't answer it.
	ReasonModelDeclined Reason = "model_declined"
	// ReasonNotStated: the article covers the topic but not the figure
	// asked for ("how many troops", "what year").
	ReasonNotStated Reason = "not_stated"
)

// Text returns what a refusal with this reason tells the member.
func (r Reason) Text() string {
	switch r {
	case ReasonLanguage:
		return LanguageText
	case ReasonNotStated:
		return NotStatedText
	}
	return RefusalText
}

// LanguageText answers a question the bot can't search in its language.
const LanguageText = "I can only search the article in English. Please ask your question in English."

// NotStatedText answers a question for a figure the article doesn't give.
const NotStatedText = "The article doesn't give that figure."

// RefusalText is what a refusal says.
const RefusalText = "The article doesn't cover that."
