package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"HOME": "/home/ann"}))
	if err != nil {
		t.Fatalf("Load: %v", err)
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
	if err := c.CheckServe(); err == nil || !strings.Contains(err.Error(), "DISCORD_TOKEN") {
		t.Errorf("CheckServe() = %v, want a DISCORD_TOKEN error", err)
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
	if err := c.CheckServe(); err != nil {
		t.Errorf("CheckServe: %v", err)
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
		"ARTICLEBOT_RETENTION":        "30 days",
	}))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *Error", err)
	}
	want := []string{"DISCORD_TOKEN", "DISCORD_GUILD_ID", "ARTICLEBOT_ADMIN_IDS", "DISCORD_API_BASE", "OPENAI_BASE_URL",
		"ARTICLEBOT_RATE_PER_MINUTE", "ARTICLEBOT_LLM_TIMEOUT", "ARTICLEBOT_EMBEDDER", "ARTICLEBOT_HTTP_ADDR", "ARTICLEBOT_LOG_FORMAT", "ARTICLEBOT_SHUTDOWN_TIMEOUT",
		"ARTICLEBOT_RETENTION"}
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
			c, err := Load(env(map[string]string{"ARTICLEBOT_RETENTION": tt.value}))
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
			c, err := Load(env(map[string]string{"HOME": "/home/ann", "ARTICLEBOT_FETCH_ALLOW_PRIVATE": tt.value}))
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
	c, err := Load(env(map[string]string{"ARTICLEBOT_DATA_DIR": "/data"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.FeedbackDB(), "/data/feedback.db"; got != want {
		t.Errorf("FeedbackDB() = %q, want %q", got, want)
	}
}
