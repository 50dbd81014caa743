package retrieval

import (
	"context"
	"hash/fnv"
	"math"

	"github.com/articlebot/articlebot/wordvec"
)

// LocalEmbedder is the offline default embedder: the smooth-inverse-
// frequency average of the GloVe vectors of a text's content words
// (package wordvec), L2-normalised, so that passages and questions that
// say the same thing in other words lie near each other ("drills" and
// "joint exercises"). It needs no model and no network, is
// deterministic, and embeds each text on its own, so a passage's vector
// never changes when the rest of the corpus does and cached vectors stay
// valid across reindexes.
//
// A text with no word GloVe knows (another script, only names) gets a
// hashed vector of its character trigrams instead, so that only an empty
// text gets the zero vector, which has no direction to compare.
type LocalEmbedder struct{}

// NewLocalEmbedder returns the offline default embedder.
func NewLocalEmbedder() *LocalEmbedder { return &LocalEmbedder{} }

// Name implements Embedder. The version changes whenever the vectors
// would, so that an index built by an earlier version is re-embedded.
func (e *LocalEmbedder) Name() string { return localEmbedderPrefix + "glove-v1/100" }

// localEmbedderPrefix starts the name of every local embedder, this one
// and earlier versions.
const localEmbedderPrefix = "local-"

// Embed implements Embedder. It never fails except on a cancelled context.
func (e *LocalEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = localVector(t)
	}
	return out, nil
}

func localVector(text string) []float32 {
	v := make([]float32, wordvec.Dims)
	known := false
	toks := analyze(text)
	for _, t := range toks {
		if wordvec.Add(v, t.word, wordvec.Weight(t.word)) {
			known = true
		}
	}
	if !known {
		hashGrams(v, toks, text)
	}
	normalize(v)
	return v
}

// hashGrams adds the signed feature hashes of the character trigrams of
// toks (of text when it has no tokens) to v.
func hashGrams(v []float32, toks []token, text string) {
	words := make([]string, 0, len(toks))
	for _, t := range toks {
		words = append(words, t.word)
	}
	if len(words) == 0 {
		words = append(words, text)
	}
	h := fnv.New64a()
	for _, w := range words {
		rs := []rune("<" + w + ">")
		for j := 0; j+3 <= len(rs); j++ {
			h.Reset()
			h.Write([]byte(string(rs[j : j+3])))
			sum := h.Sum64()
			if sum>>63 == 1 {
				v[sum%uint64(len(v))]--
			} else {
				v[sum%uint64(len(v))]++
			}
		}
	}
}

func normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}
