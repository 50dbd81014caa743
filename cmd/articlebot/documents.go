package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/articlebot/articlebot/collection"
)

var addCmd = command{
	name: "add",
	usage: `Usage: articlebot add [--json] URL|FILE

Adds a web page (http or https) or a .html, .md or .txt file of at most
5 MB to the documents, saves it in the data folder and reindexes. Pages are
fetched safely: no private, loopback or link-local addresses (see
ARTICLEBOT_FETCH_ALLOW_PRIVATE), ports 80 and 443 only, at most 5
redirects, 5 MB and 15 s, HTML, plain text or Markdown only.
`,
	flags: jsonFlag,
	run:   runAdd,
}

var removeCmd = command{
	name: "remove",
	usage: `Usage: articlebot remove [--json] DOCUMENT

Removes a document, named by its title, file name or ID (see "articlebot
documents"), and reindexes. Removing the bundled article is remembered.
When several documents match, they are listed and nothing is removed.
`,
	flags: jsonFlag,
	run:   runRemove,
}

var documentsCmd = command{
	name: "documents",
	usage: `Usage: articlebot documents [--json]

Lists the documents: title, ID, URL, sections, passages, who added each
and when, then the files that could not be indexed.
`,
	flags: jsonFlag,
	run:   runDocuments,
}

func jsonFlag(fs *flag.FlagSet) {
	fs.Bool("json", false, "write one JSON object (see README.md) to stdout")
}

// documentJSON is one document in the add, remove and documents contracts
// of README.md (Commands).
type documentJSON struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	From     string `json:"from"`
	AddedBy  string `json:"added_by"`
	AddedAt  string `json:"added_at"`
	Bundled  bool   `json:"bundled"`
	Sections int    `json:"sections"`
	Passages int    `json:"passages"`
}

// changeJSON is the `add --json` and `remove --json` report.
type changeJSON struct {
	Added      *documentJSON `json:"added,omitempty"`
	Removed    *documentJSON `json:"removed,omitempty"`
	Documents  int           `json:"documents"`
	Passages   int           `json:"passages"`
	Embedded   int           `json:"embedded"`
	DurationMS int64         `json:"duration_ms"`
}

// documentsJSON is the `documents --json` report.
type documentsJSON struct {
	Documents []documentJSON `json:"documents"`
	Skipped   []skippedJSON  `json:"skipped"`
}

func toDocumentJSON(d collection.Document) documentJSON {
	out := documentJSON{ID: d.ID, Title: d.Title, URL: d.URL, From: d.From, AddedBy: d.AddedBy,
		Bundled: d.Bundled, Sections: d.Sections, Passages: d.Passages}
	if !d.AddedAt.IsZero() {
		out.AddedAt = d.AddedAt.UTC().Format(time.RFC3339)
	}
	return out
}

// openDocuments loads the index, which add and remove then change.
func openDocuments(ctx context.Context, e *env, name string) (*app, *collection.Manager, error) {
	a := newApp(newLogger(e.cfg, e.stderr), e.cfg, nil, 0)
	if _, err := a.open(ctx, progressPrinter(e.stderr)); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return a, a.documents(ctx), nil
}

func runAdd(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("add: give one URL or file")
	}
	a, m, err := openDocuments(ctx, e, "add")
	if err != nil {
		return err
	}
	what := args[0]
	var rep collection.Report
	if strings.Contains(what, "://") {
		rep, err = m.AddURL(ctx, what, "cli")
	} else {
		rep, err = m.AddFile(ctx, what, "cli")
	}
	if err != nil {
		return changeError(a, "add", what, err)
	}
	if flagBool(fs, "json") {
		d := toDocumentJSON(rep.Document)
		return writeJSON(e.stdout, changeReport(rep, &d, nil))
	}
	writeChange(e.stdout, "added", rep)
	return nil
}

func runRemove(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("remove: give one document: its title, file name or ID")
	}
	a, m, err := openDocuments(ctx, e, "remove")
	if err != nil {
		return err
	}
	rep, err := m.Remove(ctx, args[0], "cli")
	if errors.Is(err, collection.ErrAmbiguous) || errors.Is(err, collection.ErrNotFound) {
		return usagef("remove: %s", collection.Message(err))
	}
	if err != nil {
		return changeError(a, "remove", args[0], err)
	}
	if flagBool(fs, "json") {
		d := toDocumentJSON(rep.Document)
		return writeJSON(e.stdout, changeReport(rep, nil, &d))
	}
	writeChange(e.stdout, "removed", rep)
	return nil
}

// changeError is the one-line error of a refused add or remove; the
// internal cause goes to the log at debug level.
func changeError(a *app, name, what string, err error) error {
	a.lg.Debug(name+" refused", "what", what, "err", err)
	msg := collection.Message(err)
	if errors.Is(err, collection.ErrReindex) {
		msg += ": " + err.Error()
	}
	return fmt.Errorf("%s %s: %s", name, what, msg)
}

func changeReport(rep collection.Report, added, removed *documentJSON) changeJSON {
	return changeJSON{Added: added, Removed: removed, Documents: rep.Summary.Documents,
		Passages: rep.Summary.Passages, Embedded: rep.Summary.Embedded,
		DurationMS: rep.Summary.Duration.Milliseconds()}
}

// writeChange prints what an add or remove did, on one line.
func writeChange(w io.Writer, verb string, rep collection.Report) {
	d := rep.Document
	fmt.Fprintf(w, "%s %q (%s): %s, %s in %s; now %s, %s\n", verb, d.Title, d.ID,
		plural(d.Sections, "section"), plural(d.Passages, "passage"), rep.Summary.Duration.Round(time.Millisecond),
		plural(rep.Summary.Documents, "document"), plural(rep.Summary.Passages, "passage"))
}

func runDocuments(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		return usagef("documents: takes no arguments")
	}
	_, m, err := openDocuments(ctx, e, "documents")
	if err != nil {
		return err
	}
	docs, err := m.Documents()
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	skipped := m.Skipped()
	if flagBool(fs, "json") {
		out := documentsJSON{Documents: []documentJSON{}, Skipped: []skippedJSON{}}
		for _, d := range docs {
			out.Documents = append(out.Documents, toDocumentJSON(d))
		}
		for _, s := range skipped {
			out.Skipped = append(out.Skipped, skippedJSON{File: s.File, Reason: s.Reason})
		}
		return writeJSON(e.stdout, out)
	}
	for _, d := range docs {
		fmt.Fprintf(e.stdout, "%s (%s)\n", d.Title, d.ID)
		if d.URL != "" {
			fmt.Fprintf(e.stdout, "  %s\n", d.URL)
		}
		origin := "bundled with articlebot"
		switch {
		case d.AddedBy != "":
			origin = fmt.Sprintf("added by %s on %s from %s", d.AddedBy, d.AddedAt.UTC().Format("2006-01-02 15:04 UTC"), d.From)
		case !d.Bundled:
			origin = "from ARTICLEBOT_CORPUS_DIR"
		}
		fmt.Fprintf(e.stdout, "  %s, %s; %s\n", plural(d.Sections, "section"), plural(d.Passages, "passage"), origin)
	}
	if len(skipped) > 0 {
		fmt.Fprintf(e.stdout, "skipped %s:\n", plural(len(skipped), "file"))
		for _, s := range skipped {
			fmt.Fprintf(e.stdout, "  %s: %s\n", s.File, s.Reason)
		}
	}
	return nil
}
