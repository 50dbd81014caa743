package retrieval

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	chromem "github.com/philippgille/chromem-go"
)

// ErrNoSnapshot is returned by loadSnapshot when no index has been saved yet.
var ErrNoSnapshot = errors.New("no saved index")

// saveSnapshot writes the index's chromem-go DB to path atomically: it is
// exported to a temporary file in the same folder, synced, renamed over path
// and the folder synced, so a crash at any moment leaves either the complete
// old snapshot or the complete new one. chromem-go's own NewPersistentDB
// rewrites files in place without syncing and is not crash-safe.
//
// hook, when not nil, is called at each step of the write (see saveStage);
// only the crash test sets it, to kill the process at a known point.
func saveSnapshot(ix *Index, path string, hook func(saveStage)) (err error) {
	at := func(s saveStage) {
		if hook != nil {
			hook(s)
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("couldn't create data folder: %w", err)
	}
	// The writer's PID in the name lets removeStale tell a crashed
	// writer's leftovers from another process's save in progress.
	f, err := os.CreateTemp(dir, fmt.Sprintf("%s.tmp-%d-*", filepath.Base(path), os.Getpid()))
	if err != nil {
		return fmt.Errorf("couldn't create index file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("couldn't set index file mode: %w", err)
	}
	at(stageTempCreated)
	var dst io.Writer = f
	if hook != nil {
		dst = &midWriteHook{w: f, hook: hook}
	}
	w := bufio.NewWriterSize(dst, 1<<20)
	if err := ix.db.ExportToWriter(w, false, ""); err != nil {
		return fmt.Errorf("couldn't write index: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("couldn't write index: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("couldn't sync index: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("couldn't close index: %w", err)
	}
	at(stageSynced)
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("couldn't replace index: %w", err)
	}
	at(stageRenamed)
	return syncDir(dir)
}

// saveStage names a point inside saveSnapshot at which a crash must leave
// the complete old or the complete new snapshot.
type saveStage string

const (
	stageTempCreated saveStage = "temp-created" // empty temporary file exists
	stageMidFile     saveStage = "mid-file"     // temporary file partly written
	stageSynced      saveStage = "synced"       // temporary file complete and synced, not yet renamed
	stageRenamed     saveStage = "renamed"      // renamed over path, folder not yet synced
)

// midWriteHook calls hook with stageMidFile once, halfway through the first
// write to the file, so that the file then holds part of the export.
type midWriteHook struct {
	w     io.Writer
	hook  func(saveStage)
	fired bool
}

func (m *midWriteHook) Write(p []byte) (int, error) {
	if m.fired || len(p) < 2 {
		return m.w.Write(p)
	}
	m.fired = true
	n, err := m.w.Write(p[:len(p)/2])
	if err != nil {
		return n, err
	}
	m.hook(stageMidFile)
	k, err := m.w.Write(p[len(p)/2:])
	return n + k, err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("couldn't open data folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("couldn't sync data folder: %w", err)
	}
	return nil
}

// loadSnapshot reads an index saved by saveSnapshot. It returns an error
// wrapping ErrNoSnapshot when path does not exist.
func loadSnapshot(ctx context.Context, path string) (*Index, error) {
	removeStale(path)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoSnapshot, path)
	}
	if err != nil {
		return nil, fmt.Errorf("couldn't open index: %w", err)
	}
	defer f.Close()
	db := chromem.NewDB()
	if err := db.ImportFromReader(f, ""); err != nil {
		return nil, fmt.Errorf("couldn't read index %s: %w", path, err)
	}
	ix, err := fromDB(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("couldn't load index %s: %w", path, err)
	}
	return ix, nil
}

// removeStale deletes temporary files that a crashed save left beside
// path: those whose writer process no longer runs. They never hold the
// serving index, which is only ever the renamed file.
func removeStale(path string) {
	stale, _ := filepath.Glob(path + ".tmp-*")
	for _, f := range stale {
		var pid int
		if _, err := fmt.Sscanf(strings.TrimPrefix(f, path+".tmp-"), "%d-", &pid); err != nil {
			continue
		}
		if pid != os.Getpid() && !processRuns(pid) {
			os.Remove(f)
		}
	}
}
