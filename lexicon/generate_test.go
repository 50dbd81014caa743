package lexicon

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const wordnetDir = "/usr/share/wordnet"

// TestGenerateReproducible builds the generator, runs it twice, and checks
// that both outputs are byte-for-byte equal to each other and to the
// committed table. It needs Debian's wordnet-base; without it the test is
// skipped, unless ARTICLEBOT_REQUIRE_WORDNET=1 (as in CI), which makes it
// fail instead.
func TestGenerateReproducible(t *testing.T) {
	if _, err := os.Stat(filepath.Join(wordnetDir, "data.noun")); err != nil {
		if os.Getenv("ARTICLEBOT_REQUIRE_WORDNET") == "1" {
			t.Fatalf("WordNet is required (ARTICLEBOT_REQUIRE_WORDNET=1) but missing: %v", err)
		}
		t.Skipf("WordNet not installed (apt-get install wordnet-base): %v", err)
	}
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "wngen")
	if out, err := exec.Command("go", "build", "-o", bin, "./internal/wngen").CombinedOutput(); err != nil {
		t.Fatalf("go build ./internal/wngen: %v\n%s", err, out)
	}
	var outs [2][]byte
	for i := range outs {
		path := filepath.Join(dir, "table"+string(rune('a'+i))+".txt")
		if out, err := exec.Command(bin, "-dict", wordnetDir, "-o", path).CombinedOutput(); err != nil {
			t.Fatalf("wngen run %d: %v\n%s", i+1, err, out)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = b
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatalf("two runs of wngen differ (%d and %d bytes), want identical output", len(outs[0]), len(outs[1]))
	}
	if !bytes.Equal(outs[0], []byte(tableText)) {
		t.Fatalf("wngen output (%d bytes) differs from the committed table.txt (%d bytes); run go generate ./lexicon", len(outs[0]), len(tableText))
	}
}
