package answer

import (
	"slices"
	"strings"
	"testing"

	"github.com/articlebot/articlebot/corpus"
)

func TestRenumber(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		k         int
		want      string
		wantOrder []int
	}{
		{"Single", "A [1]. B [2].", 4, "A [1]. B [2].", []int{0, 1}},
		{"Adjacent", "A [1][2].", 4, "A [1][2].", []int{0, 1}},
		{"CommaSpace", "A [1, 2].", 4, "A [1][2].", []int{0, 1}},
		{"Comma", "A [1,2].", 4, "A [1][2].", []int{0, 1}},
		{"SpaceSeparated", "A [1] [2].", 4, "A [1][2].", []int{0, 1}},
		{"Zero", "A [0]. B [1].", 4, "A. B [1].", []int{0}},
		{"OutOfRange", "A [9]. B [2].", 4, "A. B [1].", []int{1}},
		{"OutOfRangeInGroup", "A [2, 9][0].", 4, "A [1].", []int{1}},
		{"HugeNumber", "A [99999999999999999999999] B [1].", 4, "A B [1].", []int{0}},
		{"Repeated", "A [2]. B [2]. C [2][2].", 4, "A [1]. B [1]. C [1].", []int{1}},
		{"FirstUseOrder", "A [3]. B [1]. C [3][1]. D [4].", 4, "A [1]. B [2]. C [1][2]. D [3].", []int{2, 0, 3}},
		{"GroupSortedAfterRenumbering", "A [2]. B [3, 2].", 4, "A [1]. B [1][2].", []int{1, 2}},
		{"NonNumericIgnored", "See [a] and [1-3] and [] and [x, 1] [2].", 4, "See [a] and [1-3] and [] and [x, 1] [1].", []int{1}},
		{"NoMarkers", "Nothing cited.", 4, "Nothing cited.", []int{}},
		{"DropKeepsWordSpacing", "A [9] b.", 4, "A b.", []int{}},
		{"DropAtEnd", "A [7]", 4, "A", []int{}},
		{"SpacesInside", "A [ 1 ,2 ].", 4, "A [1][2].", []int{0, 1}},
		{"UnclosedBracket", "A [1. B [2].", 4, "A [1. B [1].", []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, order := renumber(tt.text, tt.k)
			if got != tt.want {
				t.Errorf("renumber(%q, %d) = %q, want %q", tt.text, tt.k, got, tt.want)
			}
			if !slices.Equal(order, tt.wantOrder) {
				t.Errorf("renumber(%q, %d) order = %v, want %v", tt.text, tt.k, order, tt.wantOrder)
			}
		})
	}
}

func TestCheckCitations(t *testing.T) {
	ps := testPassages()
	tests := []struct {
		name     string
		text     string
		wantText string
		want     []wantCitation
	}{
		{
			name:     "QuotesBestSentence",
			text:     "Russia supplies more of China's oil [2]. Analysts call it a marriage of convenience [4].",
			wantText: "Russia supplies more of China's oil [1]. Analysts call it a marriage of convenience [2].",
			want: []wantCitation{
				{1, "p-energy", "Russia supplies a growing share of China's oil imports."},
				{2, "p-outlook", "Some call it a marriage of convenience."},
			},
		},
		{
			name:     "MarkerAfterPeriodBelongsToClaimBefore",
			text:     "The pipeline delivered gas from 2019. [2] Machinery exports rose sharply [3].",
			wantText: "The pipeline delivered gas from 2019. [1] Machinery exports rose sharply [2].",
			want: []wantCitation{
				{1, "p-energy", "The Power of Siberia pipeline began delivering gas in 2019."},
				{2, "p-sanctions", "Chinese exports of machinery to Russia rose sharply."},
			},
		},
		{
			name:     "OneCitationSeveralClaims",
			text:     "Xi visited Moscow in 2013 [1]. The trip set the tone for summits [1].",
			wantText: "Xi visited Moscow in 2013 [1]. The trip set the tone for summits [1].",
			want:     []wantCitation{{1, "p-background", ""}},
		},
		{
			name:     "Group",
			text:     "Trade grew as sanctions bit [3,2].",
			wantText: "Trade grew as sanctions bit [1][2].",
			want: []wantCitation{
				{1, "p-sanctions", "Western sanctions after 2022 pushed Russian trade toward China."},
				{2, "p-energy", ""},
			},
		},
		{
			name:     "NoneValid",
			text:     "Nothing here [7].",
			wantText: "Nothing here.",
			want:     []wantCitation{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, cits := CheckCitations(tt.text, ps)
			if text != tt.wantText {
				t.Errorf("CheckCitations(%q) text = %q, want %q", tt.text, text, tt.wantText)
			}
			if cits == nil {
				t.Fatalf("CheckCitations(%q) citations = nil, want non-nil", tt.text)
			}
			if got, want := len(cits), len(tt.want); got != want {
				t.Fatalf("CheckCitations(%q) gave %d citations %+v, want %d", tt.text, got, cits, want)
			}
			for i, w := range tt.want {
				c := cits[i]
				if c.N != w.n || c.ID != w.id {
					t.Errorf("citation %d = [%d] %s, want [%d] %s", i, c.N, c.ID, w.n, w.id)
				}
				if w.quote != "" && c.Quote != w.quote {
					t.Errorf("citation [%d] quote = %q, want %q", c.N, c.Quote, w.quote)
				}
				if got, want := c.Text, ps[indexOfID(ps, c.ID)].Text; got != want {
					t.Errorf("citation [%d] text = %q, want the passage %q", c.N, got, want)
				}
			}
		})
	}
}

func TestClaimsByNumber(t *testing.T) {
	got := claimsByNumber("First claim [1]. Second claim. [2] Third claim [1][3].")
	want := map[int]string{
		1: "First claim . Third claim .",
		2: "Second claim.",
		3: "Third claim .",
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("claimsByNumber()[%d] = %q, want %q", n, got[n], w)
		}
	}
}

func indexOfID(ps []corpus.Passage, id string) int {
	for i, p := range ps {
		if p.ID == id {
			return i
		}
	}
	return -1
}

func TestDefuseMarkers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Trade grew [7].", "Trade grew (7)."},
		{"See [1][2] and [3, 4].", "See (1)(2) and (3, 4)."},
		{"Keep [a] and [1-3].", "Keep [a] and [1-3]."},
		{"No markers.", "No markers."},
	}
	for _, tt := range tests {
		if got := DefuseMarkers(tt.in); got != tt.want {
			t.Errorf("DefuseMarkers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExtractDefusesFootnotes(t *testing.T) {
	ps := []corpus.Passage{{ID: "p1", Document: "D", Section: "S", Text: "Russia depends on China for trade [7]. Other text."}}
	a := Extract("Does Russia depend on China for trade?", ps)
	if got := fuzzMarkerRE.FindAllString(a.Text, -1); len(got) != 1 || got[0] != "[1]" {
		t.Fatalf("Extract text %q has markers %q, want only [1]", a.Text, got)
	}
	if !strings.Contains(a.Citations[0].Quote, "[7]") {
		t.Errorf("quote %q should stay verbatim", a.Citations[0].Quote)
	}
}
