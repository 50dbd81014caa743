// Package config reads articlebot's settings from the environment. It is the
// only package that does, and it reports every invalid value at once, each
// naming its variable and tagged with the commands that need it, so that a
// setting only serve uses can't break ask.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Config holds every setting. The zero value is not useful; use Load.
type Config struct {
	DataDir   string // ARTICLEBOT_DATA_DIR
	CorpusDir string // ARTICLEBOT_CORPUS_DIR; empty means the bundled article

	Embedder       string // ARTICLEBOT_EMBEDDER: "local" or "openai"
	EmbedModel     string // ARTICLEBOT_EMBED_MODEL
	EmbedBatch     int    // ARTICLEBOT_EMBED_BATCH
	OpenAIKey      string // OPENAI_API_KEY
	OpenAIBaseURL  string // OPENAI_BASE_URL
	ChatModel      string // ARTICLEBOT_CHAT_MODEL
	LLMTimeout     time.Duration
	LLMRetryBudget time.Duration
	ContextChars   int // ARTICLEBOT_CONTEXT_CHARS: passage text given to a model
	MaxAnswerToks  int // ARTICLEBOT_MAX_ANSWER_TOKENS
	// Rewrite says when a model first turns a question into a standalone
	// English search query (ARTICLEBOT_REWRITE): "auto" (questions not in
	// English), "always" or "off".
	Rewrite string

	DiscordToken  string   // DISCORD_TOKEN, without any "Bot " prefix
	GuildID       string   // DISCORD_GUILD_ID
	DiscordAPI    *url.URL // DISCORD_API_BASE; nil means https://discord.com
	AdminIDs      []string // ARTICLEBOT_ADMIN_IDS
	RatePerMinute int      // ARTICLEBOT_RATE_PER_MINUTE
	Workers       int      // ARTICLEBOT_WORKERS: answers computed at once
	QueueSize     int      // ARTICLEBOT_QUEUE: questions waiting beyond the workers
	MaxQuestion   int      // ARTICLEBOT_MAX_QUESTION: characters
	// FollowUpWindow (ARTICLEBOT_FOLLOWUP_WINDOW) is how long after the
	// bot's last answer in a DM a message that replies to nothing is a
	// follow-up.
	FollowUpWindow time.Duration

	// FetchAllowPrivate (ARTICLEBOT_FETCH_ALLOW_PRIVATE) lets /add and
	// `articlebot add` fetch pages on private and loopback addresses, for
	// an intranet deployment. Link-local addresses stay refused.
	FetchAllowPrivate bool

	HTTPAddr        string // ARTICLEBOT_HTTP_ADDR; empty disables health and metrics
	LogFormat       string // ARTICLEBOT_LOG_FORMAT: "text" or "json"
	LogLevel        string // ARTICLEBOT_LOG_LEVEL: debug, info, warn, error
	ShutdownTimeout time.Duration

	// Retention is how long answers and their votes are kept in the
	// feedback database (ARTICLEBOT_RETENTION): whole days such as "30d",
	// or a Go duration such as "720h"; from 1h to 3650d.
	Retention time.Duration
}

// DefaultRetention is how long feedback records are kept by default.
const DefaultRetention = 30 * 24 * time.Hour

// Retention bounds: under an hour is surely a typo for days, and ten
// years is "keep" without pretending it is unbounded.
const (
	minRetention = time.Hour
	maxRetention = 3650 * 24 * time.Hour
)

// DefaultContextChars is the passage text a model is given per question
// (answer.DefaultContextChars is the same figure). Measured with
// articlebot eval, the evidence of the casual questions of casual-dev is
// within the first 1,500 characters of the ranking for 0.53 of them,
// 3,000 for 0.66, 4,500 for 0.75 and 9,000 for 0.88 (the neat ones of dev
// and extra: 1.00 from 1,500). 9,000 characters are about 2,200 tokens,
// under half the article.
const DefaultContextChars = 9000

// MaxModelTime bounds ARTICLEBOT_LLM_TIMEOUT plus
// ARTICLEBOT_LLM_RETRY_BUDGET: an answer must be written within a slash
// command's 15-minute token, with time left for retrieval and delivery.
const MaxModelTime = 13 * time.Minute

