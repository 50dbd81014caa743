package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeSparse writes a file of size bytes that takes no disk space.
func writeSparse(t *testing.T, dir, name string, size int64) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b-notes.md", []byte("# Notes\n\nSome notes.\n"))
	writeFile(t, dir, "a-story.txt", []byte("A story.\n"))
	writeFile(t, dir, "page.html", []byte("<html><head><title>Page</title></head><body><article><p>"+strings.Repeat("Words of prose. ", 30)+"</p></article></body></html>"))
	writeFile(t, dir, ".hidden.txt", []byte("secret"))
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, ".git/HEAD", []byte("ref: refs/heads/main"))
	docs, skipped, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir error: %v", err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.Source)
	}
	if want := "a-story.txt b-notes.md page.html"; strings.Join(got, " ") != want {
		t.Fatalf("sources = %q, want %q", got, want)
	}
	if len(skipped) != 0 {
		t.Fatalf("skipped = %+v, want none: hidden files are ignored silently", skipped)
	}
}

// TestLoadDirSkipsBadFiles puts one bad file of each kind beside a good
// one: the good one is read, every bad one is listed with its reason.
func TestLoadDirSkipsBadFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "good.md", []byte("# Good\n\nA good article about tea.\n"))
	writeFile(t, dir, "empty.md", nil)
	writeFile(t, dir, "blank.txt", []byte(" \n\t\n"))
	writeFile(t, dir, "bin.txt", []byte("abc\x00\x01\x02def"))
	writeFile(t, dir, "latin1.txt", []byte("caf\xe9 au lait"))
	writeFile(t, dir, "report.pdf", []byte("%PDF-1.7"))
	writeFile(t, dir, "image.png", []byte{0x89, 'P', 'N', 'G', 0})
	writeSparse(t, dir, "huge.txt", 50<<20)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing-target"), filepath.Join(dir, "sub", "gone.txt")); err != nil {
		t.Fatal(err)
	}
	docs, skipped, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir error: %v", err)
	}
	if len(docs) != 1 || docs[0].Source != "good.md" {
		t.Fatalf("LoadDir documents = %d, want only good.md", len(docs))
	}
	want := []Skipped{
		{"bin.txt", ErrBinary.Error()},
		{"blank.txt", ErrEmpty.Error()},
		{"empty.md", ErrEmpty.Error()},
		{"huge.txt", ErrTooLarge.Error()},
		{"image.png", ErrUnsupported.Error()},
		{"latin1.txt", ErrNotUTF8.Error()},
		{"report.pdf", ErrUnsupported.Error()},
		{"sub/gone.txt", "couldn't read it: no such file or directory"},
	}
	if !reflect.DeepEqual(skipped, want) {
		t.Fatalf("skipped = %q\nwant %q", skipped, want)
	}
}

func TestLoadDirNothingIndexable(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		names []string // the error names these files
	}{
		{"EmptyFolder", nil, nil},
		{"OnlyBadFiles", map[string]string{"x.pdf": "%PDF", "empty.md": ""}, []string{"x.pdf", "empty.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				writeFile(t, dir, name, []byte(content))
			}
			docs, skipped, err := LoadDir(dir)
			if !errors.Is(err, ErrNoDocuments) {
				t.Fatalf("LoadDir = %d documents, error %v, want %v", len(docs), err, ErrNoDocuments)
			}
			if got, want := len(skipped), len(tt.files); got != want {
				t.Errorf("LoadDir skipped %d files, want %d", got, want)
			}
			for _, name := range tt.names {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("error %q does not name %s", err, name)
				}
			}
		})
	}
}

func TestLoadDirUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files without read permission")
	}
	dir := t.TempDir()
	writeFile(t, dir, "good.txt", []byte("A good article."))
	writeFile(t, dir, "locked.txt", []byte("text"))
	if err := os.Chmod(filepath.Join(dir, "locked.txt"), 0); err != nil {
		t.Fatal(err)
	}
	_, skipped, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir error: %v", err)
	}
	if want := []Skipped{{"locked.txt", "couldn't read it: permission denied"}}; !reflect.DeepEqual(skipped, want) {
		t.Fatalf("skipped = %q, want %q", skipped, want)
	}
}

func TestLoadDirMissing(t *testing.T) {
	_, _, err := LoadDir(filepath.Join(t.TempDir(), "nope"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("LoadDir(missing) error = %v, want not-exist", err)
	}
}

func TestReadDocumentStripsControls(t *testing.T) {
	// An added page whose title and text carry terminal escapes and a
	// right-to-left override: none reach the document.
	page := "<html><head><meta property=\"og:title\" content=\"Kyoto\x1b]0;PWNED\x07\x1b[2J guide\"></head>" +
		"<body><article><h1>Kyoto</h1><p>Temples open at nine.\x1b[8m hidden \u202eevil\u202c</p></article></body></html>"
	for name, data := range map[string]string{
		"page.html": page,
		"notes.txt": "Kyoto\x1b[2J notes\n\nTemples open at nine.\x1b[8m hidden\u009b31m red text.\n",
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := ReadDocument(name, []byte(data), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{doc.Title, doc.Text} {
				if i := strings.IndexFunc(s, func(r rune) bool { return r == 0x1b || r == 0x07 || r == 0x9b || r == 0x202e }); i >= 0 {
					t.Errorf("control character left in %q", s)
				}
			}
			if !strings.Contains(doc.Text, "Temples open at nine.") {
				t.Errorf("text lost its words: %q", doc.Text)
			}
		})
	}
}
