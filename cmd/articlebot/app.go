package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/config"
	"github.com/articlebot/articlebot/corpus"
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
	source := retrieval.Documents(corpus.Bundled)
	if cfg.CorpusDir != "" {
		dir := cfg.CorpusDir
		source = func() ([]corpus.Document, []corpus.Skipped, error) { return corpus.LoadDir(dir) }
	}
	var client *modelclient.Client
	if cfg.UseModel() {
		client = modelclient.New(cfg.OpenAIBaseURL, cfg.OpenAIKey, &http.Client{})
	}
	var embedder retrieval.Embedder = retrieval.NewLocalEmbedder(0)
	if cfg.Embedder == "openai" {
		embedder = retrieval.NewOpenAIEmbedder(client, cfg.EmbedModel)
	}
	lib := retrieval.NewLibrary(embedder, source, retrieval.Options{Snapshot: cfg.Snapshot(), Batch: cfg.EmbedBatch, Lexicon: lexicon.Default()})
	a := &app{cfg: cfg, lg: lg, lib: lib}
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
