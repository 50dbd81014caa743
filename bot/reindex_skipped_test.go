package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/retrieval"
)

func TestRenderReindexSkipped(t *testing.T) {
	many := make([]corpus.Skipped, 12)
	for i := range many {
		many[i] = corpus.Skipped{File: fmt.Sprintf("scan-%02d.pdf", i), Reason: corpus.ErrUnsupported.Error()}
	}
	tests := []struct {
		name string
		sum  retrieval.Summary
		want string
	}{
		{
			name: "TwoFiles",
			sum: retrieval.Summary{Documents: 1, Passages: 3, Reused: 3, Unchanged: true, Duration: 5 * time.Millisecond, Skipped: []corpus.Skipped{
				{File: "empty.md", Reason: "file is empty"},
				{File: "notes_@everyone.pdf", Reason: corpus.ErrUnsupported.Error()},
			}},
			want: "The index is already up to date: 1 document, 3 passages. Added 0, changed 0, removed 0 (checked in 5ms).\n\n" +
				"**Skipped 2 files** (not indexed):\n" +
				"• empty.md: file is empty\n" +
				"• notes\\_@\u200beveryone.pdf: file type is not supported; use .txt, .md or .html",
		},
		{
			name: "ManyFilesCapped",
			sum:  retrieval.Summary{Documents: 1, Passages: 3, Added: 3, Embedded: 3, Duration: 5 * time.Millisecond, Skipped: many},
			want: "…and 2 more.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenderReindex(tt.sum).Content
			if !strings.HasSuffix(got, tt.want) {
				t.Fatalf("RenderReindex = %q, want it to end %q", got, tt.want)
			}
			if n := strings.Count(got, "\n• "); n > maxSkippedShown {
				t.Errorf("reply names %d files, want at most %d", n, maxSkippedShown)
			}
		})
	}
}
