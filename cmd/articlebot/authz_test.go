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

// Discord permission bits the /reindex check looks at, and two it must
// not accept.
const (
	permAdministrator  = 1 << 3
	permManageServer   = 1 << 5
	permSendMessages   = 1 << 11
	permManageMessages = 1 << 13
)

// TestServeReindexAuthorization is the end-to-end table of who may run
// /reindex: an ID in ARTICLEBOT_ADMIN_IDS anywhere, Administrator or
// Manage Server in the bot's home server (DISCORD_GUILD_ID); only admin IDs in a DM, whatever member permissions a
// forged DM payload carries. Before each call a new document is added to
// the corpus, so /sources shows whether a reindex really ran: a denied
// caller gets the ephemeral "Only admins may reindex" and changes nothing.
func TestServeReindexAuthorization(t *testing.T) {
	t.Parallel()
	sb := startServe(t, map[string]string{"ARTICLEBOT_LOG_FORMAT": "json"})
	const plain = "430000000000000001"
	tests := []struct {
		name    string
		in      fakediscord.Interaction
		allowed bool
	}{
		{"AdminIDInServer", fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: serveAdmin}, Permissions: permSendMessages}, true},
		{"Administrator", fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: "430000000000000002"}, Permissions: permAdministrator}, true},
		{"ManageServer", fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: "430000000000000003"}, Permissions: permManageServer | permSendMessages}, true},
		{"PlainMember", fakediscord.Interaction{GuildID: serveGuild, User: fakediscord.User{ID: plain}, Permissions: permSendMessages | permManageMessages}, false},
		// The corpus is shared by every server the bot is in: another
		// server's admins don't control it; the bot's own admins do.
		{"AdministratorOfAnotherServer", fakediscord.Interaction{GuildID: "900000000000000009", User: fakediscord.User{ID: "430000000000000004"}, Permissions: permAdministrator | permManageServer}, false},
		{"AdminIDInAnotherServer", fakediscord.Interaction{GuildID: "900000000000000009", User: fakediscord.User{ID: serveAdmin}, Permissions: permSendMessages}, true},
		{"DMFromAdmin", fakediscord.Interaction{User: fakediscord.User{ID: serveAdmin}}, true},
		{"DMFromNonAdmin", fakediscord.Interaction{User: fakediscord.User{ID: plain}}, false},
		{"DMForgedPermissions", fakediscord.Interaction{User: fakediscord.User{ID: plain}, Permissions: permAdministrator | permManageServer, ForgedMember: true}, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := serveCtx(t, 20*time.Second)
			title := fmt.Sprintf("Authorization probe %d", i+1)
			doc := fmt.Sprintf("# %s\n\n## Notes\n\nThis probe document number %d exists only to show whether a reindex ran.\n", title, i+1)
			if err := os.WriteFile(filepath.Join(sb.corpusDir, fmt.Sprintf("probe-%d.md", i+1)), []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			in := tt.in
			in.Name = "reindex"
			id, token, err := sb.fake.InteractionCreate(ctx, in)
			if err != nil {
				t.Fatalf("InteractionCreate: %v", err)
			}
			r := sb.wait(t, ctx, token, func(r fakediscord.InteractionResponse) bool { return immediate(r) || edited(r) })
			if tt.allowed {
				if c := r.Original.Content; r.CallbackType != 5 || r.CallbackFlags != 64 || !strings.HasPrefix(c, "Reindexed ") {
					t.Errorf("reply = type %d flags %d %q, want an ephemeral reindex summary", r.CallbackType, r.CallbackFlags, c)
				}
			} else {
				if c := r.Original.Content; r.CallbackType != 4 || r.CallbackFlags != 64 || !strings.HasPrefix(c, "Only admins may reindex") {
					t.Errorf("reply = type %d flags %d %q, want the ephemeral denial", r.CallbackType, r.CallbackFlags, c)
				}
				if !logHas(sb.logs.String(), "reindex denied", id) {
					t.Errorf("no \"reindex denied\" log line for %s", id)
				}
			}
			src := sb.wait(t, ctx, sb.slash(t, ctx, fakediscord.Interaction{Name: "sources", GuildID: serveGuild, User: fakediscord.User{ID: plain}}), immediate)
			if got := strings.Contains(src.Original.Content, title); got != tt.allowed {
				t.Errorf("/sources lists %q: %v, want %v (reindex allowed: %v)", title, got, tt.allowed, tt.allowed)
			}
		})
	}
}
