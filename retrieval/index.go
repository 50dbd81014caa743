package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/lexicon"
	"github.com/kljensen/snowball/english"
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
	metaShards   = "shards"
	metaBuiltAt  = "built_at"
	metaFormat   = "format"
	metaDocument = "document"
	metaSource   = "source"
	metaURL      = "url" // absent when the document has no URL
	metaSection  = "section"
	metaOrdinal  = "ordinal"
	metaStart    = "start"
	metaEnd      = "end"

	formatVersion = "1"

	// skippedName is a collection whose one document lists, in its
	// metadata, the files the index was built without. Snapshots from
	// before it existed lack it: nothing was skipped.
	skippedName = "skipped"
	metaFiles   = "files"
)

// Index is an immutable, queryable set of passages: their vectors in a
// chromem-go collection and a BM25 index of their words. A reindex builds a
// new Index and swaps it in; an Index itself is never modified, so queries
// need no locks.
type Index struct {
	db        *chromem.DB
	shards    []*chromem.Collection // passages; one unless the index is large
	centroids *chromem.Collection   // shard centroids; nil for one shard
	embedder  string
	dim       int
	builtAt   time.Time
	vectors   [][]float32      // same order as passages; shared with col, read-only
	passages  []corpus.Passage // ordered by source, then ordinal
	byID      map[string]int
	lex       *bm25
	vocab     map[string]int      // surface words of the passages and their counts
	forms     map[string][]string // stem -> the surface words with that stem
	titles    map[string]bool     // stems of the document titles
	names     map[string]bool     // stems the passages write as names (see capitalised)
	skipped   []corpus.Skipped    // corpus files left out of the index

	// lexicon expands questions; set by the Library before the index is
	// served, nil for no expansion.
	lexicon   *lexicon.Lexicon
	spellOnce sync.Once
	spell     *lexicon.Speller
}

// speller returns the spelling corrector over the index's vocabulary,
// built on first use: most questions need none.
func (ix *Index) speller() *lexicon.Speller {
	ix.spellOnce.Do(func() {
		// The words that frame a question ("artical") are corrected too,
		// then dropped like their right spelling.
		vocab := maps.Clone(ix.vocab)
		for w := range questionWords {
			vocab[w] += 1
		}
		ix.spell = lexicon.NewSpeller(vocab, func(w string) bool {
			return ix.vocab[w] > 0 || english.IsStopWord(w) || chatNoise[w] || questionWords[w] ||
				(ix.lexicon != nil && ix.lexicon.Known(w))
		})
	})
	return ix.spell
}

