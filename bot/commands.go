package bot

import (
	"github.com/bwmarrin/discordgo"
)

// Command names.
const (
	cmdAsk     = "ask"
	cmdSources = "sources"
	cmdHelp    = "help"
	cmdReindex = "reindex"
	cmdAdd     = "add"
	cmdRemove  = "remove"
)

// Option names of /add and /remove.
const (
	optURL      = "url"
	optFile     = "file"
	optDocument = "document"
)

// Option names of /ask.
const (
	optQuestion = "question"
	optPrivate  = "private"
	optThread   = "thread"
)

// maxOptionLength is Discord's limit for a string option; the bot's own,
// usually lower, question limit is checked when the question arrives so
// that the user is told what it is.
const maxOptionLength = 6000

// Commands returns the slash commands the bot registers: /ask, /sources,
// /help and /reindex. Global commands (global true) also work in DMs with
// the bot; Discord ignores contexts for guild commands, so they get none.
// /reindex is limited to Manage Server by default, and checked again when
// it runs, since server admins can change that default.
func Commands(global bool) []*discordgo.ApplicationCommand {
	var contexts *[]discordgo.InteractionContextType
	if global {
		contexts = &[]discordgo.InteractionContextType{
			discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM,
		}
	}
	manageGuild := int64(discordgo.PermissionManageGuild)
	return []*discordgo.ApplicationCommand{
		{
			Name:        cmdAsk,
			Description: "Ask a question about the article; the answer quotes and cites it.",
			Contexts:    contexts,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optQuestion,
					Description: "Your question",
					Required:    true,
					MaxLength:   maxOptionLength,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optPrivate,
					Description: "Show the answer only to you",
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optThread,
					Description: "Open a thread for follow-up questions (in a server)",
				},
			},
		},
		{
			Name:        cmdSources,
			Description: "List the documents and sections the bot knows.",
			Contexts:    contexts,
		},
		{
			Name:        cmdHelp,
			Description: "What the bot knows, how to ask, and its commands.",
			Contexts:    contexts,
		},
		{
			Name:                     cmdReindex,
			Description:              "Re-read the articles and rebuild the index (admins only).",
			Contexts:                 contexts,
			DefaultMemberPermissions: &manageGuild,
		},
		{
			Name:                     cmdAdd,
			Description:              "Add a web page or a .html, .md or .txt file to the documents (admins only).",
			Contexts:                 contexts,
			DefaultMemberPermissions: &manageGuild,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optURL, Description: "An https:// link to the page", MaxLength: 2000},
				{Type: discordgo.ApplicationCommandOptionAttachment, Name: optFile, Description: "A .html, .md or .txt file of at most 5 MB"},
			},
		},
		{
			Name:                     cmdRemove,
			Description:              "Remove a document (admins only).",
			Contexts:                 contexts,
			DefaultMemberPermissions: &manageGuild,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optDocument, Description: "Its title, file name or ID", Required: true, Autocomplete: true, MaxLength: 200},
			},
		},
	}
}
