package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/collection"
	"github.com/articlebot/articlebot/fetch"
)

// Documents adds and removes documents for /add and /remove and lists
// them for /sources. *collection.Manager is the real one, in tests too,
// over a temporary data folder. It is larger than the house's one or two
// methods because the commands share one collection and its lock.
type Documents interface {
	AddURL(ctx context.Context, rawURL, by string) (collection.Report, error)
	AddAttachment(ctx context.Context, rawURL, name, by string) (collection.Report, error)
	Remove(ctx context.Context, query, by string) (collection.Report, error)
	Choices(typed string) []collection.Choice
	Documents() ([]collection.Document, error)
}

// Texts of /add and /remove.
const (
	addDenied       = "Only the bot's admins can add or remove documents."
	addUsageText    = "Give either `url:` (an https:// link) or `file:` (a .html, .md or .txt file of at most 5 MB)."
	noDocumentsText = "Adding and removing documents isn't enabled on this bot."
)

// changeDocuments handles /add and /remove: the admin check of /reindex,
// a deferred ephemeral reply, the change and its summary. Every refusal
// says why in one sentence, and the index stays as it was.
func (b *Bot) changeDocuments(i *discordgo.Interaction, name string, received time.Time) {
	user := callerID(i)
	switch {
	case !CanReindex(i, b.admins, b.opt.GuildID):
		b.lg.Info(name+" denied", "id", i.ID, "user", user, "guild", i.GuildID)
		b.respondNow(i, received, textMessage(addDenied), true)
		return
	case b.draining.Load():
		b.respondNow(i, received, textMessage(restartText), true)
		return
	case b.opt.Documents == nil:
		b.respondNow(i, received, textMessage(noDocumentsText), true)
		return
	}
	data := i.ApplicationCommandData()
	change, refusal := b.parseChange(name, data, user)
	if refusal != "" {
		b.respondNow(i, received, textMessage(refusal), true)
		return
	}
	if err := b.deferResponse(i, received, true); err != nil {
		b.lg.Error("couldn't acknowledge /"+name, "id", i.ID, "err", safeErr(err))
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, b.opt.ReindexTimeout)
	rep, err := change(ctx)
	cancel()
	var msg Message
	if err != nil {
		b.lg.Warn("/"+name+" refused", "id", i.ID, "user", user, "err", err)
		msg = Message{Content: "Couldn't " + name + " that: " + safeText(collection.Message(err)) + "."}
	} else {
		b.lg.Info("/"+name+" done", "id", i.ID, "user", user, "document", rep.Document.ID,
			"passages", rep.Summary.Passages, "duration", rep.Summary.Duration)
		b.opt.Hooks.reindex(rep.Summary, nil)
		msg = RenderChange(name, rep)
	}
	// Titles are the documents' own and can be long (an ambiguous
	// /remove lists several): one message, cut to Discord's limit.
	msg.Content = answer.TrimRunes(msg.Content, MaxContent)
	dctx, dcancel := b.deliveryContext()
	defer dcancel()
	if err := b.deliver(dctx, &interactionReply{s: b.s, i: i, ephemeral: true}, []Message{msg}); err != nil {
		b.lg.Error("couldn't deliver the /"+name+" summary", "id", i.ID, "err", err)
	}
}

// parseChange reads the options of /add or /remove into the change to
// make, or a refusal to send at once (before the 3 s deadline).
func (b *Bot) parseChange(name string, data discordgo.ApplicationCommandInteractionData, user string) (func(context.Context) (collection.Report, error), string) {
	var rawURL, fileID, document string
	for _, o := range data.Options {
		v, _ := o.Value.(string)
		switch o.Name {
		case optURL:
			rawURL = strings.TrimSpace(v)
		case optFile:
			fileID = v
		case optDocument:
			document = v
		}
	}
	docs := b.opt.Documents
	if name == cmdRemove {
		if strings.TrimSpace(document) == "" {
			return nil, "Name the document to remove."
		}
		return func(ctx context.Context) (collection.Report, error) { return docs.Remove(ctx, document, user) }, ""
	}
	switch {
	case (rawURL == "") == (fileID == ""):
		return nil, addUsageText
	case rawURL != "":
		return func(ctx context.Context) (collection.Report, error) { return docs.AddURL(ctx, rawURL, user) }, ""
	}
	var att *discordgo.MessageAttachment
	if data.Resolved != nil {
		att = data.Resolved.Attachments[fileID]
	}
	switch {
	case att == nil:
		return nil, addUsageText
	case fetch.TypeOfName(att.Filename) == "":
		return nil, "Couldn't add that: that file type isn't supported; send .html, .md or .txt."
	case att.Size > fetch.MaxBytes:
		return nil, fmt.Sprintf("Couldn't add that: the file is larger than %d MB.", fetch.MaxBytes/1_000_000)
	}
	return func(ctx context.Context) (collection.Report, error) {
		return docs.AddAttachment(ctx, att.URL, att.Filename, user)
	}, ""
}

// RenderChange renders the summary of an /add or /remove: the document's
// title, sections and passages, the time taken, and the corpus now.
func RenderChange(name string, rep collection.Report) Message {
	verb := "Added"
	if name == cmdRemove {
		verb = "Removed"
	}
	d := rep.Document
	text := fmt.Sprintf("%s **%s** (`%s`): %s, %s in %s. Now %s, %s.", verb,
		safeText(answer.TrimRunes(d.Title, 200)), strings.ReplaceAll(answer.TrimRunes(d.ID, 100), "`", ""),
		plural(d.Sections, "section"), plural(d.Passages, "passage"), rep.Summary.Duration.Round(time.Millisecond),
		plural(rep.Summary.Documents, "document"), plural(rep.Summary.Passages, "passage"))
	return Message{Content: answer.TrimRunes(text+skippedText(rep.Summary.Skipped), MaxContent)}
}

// autocomplete answers the /remove document option with matching
// documents (callback type 8), within Discord's limits.
func (b *Bot) autocomplete(i *discordgo.Interaction, received time.Time) {
	var choices []*discordgo.ApplicationCommandOptionChoice
	data := i.ApplicationCommandData()
	if data.Name == cmdRemove && b.opt.Documents != nil && CanReindex(i, b.admins, b.opt.GuildID) {
		typed := ""
		for _, o := range data.Options {
			if o.Focused {
				typed, _ = o.Value.(string)
			}
		}
		for _, c := range b.opt.Documents.Choices(typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.Value})
		}
	}
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{}
	}
	err := b.ack(i, received, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
	if err != nil {
		b.lg.Warn("couldn't answer autocomplete", "id", i.ID, "err", safeErr(err))
	}
}
