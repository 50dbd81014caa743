package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

// reindexFailedText answers a /reindex that failed. The cause goes to the
// log, not to Discord.
const reindexFailedText = "Reindex failed, so the previous index keeps serving. The cause is in the bot's log."

// reindex handles /reindex: it checks that the caller is an admin, defers
// an ephemeral response, rebuilds the index and edits in the summary. A
// failure leaves the old index serving and says so.
func (b *Bot) reindex(i *discordgo.Interaction, received time.Time) {
	user := callerID(i)
	if !CanReindex(i, b.admins, b.opt.GuildID) {
		b.lg.Info("reindex denied", "id", i.ID, "user", user, "guild", i.GuildID)
		b.respondNow(i, received, textMessage(reindexDenied), true)
		return
	}
	if b.draining.Load() {
		b.respondNow(i, received, textMessage(restartText), true)
		return
	}
	if err := b.deferResponse(i, received, true); err != nil {
		b.lg.Error("couldn't acknowledge /reindex", "id", i.ID, "err", safeErr(err))
		return
	}
	b.lg.Info("reindex started", "id", i.ID, "user", user, "guild", i.GuildID)
	ctx, cancel := context.WithTimeout(b.ctx, b.opt.ReindexTimeout)
	sum, err := b.lib.Reindex(ctx, nil)
	cancel()
	b.opt.Hooks.reindex(sum, err)
	msg := RenderReindex(sum)
	if err != nil {
		b.lg.Error("reindex failed; the previous index keeps serving", "id", i.ID, "err", err)
		msg = Message{Content: reindexFailedText}
	} else {
		b.lg.Info("reindex done", "id", i.ID, "documents", sum.Documents, "passages", sum.Passages,
			"added", sum.Added, "changed", sum.Changed, "removed", sum.Removed, "duration", sum.Duration)
	}
	dctx, dcancel := b.deliveryContext()
	defer dcancel()
	if err := b.deliver(dctx, &interactionReply{s: b.s, i: i, ephemeral: true}, []Message{msg}); err != nil {
		b.lg.Error("couldn't deliver the reindex summary", "id", i.ID, "err", err)
	}
}

// RenderReindex renders the summary of a successful reindex: documents and
// passages now indexed, passages added, changed and removed, the time
// taken, and the files that were skipped, with why.
func RenderReindex(sum retrieval.Summary) Message {
	took := sum.Duration.Round(time.Millisecond)
	text := fmt.Sprintf(
		"Reindexed %s, %s in %s. Added %d, changed %d, removed %d passages (%d embedded, %d reused).",
		plural(sum.Documents, "document"), plural(sum.Passages, "passage"), took,
		sum.Added, sum.Changed, sum.Removed, sum.Embedded, sum.Reused)
	if sum.Unchanged {
		text = fmt.Sprintf(
			"The index is already up to date: %s, %s. Added 0, changed 0, removed 0 (checked in %s).",
			plural(sum.Documents, "document"), plural(sum.Passages, "passage"), took)
	}
	return Message{Content: answer.TrimRunes(text+skippedText(sum.Skipped), MaxContent)}
}

// maxSkippedShown bounds the skipped files a reply names, so that a
// folder of bad files still fits one message.
const maxSkippedShown = 10

// skippedText lists skipped files under a reply, one a line, or is empty.
func skippedText(skipped []corpus.Skipped) string {
	if len(skipped) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n\n**Skipped %s** (not indexed):", plural(len(skipped), "file"))
	for _, s := range skipped[:min(len(skipped), maxSkippedShown)] {
		fmt.Fprintf(&sb, "\n• %s: %s", safeText(answer.TrimRunes(s.File, 100)), safeText(s.Reason))
	}
	if left := len(skipped) - maxSkippedShown; left > 0 {
		fmt.Fprintf(&sb, "\n…and %d more.", left)
	}
	return sb.String()
}
