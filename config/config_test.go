package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"HOME": "/home/ann"}))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load without DISCORD_TOKEN = %v, want a *Error for serve", err)
	}
	if err := ce.For("ask"); err != nil {
		t.Fatalf("Load: problems for ask: %v", err)
	}
	if err := ce.For("serve"); err == nil || !strings.Contains(err.Error(), "DISCORD_TOKEN") {
		t.Errorf("problems for serve = %v, want a DISCORD_TOKEN error", err)
	}
	if got, want := c.DataDir, "/home/ann/.local/share/articlebot"; got != want {
		t.Errorf("DataDir = %q, want %q", got, want)
	}
	if c.UseModel() {
		t.Error("UseModel() = true with no key and no base URL")
	}
	if got, want := c.HTTPAddr, "127.0.0.1:9090"; got != want {
		t.Errorf("HTTPAddr = %q, want %q", got, want)
	}
	if got, want := c.LLMRetryBudget, 20*time.Second; got != want {
		t.Errorf("LLMRetryBudget = %v, want %v", got, want)
	}
	if got, want := c.RatePerMinute, 5; got != want {
		t.Errorf("RatePerMinute = %d, want %d", got, want)
	}
}

func TestLoadValues(t *testing.T) {
	const token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
	c, err := Load(env(map[string]string{
		"XDG_DATA_HOME":        "/xdg",
		"DISCORD_TOKEN":        "Bot " + token,
		"DISCORD_GUILD_ID":     "123456789012345678",
		"ARTICLEBOT_ADMIN_IDS": "111111111111111111, 222222222222222222",
		"DISCORD_API_BASE":     "http://127.0.0.1:8080/",
		"OPENAI_BASE_URL":      "http://localhost:11434/v1/",
		"ARTICLEBOT_HTTP_ADDR": "off",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := c.DataDir, "/xdg/articlebot"; got != want {
		t.Errorf("DataDir = %q, want %q", got, want)
	}
	if got, want := c.DiscordToken, token; got != want {
		t.Errorf("token prefix not stripped: got %q", got)
	}
	if got, want := strings.Join(c.AdminIDs, ","), "111111111111111111,222222222222222222"; got != want {
		t.Errorf("AdminIDs = %q, want %q", got, want)
	}
	if got, want := c.DiscordAPI.String(), "http://127.0.0.1:8080"; got != want {
		t.Errorf("DiscordAPI = %q, want %q", got, want)
	}
	if got, want := c.OpenAIBaseURL, "http://localhost:11434/v1"; got != want {
		t.Errorf("OpenAIBaseURL = %q, want %q", got, want)
	}
	if !c.UseModel() || c.HTTPAddr != "" {
		t.Errorf("UseModel = %v, HTTPAddr = %q; want true and disabled", c.UseModel(), c.HTTPAddr)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	const secret = "not-a-token-secret-value"
	_, err := Load(env(map[string]string{
		"DISCORD_TOKEN":               secret,
		"DISCORD_GUILD_ID":            "my-guild",
		"ARTICLEBOT_ADMIN_IDS":        "123456789012345678,bob",
		"DISCORD_API_BASE":            "http://127.0.0.1:8080/api",
		"OPENAI_BASE_URL":             "localhost:11434",
		"ARTICLEBOT_RATE_PER_MINUTE":  "-1",
		"ARTICLEBOT_LLM_TIMEOUT":      "soon",
		"ARTICLEBOT_EMBEDDER":         "magic",
		"ARTICLEBOT_HTTP_ADDR":        "9090",
		"ARTICLEBOT_LOG_FORMAT":       "xml",
		"ARTICLEBOT_SHUTDOWN_TIMEOUT": "30s",
	}))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *Error", err)
	}
	want := []string{"DISCORD_TOKEN", "DISCORD_GUILD_ID", "ARTICLEBOT_ADMIN_IDS", "DISCORD_API_BASE", "OPENAI_BASE_URL",
		"ARTICLEBOT_RATE_PER_MINUTE", "ARTICLEBOT_LLM_TIMEOUT", "ARTICLEBOT_EMBEDDER", "ARTICLEBOT_HTTP_ADDR", "ARTICLEBOT_LOG_FORMAT", "ARTICLEBOT_SHUTDOWN_TIMEOUT"}
	if got := len(ce.Problems); got != len(want) {
		t.Errorf("%d problems, want %d: %v", got, len(want), err)
	}
	for _, v := range want {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("error does not name %s: %v", v, err)
		}
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error echoes the token: %v", err)
	}
}

func TestOpenAIEmbedderNeedsServer(t *testing.T) {
	_, err := Load(env(map[string]string{"ARTICLEBOT_EMBEDDER": "openai"}))
	if err == nil || !strings.Contains(err.Error(), "ARTICLEBOT_EMBEDDER") {
		t.Fatalf("Load = %v, want an ARTICLEBOT_EMBEDDER problem", err)
	}
}

// TestProblemsByCommand: a setting only serve uses never breaks another
// command, and serve's report lists everything, including a missing token.
func TestProblemsByCommand(t *testing.T) {
	_, err := Load(env(map[string]string{
		"ARTICLEBOT_WORKERS":    "abc",
		"DISCORD_GUILD_ID":      "my-guild",
		"ARTICLEBOT_LOG_FORMAT": "xml",
	}))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load = %v, want *Error", err)
	}
	tests := []struct {
		name    string
		command string
		want    []string
		notWant []string
	}{
		{"Ask", "ask", []string{"ARTICLEBOT_LOG_FORMAT"}, []string{"ARTICLEBOT_WORKERS", "DISCORD_GUILD_ID", "DISCORD_TOKEN"}},
		{"Search", "search", []string{"ARTICLEBOT_LOG_FORMAT"}, []string{"ARTICLEBOT_WORKERS", "DISCORD_TOKEN"}},
		{"Serve", "serve", []string{"ARTICLEBOT_LOG_FORMAT", "ARTICLEBOT_WORKERS", "DISCORD_GUILD_ID", "DISCORD_TOKEN"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ce.For(tt.command)
			if err == nil {
				t.Fatalf("For(%q) = nil, want %v", tt.command, tt.want)
			}
			for _, v := range tt.want {
				if !strings.Contains(err.Error(), v) {
					t.Errorf("For(%q) = %v, want it to name %s", tt.command, err, v)
				}
			}
			for _, v := range tt.notWant {
				if strings.Contains(err.Error(), v) {
					t.Errorf("For(%q) = %v, want it not to name %s", tt.command, err, v)
				}
			}
		})
	}
	t.Run("OnlyServeSettings", func(t *testing.T) {
		_, err := Load(env(map[string]string{"ARTICLEBOT_WORKERS": "abc"}))
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("Load = %v, want *Error", err)
		}
		if err := ce.For("ask"); err != nil {
			t.Errorf("For(ask) = %v, want nil", err)
		}
	})
}

func TestCorpusDirMustBeFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "article.md")
	if err := os.WriteFile(file, []byte("# A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		want string
	}{
		{"OK", dir, ""},
		{"Missing", filepath.Join(dir, "nope"), "does not exist"},
		{"File", file, "is a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{"ARTICLEBOT_CORPUS_DIR": tt.dir}))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want *Error (at least DISCORD_TOKEN)", err)
			}
			err = ce.For("ask")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("For(ask) = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "ARTICLEBOT_CORPUS_DIR") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("For(ask) = %v, want ARTICLEBOT_CORPUS_DIR ... %s", err, tt.want)
			}
		})
	}
}

func TestTokenProblem(t *testing.T) {
	const good = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
	tests := []struct {
		name  string
		token string
		want  string // part of the message; "" for a valid token
	}{
		{"OK", good, ""},
		{"Empty", "", "empty"},
		{"Spaces", "MTIzNDU2Nzg5 MDEy.GabcDE.abcdefghijklmnop", "spaces"},
		{"Quotes", `"` + good + `"`, "quote"},
		{"OnePart", "abcdefghijklmnopqrstuvwxyz0123456789", "1 dot-separated part"},
		{"TwoParts", "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDEabcdefghijk", "2 dot-separated part"},
		{"FourParts", good + ".x", "4 dot-separated part"},
		{"BadCharacters", "MTIzNDU2Nzg5MDEy+zQ1.GabcDE.abcdefghijklmnop", "characters"},
		{"TooShort", "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abc", "part 3 is too short"},
		{"ShortID", "MTIz.GabcDE.abcdefghijklmnopqrstuvwxyz", "part 1 is too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TokenProblem(tt.token)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("TokenProblem(%q) = %q, want %q", tt.token, got, tt.want)
			}
			if tt.token != "" && strings.Contains(got, tt.token) {
				t.Errorf("TokenProblem echoes the token: %q", got)
			}
		})
	}
}

