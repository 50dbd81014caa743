package bot

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// checkGolden compares got with testdata/name.golden, or rewrites the file
// with -update. A mismatch reports the first differing lines.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs; run go test -update if the change is intended:\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first few lines that differ between want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 5; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n-%s\n+%s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// dump renders messages as readable text for golden files.
func dump(msgs []Message) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "=== message %d/%d (%d runes)\n%s\n", i+1, len(msgs), utf8.RuneCountInString(m.Content), m.Content)
		for _, e := range m.Embeds {
			fmt.Fprintf(&b, "--- embed %q (%d fields, %d runes)\n", e.Title, len(e.Fields), embedRunes(e))
			for _, f := range e.Fields {
				fmt.Fprintf(&b, "# %s\n%s\n", f.Name, f.Value)
			}
		}
	}
	return b.String()
}
