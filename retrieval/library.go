package retrieval

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/articlebot/articlebot/corpus"
	"github.com/articlebot/articlebot/lexicon"
)

// Source loads the corpus documents, listing the files it had to skip. A
// closure over corpus.LoadDir and Documents(corpus.Bundled) are the real
// sources; tests pass documents they build. An error means the corpus could
// not be read at all, and the index then stays as it was.
type Source func() ([]corpus.Document, []corpus.Skipped, error)

// Documents adapts a loader that never skips a file, such as
// corpus.Bundled, to a Source.
func Documents(load func() ([]corpus.Document, error)) Source {
	return func() ([]corpus.Document, []corpus.Skipped, error) {
		docs, err := load()
		return docs, nil, err
	}
}

// Summary reports what a reindex did.
type Summary struct {
	Documents int              // documents read
	Passages  int              // passages in the new index
	Added     int              // passages that are new
	Changed   int              // passages whose text changed in place
	Removed   int              // passages that are gone
	Embedded  int              // vectors computed (paid for, with a remote embedder)
	Reused    int              // vectors carried over from the previous index
	Skipped   []corpus.Skipped // files of the corpus that could not be indexed, and why
	Duration  time.Duration    // wall time of the whole reindex
	Unchanged bool             // the corpus matched the index; nothing was written
}

// Progress is told how many of the passages that need vectors are done.
type Progress func(done, total int)

// Library owns the current Index: it loads the saved snapshot, reindexes
// from the Source and swaps the new index in atomically. Searches always see
// a complete index, the old one until a reindex has fully succeeded.
// Reindexes run one at a time; a failed reindex leaves the old index serving.
type Library struct {
	embedder Embedder
	source   Source
	path     string // snapshot file; empty keeps the index in memory only
	split    corpus.SplitOptions
	batch    int
	shardMin int
	now      func() time.Time
	lexicon  *lexicon.Lexicon
	// queryTimeout bounds one query embedding.
	queryTimeout time.Duration
	// saveHook, set only by the crash test, is told each step of a
	// snapshot write (see saveSnapshot).
	saveHook func(saveStage)

	cur atomic.Pointer[Index]
	mu  sync.Mutex // serialises reindexes; guards pending
	// pending keeps vectors of a reindex that failed part-way, by passage
	// text, so the next attempt does not pay for them again.
	pending map[string][]float32
}

// Options configures a Library.
type Options struct {
	Snapshot string              // file the index is saved to; empty for memory only
	Split    corpus.SplitOptions // passage shape; zero means corpus.DefaultSplit()
	Batch    int                 // texts per Embed call; default 256
	Now      func() time.Time    // clock; default time.Now
	ShardMin int                 // passages from which the index is sharded; default DefaultShardMin
	// Lexicon corrects and expands questions (lexicon.Default() in the
	// product); nil searches with the question's own words only.
	Lexicon *lexicon.Lexicon
	// QueryTimeout bounds the embedding of a question; past it a search
	// ranks by BM25 alone. Default DefaultQueryTimeout.
	QueryTimeout time.Duration
}

