package main

import (
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/config"
)

// figuresJSON is one group of figures in the `eval --json` contract of
// eval/README.md, decoded strictly.
type figuresJSON struct {
	Questions       int     `json:"questions"`
	OnTopic         int     `json:"on_topic"`
	OffTopic        int     `json:"off_topic"`
	Hit1500         float64 `json:"hit@1500"`
	Hit3000         float64 `json:"hit@3000"`
	Hit4500         float64 `json:"hit@4500"`
	Hit9000         float64 `json:"hit@9000"`
	CiteHit         float64 `json:"cite_hit"`
	MRR             float64 `json:"mrr"`
	Refused         int     `json:"refused"`
	OffTopicRefused int     `json:"offtopic_refused"`
	FalseRefusals   int     `json:"false_refusals"`
}

// evalJSON is the whole `eval --json` object.
type evalJSON struct {
	figuresJSON
	Misses1500      []string `json:"misses@1500"`
	ContextPassages float64  `json:"context_passages"`
	PromptChars     float64  `json:"prompt_chars"`
	PromptTokens    float64  `json:"prompt_tokens"`
	Failures        []string `json:"failures"`
	Refusals        struct {
		OnTopic  map[string]int `json:"on_topic"`
		OffTopic map[string]int `json:"off_topic"`
	} `json:"refusals"`
	ByKind         map[string]figuresJSON `json:"by_kind"`
	EnglishOnTopic figuresJSON            `json:"english_on_topic"`
	Foreign        struct {
		Questions       int `json:"questions"`
		RefusedLanguage int `json:"refused_language"`
	} `json:"foreign"`
	Conversations int         `json:"conversations"`
	FirstTurns    figuresJSON `json:"first_turns"`
	FollowUps     figuresJSON `json:"follow_ups"`
}

// evalKeys are the top-level keys `eval --json` always writes
// (prompt_tokens only when a model reported usage).
var evalKeys = []string{
	"by_kind", "cite_hit", "context_passages", "conversations", "english_on_topic",
	"failures", "false_refusals", "first_turns", "follow_ups", "foreign",
	"hit@1500", "hit@3000", "hit@4500", "hit@9000", "misses@1500", "mrr", "off_topic", "offtopic_refused",
	"on_topic", "prompt_chars", "questions", "refusals", "refused",
}

// runEvalJSON runs `eval --json file` and decodes the report strictly,
// checking that it has exactly the documented keys.
func runEvalJSON(t *testing.T, file string) evalJSON {
	t.Helper()
	code, stdout, stderr := runCLI(t, map[string]string{}, "eval", "--json", file)
	if code != 0 {
		t.Fatalf("eval %s: exit %d: %s", file, code, stderr)
	}
	var rep evalJSON
	decodeOne(t, stdout, &rep)
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, evalKeys) {
		t.Errorf("eval --json keys = %q, want %q", got, evalKeys)
	}
	return rep
}

// checkFigures asserts what must hold within any group of figures.
func checkFigures(t *testing.T, name string, f figuresJSON) {
	t.Helper()
	if f.OnTopic+f.OffTopic != f.Questions {
		t.Errorf("%s: %d on-topic + %d off-topic != %d questions", name, f.OnTopic, f.OffTopic, f.Questions)
	}
	if !(0 <= f.Hit1500 && f.Hit1500 <= f.Hit3000 && f.Hit3000 <= f.Hit4500 && f.Hit4500 <= f.Hit9000 && f.Hit9000 <= 1) {
		t.Errorf("%s: hit@1500 %.2f, hit@3000 %.2f, hit@4500 %.2f, hit@9000 %.2f; want 0 <= each <= the next <= 1", name, f.Hit1500, f.Hit3000, f.Hit4500, f.Hit9000)
	}
	// cite_hit counts only answers that were not refused.
	if cited := count(f.CiteHit, f.OnTopic); f.CiteHit < 0 || cited > f.OnTopic-f.FalseRefusals {
		t.Errorf("%s: cite_hit %.2f is %d of %d on-topic questions, but only %d were answered", name, f.CiteHit, cited, f.OnTopic, f.OnTopic-f.FalseRefusals)
	}
	if f.Refused != f.FalseRefusals+f.OffTopicRefused || f.FalseRefusals > f.OnTopic || f.OffTopicRefused > f.OffTopic {
		t.Errorf("%s: refused %d, false refusals %d/%d, off-topic refused %d/%d; want refused = false + off-topic refusals",
			name, f.Refused, f.FalseRefusals, f.OnTopic, f.OffTopicRefused, f.OffTopic)
	}
}

// count turns a rate of n back into a count.
func count(rate float64, n int) int { return int(math.Round(rate * float64(n))) }

func sum(m map[string]int) int {
	s := 0
	for _, v := range m {
		s += v
	}
	return s
}