// AnswerTimeout is how long serve gives one answer, model calls included:
// two minutes, or the model's attempt timeout and retry budget with a
// minute to spare for the rewrite, retrieval and the extractive fallback
// when an operator allows the model more.
func (c Config) AnswerTimeout() time.Duration {
	return max(2*time.Minute, c.LLMTimeout+c.LLMRetryBudget+time.Minute)
}

// MaxShutdownTimeout is the longest drain serve allows on SIGTERM: with
// up to 3.5 s for closing the Discord session after it, serve exits within
// 10 s of the signal.
const MaxShutdownTimeout = 5 * time.Second

// UseModel reports whether a chat model is configured: a key or a base URL.
// Without either, answers stay extractive and no call is made.
func (c Config) UseModel() bool { return c.OpenAIKey != "" || c.OpenAIBaseURL != "" }

// Snapshot is the path of the saved index.
func (c Config) Snapshot() string { return filepath.Join(c.DataDir, "index.gob") }

// FeedbackDB is the path of the feedback database (answers and votes).
func (c Config) FeedbackDB() string { return filepath.Join(c.DataDir, "feedback.db") }

// Problem is one invalid setting.
type Problem struct {
	Var string
	Msg string
	// Commands names the commands that use the setting; nil means every
	// command does.
	Commands []string
}

// Error names the variable and what is wrong with it.
func (p Problem) Error() string { return p.Var + ": " + p.Msg }

// Affects reports whether the problem matters to command.
func (p Problem) Affects(command string) bool {
	return p.Commands == nil || slices.Contains(p.Commands, command)
}

// commandsOf tags the settings that only some commands use; every other
// setting is shared (every command builds the index and the answerer).
var commandsOf = map[string][]string{
	"DISCORD_TOKEN":               {"serve"},
	"DISCORD_GUILD_ID":            {"serve"},
	"DISCORD_API_BASE":            {"serve"},
	"ARTICLEBOT_ADMIN_IDS":        {"serve"},
	"ARTICLEBOT_RATE_PER_MINUTE":  {"serve"},
	"ARTICLEBOT_WORKERS":          {"serve"},
	"ARTICLEBOT_QUEUE":            {"serve"},
	"ARTICLEBOT_HTTP_ADDR":        {"serve"},
	"ARTICLEBOT_SHUTDOWN_TIMEOUT": {"serve"},
	"ARTICLEBOT_FOLLOWUP_WINDOW":  {"serve"},
}

// Error lists every invalid setting found by Load.
type Error struct{ Problems []Problem }

