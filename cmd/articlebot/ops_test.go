package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeOpsEndpoints(t *testing.T) {
	addr := freeAddr(t)
	sb := startServe(t, map[string]string{"ARTICLEBOT_HTTP_ADDR": addr})
	base := "http://" + addr

	if code, body := httpGet(t, base+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	// The gateway is live once startServe returns; readiness follows the
	// connection state the bot has seen.
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body := httpGet(t, base+"/readyz")
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d %q, want 200 once connected", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}

	ctx := serveCtx(t, 10*time.Second)
	token := sb.ask(t, ctx, "300000000000000001", "What are the joint drills meant to improve?", false)
	sb.wait(t, ctx, token, withSources)
	off := sb.ask(t, ctx, "300000000000000002", "What is the tallest mountain in Africa?", false)
	sb.wait(t, ctx, off, edited)

	var body string
	deadline = time.Now().Add(5 * time.Second)
	for {
		_, body = httpGet(t, base+"/metrics")
		if strings.Contains(body, `articlebot_questions_total{outcome="refused",source="slash"} 1`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`articlebot_questions_total{outcome="answered",source="slash"} 1`,
		`articlebot_questions_total{outcome="refused",source="slash"} 1`,
		`articlebot_answer_latency_seconds_count{mode="extractive"} 2`,
		`articlebot_ack_latency_seconds_count 2`,
		`articlebot_indexed_passages 132`,
		`articlebot_gateway_connected 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestServeOpsAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := map[string]string{
		"DISCORD_TOKEN":        serveToken,
		"DISCORD_API_BASE":     "http://127.0.0.1:1", // never reached
		"ARTICLEBOT_HTTP_ADDR": ln.Addr().String(),
	}
	code, _, stderr := runCLI(t, env, "serve")
	if code != 1 || !strings.Contains(lastLine(stderr), "ARTICLEBOT_HTTP_ADDR") {
		t.Fatalf("serve with a busy port: exit %d, stderr %q; want exit 1 naming ARTICLEBOT_HTTP_ADDR", code, stderr)
	}
}