// newIndex stores passages with their vectors (same order) in a fresh
// in-memory chromem-go DB and builds the BM25 side. The DB holds the
// passages (one collection, or shards and their centroids once there are
// shardMin passages; see shard.go) and a one-document manifest whose
// metadata names the embedder, the vector size, the shard count and the
// build time (chromem-go has no getter for collection metadata), so one
// snapshot restores everything.
func newIndex(ctx context.Context, embedder string, builtAt time.Time, passages []corpus.Passage, vecs [][]float32, shardMin int) (*Index, error) {
	db := chromem.NewDB()
	dim := 0
	if len(vecs) > 0 {
		dim = len(vecs[0])
	}
	for i := range passages {
		if len(vecs[i]) != dim {
			return nil, fmt.Errorf("embedder %s returned vectors of sizes %d and %d", embedder, dim, len(vecs[i]))
		}
	}
	assign, centroids := partition(vecs, shardMin)
	nshards := max(len(centroids), 1)
	docs := make([][]chromem.Document, nshards)
	for i, p := range passages {
		docs[assign[i]] = append(docs[assign[i]], chromem.Document{ID: p.ID, Embedding: vecs[i], Content: p.Text, Metadata: passageMeta(p)})
	}
	for i, d := range docs {
		name := collectionName
		if centroids != nil {
			name = shardName(i)
		}
		col, err := db.CreateCollection(name, nil, noEmbed)
		if err != nil {
			return nil, fmt.Errorf("couldn't create collection: %w", err)
		}
		if len(d) > 0 {
			if err := col.AddDocuments(ctx, d, 1); err != nil {
				return nil, fmt.Errorf("couldn't add passages to collection: %w", err)
			}
		}
	}
	if centroids != nil {
		col, err := db.CreateCollection(centroidsID, nil, noEmbed)
		if err != nil {
			return nil, fmt.Errorf("couldn't create centroid collection: %w", err)
		}
		cs := make([]chromem.Document, len(centroids))
		for i, c := range centroids {
			cs[i] = chromem.Document{ID: fmt.Sprintf("c%d", i), Embedding: c}
		}
		if err := col.AddDocuments(ctx, cs, 1); err != nil {
			return nil, fmt.Errorf("couldn't add centroids: %w", err)
		}
	}
	man, err := db.CreateCollection(manifestName, nil, noEmbed)
	if err != nil {
		return nil, fmt.Errorf("couldn't create manifest: %w", err)
	}
	err = man.AddDocument(ctx, chromem.Document{ID: manifestName, Embedding: []float32{1}, Metadata: map[string]string{
		metaFormat:   formatVersion,
		metaEmbedder: embedder,
		metaDim:      strconv.Itoa(dim),
		metaShards:   strconv.Itoa(nshards),
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
	man := db.GetCollection(manifestName, noEmbed)
	if man == nil || man.Count() != 1 {
		return nil, errors.New("index has no manifest")
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
	nshards, err := strconv.Atoi(meta[metaShards])
	if err != nil || nshards < 1 {
		return nil, fmt.Errorf("index has a bad shard count %q", meta[metaShards])
	}
	ix := &Index{db: db, embedder: meta[metaEmbedder], dim: dim, builtAt: builtAt}
	for i := 0; i < nshards; i++ {
		name := collectionName
		if nshards > 1 {
			name = shardName(i)
		}
		col := db.GetCollection(name, noEmbed)
		if col == nil {
			return nil, fmt.Errorf("index lacks collection %s", name)
		}
		ix.shards = append(ix.shards, col)
	}
	if nshards > 1 {
		if ix.centroids = db.GetCollection(centroidsID, noEmbed); ix.centroids == nil || ix.centroids.Count() != nshards {
			return nil, errors.New("index lacks its shard centroids")
		}
	}
	ix.passages, ix.vectors, err = allPassages(ctx, ix.shards, dim)
	if err != nil {
		return nil, err
	}
	ix.byID = make(map[string]int, len(ix.passages))
	docs := make([][]string, len(ix.passages))
	cache := stemCache{}
	ix.vocab = make(map[string]int)
	ix.forms = make(map[string][]string)
	ix.titles = make(map[string]bool)
	caps := make(map[string][2]int) // stem -> capitalised, lower-case uses inside sentences
	for i, p := range ix.passages {
		ix.byID[p.ID] = i
		if i == 0 || p.Document != ix.passages[i-1].Document {
			for _, t := range cache.analyze(p.Document) {
				ix.titles[t.stem] = true
			}
		}
		countCapitals(caps, cache, p.Text)
		toks := cache.analyze(p.Section + "\n" + p.Text)
		for _, t := range toks {
			if ix.vocab[t.word] == 0 {
				ix.forms[t.stem] = append(ix.forms[t.stem], t.word)
			}
			ix.vocab[t.word]++
		}
		docs[i] = stems(toks)
	}
	ix.lex = newBM25(docs)
	ix.names = make(map[string]bool)
	for stem, n := range caps {
		if n[0] >= 1 && n[0] >= 4*n[1] {
			ix.names[stem] = true
		}
	}
	if ix.skipped, err = readSkipped(ctx, db); err != nil {
		return nil, err
	}
	return ix, nil
}

// Skipped lists the corpus files that could not be indexed when the index
// was built, with the reasons, in file order.
func (ix *Index) Skipped() []corpus.Skipped { return slices.Clone(ix.skipped) }

// setSkipped records the skipped files in the index's DB, so that the
// snapshot keeps them. It is called once, before the index is served.
func (ix *Index) setSkipped(ctx context.Context, skipped []corpus.Skipped) error {
	ix.skipped = slices.Clone(skipped)
	if len(skipped) == 0 {
		return nil
	}
	files, err := json.Marshal(skipped)
	if err != nil {
		return fmt.Errorf("couldn't encode skipped files: %w", err)
	}
	col, err := ix.db.CreateCollection(skippedName, nil, noEmbed)
	if err != nil {
		return fmt.Errorf("couldn't create skipped-files collection: %w", err)
	}
	doc := chromem.Document{ID: skippedName, Embedding: []float32{1}, Metadata: map[string]string{metaFiles: string(files)}}
	if err := col.AddDocument(ctx, doc); err != nil {
		return fmt.Errorf("couldn't write skipped files: %w", err)
	}
	return nil
}

// readSkipped reads what setSkipped wrote; none when it wrote nothing.
func readSkipped(ctx context.Context, db *chromem.DB) ([]corpus.Skipped, error) {
	col := db.GetCollection(skippedName, noEmbed)
	if col == nil || col.Count() == 0 {
		return nil, nil
	}
	res, err := col.QueryEmbedding(ctx, []float32{1}, 1, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't read skipped files: %w", err)
	}
	var out []corpus.Skipped
	if err := json.Unmarshal([]byte(res[0].Metadata[metaFiles]), &out); err != nil {
		return nil, fmt.Errorf("index has a bad list of skipped files: %w", err)
	}
	return out, nil
}

func passageMeta(p corpus.Passage) map[string]string {
	m := map[string]string{
		metaDocument: p.Document,
		metaSource:   p.Source,
		metaSection:  p.Section,
		metaOrdinal:  strconv.Itoa(p.Ordinal),
		metaStart:    strconv.Itoa(p.Start),
		metaEnd:      strconv.Itoa(p.End),
	}
	if p.URL != "" {
		m[metaURL] = p.URL
	}
	return m
}

// allPassages reads every document of the shards back into passages, sorted
// by source and ordinal, with their vectors. chromem-go has no way to list a
// collection, but a query for Count() neighbours returns every document.
func allPassages(ctx context.Context, shards []*chromem.Collection, dim int) ([]corpus.Passage, [][]float32, error) {
	var res []chromem.Result
	for _, col := range shards {
		n := col.Count()
		if n == 0 {
			continue
		}
		probe := make([]float32, dim)
		probe[0] = 1
		r, err := col.QueryEmbedding(ctx, probe, n, nil, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("couldn't list passages: %w", err)
		}
		res = append(res, r...)
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
		ID: id, Document: m[metaDocument], Source: m[metaSource], URL: m[metaURL], Section: m[metaSection],
		Ordinal: nums[0], Start: nums[1], End: nums[2], Text: text,
	}, nil
}

// errNoEmbed is what chromem-go gets if it ever tries to embed a text
// itself (a document added without its vector, a query by text).
var errNoEmbed = errors.New("chromem-go asked to embed a text: the index hands it vectors only")

// noEmbed is every collection's embedding function. The Library's
// Embedder embeds passages and questions and chromem-go only stores and
// compares vectors; without a function of its own chromem-go would fall
// back to calling OpenAI's API with OPENAI_API_KEY, a network call and a
// key sent where the operator never pointed them.
func noEmbed(context.Context, string) ([]float32, error) { return nil, errNoEmbed }
