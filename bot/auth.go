package bot

import "github.com/bwmarrin/discordgo"

// reindexPerms are the member permissions that allow /reindex in a server.
const reindexPerms = discordgo.PermissionAdministrator | discordgo.PermissionManageGuild

// CanReindex reports whether the caller of interaction i may run
// /reindex. In a server the caller passes when their user ID is in admins
// or their permissions include Administrator or Manage Server; the check
// is made here because server admins can override a command's default
// permissions. In a DM only admins pass, and any member or permissions
// field the payload carries is ignored, since a DM has no server whose
// permissions could apply.
func CanReindex(i *discordgo.Interaction, admins map[string]bool) bool {
	if isDM(i) {
		return i.User != nil && admins[i.User.ID]
	}
	if i.Member == nil || i.Member.User == nil {
		return false
	}
	return admins[i.Member.User.ID] || i.Member.Permissions&reindexPerms != 0
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
