package retrieval

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/articlebot/articlebot/corpus"
)

// TestShardedIndex builds an index large enough to be sharded, checks that
// queries still find passages by their words through both rankings, and
// that the shards survive a save and load.
func TestShardedIndex(t *testing.T) {
	ps := syntheticPassages(3 * shardTarget)
	snap := filepath.Join(t.TempDir(), "index.gob")
	lib := NewLibrary(NewLocalEmbedder(), Documents(func() ([]corpus.Document, error) { return nil, nil }), Options{Snapshot: snap, ShardMin: 2 * shardTarget})
	emb := NewLocalEmbedder()
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.Text
	}
	vecs, _ := emb.Embed(context.Background(), texts)
	ix, err := newIndex(context.Background(), emb.Name(), lib.now(), ps, vecs, lib.shardMin)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(ix.shards), 3; got != want {
		t.Fatalf("%d shards, want %d", got, want)
	}
	if err := saveSnapshot(ix, snap, nil); err != nil {
		t.Fatal(err)
	}
	if err := lib.Load(context.Background()); err != nil {
		t.Fatalf("Load sharded snapshot: %v", err)
	}
	loaded := lib.Current()
	if got, want := loaded.Len(), len(ps); got != want {
		t.Fatalf("loaded %d passages, want %d", got, want)
	}
	found := 0
	const probes = 40
	for i := 0; i < probes; i++ {
		want := ps[i*131]
		vec, _ := emb.Embed(context.Background(), []string{want.Text})
		vres, err := loaded.queryVectors(context.Background(), vec[0], 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range vres {
			if r.ID == want.ID {
				found++
				break
			}
		}
	}
	// A passage's own text must come back from the nearest shards almost
	// always; clustering may misplace a few near shard borders.
	if found < probes*9/10 {
		t.Fatalf("vector side found %d of %d passages by their own text", found, probes)
	}
}
