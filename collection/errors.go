package collection

import (
	"errors"
	"fmt"
	"strings"

	"github.com/articlebot/articlebot/fetch"
)

// Sentinel errors of Manager; test with errors.Is. Message turns them, and
// fetch's, into the one sentence an admin is shown.
var (
	ErrNotFound       = errors.New("no document matches")
	ErrAmbiguous      = errors.New("several documents match")
	ErrLastDocument   = errors.New("the last document can't be removed")
	ErrCorpusDir      = errors.New("document is a file of ARTICLEBOT_CORPUS_DIR")
	ErrFileType       = errors.New("file type is not .html, .md or .txt")
	ErrFileTooLarge   = fmt.Errorf("file is larger than %d MB", fetch.MaxBytes/1_000_000)
	ErrFileUnreadable = errors.New("file is not readable text")
	ErrFileEmpty      = errors.New("file has no text to index")
	ErrReindex        = errors.New("couldn't rebuild the index")
)

// AmbiguousError lists the documents a remove matched; it wraps
// ErrAmbiguous.
type AmbiguousError struct {
	Query      string
	Candidates []Document
}

// Error names the query and the candidates' IDs.
func (e *AmbiguousError) Error() string {
	var ids []string
	for _, c := range e.Candidates {
		ids = append(ids, c.ID)
	}
	return fmt.Sprintf("%d documents match %q: %s", len(e.Candidates), e.Query, strings.Join(ids, ", "))
}

// Unwrap returns ErrAmbiguous.
func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

var messages = map[error]string{
	ErrNotFound:       "no document has that title, file name or ID",
	ErrLastDocument:   "that is the only document left; add another before removing it",
	ErrCorpusDir:      "that document is a file in ARTICLEBOT_CORPUS_DIR; delete it there and reindex",
	ErrFileType:       "that file type isn't supported; send .html, .md or .txt",
	ErrFileTooLarge:   fmt.Sprintf("the file is larger than %d MB", fetch.MaxBytes/1_000_000),
	ErrFileUnreadable: "that file is not readable text",
	ErrFileEmpty:      "that file has no text to index",
	ErrReindex:        "the index couldn't be rebuilt, so nothing changed",
}

// Message returns the one sentence, without a final period, that tells an
// admin why an add or remove was refused or failed; the internal cause
// belongs in the log.
func Message(err error) string {
	var ae *AmbiguousError
	if errors.As(err, &ae) {
		var names []string
		for _, c := range ae.Candidates {
			names = append(names, fmt.Sprintf("%s (%s)", c.Title, c.ID))
		}
		return fmt.Sprintf("%d documents match %q: %s; give the ID", len(ae.Candidates), ae.Query, strings.Join(names, ", "))
	}
	for _, kind := range []error{ErrReindex, ErrNotFound, ErrLastDocument, ErrCorpusDir, ErrFileType, ErrFileTooLarge, ErrFileUnreadable, ErrFileEmpty} {
		if errors.Is(err, kind) {
			return messages[kind]
		}
	}
	return fetch.Message(err)
}