// NewLibrary returns a Library with no index loaded; call Open.
func NewLibrary(embedder Embedder, source Source, opt Options) *Library {
	if opt.Split.MaxChars <= 0 {
		opt.Split = corpus.DefaultSplit()
	}
	if opt.Batch <= 0 {
		opt.Batch = 256
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.QueryTimeout <= 0 {
		opt.QueryTimeout = DefaultQueryTimeout
	}
	if opt.ShardMin <= 0 {
		opt.ShardMin = DefaultShardMin
	}
	return &Library{embedder: embedder, source: source, path: opt.Snapshot, split: opt.Split, batch: opt.Batch, shardMin: opt.ShardMin, now: opt.Now, lexicon: opt.Lexicon, queryTimeout: opt.QueryTimeout}
}

// ErrNoIndex is returned by searches before any index is loaded or built.
var ErrNoIndex = errors.New("no index loaded")

// Current returns the index now serving, or nil.
func (l *Library) Current() *Index { return l.cur.Load() }

// Load reads the saved snapshot, if any, and serves it. It returns an error
// wrapping ErrNoSnapshot when there is none. A snapshot built with another
// embedder is not served, and Load says so; Reindex then rebuilds it.
func (l *Library) Load(ctx context.Context) error {
	if l.path == "" {
		return ErrNoSnapshot
	}
	ix, err := loadSnapshot(ctx, l.path)
	if err != nil {
		return err
	}
	if ix.embedder != l.embedder.Name() {
		return fmt.Errorf("%w: index was built with embedder %s, configured is %s", ErrEmbedderChanged, ix.embedder, l.embedder.Name())
	}
	ix.lexicon = l.lexicon
	l.cur.Store(ix)
	return nil
}

// ErrSave wraps a failure to write the index to the data folder (read-only,
// full, not a folder); the index in memory is unchanged.
var ErrSave = errors.New("couldn't save the index")

// ErrEmbedderChanged means the saved index came from a different embedder and
// must be rebuilt before it can be queried.
var ErrEmbedderChanged = errors.New("embedder changed")

// Open serves the saved snapshot when it is usable, then brings it up to date
// with the source, embedding only new or changed passages. When the saved
// snapshot cannot be used or the source cannot be read, it returns the error
// from that step along with whatever index it could serve; the caller decides
// whether an index with a stale corpus is good enough.
func (l *Library) Open(ctx context.Context, progress Progress) (Summary, error) {
	loadErr := l.Load(ctx)
	sum, err := l.Reindex(ctx, progress)
	if err != nil {
		if l.Current() != nil && loadErr == nil {
			return sum, fmt.Errorf("serving the saved index; couldn't refresh it: %w", err)
		}
		return sum, err
	}
	return sum, nil
}

// Reindex re-reads the source, re-embeds only passages whose text the
// current index lacks, drops deleted passages, saves the new index and swaps
// it in. Files the source skipped are listed in the Summary and kept with
// the index (Index.Skipped); they are not an error. When the corpus already
// matches the index it does nothing. On any error the current index keeps
// serving unchanged.
func (l *Library) Reindex(ctx context.Context, progress Progress) (Summary, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := l.now()
	docs, skipped, err := l.source()
	if err != nil {
		return Summary{Skipped: skipped}, fmt.Errorf("couldn't read corpus: %w", err)
	}
	var passages []corpus.Passage
	for _, d := range docs {
		passages = append(passages, corpus.Split(d, l.split)...)
	}
	sum := Summary{Documents: len(docs), Passages: len(passages), Skipped: skipped}
	old := l.Current()
	diff(old, passages, &sum)
	if old != nil && sum.Added == 0 && sum.Changed == 0 && sum.Removed == 0 && samePlaces(old, passages) &&
		slices.Equal(old.skipped, skipped) {
		sum.Unchanged = true
		sum.Reused = len(passages)
		sum.Duration = l.now().Sub(start)
		return sum, nil
	}
	vecs, err := l.vectors(ctx, old, passages, &sum, progress)
	if err != nil {
		return sum, err
	}
	ix, err := newIndex(ctx, l.embedder.Name(), l.now(), passages, vecs, l.shardMin)
	if err != nil {
		return sum, err
	}
	if err := ix.setSkipped(ctx, skipped); err != nil {
		return sum, err
	}
	if l.path != "" {
		if err := saveSnapshot(ix, l.path, l.saveHook); err != nil {
			return sum, fmt.Errorf("%w: %w", ErrSave, err)
		}
	}
	ix.lexicon = l.lexicon
	l.cur.Store(ix)
	l.pending = nil
	sum.Duration = l.now().Sub(start)
	return sum, nil
}

// vectors returns a vector for every passage, reusing the old index's vector
// for a passage with the same text, wherever it was (a renamed or moved file
// costs no embedding), and embedding the rest in batches.
func (l *Library) vectors(ctx context.Context, old *Index, passages []corpus.Passage, sum *Summary, progress Progress) ([][]float32, error) {
	vecs := make([][]float32, len(passages))
	name := l.embedder.Name()
	// The text is what gets embedded, so it is the key; identical text
	// in two places shares one vector.
	known := make(map[string][]float32)
	if old != nil && old.embedder == name {
		for i, p := range old.passages {
			known[p.Text] = old.vectors[i]
		}
	}
	var todo []int
	for i, p := range passages {
		if v, ok := known[p.Text]; ok {
			vecs[i] = v
			sum.Reused++
			continue
		}
		if v, ok := l.pending[p.Text]; ok {
			vecs[i] = v
			sum.Reused++
			continue
		}
		todo = append(todo, i)
	}
	// Each distinct text is embedded once; its copies take its vector.
	var uniq []int
	seen := make(map[string]bool, len(todo))
	for _, i := range todo {
		if t := passages[i].Text; !seen[t] {
			seen[t] = true
			uniq = append(uniq, i)
		}
	}
	for b := 0; b < len(uniq); b += l.batch {
		chunk := uniq[b:min(b+l.batch, len(uniq))]
		texts := make([]string, len(chunk))
		for i, idx := range chunk {
			texts[i] = passages[idx].Text
		}
		out, err := l.embedder.Embed(ctx, texts)
		if err != nil {
			return nil, fmt.Errorf("couldn't embed passages: %w", err)
		}
		if len(out) != len(texts) {
			return nil, fmt.Errorf("embedder %s returned %d vectors for %d passages", name, len(out), len(texts))
		}
		if l.pending == nil {
			l.pending = make(map[string][]float32)
		}
		for i, t := range texts {
			l.pending[t] = out[i]
		}
		sum.Embedded += len(chunk)
		if progress != nil {
			progress(sum.Embedded, len(uniq))
		}
	}
	for _, i := range todo {
		vecs[i] = l.pending[passages[i].Text]
	}
	sum.Reused += len(todo) - len(uniq)
	return vecs, nil
}

// diff counts added, changed and removed passages between the old index and
// the new passages. A new ID at a place (source and ordinal) that an old,
// now-gone passage held counts as changed; other new IDs as added.
func diff(old *Index, passages []corpus.Passage, sum *Summary) {
	if old == nil {
		sum.Added = len(passages)
		return
	}
	type place struct {
		source  string
		ordinal int
	}
	newIDs := make(map[string]bool, len(passages))
	for _, p := range passages {
		newIDs[p.ID] = true
	}
	gone := make(map[place]bool)
	for _, p := range old.passages {
		if !newIDs[p.ID] {
			gone[place{p.Source, p.Ordinal}] = true
			sum.Removed++
		}
	}
	for _, p := range passages {
		if _, ok := old.byID[p.ID]; ok {
			continue
		}
		if at := (place{p.Source, p.Ordinal}); gone[at] {
			delete(gone, at)
			sum.Changed++
			sum.Removed--
			continue
		}
		sum.Added++
	}
}

// samePlaces reports whether every passage sits at the same place as in the
// old index, so that an unchanged ID set also means unchanged metadata.
func samePlaces(old *Index, passages []corpus.Passage) bool {
	if len(old.passages) != len(passages) {
		return false
	}
	for _, p := range passages {
		q := old.passages[old.byID[p.ID]]
		if q.Ordinal != p.Ordinal || q.Start != p.Start || q.End != p.End || q.Document != p.Document || q.URL != p.URL {
			return false
		}
	}
	return true
}

// DefaultQueryTimeout bounds the query embedding of one search. A remote
// embedder that is down or slow must not hold a member's question for
// minutes: past it the search ranks by BM25 alone.
const DefaultQueryTimeout = 2 * time.Second

// Search embeds query with the library's embedder and searches the current
// index. It returns ErrNoIndex before an index is loaded. When the query
// embedding fails or takes longer than the query timeout, it ranks by the
// lexical side alone and says so in Results.LexicalOnly and EmbedErr; only
// a cancelled ctx fails the search.
func (l *Library) Search(ctx context.Context, query string, k int) (Results, error) {
	return l.SearchQuery(ctx, Query{Text: query}, k)
}

// SearchQuery is Search for a question with its conversation: the earlier
// questions' terms rank at a lower weight (see Query).
func (l *Library) SearchQuery(ctx context.Context, in Query, k int) (Results, error) {
	query := in.Text
	ix := l.Current()
	if ix == nil {
		return Results{Query: query}, ErrNoIndex
	}
	q := ix.understandQuery(in)
	var vec []float32
	var embedErr error
	if len(q.terms) > 0 {
		vec, embedErr = l.embedQuery(ctx, ix, q.embed)
		if embedErr != nil && ctx.Err() != nil {
			return Results{Query: query}, fmt.Errorf("couldn't embed question: %w", ctx.Err())
		}
	}
	res, err := ix.search(ctx, q, query, vec, k)
	if embedErr != nil {
		res.LexicalOnly, res.EmbedErr = true, embedErr
	}
	return res, err
}

// embedQuery embeds one question within the query timeout.
func (l *Library) embedQuery(ctx context.Context, ix *Index, text string) ([]float32, error) {
	ectx, cancel := context.WithTimeout(ctx, l.queryTimeout)
	defer cancel()
	vecs, err := l.embedder.Embed(ectx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("couldn't embed question: %w", err)
	}
	if len(vecs) != 1 || len(vecs[0]) != ix.dim {
		return nil, fmt.Errorf("embedder %s returned a vector of the wrong size", l.embedder.Name())
	}
	return vecs[0], nil
}
