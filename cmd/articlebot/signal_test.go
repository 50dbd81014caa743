package main

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/articlebot/articlebot/answer"
	"github.com/articlebot/articlebot/internal/fakediscord"
	"github.com/articlebot/articlebot/internal/fakeopenai"
)

// mainEnv makes the test binary run main instead of the tests. The
// subprocess tests re-execute os.Args[0] with it set: they get the real
// program, with its signal handling and exit status, without a go build.
const mainEnv = "ARTICLEBOT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main() // exits
		return
	}
	os.Exit(m.Run())
}

// serveProcess is `articlebot serve` running as a subprocess.
type serveProcess struct {
	cmd     *exec.Cmd
	stderr  *lockedBuffer
	started time.Time
	exited  chan struct{} // closed once the process has exited
	err     error         // cmd.Wait's result, once exited
}

// startServeProcess runs `bin serve` with env as its whole environment
// (plus PATH and a HOME of its own); an empty bin re-executes the test
// binary as main. The process is killed at cleanup if it is still running.
func startServeProcess(t *testing.T, bin string, env map[string]string) *serveProcess {
	t.Helper()
	environ := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	if bin == "" {
		bin = os.Args[0]
		environ = append(environ, mainEnv+"=1")
	}
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	p := &serveProcess{stderr: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = environ
	p.cmd.Stdout, p.cmd.Stderr = p.stderr, p.stderr
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s serve: %v", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// waitReady waits until the process has registered its commands in guild
// and its gateway session is live.
func (p *serveProcess) waitReady(t *testing.T, fake *fakediscord.Server, guild string) {
	t.Helper()
	ctx := serveCtx(t, 30*time.Second)
	err := fake.WaitFor(ctx, func([]fakediscord.Request) bool {
		select {
		case <-p.exited:
			return true
		default:
		}
		return len(fake.Commands(guild)) >= 4
	})
	select {
	case <-p.exited:
		t.Fatalf("serve exited before it was ready: %v\n%s", p.err, p.stderr.String())
	default:
	}
	if err != nil {
		t.Fatalf("serve not ready: %v\n%s", err, p.stderr.String())
	}
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
}

// waitStderr waits until the process has written substr.
func (p *serveProcess) waitStderr(t *testing.T, ctx context.Context, substr string) {
	t.Helper()
	for !strings.Contains(p.stderr.String(), substr) {
		select {
		case <-ctx.Done():
			t.Fatalf("serve never wrote %q: %v\n%s", substr, ctx.Err(), p.stderr.String())
		case <-p.exited:
			t.Fatalf("serve exited (%v) before writing %q\n%s", p.err, substr, p.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM and returns how long the process took to exit, or
// fails when it takes more than limit or exits non-zero.
func (p *serveProcess) stop(t *testing.T, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	return p.waitExit(t, start, limit)
}

// waitExit waits until the process exits, at most limit after since, and
// checks that it exited 0.
func (p *serveProcess) waitExit(t *testing.T, since time.Time, limit time.Duration) time.Duration {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(time.Until(since.Add(limit))):
		t.Fatalf("serve still running %v after SIGTERM\n%s", limit, p.stderr.String())
	}
	took := time.Since(since)
	if p.err != nil {
		t.Fatalf("serve exited with %v after SIGTERM, want exit status 0\n%s", p.err, p.stderr.String())
	}
	return took
}

// TestServeSignal runs `articlebot serve` as a real process against the
// fake Discord and a slow fake model, sends SIGTERM while an answer is in
// flight, then asks again by /ask and by DM. The new questions get
// "restarting, ask again in a moment"; the answer in flight is delivered
// when it fits the shutdown deadline and says "restarting" when it does
// not; /readyz stops reporting ready; the process exits 0 within 10 s of
// the signal; and what it left in its data folder is private (files 0600,
// folders 0700).
func TestServeSignal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		deadline string              // ARTICLEBOT_SHUTDOWN_TIMEOUT
		model    fakeopenai.Behavior // answers the question in flight
		finished func(r fakediscord.InteractionResponse) bool
		check    func(t *testing.T, r fakediscord.InteractionResponse)
	}{
		{
			// A 1 s stream against the longest deadline allowed (5 s), so
			// that a loaded machine cannot push the answer past it.
			name:     "InFlightFinishes",
			deadline: "5s",
			model:    fakeopenai.Paced(fakeopenai.DefaultAnswer, time.Second),
			finished: withSources,
			check: func(t *testing.T, r fakediscord.InteractionResponse) {
				msgs := responseMessages(r)
				checkAnswerMessages(t, msgs)
				if c := msgs[0].Content; strings.Contains(c, "restarting") || strings.Contains(c, strings.TrimSpace(answer.FallbackNote)) {
					t.Errorf("answer in flight = %q, want the model's answer", c)
				}
			},
		},
		{
			name:     "InFlightPastDeadline",
			deadline: "2s",
			model:    fakeopenai.Slow(30 * time.Second),
			finished: func(r fakediscord.InteractionResponse) bool {
				return r.Original != nil && strings.Contains(r.Original.Content, "restarting")
			},
			check: func(t *testing.T, r fakediscord.InteractionResponse) {
				if got, want := r.Original.Content, "I'm restarting. Please ask again in a moment."; got != want {
					t.Errorf("answer in flight past the deadline = %q, want %q", got, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := fakediscord.New(fakediscord.Options{Token: serveToken})
			t.Cleanup(fake.Close)
			ai := newModel(t, tt.model)
			dataDir := filepath.Join(t.TempDir(), "state", "articlebot") // serve creates both folders
			addr := freeAddr(t)
			p := startServeProcess(t, "", map[string]string{
				"DISCORD_TOKEN":               serveToken,
				"DISCORD_API_BASE":            fake.URL(),
				"DISCORD_GUILD_ID":            serveGuild,
				"ARTICLEBOT_DATA_DIR":         dataDir,
				"ARTICLEBOT_HTTP_ADDR":        addr,
				"ARTICLEBOT_SHUTDOWN_TIMEOUT": tt.deadline,
				"OPENAI_BASE_URL":             ai.BaseURL(),
				"OPENAI_API_KEY":              testAPIKey,
			})
			p.waitReady(t, fake, serveGuild)
			ctx := serveCtx(t, 60*time.Second)
			sb := &servedBot{fake: fake}

			inFlight := sb.ask(t, ctx, "370000000000000001", onTopic2, false)
			sb.wait(t, ctx, inFlight, func(r fakediscord.InteractionResponse) bool { return r.CallbackType == 5 })
			waitModelCalls(t, ctx, ai, 1)
			signalled := time.Now()
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatalf("SIGTERM: %v", err)
			}
			p.waitStderr(t, ctx, "stop requested")

			if code, _ := httpGet(t, "http://"+addr+"/readyz"); code == http.StatusOK {
				t.Errorf("/readyz = 200 while shutting down, want not ready")
			}
			r := sb.wait(t, ctx, sb.ask(t, ctx, "370000000000000002", onTopic, false), immediate)
			if got := r.Original.Content; !strings.Contains(got, "restarting") || !strings.Contains(got, "ask again in a moment") {
				t.Errorf("/ask during shutdown = %q, want \"restarting, ask again in a moment\"", got)
			}
			const dm = "470000000000000001"
			if _, err := fake.MessageCreate(ctx, fakediscord.MessageEvent{ChannelID: dm, Author: fakediscord.User{ID: "370000000000000003"}, Content: onTopic}); err != nil {
				t.Fatalf("MessageCreate: %v", err)
			}
			if msgs := sb.waitChannel(t, ctx, dm, 1); !strings.Contains(msgs[0].Content, "restarting") {
				t.Errorf("DM during shutdown = %q, want \"restarting, ask again in a moment\"", msgs[0].Content)
			}

			tt.check(t, sb.wait(t, ctx, inFlight, tt.finished))
			took := p.waitExit(t, signalled, 10*time.Second)
			t.Logf("exited %v after SIGTERM", took.Round(time.Millisecond))

			logs := p.stderr.String()
			for _, s := range []string{serveToken, testAPIKey, inFlight} {
				if strings.Contains(logs, s) {
					t.Errorf("serve's log contains the secret %q", s)
				}
			}
			if unsafe := fake.UnsafeMentions(); len(unsafe) != 0 {
				t.Errorf("%d requests could ping", len(unsafe))
			}
			checkPrivateFiles(t, filepath.Dir(dataDir))
		})
	}
}

// waitModelCalls waits until ai has received at least n chat calls.
func waitModelCalls(t *testing.T, ctx context.Context, ai *fakeopenai.Server, n int) {
	t.Helper()
	for ai.Calls() < n {
		select {
		case <-ctx.Done():
			t.Fatalf("%d model calls, want %d: %v", ai.Calls(), n, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// checkPrivateFiles fails unless every folder under root (root included)
// has mode 0700 and every file 0600, and at least one file exists.
func checkPrivateFiles(t *testing.T, root string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %#o, want %#o", path, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	if files == 0 {
		t.Errorf("no files under %s; the check would mean nothing", root)
	}
}

// TestServeSignalDuringStart stops serve while it is still starting. A
// signal is a normal stop at any moment, so serve must exit 0 (run returns
// nil, no error line) within 10 s of it, even when Discord is slow to
// answer: discordgo's Open and the command registration must not hold the
// process past the limit.
func TestServeSignalDuringStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		delay func(f *fakediscord.Server)
		// at is reached once serve is held where delay holds it.
		at func(ctx context.Context, f *fakediscord.Server) error
	}{
		{"RegisteringCommands", func(f *fakediscord.Server) {
			f.DelayNext("PUT", "/api/v9/applications/*/guilds/*/commands", 1, 3*time.Second)
		}, func(ctx context.Context, f *fakediscord.Server) error { return f.WaitReady(ctx) }},
		{"DiscordSlowToAnswerGateway", func(f *fakediscord.Server) {
			f.DelayNext("GET", "/api/v9/gateway", 1, 15*time.Second)
		}, func(ctx context.Context, f *fakediscord.Server) error {
			// The GET is recorded only once answered: give serve ample
			// time to load the index and ask for it.
			time.Sleep(500 * time.Millisecond)
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := fakediscord.New(fakediscord.Options{Token: serveToken})
			t.Cleanup(fake.Close)
			tt.delay(fake)
			vars := map[string]string{
				"DISCORD_TOKEN":        serveToken,
				"DISCORD_API_BASE":     fake.URL(),
				"DISCORD_GUILD_ID":     serveGuild,
				"ARTICLEBOT_DATA_DIR":  t.TempDir(),
				"ARTICLEBOT_HTTP_ADDR": "off",
				// how long a stop waits for Discord to finish connecting
				"ARTICLEBOT_SHUTDOWN_TIMEOUT": "1s",
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stderr lockedBuffer
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), &stderr, &stderr)
			}()
			if err := tt.at(serveCtx(t, 10*time.Second), fake); err != nil {
				t.Fatalf("serve never got there: %v", err)
			}
			cancel() // as SIGTERM does
			select {
			case err := <-done:
				if code := exitCode(err, &stderr); code != 0 {
					t.Errorf("serve stopped during start-up with exit status %d (%v), want 0\n%s", code, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("serve did not stop within 10 s of the signal\n%s", stderr.String())
			}
		})
	}
}
