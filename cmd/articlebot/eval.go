package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/corpus"
)

var evalCmd = command{
	name: "eval",
	usage: `Usage: articlebot eval [--json] FILE

Reads questions in the JSON Lines format of shared/eval/README.md and prints
hit@1500, hit@3000, off-topic refusals and false refusals.
`,
	flags: func(fs *flag.FlagSet) { fs.Bool("json", false, "write the figures as one JSON object") },
	run:   runEval,
}

// evalQuestion is one line of an evaluation file.
type evalQuestion struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Evidence []string `json:"evidence"`
	Offtopic bool     `json:"offtopic"`
}

// evalReport holds the figures eval prints.
type evalReport struct {
	Questions       int      `json:"questions"`
	OnTopic         int      `json:"on_topic"`
	OffTopic        int      `json:"off_topic"`
	Hit1500         float64  `json:"hit@1500"`
	Hit3000         float64  `json:"hit@3000"`
	OffTopicRefused int      `json:"offtopic_refused"`
	FalseRefusals   int      `json:"false_refusals"`
	Misses1500      []string `json:"misses@1500"`
	// Context is what a model is given per answered question: passages,
	// characters of the whole prompt, and prompt tokens when a model reported them.
	ContextPassages float64  `json:"context_passages"`
	PromptChars     float64  `json:"prompt_chars"`
	PromptTokens    float64  `json:"prompt_tokens,omitempty"`
	Failures        []string `json:"failures"`
}

// evalDepth is how many ranked passages are joined before cutting at a budget.
const evalDepth = 30

func runEval(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		fs.Usage()
		return usagef("eval: give one question file")
	}
	qs, err := readEvalFile(args[0])
	if err != nil {
		return err
	}
	a := newApp(newLogger(e.cfg, e.stderr), e.cfg, nil, 0)
	if _, err := a.open(ctx, progressPrinter(e.stderr)); err != nil {
		return err
	}
	rep := evalReport{Questions: len(qs), Misses1500: []string{}, Failures: []string{}}
	var hit15, hit30, answered int
	for _, q := range qs {
		// One search per question serves both the answer and hit@B.
		res, err := a.lib.Search(ctx, answer.SearchText(q.Question), evalDepth)
		if err != nil {
			return fmt.Errorf("eval %s: %w", q.ID, err)
		}
		ans, err := a.answerer.AskWith(ctx, q.Question, res, nil)
		if err != nil {
			return fmt.Errorf("eval %s: %w", q.ID, err)
		}
		if q.Offtopic {
			rep.OffTopic++
			if ans.Refused && len(ans.Citations) == 0 {
				rep.OffTopicRefused++
			} else {
				rep.Failures = append(rep.Failures, q.ID+" answered off-topic")
			}
			continue
		}
		rep.OnTopic++
		if ans.Refused {
			rep.FalseRefusals++
			rep.Failures = append(rep.Failures, q.ID+" refused")
		}
		var sb strings.Builder
		for _, h := range res.Hits {
			sb.WriteString(h.Text)
			sb.WriteByte('\n')
		}
		joined := sb.String()
		if !res.Abstained {
			ctxPs := answer.ContextPassages(res.Hits, e.cfg.ContextChars)
			answered++
			rep.ContextPassages += float64(len(ctxPs))
			rep.PromptChars += float64(answer.PromptChars(q.Question, ctxPs))
			if ans.Usage != nil {
				rep.PromptTokens += float64(ans.Usage.PromptTokens)
			}
		}
		if hasEvidence(joined, 1500, q.Evidence) {
			hit15++
		} else {
			rep.Misses1500 = append(rep.Misses1500, q.ID)
		}
		if hasEvidence(joined, 3000, q.Evidence) {
			hit30++
		}
	}
	if rep.OnTopic > 0 {
		rep.Hit1500 = float64(hit15) / float64(rep.OnTopic)
		rep.Hit3000 = float64(hit30) / float64(rep.OnTopic)
	}
	if answered > 0 {
		rep.ContextPassages /= float64(answered)
		rep.PromptChars /= float64(answered)
		rep.PromptTokens /= float64(answered)
	}
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, rep)
	}
	writeEval(e.stdout, rep, hit15, hit30)
	return nil
}

// hasEvidence cuts joined at budget characters and reports whether any
// evidence phrase appears in it, both sides folded as the eval format says.
func hasEvidence(joined string, budget int, evidence []string) bool {
	if r := []rune(joined); len(r) > budget {
		joined = string(r[:budget])
	}
	j := corpus.Fold(joined)
	for _, ev := range evidence {
		if f := corpus.Fold(ev); f != "" && strings.Contains(j, f) {
			return true
		}
	}
	return false
}

func writeEval(w io.Writer, rep evalReport, hit15, hit30 int) {
	fmt.Fprintf(w, "questions:          %d (%d on-topic, %d off-topic)\n", rep.Questions, rep.OnTopic, rep.OffTopic)
	fmt.Fprintf(w, "hit@1500:           %.2f (%d/%d)\n", rep.Hit1500, hit15, rep.OnTopic)
	fmt.Fprintf(w, "hit@3000:           %.2f (%d/%d)\n", rep.Hit3000, hit30, rep.OnTopic)
	fmt.Fprintf(w, "off-topic refused:  %d/%d\n", rep.OffTopicRefused, rep.OffTopic)
	fmt.Fprintf(w, "false refusals:     %d/%d\n", rep.FalseRefusals, rep.OnTopic)
	fmt.Fprintf(w, "model context:      %.1f passages, %.0f prompt characters per answer", rep.ContextPassages, rep.PromptChars)
	if rep.PromptTokens > 0 {
		fmt.Fprintf(w, ", %.0f prompt tokens reported", rep.PromptTokens)
	}
	fmt.Fprintln(w)
	if len(rep.Misses1500) > 0 {
		fmt.Fprintf(w, "missed at 1500:     %s\n", strings.Join(rep.Misses1500, " "))
	}
	if len(rep.Failures) > 0 {
		fmt.Fprintf(w, "refusal failures:   %s\n", strings.Join(rep.Failures, ", "))
	}
}

func readEvalFile(path string) ([]evalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	var qs []evalQuestion
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal([]byte(text), &q); err != nil {
			return nil, fmt.Errorf("eval: %s line %d: %w", path, line, err)
		}
		if strings.TrimSpace(q.Question) == "" {
			return nil, fmt.Errorf("eval: %s line %d: empty question", path, line)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: reading %s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("eval: %s has no questions", path)
	}
	return qs, nil
}
