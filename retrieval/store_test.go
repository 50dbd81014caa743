package retrieval

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestRemoveStaleKeepsLiveWriters(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "index.gob")
	files := map[string]bool{ // name -> should survive
		fmt.Sprintf("index.gob.tmp-%d-1", os.Getppid()): true,  // a running process saving
		fmt.Sprintf("index.gob.tmp-%d-2", os.Getpid()):  true,  // this process
		"index.gob.tmp-2147483600-3":                    false, // no such process
		"index.gob.tmp-notapid":                         true,  // not ours to judge
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removeStale(snap)
	for name, keep := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != keep {
			t.Errorf("%s exists = %v, want %v", name, got, keep)
		}
	}
}
