package metrics

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves the operations endpoints:
//
//   - /healthz: 200 while the process serves HTTP at all (liveness).
//   - /readyz: 200 when ready returns nil, else 503 with the reason
//     (readiness: index loaded and gateway connected). A *Degraded error
//     answers 200 with "ready, degraded: " and its reason: the bot serves,
//     but not everything.
//   - /metrics: the Prometheus exposition of m.
func Handler(m *Metrics, ready func() error) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		err := ready()
		var d *Degraded
		if errors.As(err, &d) {
			fmt.Fprintln(w, "ready, degraded:", d.Reason)
			return
		}
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready:", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	return mux
}

// Degraded is what a readiness check returns when the service answers but
// not in full, such as a bot serving DMs and mentions while its slash
// commands are not registered.
type Degraded struct{ Reason string }

// Error returns the reason.
func (d *Degraded) Error() string { return "degraded: " + d.Reason }
