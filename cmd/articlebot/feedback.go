package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/articlebot/articlebot/config"
	"github.com/articlebot/articlebot/feedback"
)

var feedbackCmd = command{
	name: "feedback",
	usage: `Usage:
  articlebot feedback [--json] [-n N]           summarise the 👍/👎 votes on the bot's answers
  articlebot feedback export [--json] FILE      write the 👎 questions to FILE for labelling
  articlebot feedback purge [--json] --user ID  delete a member's records

The summary gives the totals, the 👎 rate by answer mode and by refusal
reason, and the N most-downvoted answers. export writes one line per
distinct 👎 question in the format of eval/README.md, with empty evidence
for you to fill in (or mark "offtopic": true); FILE must not exist yet.
purge deletes the member's votes and the answers to their questions (see
README.md, "Data the bot keeps"). Records older than ARTICLEBOT_RETENTION
are deleted first.
`,
	flags: func(fs *flag.FlagSet) {
		fs.Bool("json", false, "write one JSON object to stdout")
		fs.Int("n", 10, "most-downvoted answers to list in the summary")
		fs.String("user", "", "purge: the member's numeric Discord user ID")
	},
	run: runFeedback,
}

// userIDRE is a Discord user ID (a snowflake).
var userIDRE = regexp.MustCompile(`^[0-9]{15,21}$`)

func runFeedback(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	sub := "summary"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	user := fs.Lookup("user").Value.String()
	switch {
	case sub != "summary" && sub != "export" && sub != "purge":
		fs.Usage()
		return usagef("feedback: unknown subcommand %q (export or purge)", sub)
	case set["user"] && sub != "purge":
		return usagef("feedback: --user goes with purge: articlebot feedback purge --user ID")
	case set["n"] && sub != "summary":
		return usagef("feedback %s: -n applies to the summary only", sub)
	case sub == "summary" && len(args) > 0:
		return usagef("feedback: unexpected %q (export FILE or purge --user ID)", args[0])
	case sub == "export" && len(args) != 1:
		return usagef("feedback export: give one file to write, e.g. articlebot feedback export downvoted.jsonl")
	case sub == "purge" && len(args) > 0:
		return usagef("feedback purge: unexpected %q; give the member as --user ID", args[0])
	case sub == "purge" && !userIDRE.MatchString(user):
		return usagef("feedback purge: --user %q is not a numeric Discord user ID (Developer Mode, right-click the member, Copy User ID)", user)
	}
	n, _ := fs.Lookup("n").Value.(flag.Getter).Get().(int)
	if n < 0 {
		return usagef("feedback: -n %d is negative", n)
	}
	db, err := openFeedback(ctx, e.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	asJSON := flagBool(fs, "json")
	switch sub {
	case "export":
		return exportFeedback(ctx, e.stdout, db, args[0], asJSON)
	case "purge":
		return purgeFeedback(ctx, e.stdout, db, user, asJSON)
	}
	sum, err := db.Summary(ctx, n)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, summaryJSON(sum))
	}
	writeSummary(e.stdout, sum, db.Path())
	return nil
}

// openFeedback opens the feedback database in the data folder and applies
// the retention period, as serve does when it starts.
func openFeedback(ctx context.Context, cfg config.Config) (*feedback.DB, error) {
	db, err := feedback.Open(ctx, cfg.FeedbackDB())
	if err != nil {
		if errors.Is(err, feedback.ErrNewerSchema) {
			return nil, err
		}
		return nil, fmt.Errorf("%w (data folder %s; set ARTICLEBOT_DATA_DIR to a writable folder)", err, cfg.DataDir)
	}
	if _, err := db.PurgeOlderThan(ctx, time.Now().Add(-cfg.Retention)); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// exportFeedback writes the distinct 👎 questions to a new file as eval
// lines with empty evidence. The file is 0600: it holds members' words.
func exportFeedback(ctx context.Context, stdout io.Writer, db *feedback.DB, path string, asJSON bool) (err error) {
	ts, err := db.DownvotedQuestions(ctx)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("couldn't export: %s already exists; choose a new file name", path)
	}
	if err != nil {
		return fmt.Errorf("couldn't export: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("couldn't export: %w", cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	type line struct {
		ID       string   `json:"id"`
		Question string   `json:"question"`
		Evidence []string `json:"evidence"`
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	seen := map[string]bool{}
	n := 0
	for _, t := range ts {
		key := strings.ToLower(strings.Join(strings.Fields(t.Question), " "))
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		if err := enc.Encode(line{ID: "fb-" + t.ID, Question: t.Question, Evidence: []string{}}); err != nil {
			return fmt.Errorf("couldn't export: %w", err)
		}
		n++
	}
	if asJSON {
		return writeJSON(stdout, struct {
			File      string `json:"file"`
			Questions int    `json:"questions"`
			Downvoted int    `json:"downvoted_answers"`
		}{path, n, len(ts)})
	}
	fmt.Fprintf(stdout, "wrote %d questions to %s (from %d downvoted answers); add evidence phrases, or \"offtopic\": true, before using it with articlebot eval\n", n, path, len(ts))
	return nil
}

// purgeFeedback deletes a member's records and says what went.
func purgeFeedback(ctx context.Context, stdout io.Writer, db *feedback.DB, user string, asJSON bool) error {
	p, err := db.PurgeUser(ctx, user)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(stdout, struct {
			User       string `json:"user"`
			Votes      int    `json:"votes"`
			Answers    int    `json:"answers"`
			OtherVotes int    `json:"other_votes"`
		}{user, p.Votes, p.Answers, p.OtherVotes})
	}
	fmt.Fprintf(stdout, "deleted member %s's %s and %s to their questions (with %s by other members on them)\n",
		user, plural(p.Votes, "vote"), plural(p.Answers, "answer"), plural(p.OtherVotes, "vote"))
	return nil
}