// For returns the problems that matter to command, as an *Error, or nil
// when there are none: a command checks only its own settings and the
// shared ones.
func (e *Error) For(command string) error {
	var ps []Problem
	for _, p := range e.Problems {
		if p.Affects(command) {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}

// Error lists every problem on one line.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return "invalid configuration: " + strings.Join(msgs, "; ")
}

// Load reads the configuration through getenv (os.Getenv in main, a map in
// tests). It returns a *Error listing every invalid value when any is wrong,
// including a missing DISCORD_TOKEN (needed by serve only) and an
// ARTICLEBOT_CORPUS_DIR that is not a folder; each Problem names the
// commands it affects, and a command checks its own with Error.For. The
// Config is filled in either way, with defaults for the invalid values.
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		DataDir:         r.str("ARTICLEBOT_DATA_DIR", defaultDataDir(getenv)),
		CorpusDir:       r.str("ARTICLEBOT_CORPUS_DIR", ""),
		Embedder:        r.oneOf("ARTICLEBOT_EMBEDDER", "local", "local", "openai"),
		EmbedModel:      r.str("ARTICLEBOT_EMBED_MODEL", "text-embedding-3-small"),
		EmbedBatch:      r.intIn("ARTICLEBOT_EMBED_BATCH", 64, 1, 2048),
		OpenAIKey:       r.str("OPENAI_API_KEY", ""),
		OpenAIBaseURL:   strings.TrimRight(r.str("OPENAI_BASE_URL", ""), "/"),
		ChatModel:       r.str("ARTICLEBOT_CHAT_MODEL", "gpt-4o-mini"),
		LLMTimeout:      r.duration("ARTICLEBOT_LLM_TIMEOUT", 30*time.Second),
		LLMRetryBudget:  r.duration("ARTICLEBOT_LLM_RETRY_BUDGET", 20*time.Second),
		ContextChars:    r.intIn("ARTICLEBOT_CONTEXT_CHARS", DefaultContextChars, 200, 50000),
		MaxAnswerToks:   r.intIn("ARTICLEBOT_MAX_ANSWER_TOKENS", 400, 16, 4096),
		Rewrite:         r.oneOf("ARTICLEBOT_REWRITE", "auto", "auto", "always", "off"),
		GuildID:         r.snowflake("DISCORD_GUILD_ID"),
		RatePerMinute:   r.intIn("ARTICLEBOT_RATE_PER_MINUTE", 5, 1, 600),
		Workers:         r.intIn("ARTICLEBOT_WORKERS", 16, 1, 256),
		QueueSize:       r.intIn("ARTICLEBOT_QUEUE", 64, 0, 10000),
		MaxQuestion:     r.intIn("ARTICLEBOT_MAX_QUESTION", 1000, 10, 6000),
		HTTPAddr:        r.addr("ARTICLEBOT_HTTP_ADDR", "127.0.0.1:9090"),
		LogFormat:       r.oneOf("ARTICLEBOT_LOG_FORMAT", "text", "text", "json"),
		LogLevel:        r.oneOf("ARTICLEBOT_LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		ShutdownTimeout: r.duration("ARTICLEBOT_SHUTDOWN_TIMEOUT", 5*time.Second),
		FollowUpWindow:  r.duration("ARTICLEBOT_FOLLOWUP_WINDOW", 10*time.Minute),
		Retention:       r.retention("ARTICLEBOT_RETENTION", DefaultRetention),
	}
	c.FetchAllowPrivate = r.boolean("ARTICLEBOT_FETCH_ALLOW_PRIVATE", false)
	c.DiscordToken = r.token("DISCORD_TOKEN")
	if c.CorpusDir != "" {
		switch fi, err := os.Stat(c.CorpusDir); {
		case err != nil && os.IsNotExist(err):
			r.fail("ARTICLEBOT_CORPUS_DIR", "%q does not exist; create the folder or unset the variable to use the bundled article", c.CorpusDir)
		case err != nil:
			r.fail("ARTICLEBOT_CORPUS_DIR", "can't read %q: %v", c.CorpusDir, err)
		case !fi.IsDir():
			r.fail("ARTICLEBOT_CORPUS_DIR", "%q is a file, not a folder of articles", c.CorpusDir)
		}
	}
	c.DiscordAPI = r.baseURL("DISCORD_API_BASE")
	for _, id := range strings.Split(getenv("ARTICLEBOT_ADMIN_IDS"), ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if !snowflakeRE.MatchString(id) {
			r.fail("ARTICLEBOT_ADMIN_IDS", "%q is not a numeric Discord user ID", id)
			continue
		}
		c.AdminIDs = append(c.AdminIDs, id)
	}
	if c.OpenAIBaseURL != "" {
		if u, err := url.Parse(c.OpenAIBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.fail("OPENAI_BASE_URL", "%q is not an http(s) URL such as http://localhost:11434/v1", c.OpenAIBaseURL)
		}
	}
	if c.Embedder == "openai" && !c.UseModel() {
		r.fail("ARTICLEBOT_EMBEDDER", "openai needs OPENAI_API_KEY or OPENAI_BASE_URL")
	}
	if c.ShutdownTimeout > MaxShutdownTimeout {
		r.fail("ARTICLEBOT_SHUTDOWN_TIMEOUT", "%s is over the maximum %s (serve must stop within 10 s)", c.ShutdownTimeout, MaxShutdownTimeout)
	}
	if c.FollowUpWindow <= 0 {
		r.fail("ARTICLEBOT_FOLLOWUP_WINDOW", "must be positive")
	}
	if strings.HasPrefix(c.DataDir, "~") {
		r.fail("ARTICLEBOT_DATA_DIR", "%q starts with ~, which only a shell expands; give the full path (for example $HOME/…)", c.DataDir)
	}
	if c.LLMTimeout <= 0 {
		r.fail("ARTICLEBOT_LLM_TIMEOUT", "must be positive")
	}
	if c.LLMTimeout+c.LLMRetryBudget > MaxModelTime {
		r.fail("ARTICLEBOT_LLM_TIMEOUT", "%s plus ARTICLEBOT_LLM_RETRY_BUDGET %s is over %s: Discord takes an answer to a slash command for 15 minutes at most", c.LLMTimeout, c.LLMRetryBudget, MaxModelTime)
	}
	if len(r.problems) > 0 {
		return c, &Error{Problems: r.problems}
	}
	return c, nil
}

