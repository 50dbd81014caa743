package fetch

import (
	"errors"
	"fmt"
)

// Sentinel errors of a refused fetch; test with errors.Is. Message turns
// any of them into the one sentence an admin is shown.
var (
	ErrBadURL            = errors.New("not an http or https address")
	ErrPrivateAddress    = errors.New("address is private, loopback, link-local or reserved")
	ErrPort              = errors.New("port is not 80 or 443")
	ErrTooManyRedirects  = fmt.Errorf("more than %d redirects", MaxRedirects)
	ErrTooLarge          = fmt.Errorf("body is larger than %d MB", MaxBytes/1_000_000)
	ErrContentType       = errors.New("content type is not HTML, plain text or Markdown")
	ErrNotReadable       = errors.New("body is not readable text")
	ErrNoText            = errors.New("page has no text to index")
	ErrTooSlow           = errors.New("download took too long")
	ErrStatus            = errors.New("server answered with an error status")
	ErrUnreachable       = errors.New("couldn't connect")
	ErrUnsupportedFile   = errors.New("file type is not .html, .md or .txt")
	ErrAttachmentHost    = errors.New("attachment is not on Discord's CDN")
	errFallbackForOthers = errors.New("couldn't fetch the page")
)

// Error is a refused or failed fetch: Kind is one of the sentinels above,
// Msg the sentence for the admin, Err the underlying cause, if any.
type Error struct {
	Kind error
	Msg  string
	Err  error
}

// Error returns the sentence, then the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the sentinel and the cause, for errors.Is.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

func refuse(kind error, msg string, cause error) *Error {
	return &Error{Kind: kind, Msg: msg, Err: cause}
}

// messages are the sentences for sentinels that carry no detail.
var messages = map[error]string{
	ErrBadURL:           "that is not a web address; send an http:// or https:// link",
	ErrPrivateAddress:   "that address is on a private network",
	ErrPort:             "only the standard web ports 80 and 443 can be fetched",
	ErrTooManyRedirects: fmt.Sprintf("the page redirects more than %d times", MaxRedirects),
	ErrTooLarge:         fmt.Sprintf("the page is larger than %d MB", MaxBytes/1_000_000),
	ErrContentType:      "that is not a web page; send .html, .md or .txt",
	ErrNotReadable:      "that is not a readable page",
	ErrNoText:           "the page has no text to index",
	ErrTooSlow:          fmt.Sprintf("the page took longer than %d s to download", int(DefaultTimeout.Seconds())),
	ErrStatus:           "the server answered with an error",
	ErrUnreachable:      "couldn't connect to that address",
	ErrUnsupportedFile:  "that file type isn't supported; send .html, .md or .txt",
	ErrAttachmentHost:   "that attachment isn't on Discord's CDN",
}

// Message returns the one sentence, without a final period, that tells an
// admin why a fetch was refused or failed. It never includes the internal
// cause, which belongs in the log.
func Message(err error) string {
	var fe *Error
	if errors.As(err, &fe) && fe.Msg != "" {
		return fe.Msg
	}
	for kind, msg := range messages {
		if errors.Is(err, kind) {
			return msg
		}
	}
	return errFallbackForOthers.Error()
}
