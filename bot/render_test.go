package bot

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/retrieval"
)

// citedAnswer is a model-style answer with three citations.
func citedAnswer() answer.Answer {
	return answer.Answer{
		Question: "Why does Russia need China?",
		Text:     "Sanctions cut Russia off from Western markets, so China became its largest trading partner [1]. Beijing buys discounted oil [2], while avoiding open military support [1, 3]. @everyone should read <@&123>.",
		Mode:     answer.ModeLLM,
		Citations: []answer.Citation{
			{N: 1, ID: "a#1", Document: "Xi Jinping and Russia", Section: "A lopsided partnership", Quote: "Since 2022, China has become Russia's largest trading partner by far."},
			{N: 2, ID: "a#7", Document: "Xi Jinping and Russia", Section: "Energy", Quote: "Chinese refiners buy Russian crude at a discount."},
			{N: 3, ID: "a#9", Document: "Xi Jinping and Russia", Section: "", Quote: "Beijing has avoided sending weapons openly. @here"},
		},
	}
}

// longAnswer is an answer of about 5700 characters in paragraphs, with
// quotes long enough to need trimming.
func longAnswer() answer.Answer {
	var paras []string
	for p := range 10 {
		var sents []string
		for s := range 6 {
			n := (p*6+s)%5 + 1
			sents = append(sents, fmt.Sprintf("Sentence %d of paragraph %d explains one more point about the partnership in some detail [%d].", s+1, p+1, n))
		}
		paras = append(paras, strings.Join(sents, " "))
	}
	a := answer.Answer{Text: strings.Join(paras, "\n\n"), Mode: answer.ModeLLM}
	for n := 1; n <= 5; n++ {
		a.Citations = append(a.Citations, answer.Citation{
			N: n, Document: "Xi Jinping and Russia", Section: fmt.Sprintf("Section %d", n),
			Quote: strings.Repeat(fmt.Sprintf("Quoted sentence %d repeats to fill the field. ", n), 40),
		})
	}
	return a
}

// multiDocAnswer cites two documents, one published at a URL: its
// citations link to the quoted sentence.
func multiDocAnswer() answer.Answer {
	const page = "https://example.com/kyoto"
	q1 := "Kinkaku-ji, the Golden Pavilion, burned in 1950 & was rebuilt."
	q3 := "Fushimi Inari has thousands of vermilion torii gates."
	return answer.Answer{
		Question: "What should I see in Kyoto?",
		Text:     "The Golden Pavilion was rebuilt after a fire [1]. Matcha is served in temples [2]. Fushimi Inari has many gates [3].",
		Mode:     answer.ModeLLM,
		Citations: []answer.Citation{
			{N: 1, ID: "k#1", Document: "Kyoto guide", Section: "Temples", Quote: q1, URL: answer.FragmentURL(page, q1)},
			{N: 2, ID: "t#4", Document: "Tea notes", Section: "Matcha", Quote: "Matcha is served at temple tea ceremonies."},
			{N: 3, ID: "k#2", Document: "Kyoto guide", Section: "", Quote: q3, URL: answer.FragmentURL(page, q3)},
		},
	}
}

