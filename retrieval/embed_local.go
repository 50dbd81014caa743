package retrieval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
)

// DefaultLocalDim is the vector size of the local embedder: large enough that
// hash collisions rarely matter for article-sized vocabularies, small enough
// that 100,000 passages fit in about 150 MB.
const DefaultLocalDim = 384

// LocalEmbedder is the offline default embedder: a feature-hashing TF vector
// of word stems, stem bigrams and character n-grams of each word, with
// sublinear term frequency, signed hashing and L2 normalisation. It needs no
// model and no network, is deterministic, and embeds each text on its own, so
// a passage's vector never changes when the rest of the corpus does and
// cached vectors stay valid across reindexes.
type LocalEmbedder struct {
	dim int
}

// NewLocalEmbedder returns a LocalEmbedder producing vectors of size dim
// (DefaultLocalDim when dim <= 0).
func NewLocalEmbedder(dim int) *LocalEmbedder {
	if dim <= 0 {
		dim = DefaultLocalDim
	}
	return &LocalEmbedder{dim: dim}
}

// Name implements Embedder.
func (e *LocalEmbedder) Name() string { return fmt.Sprintf("%sv1/%d", localEmbedderPrefix, e.dim) }

// localEmbedderPrefix starts the name of every LocalEmbedder.
const localEmbedderPrefix = "local-hash-"

// Embed implements Embedder. It never fails except on a cancelled context.
func (e *LocalEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = e.vector(t)
	}
	return out, nil
}

// Feature weights, relative to a word stem.
const (
	bigramWeight = 0.5
	gramWeight   = 0.25
)

func (e *LocalEmbedder) vector(text string) []float32 {
	counts := make(map[string]float64)
	toks := analyze(text)
	for i, t := range toks {
		counts["w:"+t.stem]++
		if i > 0 {
			counts["b:"+toks[i-1].stem+" "+t.stem] += bigramWeight
		}
		w := "<" + t.word + ">"
		rs := []rune(w)
		for n := 3; n <= 5; n++ {
			for j := 0; j+n <= len(rs); j++ {
				counts["g:"+string(rs[j:j+n])] += gramWeight
			}
		}
	}
	v := make([]float32, e.dim)
	h := fnv.New64a()
	for f, c := range counts {
		h.Reset()
		h.Write([]byte(f))
		sum := h.Sum64()
		idx := int(sum % uint64(e.dim))
		w := 1 + math.Log(c) // sublinear tf; c >= gramWeight keeps this positive enough
		if c < 1 {
			w = c
		}
		if sum>>63 == 1 {
			w = -w
		}
		v[idx] += float32(w)
	}
	normalize(v)
	return v
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
