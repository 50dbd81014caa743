package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b-notes.md", []byte("# Notes\n\nSome notes.\n"))
	writeFile(t, dir, "a-story.txt", []byte("A story.\n"))
	writeFile(t, dir, "page.html", []byte("<html><head><title>Page</title></head><body><article><p>"+strings.Repeat("Words of prose. ", 30)+"</p></article></body></html>"))
	writeFile(t, dir, "image.png", []byte{0x89, 'P', 'N', 'G', 0})
	writeFile(t, dir, ".hidden.txt", []byte("secret"))
	docs, err := LoadDir(dir)
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
}

func TestLoadDirBadInput(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr error
		file    string
	}{
		{"Empty", func(t *testing.T, dir string) { writeFile(t, dir, "empty.txt", nil) }, ErrEmpty, "empty.txt"},
		{"WhitespaceOnly", func(t *testing.T, dir string) { writeFile(t, dir, "blank.md", []byte(" \n\t\n")) }, ErrEmpty, "blank.md"},
		{"Binary", func(t *testing.T, dir string) { writeFile(t, dir, "bin.txt", []byte("abc\x00\x01\x02def")) }, ErrBinary, "bin.txt"},
		{"NotUTF8", func(t *testing.T, dir string) { writeFile(t, dir, "latin1.txt", []byte("caf\xe9 au lait")) }, ErrNotUTF8, "latin1.txt"},
		{"TooLarge", func(t *testing.T, dir string) {
			f, err := os.Create(filepath.Join(dir, "huge.txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// A sparse 50 MB file: the loader must stop reading at its limit.
			if err := f.Truncate(50 << 20); err != nil {
				t.Fatal(err)
			}
		}, ErrTooLarge, "huge.txt"},
		{"NoSupportedFiles", func(t *testing.T, dir string) { writeFile(t, dir, "x.pdf", []byte("%PDF")) }, ErrNoDocuments, ""},
		{"Unreadable", func(t *testing.T, dir string) {
			writeFile(t, dir, "locked.txt", []byte("text"))
			if err := os.Chmod(filepath.Join(dir, "locked.txt"), 0); err != nil {
				t.Fatal(err)
			}
			if os.Geteuid() == 0 {
				// root reads anything; a folder in place of a file fails for root too.
				os.Remove(filepath.Join(dir, "locked.txt"))
				if err := os.Symlink(filepath.Join(dir, "missing-target"), filepath.Join(dir, "locked.txt")); err != nil {
					t.Fatal(err)
				}
			}
		}, os.ErrNotExist, "locked.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "good.txt", []byte("A good article."))
			if tt.name == "NoSupportedFiles" {
				os.Remove(filepath.Join(dir, "good.txt"))
			}
			tt.setup(t, dir)
			docs, err := LoadDir(dir)
			if err == nil {
				t.Fatalf("LoadDir gave %d documents and no error, want %v", len(docs), tt.wantErr)
			}
			if !errors.Is(err, tt.wantErr) && !(tt.name == "Unreadable" && errors.Is(err, os.ErrPermission)) {
				t.Fatalf("LoadDir error = %v, want %v", err, tt.wantErr)
			}
			if tt.file != "" && !strings.Contains(err.Error(), tt.file) {
				t.Fatalf("error %q does not name %s", err, tt.file)
			}
		})
	}
}

func TestLoadDirMissing(t *testing.T) {
	_, err := LoadDir(filepath.Join(t.TempDir(), "nope"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("LoadDir(missing) error = %v, want not-exist", err)
	}
}
