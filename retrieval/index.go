package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/articlebot/articlebot/corpus"
	chromem "github.com/philippgille/chromem-go"
)

// collectionName is the chromem-go collection holding the passages.
const collectionName = "passages"

// Metadata keys stored on the chromem-go collection and its documents, so
// that a snapshot of the DB alone restores the whole index.
const (
	manifestName = "manifest"
	metaEmbedder = "embedder"
	metaDim      = "dim"
	metaBuiltAt  = "built_at"
	metaFormat   = "format"
	metaDocument = "document"
	metaSource   = "source"
	metaSection  = "section"
	metaOrdinal  = "ordinal"
	metaStart    = "start"
	metaEnd      = "end"

	formatVersion = "1"
)

// Index is an immutable, queryable set of passages: their vectors in a
// chromem-go collection and a BM25 index of their words. A reindex builds a
// new Index and swaps it in; an Index itself is never modified, so queries
// need no locks.
type Index struct {
	db       *chromem.DB
	col      *chromem.Collection
	embedder string
	dim      int
	builtAt  time.Time
	vectors  [][]float32      // same order as passages; shared with col, read-only
	passages []corpus.Passage // ordered by source, then ordinal
	byID     map[string]int
	lex      *bm25
}

// newIndex stores passages with their vectors (same order) in a fresh
// in-memory chromem-go DB and builds the BM25 side. The DB holds two
// collections: the passages, and a one-document manifest whose metadata
// names the embedder, the vector size and the build time (chromem-go has no
// getter for collection metadata), so one snapshot restores everything.
func newIndex(ctx context.Context, embedder string, builtAt time.Time, passages []corpus.Passage, vecs [][]float32) (*Index, error) {
	db := chromem.NewDB()
	col, err := db.CreateCollection(collectionName, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't create collection: %w", err)
	}
	dim := 0
	if len(vecs) > 0 {
		dim = len(vecs[0])
	}
	docs := make([]chromem.Document, len(passages))
	for i, p := range passages {
		if len(vecs[i]) != dim {
			return nil, fmt.Errorf("embedder %s returned vectors of sizes %d and %d", embedder, dim, len(vecs[i]))
		}
		docs[i] = chromem.Document{ID: p.ID, Embedding: vecs[i], Content: p.Text, Metadata: passageMeta(p)}
	}
	if len(docs) > 0 {
		if err := col.AddDocuments(ctx, docs, 1); err != nil {
			return nil, fmt.Errorf("couldn't add passages to collection: %w", err)
		}
	}
	man, err := db.CreateCollection(manifestName, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't create manifest: %w", err)
	}
	err = man.AddDocument(ctx, chromem.Document{ID: manifestName, Embedding: []float32{1}, Metadata: map[string]string{
		metaFormat:   formatVersion,
		metaEmbedder: embedder,
		metaDim:      strconv.Itoa(dim),
		metaBuiltAt:  builtAt.UTC().Format(time.RFC3339Nano),
	}})
	if err != nil {
		return nil, fmt.Errorf("couldn't write manifest: %w", err)
	}
	return fromDB(ctx, db)
}

// fromDB builds an Index around a populated DB, reading the manifest and the
// passages back from its collections.
func fromDB(ctx context.Context, db *chromem.DB) (*Index, error) {
	man := db.GetCollection(manifestName, nil)
	col := db.GetCollection(collectionName, nil)
	if man == nil || col == nil || man.Count() != 1 {
		return nil, errors.New("index has no manifest or no passage collection")
	}
	res, err := man.QueryEmbedding(ctx, []float32{1}, 1, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't read manifest: %w", err)
	}
	meta := res[0].Metadata
	if meta[metaFormat] != formatVersion {
		return nil, fmt.Errorf("index format %q is not %q; run articlebot index", meta[metaFormat], formatVersion)
	}
	builtAt, err := time.Parse(time.RFC3339Nano, meta[metaBuiltAt])
	if err != nil {
		return nil, fmt.Errorf("index has a bad build time: %w", err)
	}
	dim, err := strconv.Atoi(meta[metaDim])
	if err != nil {
		return nil, fmt.Errorf("index has a bad vector size: %w", err)
	}
	ix := &Index{db: db, col: col, embedder: meta[metaEmbedder], dim: dim, builtAt: builtAt}
	ix.passages, ix.vectors, err = collectionPassages(ctx, col, dim)
	if err != nil {
		return nil, err
	}
	ix.byID = make(map[string]int, len(ix.passages))
	docs := make([][]string, len(ix.passages))
	for i, p := range ix.passages {
		ix.byID[p.ID] = i
		docs[i] = stems(analyze(p.Section + "\n" + p.Text))
	}
	ix.lex = newBM25(docs)
	return ix, nil
}

func passageMeta(p corpus.Passage) map[string]string {
	return map[string]string{
		metaDocument: p.Document,
		metaSource:   p.Source,
		metaSection:  p.Section,
		metaOrdinal:  strconv.Itoa(p.Ordinal),
		metaStart:    strconv.Itoa(p.Start),
		metaEnd:      strconv.Itoa(p.End),
	}
}

// collectionPassages reads every document of col back into passages, sorted
// by source and ordinal, with their vectors. chromem-go has no way to list a
// collection, but a query for Count() neighbours returns every document.
func collectionPassages(ctx context.Context, col *chromem.Collection, dim int) ([]corpus.Passage, [][]float32, error) {
	n := col.Count()
	if n == 0 {
		return nil, nil, nil
	}
	probe := make([]float32, dim)
	probe[0] = 1
	res, err := col.QueryEmbedding(ctx, probe, n, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("couldn't list passages: %w", err)
	}
	sort.Slice(res, func(i, j int) bool {
		a, b := res[i].Metadata, res[j].Metadata
		if a[metaSource] != b[metaSource] {
			return a[metaSource] < b[metaSource]
		}
		ai, _ := strconv.Atoi(a[metaOrdinal])
		bi, _ := strconv.Atoi(b[metaOrdinal])
		return ai < bi
	})
	ps := make([]corpus.Passage, len(res))
	vecs := make([][]float32, len(res))
	for i, r := range res {
		p, err := metaPassage(r.ID, r.Content, r.Metadata)
		if err != nil {
			return nil, nil, err
		}
		ps[i], vecs[i] = p, r.Embedding
	}
	return ps, vecs, nil
}

func metaPassage(id, text string, m map[string]string) (corpus.Passage, error) {
	var nums [3]int
	for i, k := range []string{metaOrdinal, metaStart, metaEnd} {
		n, err := strconv.Atoi(m[k])
		if err != nil {
			return corpus.Passage{}, fmt.Errorf("passage %s has a bad %s: %w", id, k, err)
		}
		nums[i] = n
	}
	return corpus.Passage{
		ID: id, Document: m[metaDocument], Source: m[metaSource], Section: m[metaSection],
		Ordinal: nums[0], Start: nums[1], End: nums[2], Text: text,
	}, nil
}
