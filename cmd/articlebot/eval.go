package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/retrieval"
)

var evalCmd = command{
	name: "eval",
	usage: `Usage: articlebot eval [--json] FILE

Asks the questions of FILE (JSON Lines, the format of eval/README.md; a line
with "turns" is a conversation) and prints hit@1500/3000/4500/9000, cite_hit,
the mean reciprocal rank of the evidence (mrr), off-topic refusals and false refusals with their reasons, overall, per kind,
for English on-topic questions, and for first turns and follow-ups.
A malformed line is an error naming its line number.
`,
	flags: func(fs *flag.FlagSet) {
		fs.Bool("json", false, "write the figures as one JSON object (fields: eval/README.md)")
	},
	run: runEval,
}

func runEval(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		fs.Usage()
		return usagef("eval: give one question file")
	}
	entries, err := readEvalFile(args[0])
	if err != nil {
		return err
	}
	a := newApp(newLogger(e.cfg, e.stderr), e.cfg, nil, 0)
	if _, err := a.open(ctx, progressPrinter(e.stderr)); err != nil {
		return err
	}
	rep, err := evaluate(ctx, entries, a.askTurn, e.cfg.ContextChars)
	if err != nil {
		return err
	}
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, rep)
	}
	writeEval(e.stdout, rep)
	return nil
}

// askTurn asks question as the bot would after history. One search serves
// both the answer and hit@B.
func (a *app) askTurn(ctx context.Context, question string, history []historyTurn) (retrieval.Results, answer.Answer, error) {
	req := answer.Request{Question: question, History: history}
	// The depth Ask uses, which covers the largest budget (see
	// TestDefaultContextCharsAgree): eval scores the ranking members get.
	r, err := a.answerer.Retrieve(ctx, req, a.answerer.Depth())
	if err != nil {
		return r.Results, answer.Answer{}, err
	}
	ans, err := a.answerer.AnswerFrom(ctx, req, r)
	return r.Results, ans, err
}

func writeEval(w io.Writer, rep evalReport) {
	f := rep.evalFigures
	fmt.Fprintf(w, "questions:          %d (%d on-topic, %d off-topic)\n", f.Questions, f.OnTopic, f.OffTopic)
	for i, b := range evalBudgets {
		fmt.Fprintf(w, "hit@%d:           %.2f (%d/%d)\n", b, f.rate(f.hits[i]), f.hits[i], f.OnTopic)
	}
	fmt.Fprintf(w, "cite_hit:           %.2f (%d/%d)\n", f.CiteHit, f.cites, f.OnTopic)
	fmt.Fprintf(w, "mrr:                %.3f\n", f.MRR)
	fmt.Fprintf(w, "off-topic refused:  %d/%d%s\n", f.OffTopicRefused, f.OffTopic, reasons(rep.Refusals.OffTopic))
	fmt.Fprintf(w, "false refusals:     %d/%d%s\n", f.FalseRefusals, f.OnTopic, reasons(rep.Refusals.OnTopic))
	en := rep.EnglishOnTopic
	fmt.Fprintf(w, "English on-topic:   hit@1500 %.2f (%d/%d), cite_hit %.2f (%d/%d), mrr %.3f, refused %d/%d\n",
		en.Hit1500, en.hits[0], en.OnTopic, en.CiteHit, en.cites, en.OnTopic, en.MRR, en.Refused, en.OnTopic)
	if rep.Foreign.Questions > 0 {
		fmt.Fprintf(w, "foreign:            %d/%d refused for language\n", rep.Foreign.RefusedLanguage, rep.Foreign.Questions)
	}
	fmt.Fprintf(w, "model context:      %.1f passages, %.0f prompt characters per answer", rep.ContextPassages, rep.PromptChars)
	if rep.PromptTokens > 0 {
		fmt.Fprintf(w, ", %.0f prompt tokens reported", rep.PromptTokens)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	writeFiguresTable(w, "kind", func(row func(string, evalFigures)) {
		for _, k := range evalKinds {
			if g := rep.ByKind[k]; g != nil {
				row(k, *g)
			}
		}
	})
	if rep.Conversations > 0 {
		fmt.Fprintf(w, "\nconversations:      %d\n", rep.Conversations)
		writeFiguresTable(w, "turns", func(row func(string, evalFigures)) {
			row("first", rep.FirstTurns)
			row("follow-up", rep.FollowUps)
		})
	}
	if len(rep.Misses1500) > 0 {
		fmt.Fprintf(w, "\nmissed at 1500:     %s\n", strings.Join(rep.Misses1500, " "))
	}
	if len(rep.Failures) > 0 {
		fmt.Fprintf(w, "refusal failures:   %s\n", strings.Join(rep.Failures, ", "))
	}
}

// writeFiguresTable writes a table of figures with one row per group that
// rows emits; rates of a group without on-topic questions show as "-".
func writeFiguresTable(w io.Writer, group string, rows func(row func(string, evalFigures))) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tquestions\ton-topic\thit@1500\thit@3000\thit@4500\thit@9000\tcite_hit\tmrr\trefused\n", group)
	rows(func(name string, f evalFigures) {
		rate := func(n int) string {
			if f.OnTopic == 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", f.rate(n))
		}
		mrr := "-"
		if f.OnTopic > 0 {
			mrr = fmt.Sprintf("%.3f", f.MRR)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", name, f.Questions, f.OnTopic,
			rate(f.hits[0]), rate(f.hits[1]), rate(f.hits[2]), rate(f.hits[3]), rate(f.cites), mrr, f.Refused)
	})
	tw.Flush()
}

// reasons formats refusal counts by reason, most frequent first.
func reasons(byReason map[string]int) string {
	if len(byReason) == 0 {
		return ""
	}
	keys := make([]string, 0, len(byReason))
	for k := range byReason {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := byReason[b] - byReason[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, byReason[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
