package retrieval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/lexicon"
	"github.com/articlebot/articlebot/wordvec"
)

// syntheticPassages makes n passages of about 25 words drawn with a Zipf
// distribution from the 20,000 most frequent English words (in a
// shuffled order, so that frequent passages aren't all stop words), so
// that postings lists and vectors look like those of real prose.
func syntheticPassages(n int) []corpus.Passage {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := wordvec.MostFrequent(20000)
	rng.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	out := make([]corpus.Passage, n)
	for i := range out {
		words := make([]string, 25)
		for j := range words {
			words[j] = vocab[zipf.Uint64()]
		}
		text := strings.Join(words, " ") + "."
		out[i] = corpus.Passage{
			ID: fmt.Sprintf("p%07d", i), Document: "Synthetic", Source: fmt.Sprintf("doc%03d.txt", i/1000),
			Section: "Part", Ordinal: i % 1000, Start: 0, End: len(text), Text: text,
		}
	}
	return out
}

var (
	bigOnce  sync.Once
	bigIndex *Index
	bigQs    []string
	bigBytes float64
)

func buildBig(b *testing.B) {
	bigOnce.Do(func() {
		ps := syntheticPassages(100_000)
		emb := NewLocalEmbedder()
		texts := make([]string, len(ps))
		for i, p := range ps {
			texts[i] = p.Text
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		vecs, _ := emb.Embed(context.Background(), texts)
		ix, err := newIndex(context.Background(), emb.Name(), time.Now(), ps, vecs, DefaultShardMin)
		if err != nil {
			b.Fatal(err)
		}
		texts, vecs, ps = nil, nil, nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		bigBytes = float64(after.HeapAlloc-before.HeapAlloc) / 100_000
		// As the product serves it: questions corrected and expanded.
		ix.lexicon = lexicon.Default()
		bigIndex = ix
		for i := 0; i < 50; i++ {
			words := strings.Fields(ix.passages[i*997].Text)
			bigQs = append(bigQs, "what about "+words[3]+" and "+words[7]+" "+words[11]+"?")
		}
	})
}

// BenchmarkSearch100k measures one hybrid query over 100,000 passages,
// in-process, and reports the heap held per indexed passage: the 10 best
// (as `search` shows), and the 91 an answer asks for (answer.DepthFor of
// the default 9,000-character context).
func BenchmarkSearch100k(b *testing.B) {
	buildBig(b)
	for _, k := range []int{10, 91} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) { benchSearchBig(b, k) })
	}
}

func benchSearchBig(b *testing.B, k int) {
	emb := NewLocalEmbedder()
	ctx := context.Background()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		q := bigQs[i%len(bigQs)]
		vec, _ := emb.Embed(ctx, []string{q})
		if _, err := bigIndex.Search(ctx, q, vec[0], k); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.ReportMetric(bigBytes, "heap-bytes/passage")
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkIndexBuild measures building the bundled article's index with the
// local embedder, without saving it, and reports passages per second.
func BenchmarkIndexBuild(b *testing.B) {
	docs, _ := corpus.Bundled()
	ps := syntheticPassages(5000)
	for _, n := range []int{0, len(ps)} {
		name := "Bundled"
		if n > 0 {
			name = "Synthetic5000"
		}
		b.Run(name, func(b *testing.B) {
			var total int
			for i := 0; i < b.N; i++ {
				src := Documents(func() ([]corpus.Document, error) { return docs, nil })
				lib := NewLibrary(NewLocalEmbedder(), src, Options{})
				if n > 0 {
					emb := NewLocalEmbedder()
					texts := make([]string, n)
					for j := range texts {
						texts[j] = ps[j].Text
					}
					vecs, _ := emb.Embed(context.Background(), texts)
					if _, err := newIndex(context.Background(), emb.Name(), time.Now(), ps, vecs, DefaultShardMin); err != nil {
						b.Fatal(err)
					}
					total += n
					continue
				}
				sum, err := lib.Reindex(context.Background(), nil)
				if err != nil {
					b.Fatal(err)
				}
				total += sum.Passages
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "passages/s")
		})
	}
}

// BenchmarkSearchBundled measures one query on the bundled article.
func BenchmarkSearchBundled(b *testing.B) {
	lib := NewLibrary(NewLocalEmbedder(), Documents(corpus.Bundled), Options{})
	if _, err := lib.Reindex(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := lib.Search(ctx, "What are the joint drills meant to improve?", 12); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRestart10k measures a restart with a saved index of about
// 10,000 passages: load the snapshot, re-read the corpus, find it
// unchanged. It fails if anything is embedded.
func BenchmarkRestart10k(b *testing.B) {
	doc := syntheticDoc("big.txt", 30_000)
	src := Documents(func() ([]corpus.Document, error) { return []corpus.Document{doc}, nil })
	snap := b.TempDir() + "/index.gob"
	first := NewLibrary(NewLocalEmbedder(), src, Options{Snapshot: snap})
	sum, err := first.Reindex(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		emb := newCounting()
		lib := NewLibrary(emb, src, Options{Snapshot: snap})
		s, err := lib.Open(context.Background(), nil)
		if err != nil || !s.Unchanged || emb.texts.Load() != 0 {
			b.Fatalf("restart = %+v, %v, embedded %d; want unchanged, nothing embedded", s, err, emb.texts.Load())
		}
	}
	b.ReportMetric(float64(sum.Passages), "passages")
}