func TestRetention(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name  string
		value string
		want  time.Duration
		ok    bool
	}{
		{"Default", "", 30 * day, true},
		{"Days", "7d", 7 * day, true},
		{"DaysUpperCase", " 90D ", 90 * day, true},
		{"Duration", "720h", 30 * day, true},
		{"Minimum", "1h", time.Hour, true},
		{"Maximum", "3650d", 3650 * day, true},
		{"ErrZero", "0d", 30 * day, false},
		{"ErrSeconds", "30s", 30 * day, false},
		{"ErrTooLong", "3651d", 30 * day, false},
		{"ErrHugeDays", "99999999999999d", 30 * day, false},
		{"ErrNegative", "-5d", 30 * day, false},
		{"ErrWeeks", "4w", 30 * day, false},
		{"ErrFractionalDays", "1.5d", 30 * day, false},
		{"ErrWords", "forever", 30 * day, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadAsk(env(map[string]string{"ARTICLEBOT_RETENTION": tt.value}))
			if (err == nil) != tt.ok {
				t.Fatalf("Load(ARTICLEBOT_RETENTION=%q) = %v, want ok: %v", tt.value, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "ARTICLEBOT_RETENTION") {
				t.Errorf("error %v does not name ARTICLEBOT_RETENTION", err)
			}
			if got := c.Retention; got != tt.want {
				t.Errorf("Retention = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFetchAllowPrivate(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		want    bool
		wantErr bool
	}{
		{name: "Default", value: "", want: false},
		{name: "True", value: "true", want: true},
		{name: "False", value: "false", want: false},
		{name: "ErrNotBool", value: "sometimes", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadAsk(env(map[string]string{"HOME": "/home/ann", "ARTICLEBOT_FETCH_ALLOW_PRIVATE": tt.value}))
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "ARTICLEBOT_FETCH_ALLOW_PRIVATE") {
					t.Fatalf("Load(%q) = %v, want an error naming the variable", tt.value, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(%q): %v", tt.value, err)
			}
			if got := c.FetchAllowPrivate; got != tt.want {
				t.Errorf("FetchAllowPrivate for %q = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestFeedbackDB(t *testing.T) {
	c, err := loadAsk(env(map[string]string{"ARTICLEBOT_DATA_DIR": "/data"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.FeedbackDB(), "/data/feedback.db"; got != want {
		t.Errorf("FeedbackDB() = %q, want %q", got, want)
	}
}

// loadAsk loads the configuration as ask sees it: problems with settings
// only serve uses are not its own.
func loadAsk(getenv func(string) string) (Config, error) {
	c, err := Load(getenv)
	var ce *Error
	if errors.As(err, &ce) {
		err = ce.For("ask")
	}
	return c, err
}

func TestModelTimeAndDataDir(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		problem string        // variable named in the error, "" for none
		answer  time.Duration // AnswerTimeout when valid
	}{
		{name: "Defaults", answer: 2 * time.Minute},
		{name: "LongerModel", env: map[string]string{"ARTICLEBOT_LLM_TIMEOUT": "5m"}, answer: 5*time.Minute + 20*time.Second + time.Minute},
		{name: "ErrPastTheToken", env: map[string]string{"ARTICLEBOT_LLM_TIMEOUT": "10m", "ARTICLEBOT_LLM_RETRY_BUDGET": "5m"}, problem: "ARTICLEBOT_LLM_TIMEOUT"},
		{name: "ErrTildeDataDir", env: map[string]string{"ARTICLEBOT_DATA_DIR": "~/articlebot"}, problem: "ARTICLEBOT_DATA_DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]string{"HOME": "/home/ann"}
			for k, v := range tt.env {
				m[k] = v
			}
			c, err := Load(env(m))
			var ce *Error
			if err != nil && !errors.As(err, &ce) {
				t.Fatal(err)
			}
			if ce != nil {
				err = ce.For("ask") // serve also wants DISCORD_TOKEN, unset here
			}
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("Load = %v, want a problem with %s", err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.AnswerTimeout(); got != tt.answer {
				t.Errorf("AnswerTimeout() = %v, want %v", got, tt.answer)
			}
		})
	}
}
