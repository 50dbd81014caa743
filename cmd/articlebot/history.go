package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"

	"github.com/articlebot/articlebot/answer"
)

// maxHistoryBytes bounds a --history file: six turns of long answers fit
// many times over.
const maxHistoryBytes = 1 << 20

// readHistory reads the --history file: the earlier turns of a
// conversation as a JSON array, oldest first,
// [{"question": "...", "answer": "..."}], "answer" optional. An empty path
// means no history. Mistakes in the file are usage errors naming it.
func readHistory(path string) ([]answer.Turn, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("--history: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxHistoryBytes+1))
	if err != nil {
		return nil, usagef("--history: couldn't read %s: %v", path, err)
	}
	if len(data) > maxHistoryBytes {
		return nil, usagef("--history: %s is over %d bytes", path, maxHistoryBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var turns []answer.Turn
	if err := dec.Decode(&turns); err != nil {
		return nil, usagef("--history: %s is not a JSON array of {\"question\", \"answer\"} objects: %v", path, err)
	}
	if dec.More() {
		return nil, usagef("--history: %s has more than one JSON value", path)
	}
	for i, t := range turns {
		if strings.TrimSpace(t.Question) == "" {
			return nil, usagef("--history: %s turn %d has no question", path, i+1)
		}
	}
	return turns, nil
}

// historyFlagUsage documents --history in the commands' help.
const historyFlagUsage = `a JSON file of earlier turns, oldest first: [{"question": "...", "answer": "..."}] ("answer" optional)`

func historyQuestions(turns []answer.Turn) []string {
	out := make([]string, len(turns))
	for i, t := range turns {
		out[i] = answer.SearchText(t.Question)
	}
	return out
}

// checkQuestion applies the question length limit shared by ask, search
// and chat.
func checkQuestion(cmd, question string, limit int) error {
	if n := len([]rune(question)); n > limit {
		return usagef("%s: the question has %d characters; the limit is %d (ARTICLEBOT_MAX_QUESTION)", cmd, n, limit)
	}
	return nil
}
