package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// evalKinds are the question kinds of eval/README.md, in report order.
// kindNone stands for a question the file gives no kind.
var evalKinds = []string{kindNone, "casual", "typo", "paraphrase", "short", "yesno", "foreign", "offtopic"}

const (
	kindNone    = "-"
	kindForeign = "foreign"
)

// evalLine is one line of an evaluation file: a single question, or a
// conversation when Turns is present.
type evalLine struct {
	ID       string     `json:"id"`
	Question string     `json:"question"`
	Evidence []string   `json:"evidence"`
	Offtopic bool       `json:"offtopic"`
	Kind     string     `json:"kind"`
	Turns    []evalTurn `json:"turns"`
}

// evalTurn is one question of a conversation.
type evalTurn struct {
	Question string   `json:"question"`
	Evidence []string `json:"evidence"`
	Offtopic bool     `json:"offtopic"`
}

// evalItem is one scored question: a single question, or one turn of a
// conversation.
type evalItem struct {
	ID       string // the line's id; "id#n" for turn n of a conversation
	Question string
	Evidence []string
	Offtopic bool
	Kind     string // kindNone when the file gives none
	Turn     int    // 0 for a single question, 1.. for conversation turns
}

// evalEntry is what one line asks: one item for a single question, or
// the turns of a conversation in order.
type evalEntry []evalItem

// readEvalFile reads an evaluation file. A malformed line is an error that
// names the file, the line number and what is wrong with it.
func readEvalFile(path string) ([]evalEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	var entries []evalEntry
	lineOf := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		id, e, err := parseEvalLine(text, line)
		if err != nil {
			return nil, fmt.Errorf("eval: %s line %d: %w", path, line, err)
		}
		if first, dup := lineOf[id]; dup {
			return nil, fmt.Errorf("eval: %s line %d: id %q is already used on line %d", path, line, id, first)
		}
		lineOf[id] = line
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: reading %s: %w", path, err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("eval: %s has no questions", path)
	}
	return entries, nil
}

// parseEvalLine decodes and checks one non-blank line. Unknown fields are
// rejected so that a misspelt "evidence" or "offtopic" cannot silently
// change what is measured. id is the line's id, or "lineN" without one.
func parseEvalLine(text string, line int) (id string, e evalEntry, err error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var l evalLine
	if err := dec.Decode(&l); err != nil {
		return "", nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return "", nil, errors.New("invalid JSON: more than one value on the line")
	}
	if l.ID == "" {
		l.ID = "line" + strconv.Itoa(line)
	}
	if l.Kind == "" {
		l.Kind = kindNone
	} else if l.Kind == kindNone || !slices.Contains(evalKinds, l.Kind) {
		return "", nil, fmt.Errorf("unknown kind %q (want one of %s)", l.Kind, strings.Join(evalKinds[1:], ", "))
	}
	if l.Turns == nil {
		if err := checkEvalQuestion(l.Question, l.Evidence, l.Offtopic); err != nil {
			return "", nil, err
		}
		return l.ID, evalEntry{{ID: l.ID, Question: l.Question, Evidence: l.Evidence, Offtopic: l.Offtopic, Kind: l.Kind}}, nil
	}
	if l.Question != "" || l.Evidence != nil || l.Offtopic {
		return "", nil, errors.New(`a conversation gives "question", "evidence" and "offtopic" in its turns, not beside them`)
	}
	if len(l.Turns) < 2 {
		return "", nil, fmt.Errorf("conversation has %d turns, want at least 2", len(l.Turns))
	}
	e = make(evalEntry, len(l.Turns))
	for i, t := range l.Turns {
		if err := checkEvalQuestion(t.Question, t.Evidence, t.Offtopic); err != nil {
			return "", nil, fmt.Errorf("turn %d: %w", i+1, err)
		}
		e[i] = evalItem{ID: l.ID + "#" + strconv.Itoa(i+1), Question: t.Question, Evidence: t.Evidence, Offtopic: t.Offtopic, Kind: l.Kind, Turn: i + 1}
	}
	return l.ID, e, nil
}

// checkEvalQuestion reports what makes a question unscorable.
func checkEvalQuestion(question string, evidence []string, offtopic bool) error {
	if strings.TrimSpace(question) == "" {
		return errors.New("missing or empty question")
	}
	if !offtopic && !slices.ContainsFunc(evidence, func(s string) bool { return strings.TrimSpace(s) != "" }) {
		return errors.New("on-topic question has no evidence")
	}
	return nil
}
