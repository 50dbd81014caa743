package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// TestServeReindexBadCorpus runs /reindex while the corpus folder is
// half-written or gone. A bad file is skipped: the reindex succeeds and its
// reply names the file and why. A missing folder fails: the admin gets a
// clear ephemeral error, the cause goes to the log, and the old index keeps
// serving (/sources is unchanged). Either way /ask still answers. Once the
// folder is repaired, /reindex succeeds again.
func TestServeReindexBadCorpus(t *testing.T) {
	t.Parallel()
	sb := startServe(t, map[string]string{"ARTICLEBOT_LOG_FORMAT": "json"})
	ctx := serveCtx(t, 60*time.Second)
	dir := sb.corpusDir
	write := func(name, content string) func(t *testing.T) func() {
		return func(t *testing.T) func() {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			return func() { _ = os.Remove(p) }
		}
	}
	moveFolder := func(replacement bool) func(t *testing.T) func() {
		return func(t *testing.T) func() {
			if err := os.Rename(dir, dir+".away"); err != nil {
				t.Fatal(err)
			}
			if replacement {
				if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			return func() {
				_ = os.Remove(dir)
				if err := os.Rename(dir+".away", dir); err != nil {
					t.Fatalf("restore the corpus folder: %v", err)
				}
			}
		}
	}
	tests := []struct {
		name    string
		corrupt func(t *testing.T) func() // breaks the corpus; returns the repair
		skipped string                    // a skipped file the reply names; "" when the reindex fails
		inLog   string                    // the logged cause of a failure names this
	}{
		{"InvalidUTF8", write("half.txt", "The second part of the article was cut in the middle of a character: \xe2\x82"), "half.txt: file is not valid UTF-8 text", ""},
		{"NULBytes", write("half.md", "# Draft\n\nThe write stopped here\x00\x00\x00\x00\x00\x00\x00\x00"), "half.md: file is binary", ""},
		{"EmptyFile", write("empty.txt", ""), "empty.txt: file is empty", ""},
		{"DanglingSymlink", func(t *testing.T) func() {
			p := filepath.Join(dir, "gone.txt")
			if err := os.Symlink(filepath.Join(dir, "nowhere", "gone.txt"), p); err != nil {
				t.Fatal(err)
			}
			return func() { _ = os.Remove(p) }
		}, "gone.txt: couldn't read it", ""},
		{"FolderMissing", moveFolder(false), "", "couldn't open corpus folder"},
		{"FolderIsAFile", moveFolder(true), "", "is not a folder"},
	}
	sources := func(t *testing.T) string {
		t.Helper()
		r := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{Name: "sources", GuildID: serveGuild, User: fakediscord.User{ID: "392000000000000001"}}), immediate)
		return r.Original.Content
	}
	var before string
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before = sources(t)
			repair := tt.corrupt(t)
			defer repair()
			id, token, err := sb.fake.InteractionCreate(ctx, fakediscord.Interaction{Name: "reindex", GuildID: serveGuild, User: fakediscord.User{ID: serveAdmin}})
			if err != nil {
				t.Fatalf("InteractionCreate: %v", err)
			}
			if tt.skipped != "" {
				r := sb.wait(t, ctx, token, edited)
				if c := r.Original.Content; r.CallbackFlags != 64 || !strings.Contains(c, "Skipped 1 file") || !strings.Contains(c, tt.skipped) {
					t.Errorf("reply = %q (flags %d), want an ephemeral summary naming %q", c, r.CallbackFlags, tt.skipped)
				}
			} else {
				sb.waitLog(t, ctx, fmt.Sprintf(`"msg":"reindex failed; the previous index keeps serving","id":"%s"`, id))
				r := sb.wait(t, ctx, token, edited)
				if c := r.Original.Content; r.CallbackFlags != 64 || !strings.Contains(c, "Reindex failed") || !strings.Contains(c, "previous index keeps serving") {
					t.Errorf("reply = %q (flags %d), want an ephemeral error saying the previous index keeps serving", c, r.CallbackFlags)
				}
				cause := failedReindexErr(sb.logs.String(), id)
				if !strings.Contains(cause, tt.inLog) {
					t.Errorf("the logged cause %q does not name %q", cause, tt.inLog)
				}
				t.Logf("logged cause: %s", cause)
				if after := sources(t); after != before {
					t.Errorf("/sources changed after a failed reindex:\nbefore %s\nafter %s", before, after)
				}
			}
			askID, askToken := sb.askID(t, ctx, fmt.Sprintf("39300000000000000%d", i), onTopic2)
			if got := sb.waitQuestion(t, ctx, askID).str("outcome"); got != "answered" {
				t.Errorf("/ask after the reindex: outcome %q, want answered", got)
			}
			r, _ := sb.fake.Responses(askToken)
			checkAnswerMessages(t, responseMessages(r))
		})
	}
	// The last skipped file is gone now, so one reindex records that;
	// the next finds nothing to do.
	for _, want := range []string{"Reindexed", "already up to date"} {
		r := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{Name: "reindex", User: fakediscord.User{ID: serveAdmin}}), edited)
		if c := r.Original.Content; !strings.Contains(c, want) || strings.Contains(c, "Skipped") {
			t.Errorf("reindex of the repaired folder = %q, want %q and no skipped files", c, want)
		}
	}
}

// failedReindexErr is the error logged for the failed reindex id.
func failedReindexErr(logs, id string) string {
	for _, l := range jsonLogs(logs) {
		if l.str("msg") == "reindex failed; the previous index keeps serving" && l.str("id") == id {
			return l.str("err")
		}
	}
	return ""
}
