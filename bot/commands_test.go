package bot

import (
	"slices"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		global   bool
		contexts []discordgo.InteractionContextType
	}{
		{name: "OKGlobalWorksInDMs", global: true, contexts: []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}},
		{name: "OKGuildWithoutContexts", global: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds := Commands(tt.global)
			var names []string
			for _, c := range cmds {
				names = append(names, c.Name)
				var got []discordgo.InteractionContextType
				if c.Contexts != nil {
					got = *c.Contexts
				}
				if !slices.Equal(got, tt.contexts) {
					t.Errorf("/%s contexts = %v, want %v", c.Name, got, tt.contexts)
				}
				perms := c.DefaultMemberPermissions
				if got, want := perms != nil && *perms == discordgo.PermissionManageGuild, c.Name == cmdReindex || c.Name == cmdAdd || c.Name == cmdRemove; got != want {
					t.Errorf("/%s default permission Manage Server = %v, want %v", c.Name, got, want)
				}
			}
			if got, want := names, []string{"ask", "sources", "help", "reindex", "add", "remove"}; !slices.Equal(got, want) {
				t.Fatalf("commands = %v, want %v", got, want)
			}
			q := cmds[0].Options[0]
			if q.Name != optQuestion || !q.Required || q.MaxLength != 6000 || q.Type != discordgo.ApplicationCommandOptionString {
				t.Errorf("/ask question option = %+v, want a required string of at most 6000", q)
			}
			if r := cmds[5].Options[0]; r.Name != optDocument || !r.Required || !r.Autocomplete {
				t.Errorf("/remove document option = %+v, want required with autocomplete", r)
			}
			if f := cmds[4].Options[1]; f.Name != optFile || f.Type != discordgo.ApplicationCommandOptionAttachment {
				t.Errorf("/add file option = %+v, want an attachment", f)
			}
			if p := cmds[0].Options[1]; p.Name != optPrivate || p.Required || p.Type != discordgo.ApplicationCommandOptionBoolean {
				t.Errorf("/ask private option = %+v, want an optional boolean", p)
			}
		})
	}
}
