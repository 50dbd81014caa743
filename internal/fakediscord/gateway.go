package fakediscord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const writeTimeout = 5 * time.Second

// gateway is the websocket side's state, guarded by its own mutex. Lock
// order: gateway.mu before Server.mu.
type gateway struct {
	mu       sync.Mutex
	closed   bool
	conns    map[*websocket.Conn]*connState // open connections
	active   *websocket.Conn                // connection with a live session
	session  string                         // current session ID, "" before the first IDENTIFY
	seq      int64                          // last sequence number sent in this session
	sent     []frame                        // dispatches of this session, for RESUME replay
	pending  []pendingDispatch              // dispatches waiting for a connection
	everUp   bool                           // a session has been READY at least once
	intents  int64
	compress bool
	stats    GatewayStats
}

// connState is what the fake tracks per websocket.
type connState struct {
	authed     bool // identified or resumed
	heartbeats int
}

type frame struct {
	seq  int64
	data []byte
}

type pendingDispatch struct {
	event   string
	data    json.RawMessage
	onWrite func(time.Time)
}

// GatewayStats is a snapshot of the gateway side.
type GatewayStats struct {
	Connected     bool   // a session is live on an open websocket
	Connections   int    // websocket connections accepted
	Identifies    int    // IDENTIFY payloads received
	Resumes       int    // RESUME payloads received
	Heartbeats    int    // op 1 heartbeats received
	FailedResumes int    // RESUMEs answered with op 9
	SessionID     string // current session
	Seq           int64  // last sequence number dispatched
	Intents       int64  // intents of the latest IDENTIFY
	Compress      bool   // the latest IDENTIFY asked for compression (ignored)
	LastURL       string // path and query of the latest websocket upgrade
}

func (g *gateway) init() { g.conns = make(map[*websocket.Conn]*connState) }

// Gateway returns a snapshot of the gateway counters.
func (s *Server) Gateway() GatewayStats {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	st := s.gw.stats
	st.Connected = s.gw.active != nil
	st.SessionID, st.Seq, st.Intents, st.Compress = s.gw.session, s.gw.seq, s.gw.intents, s.gw.compress
	return st
}

// WaitReady waits until a session is live (READY or RESUMED sent on an
// open websocket) and the client has sent its first heartbeat on it. Call
// it before closing a discordgo session: closing one whose heartbeat
// goroutine has not yet written makes discordgo reconnect forever. It
// returns a wrapped ctx.Err() or ErrClosed.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.waitUntil(ctx, func() bool {
		s.gw.mu.Lock()
		defer s.gw.mu.Unlock()
		return s.gw.active != nil && s.gw.conns[s.gw.active] != nil && s.gw.conns[s.gw.active].heartbeats > 0
	})
}

// DropConnection closes the live websocket without a close frame, as a
// network failure would. The session survives, so the client can RESUME;
// dispatches made meanwhile are queued.
func (s *Server) DropConnection() {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	if s.gw.active != nil {
		_ = s.gw.active.Close()
		s.gw.active = nil
		s.notify()
	}
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	g.active = nil
	for c := range g.conns {
		_ = c.Close()
	}
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if enc := q.Get("encoding"); enc != "" && enc != "json" {
		http.Error(w, "fakediscord: only encoding=json is supported", http.StatusBadRequest)
		return
	}
	if q.Get("compress") != "" {
		http.Error(w, "fakediscord: transport compression is not supported", http.StatusBadRequest)
		return
	}
	upgrader := websocket.Upgrader{} // no compression; discordgo sends no Origin
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client
	}
	s.gw.mu.Lock()
	if s.gw.closed {
		s.gw.mu.Unlock()
		_ = conn.Close()
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	s.gw.conns[conn] = &connState{}
	s.gw.stats.Connections++
	s.gw.stats.LastURL = r.URL.RequestURI()
	err = s.writeLocked(conn, map[string]any{
		"op": 10, "s": nil, "t": nil,
		"d": map[string]any{"heartbeat_interval": max(s.opts.HeartbeatInterval.Milliseconds(), 1)},
	})
	s.gw.mu.Unlock()
	if err == nil {
		s.readLoop(conn)
	}
	s.connGone(conn)
}

func (s *Server) readLoop(conn *websocket.Conn) {
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(msg, &p) != nil {
			s.closeWith(conn, 4002, "Error while decoding payload.")
			return
		}
		s.gw.mu.Lock()
		switch p.Op {
		case 1:
			s.gw.conns[conn].heartbeats++
			s.gw.stats.Heartbeats++
			s.notify()
			err = s.writeLocked(conn, map[string]any{"op": 11})
		case 2:
			err = s.identifyLocked(conn, p.D)
		case 6:
			err = s.resumeLocked(conn, p.D)
		}
		s.gw.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *Server) connGone(conn *websocket.Conn) {
	_ = conn.Close()
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	delete(s.gw.conns, conn)
	if s.gw.active == conn {
		s.gw.active = nil
		s.notify()
	}
}

// tokenOK accepts the token with or without "Bot ": discordgo sends the
// session token as given, prefix included.
func (s *Server) tokenOK(t string) bool {
	return t == s.opts.Token || t == "Bot "+s.opts.Token
}