var snowflakeRE = regexp.MustCompile(`^[0-9]{15,21}$`)

type reader struct {
	getenv   func(string) string
	problems []Problem
}

func (r *reader) fail(name, format string, args ...any) {
	r.problems = append(r.problems, Problem{Var: name, Msg: fmt.Sprintf(format, args...), Commands: commandsOf[name]})
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(r.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return def
}

func (r *reader) intIn(name string, def, lo, hi int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, "%q is not a whole number from %d to %d", v, lo, hi)
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "%q is not true or false", v)
		return def
	}
	return b
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		r.fail(name, "%q is not a duration such as 20s or 1m", v)
		return def
	}
	return d
}

// retention reads a period as whole days ("30d") or a Go duration
// ("720h"), between minRetention and maxRetention.
func (r *reader) retention(name string, def time.Duration) time.Duration {
	v := strings.ToLower(r.str(name, ""))
	if v == "" {
		return def
	}
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
		if n > int(maxRetention/(24*time.Hour)) {
			d = maxRetention + 1 // over the limit, without overflowing
		}
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d < minRetention || d > maxRetention {
		r.fail(name, "%q is not a period from 1h to 3650d, such as 30d or 720h", v)
		return def
	}
	return d
}

func (r *reader) snowflake(name string) string {
	v := r.str(name, "")
	if v != "" && !snowflakeRE.MatchString(v) {
		r.fail(name, "%q is not a numeric Discord ID", v)
		return ""
	}
	return v
}

// token accepts the bare token or one prefixed with "Bot ". A missing
// token is a problem for serve only; a malformed one is reported with what is wrong with it (see TokenProblem); the value
// is never echoed in an error.
func (r *reader) token(name string) string {
	v := strings.TrimSpace(strings.TrimPrefix(r.str(name, ""), "Bot "))
	if v == "" {
		r.fail(name, "required for serve: create a bot in the Discord developer portal and set its token")
		return ""
	}
	if msg := TokenProblem(v); msg != "" {
		r.fail(name, "is not a Discord bot token: %s", msg)
		return ""
	}
	return v
}

// Shortest parts of a bot token: the base64 user ID (Discord IDs have at
// least 15 digits), the timestamp, and the HMAC.
const (
	minTokenID   = 10
	minTokenTime = 3
	minTokenHMAC = 10
)

// TokenProblem says what is wrong with a bot token, without echoing it,
// or returns "" when it looks like one: three base64url parts joined by
// dots, the bot's ID, a timestamp and an HMAC.
func TokenProblem(token string) string {
	switch {
	case strings.TrimSpace(token) == "":
		return "it is empty"
	case strings.ContainsFunc(token, unicode.IsSpace):
		return "it contains spaces or line breaks; copy it again without them"
	case strings.ContainsAny(token, "\"'`"):
		return "it contains quote marks; remove the quotes around it"
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return fmt.Sprintf("it has %d dot-separated part(s), and a bot token has 3 (a client secret or application ID is not the token)", len(parts))
	}
	for i, p := range parts {
		if strings.ContainsFunc(p, func(r rune) bool { return !isBase64URL(r) }) {
			return fmt.Sprintf("part %d has characters a token never has (only letters, digits, - and _)", i+1)
		}
	}
	for i, least := range []int{minTokenID, minTokenTime, minTokenHMAC} {
		if len(parts[i]) < least {
			return fmt.Sprintf("part %d is too short (%d characters, at least %d); the token was cut off when copied", i+1, len(parts[i]), least)
		}
	}
	return ""
}

func isBase64URL(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}

func (r *reader) baseURL(name string) *url.URL {
	v := r.str(name, "")
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		r.fail(name, "%q is not a base URL such as http://127.0.0.1:8080 (scheme and host only)", v)
		return nil
	}
	u.Path = ""
	return u
}

func (r *reader) addr(name, def string) string {
	v := r.str(name, def)
	if strings.EqualFold(v, "off") {
		return ""
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		r.fail(name, "%q is not host:port (or off)", v)
		return def
	}
	return v
}

// defaultDataDir is $XDG_DATA_HOME/articlebot, else ~/.local/share/articlebot,
// else ./.articlebot when no home folder is known.
func defaultDataDir(getenv func(string) string) string {
	if x := getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "articlebot")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "articlebot")
	}
	return ".articlebot"
}
