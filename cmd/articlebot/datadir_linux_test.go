package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountTmpfs mounts a small tmpfs at a new folder with the given options,
// skipping the test where mounting is not allowed (not root, no privilege).
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// readOnlyDataDir is a data folder on a read-only tmpfs.
func readOnlyDataDir(t *testing.T) string {
	t.Helper()
	dir := mountTmpfs(t, "size=1m")
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	return filepath.Join(dir, "data")
}

// fullDataDir is a data folder on a tmpfs too small for the index.
func fullDataDir(t *testing.T) string {
	t.Helper()
	return filepath.Join(mountTmpfs(t, "size=8k"), "data")
}

func TestDataDirProblems(t *testing.T) {
	tests := []struct {
		name    string
		dataDir func(t *testing.T) string
		want    string
	}{
		{"ReadOnly", readOnlyDataDir, "read-only file system"},
		{"DiskFull", fullDataDir, "no space left on device"},
		{"NotAFolder", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(f, "data")
		}, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := tt.dataDir(t)
			for _, args := range [][]string{{"index"}, {"ask", "Why does Russia need China?"}} {
				code, stdout, stderr := runCLI(t, map[string]string{"ARTICLEBOT_DATA_DIR": dataDir}, args...)
				last := lastLine(stderr)
				if code != 1 || !strings.Contains(last, tt.want) || !strings.Contains(last, "ARTICLEBOT_DATA_DIR") {
					t.Fatalf("%v: exit %d, stdout %q, last stderr line %q; want exit 1 naming %q and ARTICLEBOT_DATA_DIR", args, code, stdout, last, tt.want)
				}
				if leftovers, _ := filepath.Glob(filepath.Join(dataDir, "*.tmp-*")); len(leftovers) > 0 {
					t.Fatalf("%v left temporary files %v", args, leftovers)
				}
			}
		})
	}
}
