package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeMultiDocCorpus writes a folder of two articles, one published at a
// URL, plus a copy of the other under another name.
func writeMultiDocCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	kyoto := "---\ntitle: Kyoto guide\nurl: https://example.com/kyoto#top\n---\n# Kyoto guide\n\n## Temples\n\n" +
		"Kinkaku-ji, the Golden Pavilion, is a Zen temple covered in gold leaf. It burned in 1950 and was rebuilt in 1955. Visitors walk around its pond garden.\n"
	tea := "# Tea notes\n\n## Matcha\n\nMatcha is a powdered green tea whisked with hot water. Zen temples in Kyoto served matcha at tea ceremonies for centuries. It is grown in shade before harvest.\n"
	for name, text := range map[string]string{"kyoto.md": kyoto, "tea.md": tea, "tea-copy.md": tea} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAskMultiDocumentCitations(t *testing.T) {
	env := map[string]string{"ARTICLEBOT_CORPUS_DIR": writeMultiDocCorpus(t)}
	const question = "Which Zen temple in Kyoto burned, and what tea did Zen temples serve?"
	t.Run("JSON", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, env, "ask", "--json", question)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var a askJSON
		decodeOne(t, stdout, &a)
		checkCitations(t, a)
		docs := map[string]bool{}
		texts := map[string]bool{}
		for _, c := range a.Citations {
			docs[c.Document] = true
			if texts[c.Text] {
				t.Errorf("passage %q cited twice: %+v", c.Text, a.Citations)
			}
			texts[c.Text] = true
			switch c.Document {
			case "Kyoto guide":
				if want := "https://example.com/kyoto#:~:text="; !strings.HasPrefix(c.URL, want) {
					t.Errorf("Kyoto citation url = %q, want prefix %q", c.URL, want)
				}
			default:
				if c.URL != "" {
					t.Errorf("%s citation has url %q; the document has none", c.Document, c.URL)
				}
			}
		}
		if !docs["Kyoto guide"] || !docs["Tea notes"] {
			t.Fatalf("citations %+v do not cite both documents", a.Citations)
		}
	})
	t.Run("Text", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, env, "ask", question)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"Kyoto guide, \"Temples\"", "Tea notes, \"Matcha\"", "    https://example.com/kyoto#:~:text="} {
			if !strings.Contains(stdout, want) {
				t.Errorf("ask output lacks %q:\n%s", want, stdout)
			}
		}
	})
}

func TestAskBundledArticleUnlinked(t *testing.T) {
	code, stdout, stderr := runCLI(t, map[string]string{}, "ask", "--json", "What are the joint drills meant to improve?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, `"url"`) {
		t.Errorf("bundled article citations carry a url:\n%s", stdout)
	}
}
