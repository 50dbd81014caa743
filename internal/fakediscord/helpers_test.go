package fakediscord_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/articlebot/articlebot/internal/fakediscord"
)

// rewriteHost sends discordgo's https://discord.com requests to the fake.
type rewriteHost struct{ base *url.URL }

func (rt rewriteHost) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rt.base.Scheme, rt.base.Host, rt.base.Host
	return http.DefaultTransport.RoundTrip(r)
}

// newFake starts a fake whose Close runs after any session cleanup
// registered later.
func newFake(t *testing.T, opts fakediscord.Options) *fakediscord.Server {
	t.Helper()
	fake := fakediscord.New(opts)
	t.Cleanup(fake.Close)
	return fake
}

// newSession returns a discordgo session whose REST traffic goes to fake.
// It is not connected to the gateway.
func newSession(t *testing.T, fake *fakediscord.Server, token string) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	base, err := url.Parse(fake.URL())
	if err != nil {
		t.Fatalf("parse fake URL: %v", err)
	}
	s.Client = &http.Client{Transport: rewriteHost{base}, Timeout: 10 * time.Second}
	s.LogLevel = discordgo.LogError
	return s
}

// openSession connects a session to the fake's gateway after setup has
// added handlers, and closes it at cleanup (before the fake closes).
func openSession(t *testing.T, fake *fakediscord.Server, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	s := newSession(t, fake, fake.Token())
	s.Identify.Intents = discordgo.IntentsAllWithoutPrivileged | discordgo.IntentMessageContent
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		// Let a session that just resumed send its first heartbeat; see WaitReady.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = fake.WaitReady(ctx)
		_ = s.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	return s
}

func timeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// restCode returns the HTTP status and Discord error code of a
// *discordgo.RESTError, or fails the test.
func restCode(t *testing.T, err error) (status, code int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want *discordgo.RESTError", err, err)
	}
	if re.Message == nil {
		t.Fatalf("RESTError without a JSON message: %s", re.ResponseBody)
	}
	return re.Response.StatusCode, re.Message.Code
}

// receive waits for one value from ch.
func receive[T any](t *testing.T, ctx context.Context, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		var zero T
		t.Fatalf("timed out waiting for %T", zero)
		return zero
	}
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}
