package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/collection"
	"github.com/articlebot/articlebot/config"
	"github.com/articlebot/articlebot/fetch"
	"github.com/articlebot/articlebot/lexicon"
	"github.com/articlebot/articlebot/modelclient"
	"github.com/articlebot/articlebot/retrieval"
)

// app holds the parts every command shares, built from the configuration.
type app struct {
	cfg      config.Config
	lg       *slog.Logger
	lib      *retrieval.Library
	answerer *answer.Answerer
	store    *collection.Store
}

// newLogger returns the configured slog logger writing to w.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newApp wires the library and the answerer. It makes no network call.
// onRetry, if not nil, is told about every retried model call (metrics).
// maxAnswerRunes caps model answers for where they are shown (the bot's
// bot.MaxAnswerRunes); zero keeps them whole, as the command line prints
// them.
func newApp(lg *slog.Logger, cfg config.Config, onRetry func(attempt int, err error), maxAnswerRunes int) *app {
	// The corpus is the bundled article (or ARTICLEBOT_CORPUS_DIR) plus
	// the documents added to the data folder; see README.md (Documents).
	store := collection.NewStore(filepath.Join(cfg.DataDir, "documents"), cfg.CorpusDir)
	var client *modelclient.Client
	if cfg.UseModel() {
		client = modelclient.New(cfg.OpenAIBaseURL, cfg.OpenAIKey, &http.Client{})
	}
	var embedder retrieval.Embedder = retrieval.NewLocalEmbedder()
	if cfg.Embedder == "openai" {
		embedder = retrieval.NewOpenAIEmbedder(client, cfg.EmbedModel)
	}
	lib := retrieval.NewLibrary(embedder, store.Load, retrieval.Options{Snapshot: cfg.Snapshot(), Batch: cfg.EmbedBatch, Lexicon: lexicon.Default()})
	a := &app{cfg: cfg, lg: lg, lib: lib, store: store}
	var gen answer.Generator
	opt := answer.Options{ContextChars: cfg.ContextChars, Rewrite: answer.RewriteMode(cfg.Rewrite)}
	if client != nil {
		budget := cfg.LLMRetryBudget
		if budget == 0 {
			budget = -1 // ARTICLEBOT_LLM_RETRY_BUDGET=0: no retries
		}
		llm := answer.NewLLM(lg, client, answer.LLMOptions{
			Model:          cfg.ChatModel,
			Timeout:        cfg.LLMTimeout,
			RetryBudget:    budget,
			MaxTokens:      cfg.MaxAnswerToks,
			MaxAnswerRunes: maxAnswerRunes,
			OnRetry:        onRetry,
		})
		gen, opt.Rewriter = llm, llm
	}
	a.answerer = answer.NewAnswerer(lg, lib, gen, opt)
	return a
}

// open loads the saved index and brings it up to date with the corpus,
// building it on first use. A stale but usable index is served with a
// warning when the corpus cannot be read. Skipped files are not a reason
// to warn on every question: `articlebot index` lists them.
func (a *app) open(ctx context.Context, progress retrieval.Progress) (retrieval.Summary, error) {
	sum, err := a.lib.Open(ctx, progress)
	if err != nil {
		if a.lib.Current() == nil {
			return sum, a.dataDirHint(err)
		}
		a.lg.Warn("index may be out of date", "err", err)
	}
	if n := len(sum.Skipped); n > 0 {
		a.lg.Debug("corpus files skipped; articlebot index lists them", "files", n)
	}
	return sum, nil
}

// dataDirHint adds the data folder and how to change it to an error about
// saving the index.
func (a *app) dataDirHint(err error) error {
	if errors.Is(err, retrieval.ErrSave) {
		return fmt.Errorf("%w (data folder %s; set ARTICLEBOT_DATA_DIR to a writable folder)", err, a.cfg.DataDir)
	}
	return err
}

// progressPrinter reports embedding progress on w at most once a second,
// and only for runs long enough to need it.
func progressPrinter(w io.Writer) retrieval.Progress {
	start := time.Now()
	last := start
	return func(done, total int) {
		now := time.Now()
		if now.Sub(last) < time.Second && done < total {
			return
		}
		if now.Sub(start) < time.Second {
			return
		}
		last = now
		fmt.Fprintf(w, "embedded %d/%d passages (%.0f%%)\n", done, total, 100*float64(done)/float64(max(total, 1)))
	}
}

// fetchHookKey is the context key of a test's change to the fetch
// options: httptest servers listen on loopback at random ports, which
// the product never allows. No production caller sets it.
type fetchHookKey struct{}

// documents returns the manager that adds and removes documents. Pages
// are fetched with the safety rules of package fetch. Attachments are
// fetched with the same rules, but only from Discord's CDN hosts or the
// configured DISCORD_API_BASE (a proxy, or the fake Discord in tests),
// whose address the operator chose and which is therefore trusted.
func (a *app) documents(ctx context.Context) *collection.Manager {
	pages := fetch.Options{AllowPrivate: a.cfg.FetchAllowPrivate}
	files := fetch.Options{AllowPrivate: a.cfg.FetchAllowPrivate, OnlyHosts: []string{"cdn.discordapp.com", "media.discordapp.net"}}
	if u := a.cfg.DiscordAPI; u != nil {
		files.OnlyHosts = append(files.OnlyHosts, u.Hostname())
		files.TrustedHosts = []string{hostPort(u.Scheme, u.Host)}
	}
	if hook, ok := ctx.Value(fetchHookKey{}).(func(*fetch.Options)); ok {
		hook(&pages)
	}
	return collection.NewManager(a.store, fetch.New(pages), fetch.New(files), a.lib, nil)
}

// hostPort adds the scheme's default port to host when it has none.
func hostPort(scheme, host string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if scheme == "http" {
		return net.JoinHostPort(host, "80")
	}
	return net.JoinHostPort(host, "443")
}
