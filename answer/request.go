package answer

// Turn is an earlier exchange of a conversation.
type Turn struct {
	Question string `json:"question"`
	// Answer is what the bot answered; empty when not known.
	Answer string `json:"answer,omitempty"`
	// Citations are the sources of that answer, when known (a reply to an
	// answer the bot recorded), so that "source?" can show them again.
	Citations []Citation `json:"citations,omitempty"`
}

// Request is one question to answer.
type Request struct {
	Question string
	// History holds the earlier turns of the conversation, oldest first;
	// empty for a question asked on its own.
	History []Turn
	// OnPartial, if not nil, receives a model's text as it streams.
	OnPartial func(string)
}
