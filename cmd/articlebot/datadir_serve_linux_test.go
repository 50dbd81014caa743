package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// TestServeDataDirProblems starts serve with a read-only or full data
// folder. It must fail before connecting to Discord, with exit status 1
// and one line naming the problem and ARTICLEBOT_DATA_DIR.
func TestServeDataDirProblems(t *testing.T) {
	tests := []struct {
		name    string
		dataDir func(t *testing.T) string
		want    string
	}{
		{"ReadOnly", readOnlyDataDir, "read-only file system"},
		{"DiskFull", fullDataDir, "no space left on device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakediscord.New(fakediscord.Options{Token: serveToken})
			t.Cleanup(fake.Close)
			env := map[string]string{
				"DISCORD_TOKEN":        serveToken,
				"DISCORD_API_BASE":     fake.URL(),
				"ARTICLEBOT_DATA_DIR":  tt.dataDir(t),
				"ARTICLEBOT_HTTP_ADDR": "off",
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			err := run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
			if ctx.Err() != nil {
				t.Fatalf("serve ran until the test's deadline instead of failing: %v", err)
			}
			code := exitCode(err, &stderr)
			last := lastLine(stderr.String())
			if code != 1 || !strings.Contains(last, tt.want) || !strings.Contains(last, "ARTICLEBOT_DATA_DIR") {
				t.Fatalf("exit %d, last stderr line %q; want exit 1 naming %q and ARTICLEBOT_DATA_DIR", code, last, tt.want)
			}
			if reqs, gw := fake.Requests(), fake.Gateway(); len(reqs) != 0 || gw.Connections != 0 {
				t.Errorf("serve contacted Discord (%d requests, %d gateway connections) before failing", len(reqs), gw.Connections)
			}
		})
	}
}