func TestEvalInRepoSets(t *testing.T) {
	tests := []struct {
		name          string
		file          string
		kinds         []string
		conversations int
	}{
		{"Dev", "../../eval/dev.jsonl", []string{"-"}, 0},
		{"Extra", "../../eval/extra.jsonl", []string{"-"}, 0},
		{"CasualDev", "../../eval/casual-dev.jsonl", []string{"casual", "foreign", "offtopic", "paraphrase", "short", "typo", "yesno"}, 0},
		{"ConversationsDev", "../../eval/conversations-dev.jsonl", []string{"-"}, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runEvalJSON(t, tt.file)
			checkFigures(t, "overall", rep.figuresJSON)
			if got := slices.Sorted(maps.Keys(rep.ByKind)); !slices.Equal(got, tt.kinds) {
				t.Errorf("kinds = %q, want %q", got, tt.kinds)
			}
			var total figuresJSON
			var hits, cites int
			for k, f := range rep.ByKind {
				checkFigures(t, k, f)
				total.Questions += f.Questions
				total.OnTopic += f.OnTopic
				total.Refused += f.Refused
				hits += count(f.Hit1500, f.OnTopic)
				cites += count(f.CiteHit, f.OnTopic)
			}
			if total.Questions != rep.Questions || total.OnTopic != rep.OnTopic || total.Refused != rep.Refused {
				t.Errorf("per-kind sums %+v, want the overall %d questions, %d on-topic, %d refused", total, rep.Questions, rep.OnTopic, rep.Refused)
			}
			if want := count(rep.Hit1500, rep.OnTopic); hits != want {
				t.Errorf("per-kind hit@1500 sum to %d hits, overall %d", hits, want)
			}
			if want := count(rep.CiteHit, rep.OnTopic); cites != want {
				t.Errorf("per-kind cite_hit sum to %d, overall %d", cites, want)
			}
			if got, want := len(rep.Misses1500), rep.OnTopic-count(rep.Hit1500, rep.OnTopic); got != want {
				t.Errorf("%d misses@1500, want %d", got, want)
			}
			if got, want := sum(rep.Refusals.OnTopic), rep.FalseRefusals; got != want {
				t.Errorf("on-topic refusals by reason %v sum to %d, want %d false refusals", rep.Refusals.OnTopic, got, want)
			}
			if got := sum(rep.Refusals.OffTopic); got < rep.OffTopicRefused || got > rep.OffTopic {
				t.Errorf("off-topic refusals by reason %v sum to %d, want %d..%d", rep.Refusals.OffTopic, got, rep.OffTopicRefused, rep.OffTopic)
			}
			foreign := rep.ByKind["foreign"]
			en := rep.EnglishOnTopic
			checkFigures(t, "english_on_topic", en)
			if en.OffTopic != 0 || en.OnTopic != rep.OnTopic-foreign.OnTopic {
				t.Errorf("english_on_topic = %+v, want the %d on-topic questions less %d foreign", en, rep.OnTopic, foreign.OnTopic)
			}
			if rep.Foreign.Questions != foreign.Questions || rep.Foreign.RefusedLanguage > foreign.Refused {
				t.Errorf("foreign = %+v, want %d questions and at most %d refused", rep.Foreign, foreign.Questions, foreign.Refused)
			}
			if rep.Conversations != tt.conversations {
				t.Errorf("conversations = %d, want %d", rep.Conversations, tt.conversations)
			}
			checkFigures(t, "first_turns", rep.FirstTurns)
			checkFigures(t, "follow_ups", rep.FollowUps)
			if got, want := rep.FirstTurns.Questions, tt.conversations; got != want {
				t.Errorf("first_turns.questions = %d, want one per conversation, %d", got, want)
			}
			if tt.conversations == 0 && rep.FollowUps.Questions != 0 {
				t.Errorf("follow_ups = %+v in a file of single questions", rep.FollowUps)
			}
		})
	}
}

// TestEvalConversationFile checks that a file mixing single questions and
// conversations scores every turn, and splits first turns from follow-ups.
func TestEvalConversationFile(t *testing.T) {
	file := writeEvalFile(t,
		`{"id": "s1", "question": "Why does China matter so much to Russia's economy?", "evidence": ["massive market for Russian oil and gas"]}`,
		`{"id": "c1", "turns": [{"question": "Why does China matter so much to Russia's economy?", "evidence": ["massive market for Russian oil and gas"]}, {"question": "and the other way round?", "evidence": ["access to resources"]}, {"question": "Who painted the Mona Lisa?", "evidence": [], "offtopic": true}]}`,
		`{"id": "c2", "kind": "casual", "turns": [{"question": "what weapons did russia sell china", "evidence": ["fighter jets, submarines, and missile defense systems"]}, {"question": "why?", "evidence": ["provides a crucial strategic depth"]}]}`,
	)
	rep := runEvalJSON(t, file)
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"questions", rep.Questions, 6},
		{"off_topic", rep.OffTopic, 1},
		{"conversations", rep.Conversations, 2},
		{"first_turns.questions", rep.FirstTurns.Questions, 2},
		{"first_turns.off_topic", rep.FirstTurns.OffTopic, 0},
		{"follow_ups.questions", rep.FollowUps.Questions, 3},
		{"follow_ups.off_topic", rep.FollowUps.OffTopic, 1},
		{`by_kind["-"].questions`, rep.ByKind["-"].Questions, 4},
		{`by_kind["casual"].questions`, rep.ByKind["casual"].Questions, 2},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	checkFigures(t, "first_turns", rep.FirstTurns)
	checkFigures(t, "follow_ups", rep.FollowUps)
	turnID := regexp.MustCompile(`^(s1|c1#[1-3]|c2#[12])( |$)`)
	for _, id := range slices.Concat(rep.Misses1500, rep.Failures) {
		if !turnID.MatchString(id) {
			t.Errorf("miss or failure %q does not name a question or a turn (id#n)", id)
		}
	}

	code, stdout, stderr := runCLI(t, map[string]string{}, "eval", file)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	for _, want := range []string{`(?m)^cite_hit: +\d\.\d\d \(\d/5\)$`, `(?m)^conversations: +2$`, `(?m)^first +2 +2 `, `(?m)^follow-up +3 +2 `, `(?m)^casual +2 +2 `} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("eval output does not match %s:\n%s", want, stdout)
		}
	}
}

