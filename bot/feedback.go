package bot

import (
	"context"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/feedback"
)

// FeedbackStore keeps the bot's answers and members' votes on them
// durably, so that a vote on an answer given before a restart still
// lands. *feedback.DB (SQLite in the data folder) is the real one and
// *feedback.Mem the in-memory fake; a shared database can replace them.
type FeedbackStore interface {
	// RecordAnswer stores a, or updates it when its ID is known, keeping
	// its votes.
	RecordAnswer(ctx context.Context, a feedback.Answer) error
	// Vote records userID's 👍 (up) or 👎 on answerID, replacing their
	// earlier vote; replaced reports that there was one. It returns
	// feedback.ErrNotFound when the answer is not recorded.
	Vote(ctx context.Context, answerID, userID string, up bool) (replaced bool, err error)
}

// unlabelledRefusal is the reason the feedback store records for a
// refusal that carried none: feedback tells refusals by their reason.
const unlabelledRefusal = "refused"

// feedbackAnswer is e as the feedback store records it.
func feedbackAnswer(e AnswerEntry) feedback.Answer {
	a := feedback.Answer{
		ID: e.ID, Question: e.Question, Text: e.Text, Mode: string(e.Mode), Reason: string(e.Reason),
		UserID: e.UserID, GuildID: e.GuildID, ChannelID: e.ChannelID, Created: e.Time,
		MessageIDs: e.MessageIDs,
	}
	for _, c := range e.Citations {
		a.Citations = append(a.Citations, c.ID)
		a.Sources = append(a.Sources, feedback.Source{N: c.N, PassageID: c.ID, Document: c.Document, Section: c.Section, Text: c.Text, Quote: c.Quote, URL: c.URL})
	}
	a.ParentMessageID, a.ThreadID = e.ParentMessageID, e.ThreadID
	if e.Refused {
		a.Text = RefusalText
		if a.Reason == "" {
			// feedback tells a refusal by its reason; one without a
			// label must not count as an answer.
			a.Reason = unlabelledRefusal
		}
	}
	return a
}

// storedEntry is the answer the feedback store recorded as a, back in
// the answer log's terms.
func storedEntry(a feedback.Answer) AnswerEntry {
	e := AnswerEntry{
		ID: a.ID, MessageIDs: a.MessageIDs, ChannelID: a.ChannelID, GuildID: a.GuildID, UserID: a.UserID,
		Question: a.Question, Text: a.Text, Mode: answer.Mode(a.Mode), Reason: answer.Reason(a.Reason),
		Refused: a.Refused(), ParentMessageID: a.ParentMessageID, ThreadID: a.ThreadID, Time: a.Created,
		Citations: []answer.Citation{},
	}
	if e.Refused {
		e.Text = ""
		if e.Reason == unlabelledRefusal {
			e.Reason = ""
		}
	}
	for _, s := range a.Sources {
		e.Citations = append(e.Citations, answer.Citation{N: s.N, ID: s.PassageID, Document: s.Document, Section: s.Section, Text: s.Text, Quote: s.Quote, URL: s.URL})
	}
	return e
}