// longLinkedAnswer cites 25 long quotes from two documents, all linked, so
// that the quotes must be trimmed to fit 6000 runes but no link is cut.
func longLinkedAnswer() answer.Answer {
	a := answer.Answer{Mode: answer.ModeLLM}
	var text []string
	for n := 1; n <= 25; n++ {
		doc, page := "Kyoto guide", "https://example.com/kyoto"
		if n%2 == 0 {
			doc, page = "Tea notes", "https://example.org/tea-notes?lang=en#top"
		}
		q := strings.Repeat(fmt.Sprintf("Quote %d, a long sentence about temples, tea - and gardens. ", n), 20)
		a.Citations = append(a.Citations, answer.Citation{N: n, Document: doc, Section: fmt.Sprintf("Part %d", n), Quote: q, URL: answer.FragmentURL(page, q)})
		text = append(text, fmt.Sprintf("Point %d [%d].", n, n))
	}
	a.Text = strings.Join(text, " ")
	return a
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	built := time.Date(2026, 11, 27, 19, 57, 36, 0, time.UTC)
	docs := []retrieval.DocumentInfo{{
		Title: "Xi Jinping and Russia", Source: "bundled/xi.txt", Passages: 12,
		Sections: []retrieval.SectionInfo{{Heading: "", Passages: 2}, {Heading: "A lopsided partnership", Passages: 6}, {Heading: "Energy *and* arms", Passages: 4}},
	}}
	tests := []struct {
		name string
		msgs []Message
	}{
		{name: "answer", msgs: RenderAnswer("Why does Russia need China? @everyone", citedAnswer())},
		{name: "answer_dm", msgs: RenderAnswer("", citedAnswer())},
		{name: "refusal", msgs: RenderAnswer("What is the weather?", answer.Answer{Refused: true, Text: answer.RefusalText})},
		{name: "long_split", msgs: RenderAnswer("Explain everything about the partnership, please.", longAnswer())},
		{name: "answer_multidoc", msgs: RenderAnswer("", multiDocAnswer())},
		{name: "answer_multidoc_long", msgs: RenderAnswer("", longLinkedAnswer())},
		{name: "sources", msgs: RenderSources(docs, built)},
		{name: "sources_empty", msgs: RenderSources(nil, built)},
		{name: "help", msgs: []Message{RenderHelp([]string{"Xi Jinping and Russia"}, HelpInfo{MaxQuestion: 1000, RatePerMinute: 5})}},
		{name: "reindex", msgs: []Message{
			RenderReindex(retrieval.Summary{Documents: 2, Passages: 140, Added: 8, Changed: 1, Removed: 3, Embedded: 9, Reused: 131, Duration: 1234 * time.Millisecond}),
			RenderReindex(retrieval.Summary{Documents: 1, Passages: 132, Reused: 132, Unchanged: true, Duration: 20 * time.Millisecond}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLimits(t, tt.msgs)
			checkGolden(t, tt.name, dump(tt.msgs))
		})
	}
}

func TestRenderAnswerRules(t *testing.T) {
	t.Parallel()
	t.Run("OKLinksNeverCut", func(t *testing.T) {
		a := longLinkedAnswer()
		msgs := RenderAnswer("", a)
		checkLimits(t, msgs)
		var fields []*discordgo.MessageEmbedField
		for _, e := range msgs[len(msgs)-1].Embeds {
			fields = append(fields, e.Fields...)
		}
		if got, want := len(fields), len(a.Citations); got != want {
			t.Fatalf("got %d fields, want %d", got, want)
		}
		for i, f := range fields {
			if want := "\n[source](<" + a.Citations[i].URL + ">)"; !strings.HasSuffix(f.Value, want) {
				t.Errorf("field %d = %q, want it to end with the whole link %q", i+1, f.Value, want)
			}
		}
	})
	t.Run("OKUnsafeURL", func(t *testing.T) {
		// Not a web page: no link. Characters that would end the link
		// early or ping: percent-encoded, still linked.
		for u, want := range map[string]string{
			"javascript:alert(1)":           "",
			"https://me:pw@example.com/":    "",
			"https://example.com/a>b":       "\n[source](<https://example.com/a%3Eb>)",
			"https://example.com/@everyone": "\n[source](<https://example.com/%40everyone>)",
			"https://example.com/a b":       "\n[source](<https://example.com/a%20b>)",
		} {
			a := answer.Answer{Text: "A [1].", Citations: []answer.Citation{{N: 1, Document: "D", Section: "S", Quote: "Q.", URL: u}}}
			got := RenderAnswer("", a)[0].Embeds[0].Fields[0].Value
			if want == "" && strings.Contains(got, "[source]") {
				t.Errorf("URL %q rendered as a link: %q", u, got)
			}
			if want != "" && !strings.HasSuffix(got, want) {
				t.Errorf("URL %q rendered as %q, want it to end with %q", u, got, want)
			}
		}
	})
	t.Run("OKOneDocumentKeepsSectionNames", func(t *testing.T) {
		msgs := RenderAnswer("", citedAnswer())
		if got, want := msgs[0].Embeds[0].Fields[0].Name, "[1] A lopsided partnership"; got != want {
			t.Errorf("field name = %q, want %q", got, want)
		}
	})
	t.Run("OKRefusalHasNoMarkersOrEmbeds", func(t *testing.T) {
		msgs := RenderAnswer("q", answer.Answer{Refused: true, Text: "anything [1]", Citations: []answer.Citation{{N: 1, Quote: "x"}}})
		if len(msgs) != 1 || len(msgs[0].Embeds) != 0 || markerRE.MatchString(msgs[0].Content) {
			t.Fatalf("RenderAnswer(refused) = %+v, want one plain message", msgs)
		}
		if !strings.Contains(msgs[0].Content, "doesn't cover") {
			t.Errorf("refusal %q does not say the article doesn't cover it", msgs[0].Content)
		}
	})
	t.Run("OKLongAnswerKeepsMarkersAndCitations", func(t *testing.T) {
		a := longAnswer()
		msgs := RenderAnswer(strings.Repeat("long question ", 100), a)
		if len(msgs) < 3 {
			t.Fatalf("got %d messages, want the answer split into at least 3", len(msgs))
		}
		checkLimits(t, msgs)
		checkMarkersCited(t, msgs)
		if got, want := countMarkers(contents(msgs)), len(markerRE.FindAllString(a.Text, -1)); got != want {
			t.Errorf("markers after split = %d, want %d", got, want)
		}
		for i, m := range msgs[:len(msgs)-1] {
			if len(m.Embeds) != 0 {
				t.Errorf("message %d has embeds; only the last should", i+1)
			}
		}
	})
	t.Run("OKMentionsNeutralized", func(t *testing.T) {
		msgs := RenderAnswer("@everyone <@&42> hi", citedAnswer())
		text := dump(msgs)
		for _, ping := range []string{"@everyone", "@here", "<@&123>", "<@&42>"} {
			if strings.Contains(text, ping) {
				t.Errorf("rendered answer contains live %q:\n%s", ping, text)
			}
		}
	})
}

func TestQuestionHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "OKPlain", in: "Why?", want: "> Why?"},
		{name: "OKEmpty", in: " \n ", want: ""},
		{name: "OKOneLine", in: "line one\n\n# line two\x00", want: "> line one # line two"},
		{name: "OKMarkdownEscaped", in: "**bold** `code` ||spoiler|| [link](http://x)", want: "> \\*\\*bold\\*\\* \\`code\\` \\|\\|spoiler\\|\\| \\[link\\](http://x)"},
		{name: "OKLeadingHeading", in: "# Big", want: "> \\# Big"},
		{name: "OKCodeBlockInjection", in: "```\nclose", want: "> \\`\\`\\` close"},
		{name: "OKMentionsNeutralized", in: "@everyone <@&12>", want: "> @\u200beveryone <@\u200b&12>"},
		{name: "OKTrimmed", in: strings.Repeat("word ", 100), want: "> " + strings.TrimSpace(strings.Repeat("word ", 59)) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := questionHeader(tt.in); got != tt.want {
				t.Errorf("questionHeader(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSourcesEmbedsLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 400)
	tests := []struct {
		name   string
		n      int
		quote  string
		embeds int
	}{
		{name: "OKShortQuotesUntouched", n: 3, quote: "A short quote.", embeds: 1},
		{name: "OKTwelveLongQuotesShareBudget", n: 12, quote: long, embeds: 1},
		{name: "OKThirtyCitationsTwoEmbeds", n: 30, quote: long, embeds: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cites []answer.Citation
			for i := range tt.n {
				cites = append(cites, answer.Citation{N: i + 1, Section: strings.Repeat("Heading ", 40), Quote: tt.quote})
			}
			embeds := SourcesEmbeds(cites)
			if got, want := len(embeds), tt.embeds; got != want {
				t.Fatalf("len(SourcesEmbeds) = %d, want %d", got, want)
			}
			checkLimits(t, []Message{{Content: "x", Embeds: embeds}})
			fields := 0
			for _, e := range embeds {
				for _, f := range e.Fields {
					fields++
					if tt.quote != long && f.Value != tt.quote {
						t.Errorf("short quote changed to %q", f.Value)
					}
					if tt.quote == long && !strings.HasSuffix(f.Value, "…") {
						t.Errorf("trimmed quote %q lacks …", f.Value[max(0, len(f.Value)-20):])
					}
				}
			}
			if fields != tt.n {
				t.Errorf("fields = %d, want %d", fields, tt.n)
			}
		})
	}
}

// checkLimits fails when any message breaks one of Discord's limits.
func checkLimits(t *testing.T, msgs []Message) {
	t.Helper()
	for i, m := range msgs {
		if n := utf8.RuneCountInString(m.Content); n > MaxContent || (n == 0 && len(m.Embeds) == 0) {
			t.Errorf("message %d content has %d runes", i+1, n)
		}
		if len(m.Embeds) > maxEmbeds {
			t.Errorf("message %d has %d embeds", i+1, len(m.Embeds))
		}
		total := 0
		for _, e := range m.Embeds {
			total += embedRunes(e)
			if utf8.RuneCountInString(e.Title) > maxEmbedTitle || len(e.Fields) > maxEmbedFields || utf8.RuneCountInString(e.Description) > 4096 {
				t.Errorf("message %d embed %q breaks a limit", i+1, e.Title)
			}
			for _, f := range e.Fields {
				if n := utf8.RuneCountInString(f.Name); n > maxFieldName || n == 0 {
					t.Errorf("field name has %d runes", n)
				}
				if n := utf8.RuneCountInString(f.Value); n > maxFieldValue || n == 0 {
					t.Errorf("field value has %d runes", n)
				}
			}
		}
		if total > maxEmbedTotal {
			t.Errorf("message %d embeds total %d runes, limit %d", i+1, total, maxEmbedTotal)
		}
	}
}

// checkMarkersCited fails when a marker in the text has no Sources field.
func checkMarkersCited(t *testing.T, msgs []Message) {
	t.Helper()
	cited := map[string]bool{}
	for _, m := range msgs {
		for _, e := range m.Embeds {
			for _, f := range e.Fields {
				cited[strings.Fields(f.Name)[0]] = true
			}
		}
	}
	for _, m := range msgs {
		for _, g := range markerRE.FindAllString(m.Content, -1) {
			for _, n := range strings.Split(strings.Trim(g, "[]"), ",") {
				if !cited["["+strings.TrimSpace(n)+"]"] {
					t.Errorf("marker %s has no citation field", g)
				}
			}
		}
	}
}

func contents(msgs []Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Content
	}
	return out
}

