// Package metrics exposes what the bot does in the Prometheus format:
// questions by source and outcome, answer and acknowledgement latency, model
// calls, retries and fallbacks, reindexes, the index size, the gateway's
// connection state and votes on answers.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/bot"
	"github.com/articlebot/articlebot/retrieval"
)

// Metrics holds the collectors, registered in their own registry (never the
// global one, so tests can build as many as they like).
type Metrics struct {
	Registry *prometheus.Registry

	questions    *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	ack          prometheus.Histogram
	modelCalls   prometheus.Counter
	modelErrors  *prometheus.CounterVec
	modelRetries prometheus.Counter
	fallbacks    *prometheus.CounterVec
	reindexes    *prometheus.CounterVec
	reindexTime  prometheus.Histogram
	gateway      prometheus.Gauge
	feedback     *prometheus.CounterVec
	registerErrs prometheus.Counter
}

// New registers the collectors. passages reports the number of passages
// now indexed (0 before an index is loaded).
func New(passages func() int) *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "articlebot_questions_total",
			Help: "Questions by source (slash, dm, mention) and outcome (answered, refused, rate_limited, busy, invalid, restarting, failed).",
		}, []string{"source", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "articlebot_answer_latency_seconds",
			Help:    "Time from receiving a question to its final message, by answer mode (extractive, llm, none).",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 40},
		}, []string{"mode"}),
		ack: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "articlebot_ack_latency_seconds",
			Help:    "Time from receiving a slash command to acknowledging it (Discord allows 3 s).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3},
		}),
		modelCalls: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "articlebot_model_calls_total",
			Help: "Questions for which the chat model was called.",
		}),
		modelErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "articlebot_model_errors_total",
			Help: "Model answers that could not be used, by reason (unavailable, rejected, empty, no_citations, prompt_leak, other).",
		}, []string{"reason"}),
		modelRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "articlebot_model_retries_total",
			Help: "Retried model calls (429, 5xx, connection errors, cut streams).",
		}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "articlebot_fallbacks_total",
			Help: "Extractive answers given because the model's answer was unusable, by reason.",
		}, []string{"reason"}),
		reindexes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "articlebot_reindexes_total",
			Help: "Reindexes by result (ok, error).",
		}, []string{"result"}),
		reindexTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "articlebot_reindex_duration_seconds",
			Help:    "Wall time of successful reindexes.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 9),
		}),
		gateway: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "articlebot_gateway_connected",
			Help: "1 while the Discord gateway is connected, else 0.",
		}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "articlebot_feedback_total",
			Help: "Votes on answers by vote (up, down); a changed vote counts again.",
		}, []string{"vote"}),
		registerErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "articlebot_command_registration_failures_total",
			Help: "Slash-command registrations Discord refused; the bot retries them in the background.",
		}),
	}
	// Both series exist from the start, so a rate of 👎 is defined before
	// the first one.
	m.feedback.WithLabelValues("up")
	m.feedback.WithLabelValues("down")
	r.MustRegister(m.questions, m.latency, m.ack, m.modelCalls, m.modelErrors, m.modelRetries,
		m.fallbacks, m.reindexes, m.reindexTime, m.gateway, m.feedback, m.registerErrs,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "articlebot_indexed_passages",
			Help: "Passages in the index now serving.",
		}, func() float64 { return float64(passages()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Hooks returns bot hooks that feed the collectors.
func (m *Metrics) Hooks() bot.Hooks {
	return bot.Hooks{Question: m.question, Gateway: m.setGateway, Reindex: m.reindex, RegisterFailed: m.registerFailed, Feedback: m.Feedback}
}

// ModelRetry counts one retried model call; pass it as
// answer.LLMOptions.OnRetry.
func (m *Metrics) ModelRetry(attempt int, err error) { m.modelRetries.Inc() }

// Feedback counts one vote on an answer: 👍 when up, else 👎.
func (m *Metrics) Feedback(up bool) {
	vote := "down"
	if up {
		vote = "up"
	}
	m.feedback.WithLabelValues(vote).Inc()
}

func (m *Metrics) question(e bot.QuestionEvent) {
	m.questions.WithLabelValues(string(e.Source), string(e.Outcome)).Inc()
	mode := string(e.Mode)
	if mode == "" {
		mode = "none"
	}
	m.latency.WithLabelValues(mode).Observe(e.Latency.Seconds())
	if e.Source == bot.SourceSlash && e.Acked > 0 {
		m.ack.Observe(e.Acked.Seconds())
	}
	if e.Mode == answer.ModeLLM || e.Fallback != "" {
		m.modelCalls.Inc()
	}
	if e.Fallback != "" {
		m.modelErrors.WithLabelValues(e.Fallback).Inc()
		m.fallbacks.WithLabelValues(e.Fallback).Inc()
	}
}

func (m *Metrics) registerFailed(error) { m.registerErrs.Inc() }

func (m *Metrics) setGateway(up bool) {
	if up {
		m.gateway.Set(1)
	} else {
		m.gateway.Set(0)
	}
}

func (m *Metrics) reindex(sum retrieval.Summary, err error) {
	if err != nil {
		m.reindexes.WithLabelValues("error").Inc()
		return
	}
	m.reindexes.WithLabelValues("ok").Inc()
	m.reindexTime.Observe(sum.Duration.Seconds())
}
