package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"testing"

	"github.com/articlebot/articlebot/wordvec"
)

func embedOne(t *testing.T, text string) []float32 {
	t.Helper()
	vs, err := NewLocalEmbedder().Embed(context.Background(), []string{text})
	if err != nil {
		t.Fatal(err)
	}
	return vs[0]
}

func TestLocalEmbedderMeaning(t *testing.T) {
	// A question in other words lies nearer the sentence that answers it
	// than a sentence that merely shares the topic.
	tests := []struct{ q, near, far string }{
		{"r the drills just for show", "They conduct joint military exercises regularly.", "Russia sells oil and gas to China."},
		{"is the world calm or chaotic", "A shared commitment to maintaining regional and global stability.", "Russia supplies fighter jets and submarines."},
		{"what weapons does russia sell", "Russia is a key supplier of advanced military hardware.", "Their leaders meet often and speak warmly."},
		{"is china puttin money into russia", "Investment flows and joint projects are growing.", "Joint exercises enhance interoperability."},
	}
	for _, tt := range tests {
		q, n, f := embedOne(t, tt.q), embedOne(t, tt.near), embedOne(t, tt.far)
		if cn, cf := wordvec.Cosine(q, n), wordvec.Cosine(q, f); cn <= cf {
			t.Errorf("%q: cos to %q = %.2f, to %q = %.2f; want the first higher", tt.q, tt.near, cn, tt.far, cf)
		}
	}
}

func TestLocalEmbedderVectors(t *testing.T) {
	e := NewLocalEmbedder()
	if e.Name() != "local-glove-v1/100" {
		t.Errorf("Name() = %q", e.Name())
	}
	for _, text := range []string{
		"Why does Russia need China?",
		"中俄两国在国际上有没有共同的愿景？", // no word GloVe knows: hashed trigrams
		"zxqv blorft",
		"the of and", // stop words only
	} {
		v := embedOne(t, text)
		if len(v) != wordvec.Dims {
			t.Fatalf("%q: %d dimensions, want %d", text, len(v), wordvec.Dims)
		}
		var norm float64
		for _, x := range v {
			norm += float64(x) * float64(x)
		}
		if math.Abs(norm-1) > 1e-4 {
			t.Errorf("%q: |v|² = %v, want 1: every non-empty text needs a direction", text, norm)
		}
		if again := embedOne(t, text); wordvec.Cosine(v, again) < 0.99999 {
			t.Errorf("%q: two embeddings differ", text)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Embed(ctx, []string{"a"}); err == nil {
		t.Error("Embed ignored a cancelled context")
	}
}

// localVectorsDigest pins the vectors the local embedder gives
// versionTexts. Saved indexes keep passage vectors under the embedder's
// name, so anything that changes them (the table, the weighting, the stop,
// question and chat-noise word lists that analyze drops) must also change
// Name(); this test fails until both are updated together.
const localVectorsDigest = "dda0d38825c5e1512bf1d8b3008bd59bc417bc8ec716e171b337fa5703b53aba"

var versionTexts = []string{
	"Why does Russia need China so badly?",
	"what does the article say about the drills lol tbh",
	"Xi Jinping and Putin meet in Moscow and Beijing.",
	"can u quote the part about the sanctions",
	"中俄两国",
}

func TestLocalEmbedderVersion(t *testing.T) {
	vs, err := NewLocalEmbedder().Embed(context.Background(), versionTexts)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, v := range vs {
		for _, x := range v {
			// Rounded to 1e-4, so that a different FMA use on another
			// CPU doesn't count as a change.
			fmt.Fprintf(h, "%.4f,", x)
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != localVectorsDigest {
		t.Fatalf("the local embedder's vectors changed (digest %s, pinned %s): bump the version in LocalEmbedder.Name, then pin the new digest", got, localVectorsDigest)
	}
}
