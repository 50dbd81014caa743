package fakediscord

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

type faultKind int

const (
	faultStatus faultKind = iota
	faultRateLimit
	faultDelay
	faultGarble
	faultRejectCommands
)

// fault is one injected misbehaviour for the next n matching requests.
type fault struct {
	kind       faultKind
	method     string // "" matches any
	pattern    string // path.Match pattern over the URL path
	remaining  int
	status     int
	retryAfter time.Duration
	delay      time.Duration
}

func (f *fault) matches(method, urlPath string) bool {
	if f.method != "" && !strings.EqualFold(f.method, method) {
		return false
	}
	ok, _ := path.Match(f.pattern, urlPath) // checked when added
	return ok
}

// FailNext makes the next n REST requests whose method (or any, if "")
// and URL path match pathPattern (path.Match syntax, e.g.
// "/api/v9/channels/*/messages") answer status with a JSON error body.
// discordgo retries only 502. It panics if pathPattern is malformed.
func (s *Server) FailNext(method, pathPattern string, n, status int) {
	s.addFault(&fault{kind: faultStatus, method: method, pattern: pathPattern, remaining: n, status: status})
}

// RateLimitNext makes the next n matching requests answer 429 with
// retry_after set to retryAfter (50 ms if zero), as Discord does for a
// per-route bucket. It panics if pathPattern is malformed.
func (s *Server) RateLimitNext(method, pathPattern string, n int, retryAfter time.Duration) {
	if retryAfter <= 0 {
		retryAfter = 50 * time.Millisecond
	}
	s.addFault(&fault{kind: faultRateLimit, method: method, pattern: pathPattern, remaining: n, retryAfter: retryAfter})
}

// DelayNext holds the next n matching requests for d before handling
// them. The interaction acknowledgement deadline is checked after the
// delay, so a delayed callback can miss it. It panics if pathPattern is
// malformed.
func (s *Server) DelayNext(method, pathPattern string, n int, d time.Duration) {
	s.addFault(&fault{kind: faultDelay, method: method, pattern: pathPattern, remaining: n, delay: d})
}

// GarbleNext makes the next n matching requests take effect as usual but
// answer 200 with a body that is not JSON, as a proxy or a
// Discord-compatible server cut short might: the bot must treat the
// request as done and not make it again. It panics if pathPattern is
// malformed.
func (s *Server) GarbleNext(method, pathPattern string, n int) {
	s.addFault(&fault{kind: faultGarble, method: method, pattern: pathPattern, remaining: n})
}

// RejectCommandsNext makes the next n bulk overwrites of the slash
// commands (guild or global) answer 400 with Discord's "Invalid Form Body"
// error (code 50035), as a server that doesn't accept a command does.
func (s *Server) RejectCommandsNext(n int) {
	for _, p := range []string{"/api/v9/applications/*/commands", "/api/v9/applications/*/guilds/*/commands"} {
		s.addFault(&fault{kind: faultRejectCommands, method: "PUT", pattern: p, remaining: n})
	}
}

// SetLatency delays every REST request by d from now on; 0 turns it off.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) addFault(f *fault) {
	if _, err := path.Match(f.pattern, ""); err != nil {
		panic(fmt.Sprintf("fakediscord: bad path pattern %q: %v", f.pattern, err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// delayFor consumes matching delay faults and returns the total latency.
func (s *Server) delayFor(method, urlPath string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.latency
	for _, f := range s.faults {
		if f.kind == faultDelay && f.remaining > 0 && f.matches(method, urlPath) {
			f.remaining--
			d += f.delay
		}
	}
	return d
}

// takeFault consumes and returns the first matching status or rate-limit
// fault, or nil.
func (s *Server) takeFault(method, urlPath string) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.kind != faultDelay && f.remaining > 0 && f.matches(method, urlPath) {
			f.remaining--
			return f
		}
	}
	return nil
}

// sleep waits for d; it reports false if the request or server ended first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

func (f *fault) respond(w http.ResponseWriter) {
	if f.kind == faultRejectCommands {
		writeFormErrors(w, []fieldError{{"0.options.0.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."}})
		return
	}
	if f.kind == faultStatus {
		writeError(w, f.status, 0, fmt.Sprintf("%d: %s", f.status, http.StatusText(f.status)))
		return
	}
	// discordgo reads retry_after from the body and, for the bucket,
	// X-RateLimit-Remaining and X-RateLimit-Reset-After; it treats any
	// X-RateLimit-Global value as global, so that header is left out.
	secs := f.retryAfter.Seconds()
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(f.retryAfter).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "fakediscord-bucket")
	h.Set("X-RateLimit-Scope", "user")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": secs, "global": false,
	})
}
