package lexicon

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func BenchmarkDefault(b *testing.B) {
	b.Run("Load", func(b *testing.B) {
		for b.Loop() {
			Default()
		}
	})
	b.Run("FirstLookup", func(b *testing.B) {
		for b.Loop() {
			Default().Expand("moscow")
		}
	})
}

func BenchmarkExpand(b *testing.B) {
	l := Default()
	words := []string{"weapons", "drills", "turf", "met", "russian", "moscow", "uncle sam", "is", "sanctions", "rusia"}
	for i := 0; b.Loop(); i++ {
		l.Expand(words[i%len(words)])
	}
}

func BenchmarkKnown(b *testing.B) {
	l := Default()
	words := []string{"weapons", "drills", "supplies", "millitary", "chian", "rusia"}
	for i := 0; b.Loop(); i++ {
		l.Known(words[i%len(words)])
	}
}

// TestMemory loads the lexicon and does 1,000 lookups spread over the
// table, and checks the resident set grows by less than 20 MB: the table
// is embedded read-only data, paged in only where binary searches touch it.
// Run with -v to see the numbers.
func TestMemory(t *testing.T) {
	before, ok := vmRSS(t)
	if !ok {
		t.Skip("no /proc/self/status")
	}
	l := Default()
	keys := sampleKeys(1000)
	n, known := 0, 0
	for _, k := range keys {
		n += len(l.Expand(k))
		if l.Known(k) {
			known++
		}
	}
	if known < len(keys)*9/10 {
		t.Fatalf("Known is true for %d of %d table keys, want nearly all", known, len(keys))
	}
	runtime.GC()
	after, _ := vmRSS(t)
	t.Logf("VmRSS %d kB -> %d kB (+%d kB) after Default and 1,000 Expand+Known (%d expansions)", before, after, after-before, n)
	if d := after - before; d > 20*1024 {
		t.Fatalf("VmRSS grew by %d kB, want under 20 MB", d)
	}
}

// sampleKeys returns n table keys spread evenly over the table, without
// counting in the bytes read to find them: their offsets are computed, and
// only the lines found are copied.
func sampleKeys(n int) []string {
	tab := string(newTable(tableText))
	var keys []string
	for i := range n {
		off := len(tab) / n * i
		if j := strings.IndexByte(tab[off:], '\n'); j >= 0 && off+j+1 < len(tab) {
			line := tab[off+j+1:]
			k, _, _ := strings.Cut(line, "\t")
			if !strings.HasPrefix(k, "#") && (len(keys) == 0 || keys[len(keys)-1] != k) {
				keys = append(keys, strings.Clone(k))
			}
		}
	}
	return keys
}

func vmRSS(t *testing.T) (int, bool) {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return kb, err == nil
		}
	}
	return 0, false
}
