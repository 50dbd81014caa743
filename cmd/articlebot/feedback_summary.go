package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/articlebot/articlebot/feedback"
)

// feedbackSummary is the `feedback --json` object.
type feedbackSummary struct {
	Answers       int             `json:"answers"`
	Refused       int             `json:"refused"`
	Up            int             `json:"up"`
	Down          int             `json:"down"`
	VotedAnswers  int             `json:"voted_answers"`
	DownRate      float64         `json:"down_rate"`
	ByMode        []modeRate      `json:"by_mode"`
	ByReason      []reasonRate    `json:"by_reason"`
	MostDownvoted []downvotedJSON `json:"most_downvoted"`
}

type voteRate struct {
	Answers  int     `json:"answers"`
	Up       int     `json:"up"`
	Down     int     `json:"down"`
	DownRate float64 `json:"down_rate"`
}

type modeRate struct {
	Mode string `json:"mode"`
	voteRate
}

// reasonRate's Reason is "" for the answers given (not refused).
type reasonRate struct {
	Reason string `json:"reason"`
	voteRate
}

type downvotedJSON struct {
	ID       string    `json:"id"`
	Question string    `json:"question"`
	Mode     string    `json:"mode"`
	Reason   string    `json:"reason"`
	Created  time.Time `json:"created"`
	Up       int       `json:"up"`
	Down     int       `json:"down"`
}

func rateOf(r feedback.Rate) voteRate {
	return voteRate{Answers: r.Answers, Up: r.Up, Down: r.Down, DownRate: r.DownRate()}
}

func summaryJSON(s feedback.Summary) feedbackSummary {
	out := feedbackSummary{Answers: s.Answers, Refused: s.Refused, Up: s.Up, Down: s.Down, VotedAnswers: s.Voted,
		DownRate: s.DownRate(), ByMode: []modeRate{}, ByReason: []reasonRate{}, MostDownvoted: []downvotedJSON{}}
	for _, r := range s.ByMode {
		out.ByMode = append(out.ByMode, modeRate{r.Key, rateOf(r)})
	}
	for _, r := range s.ByReason {
		out.ByReason = append(out.ByReason, reasonRate{r.Key, rateOf(r)})
	}
	for _, t := range s.MostDownvoted {
		out.MostDownvoted = append(out.MostDownvoted, downvotedJSON(t))
	}
	return out
}

// writeSummary prints the summary for a person.
func writeSummary(w io.Writer, s feedback.Summary, path string) {
	if s.Answers == 0 {
		fmt.Fprintf(w, "no answers recorded in %s\n", path)
		return
	}
	fmt.Fprintf(w, "%s (%d refused); %s on %s: %d 👍, %d 👎 (%s 👎)\n",
		plural(s.Answers, "answer"), s.Refused, plural(s.Up+s.Down, "vote"), plural(s.Voted, "answer"), s.Up, s.Down, percent(s.Up, s.Down, s.DownRate()))
	table := func(title, col string, rs []feedback.Rate, blank string) {
		fmt.Fprintf(w, "\n👎 rate by %s:\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  %s\tanswers\tup\tdown\tdown rate\n", col)
		for _, r := range rs {
			key := r.Key
			if key == "" {
				key = blank
			}
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", key, r.Answers, r.Up, r.Down, percent(r.Up, r.Down, r.DownRate()))
		}
		tw.Flush()
	}
	table("mode", "mode", s.ByMode, "-")
	table("refusal reason", "reason", s.ByReason, "(answered)")
	if len(s.MostDownvoted) == 0 {
		return
	}
	fmt.Fprintln(w, "\nMost downvoted:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  down\tup\tanswer\tmode\treason\tquestion")
	for _, t := range s.MostDownvoted {
		reason := t.Reason
		if reason == "" {
			reason = "-"
		}
		fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%s\t%q\n", t.Down, t.Up, t.ID, t.Mode, reason, clip(t.Question, 60))
	}
	tw.Flush()
}

// percent formats a 👎 rate, or "-" when there are no votes.
func percent(up, down int, rate float64) string {
	if up+down == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*rate)
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
