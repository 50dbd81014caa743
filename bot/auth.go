package bot

import "github.com/bwmarrin/discordgo"

// reindexPerms are the member permissions that allow /reindex in a server.
const reindexPerms = discordgo.PermissionAdministrator | discordgo.PermissionManageGuild

// CanReindex reports whether the caller of interaction i may change what
// the bot knows: /reindex, /add and /remove. The corpus is shared by
// every server the bot is in, so the caller passes when their user ID is
// in admins, or, in the bot's home server (home, DISCORD_GUILD_ID), when
// their permissions include Administrator or Manage Server; the check is
// made here because server admins can override a command's default
// permissions. A server admin elsewhere doesn't pass: with global
// commands and no home server, only admins do. In a DM any member or
// permissions field the payload carries is ignored, since a DM has no
// server whose permissions could apply.
func CanReindex(i *discordgo.Interaction, admins map[string]bool, home string) bool {
	if isDM(i) {
		return i.User != nil && admins[i.User.ID]
	}
	if i.Member == nil || i.Member.User == nil {
		return false
	}
	if admins[i.Member.User.ID] {
		return true
	}
	return home != "" && i.GuildID == home && i.Member.Permissions&reindexPerms != 0
}

// isDM reports whether i comes from a DM rather than a server.
func isDM(i *discordgo.Interaction) bool {
	return i.GuildID == "" || i.Context == discordgo.InteractionContextBotDM || i.Context == discordgo.InteractionContextPrivateChannel
}

// callerID is the ID of the user who invoked i, or "" when the payload
// names none. In a DM it is the user, in a server the member.
func callerID(i *discordgo.Interaction) string {
	if isDM(i) {
		if i.User != nil {
			return i.User.ID
		}
		return ""
	}
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	return ""
}
