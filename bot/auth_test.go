package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestCanReindex(t *testing.T) {
	t.Parallel()
	const admin, plain = "111111111111111111", "222222222222222222"
	admins := map[string]bool{admin: true}
	member := func(id string, perms int64) *discordgo.Member {
		return &discordgo.Member{User: &discordgo.User{ID: id}, Permissions: perms}
	}
	tests := []struct {
		name string
		home string // the bot's home server: "9" unless set; "-" for none
		i    discordgo.Interaction
		want bool
	}{
		{name: "OKAdminID", i: discordgo.Interaction{GuildID: "9", Member: member(admin, 0)}, want: true},
		{name: "OKAdminIDInAnotherServer", i: discordgo.Interaction{GuildID: "8", Member: member(admin, 0)}, want: true},
		{name: "OKAdministrator", i: discordgo.Interaction{GuildID: "9", Member: member(plain, discordgo.PermissionAdministrator)}, want: true},
		{name: "OKManageServer", i: discordgo.Interaction{GuildID: "9", Member: member(plain, discordgo.PermissionManageGuild)}, want: true},
		// The corpus is shared: another server's admin can't change it.
		{name: "ErrManageServerInAnotherServer", i: discordgo.Interaction{GuildID: "8", Member: member(plain, discordgo.PermissionManageGuild)}, want: false},
		{name: "ErrAdministratorWithoutHome", home: "-", i: discordgo.Interaction{GuildID: "9", Member: member(plain, discordgo.PermissionAdministrator)}, want: false},
		{name: "ErrPlainMember", i: discordgo.Interaction{GuildID: "9", Member: member(plain, discordgo.PermissionSendMessages)}, want: false},
		{name: "ErrGuildWithoutMember", i: discordgo.Interaction{GuildID: "9", User: &discordgo.User{ID: admin}}, want: false},
		{name: "OKDMAdmin", i: discordgo.Interaction{User: &discordgo.User{ID: admin}, Context: discordgo.InteractionContextBotDM}, want: true},
		{name: "ErrDMNonAdmin", i: discordgo.Interaction{User: &discordgo.User{ID: plain}, Context: discordgo.InteractionContextBotDM}, want: false},
		{name: "ErrDMForgedPermissions", i: discordgo.Interaction{
			User: &discordgo.User{ID: plain}, Member: member(plain, discordgo.PermissionAdministrator|discordgo.PermissionManageGuild),
		}, want: false},
		{name: "ErrDMForgedMemberAsAdmin", i: discordgo.Interaction{
			Member: member(admin, discordgo.PermissionAdministrator),
		}, want: false},
		{name: "ErrDMContextWithGuildID", i: discordgo.Interaction{
			GuildID: "9", Context: discordgo.InteractionContextBotDM, User: &discordgo.User{ID: plain},
			Member: member(plain, discordgo.PermissionAdministrator),
		}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := tt.home
			switch home {
			case "":
				home = "9"
			case "-":
				home = ""
			}
			if got, want := CanReindex(&tt.i, admins, home), tt.want; got != want {
				t.Errorf("CanReindex(%s) = %v, want %v", tt.name, got, want)
			}
		})
	}
}