// embedRunes counts what Discord counts towards the 6000 total.
func embedRunes(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

func TestRenderSourcesLinks(t *testing.T) {
	t.Parallel()
	docs := []retrieval.DocumentInfo{
		{Title: "Kyoto [guide]", Source: "kyoto.md", URL: "https://example.org/kyoto?a=1", Passages: 3},
		{Title: "Script", Source: "x.md", URL: "javascript:alert(1)", Passages: 1},
		{Title: "Spaced", Source: "y.md", URL: "https://example.org/a b>c", Passages: 1},
		{Title: "Handle", Source: "z.md", URL: "https://medium.com/@writer/café", Passages: 1},
		{Title: "User part", Source: "u.md", URL: "https://me:secret@example.org/", Passages: 1},
	}
	text := dump(RenderSources(docs, time.Unix(0, 0)))
	for _, want := range []string{
		"[Kyoto \\(guide\\)](<https://example.org/kyoto?a=1>)",
		"**Script**",
		"(<https://example.org/a%20b%3Ec>)", // encoded, still linked
		"(<https://medium.com/%40writer/caf%C3%A9>)",
		"**User part**",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/sources lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"javascript:", "a b>c", "secret", "/@writer"} {
		if strings.Contains(text, bad) {
			t.Errorf("/sources links an unsafe URL (%q):\n%s", bad, text)
		}
	}
}

// liveLinkRE matches a "](" that isn't escaped: a masked link Discord
// would render.
var liveLinkRE = regexp.MustCompile(`(^|[^\\])\]\(`)

func TestRenderDefusesMaskedLinks(t *testing.T) {
	t.Parallel()
	// A page added with /add says: tickets at [source](https://evil.example).
	quote := "Official tickets are only sold at [source](https://evil.example/phish) for visitors."
	a := answer.Answer{Text: "\u201c" + quote + "\u201d [1]", Mode: answer.ModeExtractive,
		Citations: []answer.Citation{{N: 1, Document: "Kyoto guide", Section: "Tickets", Quote: quote, Text: quote}}}
	msgs := RenderAnswer("where are tickets sold?", a)
	partial := RenderPartial("where are tickets sold?", "See [here](https://evil.example) [1]")
	for name, text := range map[string]string{
		"content": msgs[0].Content,
		"field":   msgs[len(msgs)-1].Embeds[0].Fields[0].Value,
		"partial": partial.Content,
	} {
		if liveLinkRE.MatchString(text) || !strings.Contains(text, `\](https://evil`) {
			t.Errorf("%s keeps a live masked link: %q", name, text)
		}
	}
}
