package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/fetch"
)

const teaMD = "---\ntitle: Tea Guide\n---\n# Green tea\n\nSencha is a green tea from Japan. It is steamed, not roasted.\n\n# Black tea\n\nAssam comes from India.\n"

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// changeOut is the add and remove --json contract, decoded strictly.
type changeOut struct {
	Added      *docOut `json:"added"`
	Removed    *docOut `json:"removed"`
	Documents  int     `json:"documents"`
	Passages   int     `json:"passages"`
	Embedded   int     `json:"embedded"`
	DurationMS int64   `json:"duration_ms"`
}

type docOut struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	From     string `json:"from"`
	AddedBy  string `json:"added_by"`
	AddedAt  string `json:"added_at"`
	Bundled  bool   `json:"bundled"`
	Sections int    `json:"sections"`
	Passages int    `json:"passages"`
}

type documentsOut struct {
	Documents []docOut `json:"documents"`
	Skipped   []struct {
		File   string `json:"file"`
		Reason string `json:"reason"`
	} `json:"skipped"`
}

func TestCLIDocuments(t *testing.T) {
	env := map[string]string{"ARTICLEBOT_DATA_DIR": t.TempDir()}
	code, stdout, stderr := runCLI(t, env, "add", "--json", writeTemp(t, "tea.md", teaMD))
	if code != 0 {
		t.Fatalf("add: exit %d, stderr %s", code, stderr)
	}
	var added changeOut
	decodeOne(t, stdout, &added)
	if added.Added == nil || added.Added.ID != "tea-guide" || added.Added.Title != "Tea Guide" ||
		added.Added.Sections != 2 || added.Added.Passages == 0 || added.Added.AddedBy != "cli" || added.Added.From != "tea.md" {
		t.Fatalf("add --json = %+v, want tea-guide with 2 sections, added by cli from tea.md", added.Added)
	}
	if got, want := added.Documents, 2; got != want {
		t.Errorf("documents after add = %d, want %d", got, want)
	}

	// A second process (a restart) still has it, and removes the bundled article.
	code, stdout, stderr = runCLI(t, env, "remove", "--json", "Xi Jinping and Russia")
	if code != 0 {
		t.Fatalf("remove bundled: exit %d, stderr %s", code, stderr)
	}
	var removed changeOut
	decodeOne(t, stdout, &removed)
	if removed.Removed == nil || !removed.Removed.Bundled || removed.Documents != 1 {
		t.Fatalf("remove --json = %+v (documents %d), want the bundled article removed, 1 left", removed.Removed, removed.Documents)
	}

	code, stdout, stderr = runCLI(t, env, "documents", "--json")
	if code != 0 {
		t.Fatalf("documents: exit %d, stderr %s", code, stderr)
	}
	var list documentsOut
	decodeOne(t, stdout, &list)
	if len(list.Documents) != 1 || list.Documents[0].ID != "tea-guide" || list.Documents[0].AddedAt == "" {
		t.Fatalf("documents --json = %+v, want only tea-guide with its time", list.Documents)
	}
	if list.Skipped == nil {
		t.Error(`documents --json has no "skipped" array`)
	}

	code, stdout, _ = runCLI(t, env, "documents")
	if code != 0 || !strings.Contains(stdout, "Tea Guide (tea-guide)") || !strings.Contains(stdout, "added by cli on ") {
		t.Errorf("documents: exit %d, stdout %q", code, stdout)
	}
	code, _, stderr = runCLI(t, env, "remove", "tea-guide")
	if code != 1 || !strings.Contains(stderr, "only document left") {
		t.Errorf("remove last: exit %d, stderr %q; want 1 and why", code, stderr)
	}
}

func TestCLIRemoveAmbiguous(t *testing.T) {
	env := map[string]string{"ARTICLEBOT_DATA_DIR": t.TempDir()}
	for range 2 {
		if code, _, stderr := runCLI(t, env, "add", writeTemp(t, "tea.md", teaMD)); code != 0 {
			t.Fatalf("add: exit %d, stderr %s", code, stderr)
		}
	}
	code, _, stderr := runCLI(t, env, "remove", "tea guide")
	if code != 2 || !strings.Contains(stderr, "tea-guide") || !strings.Contains(stderr, "tea-guide-2") {
		t.Fatalf("remove ambiguous: exit %d, stderr %q; want 2 listing both IDs", code, stderr)
	}
	code, _, _ = runCLI(t, env, "documents", "--json")
	if code != 0 {
		t.Fatal("documents failed")
	}
}

func TestCLIAddRefused(t *testing.T) {
	tests := []struct {
		name         string
		args         []string
		allowPrivate string
		code         int
		want         string
	}{
		{name: "ErrUsage", args: []string{"add"}, code: 2, want: "give one URL or file"},
		{name: "ErrPDF", args: []string{"add", writeTemp(t, "a.pdf", "%PDF")}, code: 1, want: "send .html, .md or .txt"},
		{name: "ErrPrivate", args: []string{"add", "http://10.0.0.1/page"}, code: 1, want: "that address is on a private network"},
		{name: "ErrMetadata", args: []string{"add", "http://169.254.169.254/latest/meta-data/"}, allowPrivate: "true", code: 1, want: "that address is on a private network"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"ARTICLEBOT_FETCH_ALLOW_PRIVATE": tt.allowPrivate}
			code, stdout, stderr := runCLI(t, env, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

// TestCLIAddURL adds a page from an httptest server: loopback is allowed
// by ARTICLEBOT_FETCH_ALLOW_PRIVATE, its random port by the test-only
// fetch hook.
func TestCLIAddURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Visiting Kyoto | Travel Blog</title></head><body><article><h1>Visiting Kyoto</h1>
<p>Kyoto has more than a thousand temples.</p><h2>Temples</h2><p>Kinkaku-ji is covered in gold leaf.</p></article></body></html>`)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	ctx := context.WithValue(context.Background(), fetchHookKey{}, func(o *fetch.Options) {
		o.Ports = []uint16{80, 443, uint16(port)}
	})
	env := map[string]string{"ARTICLEBOT_DATA_DIR": t.TempDir(), "ARTICLEBOT_FETCH_ALLOW_PRIVATE": "true"}
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"add", "--json", srv.URL + "/kyoto"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("add: %v\n%s", err, stderr.String())
	}
	var out changeOut
	decodeOne(t, stdout.String(), &out)
	if out.Added == nil || out.Added.Title != "Visiting Kyoto" || out.Added.URL != srv.URL+"/kyoto" || out.Added.From != srv.URL+"/kyoto" {
		t.Fatalf("add --json = %+v, want Visiting Kyoto from %s/kyoto", out.Added, srv.URL)
	}

	delete(env, "ARTICLEBOT_FETCH_ALLOW_PRIVATE")
	stdout.Reset()
	err = run(ctx, []string{"add", srv.URL + "/kyoto"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "private network") {
		t.Errorf("add without ARTICLEBOT_FETCH_ALLOW_PRIVATE = %v, want a private-network refusal", err)
	}
}