// writeEvalFile writes lines as an evaluation file and returns its path.
func writeEvalFile(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "eval.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEvalMalformedLine(t *testing.T) {
	const good = `{"id": "g1", "question": "Why does Russia need China?", "evidence": ["keep its economy afloat"]}`
	tests := []struct {
		name string
		line string // written as line 3, after a good line and a blank one
		want string
	}{
		{"InvalidJSON", `{"id": "b1", "question": "why?"`, "line 3: invalid JSON"},
		{"TwoValues", `{"id": "b1", "question": "why?", "evidence": ["x"]} {}`, "line 3: invalid JSON: more than one value"},
		{"UnknownField", `{"id": "b1", "question": "why?", "evidense": ["x"]}`, `line 3: invalid JSON: json: unknown field "evidense"`},
		{"UnknownTurnField", `{"id": "b1", "turns": [{"question": "a?", "evidence": ["x"]}, {"question": "b?", "evidence": ["x"], "kind": "short"}]}`, `line 3: invalid JSON: json: unknown field "kind"`},
		{"MissingQuestion", `{"id": "b1", "evidence": ["x"]}`, "line 3: missing or empty question"},
		{"BlankQuestion", `{"id": "b1", "question": "  ", "evidence": ["x"]}`, "line 3: missing or empty question"},
		{"NoEvidence", `{"id": "b1", "question": "why?", "evidence": []}`, "line 3: on-topic question has no evidence"},
		{"EmptyEvidencePhrase", `{"id": "b1", "question": "why?", "evidence": [" "]}`, "line 3: on-topic question has no evidence"},
		{"UnknownKind", `{"id": "b1", "question": "why?", "evidence": ["x"], "kind": "slang"}`, `line 3: unknown kind "slang"`},
		{"NoTurns", `{"id": "b1", "turns": []}`, "line 3: conversation has 0 turns, want at least 2"},
		{"OneTurn", `{"id": "b1", "turns": [{"question": "why?", "evidence": ["x"]}]}`, "line 3: conversation has 1 turns, want at least 2"},
		{"EmptyTurnQuestion", `{"id": "b1", "turns": [{"question": "why?", "evidence": ["x"]}, {"question": "", "evidence": ["x"]}]}`, "line 3: turn 2: missing or empty question"},
		{"TurnNoEvidence", `{"id": "b1", "turns": [{"question": "why?", "evidence": ["x"]}, {"question": "and?"}]}`, "line 3: turn 2: on-topic question has no evidence"},
		{"QuestionBesideTurns", `{"id": "b1", "question": "why?", "turns": [{"question": "a?", "evidence": ["x"]}, {"question": "b?", "evidence": ["x"]}]}`, "line 3: a conversation gives"},
		{"DuplicateID", `{"id": "g1", "question": "why?", "evidence": ["x"]}`, `line 3: id "g1" is already used on line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeEvalFile(t, good, "", tt.line, good)
			code, stdout, stderr := runCLI(t, map[string]string{}, "eval", file)
			// A bad question file is an input error like an unreadable one
			// (exit 1), not a mistake in the command line (exit 2).
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, stdout)
			}
			if want := file + " " + tt.want; !strings.Contains(stderr, want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, want)
			}
		})
	}
}

// The context budget has one default, written in two packages so that
// config stays a leaf: they must agree.
func TestDefaultContextCharsAgree(t *testing.T) {
	if config.DefaultContextChars != answer.DefaultContextChars {
		t.Fatalf("config.DefaultContextChars = %d, answer.DefaultContextChars = %d", config.DefaultContextChars, answer.DefaultContextChars)
	}
	if d := answer.DepthFor(config.DefaultContextChars); d*200 < config.DefaultContextChars {
		t.Fatalf("DepthFor(%d) = %d passages of at most 200 characters can't fill the budget", config.DefaultContextChars, d)
	}
	// Eval ranks as deep as Ask, at least DepthFor(DefaultContextChars):
	// its largest budget must fit in that.
	if b := evalBudgets[len(evalBudgets)-1]; b > answer.DefaultContextChars {
		t.Fatalf("eval's largest budget %d exceeds the default context %d that sets the search depth", b, answer.DefaultContextChars)
	}
}