func (s *Server) identifyLocked(conn *websocket.Conn, d json.RawMessage) error {
	var id struct {
		Token    string `json:"token"`
		Intents  int64  `json:"intents"`
		Compress bool   `json:"compress"`
	}
	s.gw.stats.Identifies++
	if err := json.Unmarshal(d, &id); err != nil || !s.tokenOK(id.Token) {
		return s.closeWith(conn, 4004, "Authentication failed.")
	}
	if s.gw.conns[conn].authed {
		return s.closeWith(conn, 4005, "Already authenticated.")
	}
	s.gw.conns[conn].authed = true
	s.gw.session = randomString(16)
	s.gw.seq, s.gw.sent = 0, nil
	s.gw.intents, s.gw.compress = id.Intents, id.Compress
	ready := map[string]any{
		"v": 9, "session_id": s.gw.session, "session_type": "normal",
		"resume_gateway_url": s.GatewayURL(),
		"user":               s.botUserJSON(),
		"application":        map[string]any{"id": s.opts.AppID, "flags": 0},
		"guilds":             []any{}, "private_channels": []any{},
	}
	raw, err := json.Marshal(ready)
	if err != nil {
		return fmt.Errorf("marshal READY: %w", err)
	}
	if err := s.dispatchLocked(conn, "READY", raw, nil); err != nil {
		return err
	}
	return s.goLiveLocked(conn)
}

func (s *Server) resumeLocked(conn *websocket.Conn, d json.RawMessage) error {
	var rp struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	s.gw.stats.Resumes++
	if err := json.Unmarshal(d, &rp); err != nil || !s.tokenOK(rp.Token) {
		return s.closeWith(conn, 4004, "Authentication failed.")
	}
	if rp.SessionID == "" || rp.SessionID != s.gw.session || rp.Seq > s.gw.seq {
		s.gw.stats.FailedResumes++
		return s.writeLocked(conn, map[string]any{"op": 9, "d": false, "s": nil, "t": nil})
	}
	s.gw.conns[conn].authed = true
	for _, f := range s.gw.sent {
		if f.seq > rp.Seq {
			if err := s.writeRawLocked(conn, f.data); err != nil {
				return err
			}
		}
	}
	if err := s.dispatchLocked(conn, "RESUMED", json.RawMessage(`{}`), nil); err != nil {
		return err
	}
	return s.goLiveLocked(conn)
}

// goLiveLocked makes conn the live connection and flushes queued dispatches.
func (s *Server) goLiveLocked(conn *websocket.Conn) error {
	s.gw.active, s.gw.everUp = conn, true
	s.notify()
	queued := s.gw.pending
	s.gw.pending = nil
	for i, p := range queued {
		if err := s.dispatchLocked(conn, p.event, p.data, p.onWrite); err != nil {
			s.gw.pending = append(queued[i+1:], s.gw.pending...)
			return err
		}
	}
	return nil
}

// dispatch sends an op 0 event, or queues it while no session is live.
// It first waits for the first READY.
func (s *Server) dispatch(ctx context.Context, event string, data json.RawMessage, onWrite func(time.Time)) error {
	if err := s.awaitFirstReady(ctx); err != nil {
		return fmt.Errorf("dispatch %s: %w", event, err)
	}
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	if s.gw.closed {
		return ErrClosed
	}
	if s.gw.active == nil {
		s.gw.pending = append(s.gw.pending, pendingDispatch{event, data, onWrite})
		return nil
	}
	// A failed write leaves the frame in s.gw.sent, so a RESUME replays it.
	_ = s.dispatchLocked(s.gw.active, event, data, onWrite)
	return nil
}

// awaitFirstReady waits until a session has been READY at least once,
// bounded by Options.ReadyTimeout when ctx has no deadline.
func (s *Server) awaitFirstReady(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.opts.ReadyTimeout)
		defer cancel()
	}
	err := s.waitUntil(ctx, func() bool {
		s.gw.mu.Lock()
		defer s.gw.mu.Unlock()
		return s.gw.everUp
	})
	if err != nil {
		return fmt.Errorf("waiting for READY: %w", err)
	}
	return nil
}

// dispatchLocked numbers an event, keeps it for replay and writes it.
func (s *Server) dispatchLocked(conn *websocket.Conn, event string, data json.RawMessage, onWrite func(time.Time)) error {
	s.gw.seq++
	b, err := json.Marshal(map[string]any{"op": 0, "s": s.gw.seq, "t": event, "d": data})
	if err != nil {
		return fmt.Errorf("marshal %s: %w", event, err)
	}
	if event != "READY" && event != "RESUMED" {
		s.gw.sent = append(s.gw.sent, frame{s.gw.seq, b})
	}
	if onWrite != nil { // before writing: the bot may answer before Write returns
		onWrite(time.Now())
	}
	return s.writeRawLocked(conn, b)
}

func (s *Server) writeLocked(conn *websocket.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("marshal gateway payload: %w", err)
	}
	return s.writeRawLocked(conn, b)
}

func (s *Server) writeRawLocked(conn *websocket.Conn, b []byte) error {
	_ = conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("write gateway frame: %w", err)
	}
	return nil
}

// closeWith ends conn with a gateway close code and returns an error so
// the read loop stops.
func (s *Server) closeWith(conn *websocket.Conn, code int, text string) error {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(writeTimeout))
	_ = conn.Close()
	return fmt.Errorf("gateway closed with %d: %s", code, text)
}
