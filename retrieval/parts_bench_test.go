package retrieval

import (
	"context"
	"testing"
)

func BenchmarkParts100k(b *testing.B) {
	buildBig(b)
	emb := NewLocalEmbedder(0)
	ctx := context.Background()
	b.Run("chromem", func(b *testing.B) {
		vec, _ := emb.Embed(ctx, []string{bigQs[0]})
		for i := 0; i < b.N; i++ {
			bigIndex.col.QueryEmbedding(ctx, vec[0], 50, nil, nil)
		}
	})
	b.Run("bm25", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bigIndex.lex.search(stems(analyze(bigQs[i%len(bigQs)])), 50)
		}
	})
	b.Run("coverage", func(b *testing.B) {
		q := stems(analyze(bigQs[0]))
		hits := bigIndex.lex.search(q, 50)
		for i := 0; i < b.N; i++ {
			bigIndex.coverage(q, nil, hits)
		}
	})
}
