package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const kyoto = `<!doctype html><html><head><title>Visiting Kyoto | Travel Blog</title></head>
<body><article><h1>Visiting Kyoto</h1><p>Kyoto has more than a thousand temples, and autumn is the best time to see them.</p>
<h2>Temples</h2><p>Kinkaku-ji is covered in gold leaf and reflects in its pond.</p></article>
<footer>© 2024 Travel Blog.</footer></body></html>`

// serve starts an httptest server on loopback for h.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// port is the port srv listens on.
func port(t *testing.T, srv *httptest.Server) uint16 {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("port of %s: %v", srv.URL, err)
	}
	return uint16(p)
}

// testOptions lets the fetcher reach srv: loopback (AllowPrivate) on its
// random port, the test-only opt-in.
func testOptions(t *testing.T, srvs ...*httptest.Server) Options {
	t.Helper()
	opt := Options{AllowPrivate: true, Timeout: 5 * time.Second, Ports: []uint16{80, 443}}
	for _, s := range srvs {
		opt.Ports = append(opt.Ports, port(t, s))
	}
	return opt
}

func page(body, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		fmt.Fprint(w, body)
	}
}

func TestGetOK(t *testing.T) {
	srv := serve(t, page(kyoto, "text/html; charset=utf-8"))
	f := New(testOptions(t, srv))
	p, err := f.Get(context.Background(), srv.URL+"/kyoto")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	doc, err := p.Document()
	if err != nil {
		t.Fatalf("Document: %v", err)
	}
	if got, want := doc.Title, "Visiting Kyoto"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := doc.URL, srv.URL+"/kyoto"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if strings.Contains(doc.Text, "©") {
		t.Errorf("Text keeps the footer: %q", doc.Text)
	}
}

func TestGetTypes(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
	tests := []struct {
		name        string
		body, ctype string
		wantType    string
		wantErr     error
		wantMsg     string
	}{
		{name: "Markdown", body: "# Tea\n\nSencha is a green tea.", ctype: "text/markdown", wantType: "text/markdown"},
		{name: "PlainText", body: "Sencha is a green tea.", ctype: "text/plain; charset=utf-8", wantType: "text/plain"},
		{name: "Latin1", body: "Caf\xe9 au lait is coffee with milk.", ctype: "text/plain; charset=iso-8859-1", wantType: "text/plain"},
		{name: "NoContentType", body: "<html><body><p>Sencha is a green tea.</p></body></html>", wantType: "text/html"},
		{name: "ErrPDF", body: "%PDF-1.7\n", ctype: "application/pdf", wantErr: ErrContentType, wantMsg: "that is a PDF; send .html, .md or .txt"},
		{name: "ErrImage", body: png, ctype: "image/png", wantErr: ErrContentType, wantMsg: "that is an image; send .html, .md or .txt"},
		{name: "ErrBinaryLabelledHTML", body: png, ctype: "text/html", wantErr: ErrNotReadable, wantMsg: "that is not a readable page"},
		{name: "ErrBadContentType", body: "x", ctype: "text/html; charset", wantErr: ErrContentType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, page(tt.body, tt.ctype))
			p, err := New(testOptions(t, srv)).Get(context.Background(), srv.URL)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Get = %v, want %v", err, tt.wantErr)
				}
				if tt.wantMsg != "" && Message(err) != tt.wantMsg {
					t.Errorf("Message = %q, want %q", Message(err), tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got := p.MediaType; got != tt.wantType {
				t.Errorf("MediaType = %q, want %q", got, tt.wantType)
			}
			if _, err := p.Document(); err != nil {
				t.Errorf("Document: %v", err)
			}
		})
	}
}

func TestGetRedirects(t *testing.T) {
	var srv *httptest.Server
	srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if n > 0 {
			http.Redirect(w, r, srv.URL+"/hop/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		page(kyoto, "text/html")(w, r)
	})
	tests := []struct {
		name    string
		hops    int
		wantErr error
	}{
		{name: "OK", hops: 5},
		{name: "ErrTooManyRedirects", hops: 6, wantErr: ErrTooManyRedirects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(testOptions(t, srv)).Get(context.Background(), srv.URL+"/hop/"+strconv.Itoa(tt.hops))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get after %d redirects = %v, want %v", tt.hops, err, tt.wantErr)
			}
			if err == nil && p.URL.Path != "/hop/0" {
				t.Errorf("final URL = %s, want /hop/0", p.URL)
			}
		})
	}
}

// TestGetRedirectToPrivate starts on a host the operator trusts (as
// DISCORD_API_BASE would be) and is redirected to another loopback
// server: the guard must check that hop, and private addresses are not
// allowed.
func TestGetRedirectToPrivate(t *testing.T) {
	inner := serve(t, page(kyoto, "text/html"))
	outer := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL, http.StatusFound)
	})
	opt := Options{Ports: []uint16{port(t, inner), port(t, outer)}, TrustedHosts: []string{strings.TrimPrefix(outer.URL, "http://")}}
	_, err := New(opt).Get(context.Background(), outer.URL)
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("Get = %v, want ErrPrivateAddress", err)
	}
	if got, want := Message(err), "that address is on a private network"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

func TestGetAddresses(t *testing.T) {
	srv := serve(t, page(kyoto, "text/html"))
	loopback := func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	name := "http://localtest.me:" + strconv.Itoa(int(port(t, srv))) + "/"
	tests := []struct {
		name         string
		url          string
		allowPrivate bool
		ports        []uint16
		wantErr      error
	}{
		{name: "ErrLoopback", url: srv.URL, ports: []uint16{port(t, srv)}, wantErr: ErrPrivateAddress},
		{name: "ErrNameResolvingToLoopback", url: name, ports: []uint16{port(t, srv)}, wantErr: ErrPrivateAddress},
		{name: "NameResolvingToLoopbackAllowed", url: name, ports: []uint16{port(t, srv)}, allowPrivate: true},
		{name: "ErrPrivate", url: "http://10.1.2.3/", wantErr: ErrPrivateAddress},
		{name: "ErrIPv6Loopback", url: "http://[::1]/", wantErr: ErrPrivateAddress},
		{name: "ErrIPv4MappedLoopback", url: "http://[::ffff:127.0.0.1]/", wantErr: ErrPrivateAddress},
		{name: "ErrMetadata", url: "http://169.254.169.254/latest/meta-data/", wantErr: ErrPrivateAddress},
		{name: "ErrMetadataAllowPrivate", url: "http://169.254.169.254/latest/meta-data/", allowPrivate: true, wantErr: ErrPrivateAddress},
		{name: "ErrIPv6LinkLocalAllowPrivate", url: "http://[fe80::1]/", allowPrivate: true, wantErr: ErrPrivateAddress},
		{name: "ErrScheme", url: "file:///etc/passwd", wantErr: ErrBadURL},
		{name: "ErrFTP", url: "ftp://example.com/a.txt", wantErr: ErrBadURL},
		{name: "ErrCredentials", url: "http://user:pw@example.com/", wantErr: ErrBadURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Options{AllowPrivate: tt.allowPrivate, Ports: append([]uint16{80, 443}, tt.ports...), Resolve: loopback, Timeout: 2 * time.Second})
			_, err := f.Get(context.Background(), tt.url)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%q) = %v, want %v", tt.url, err, tt.wantErr)
			}
		})
	}
}

func TestGetPort(t *testing.T) {
	srv := serve(t, page(kyoto, "text/html"))
	_, err := New(Options{AllowPrivate: true}).Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrPort) {
		t.Fatalf("Get(%s) = %v, want ErrPort", srv.URL, err)
	}
}

func TestGetMetadataRedirectAllowPrivate(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	_, err := New(testOptions(t, srv)).Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("Get = %v, want ErrPrivateAddress", err)
	}
}

func TestGetSize(t *testing.T) {
	big := strings.Repeat("Sencha is a green tea. ", MaxBytes/20)
	tests := []struct {
		name    string
		h       http.HandlerFunc
		wantErr error
	}{
		{name: "ErrContentLength", h: page(big, "text/plain"), wantErr: ErrTooLarge},
		{name: "ErrChunked", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			for i := 0; i < 6; i++ {
				fmt.Fprint(w, big[:1_000_000])
				w.(http.Flusher).Flush()
			}
		}, wantErr: ErrTooLarge},
		{name: "OKJustUnder", h: page(big[:MaxBytes-1], "text/plain")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.h)
			p, err := New(testOptions(t, srv)).Get(context.Background(), srv.URL)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get = %v, want %v", err, tt.wantErr)
			}
			if len(p.Body) > MaxBytes {
				t.Errorf("body of %d bytes, over %d", len(p.Body), MaxBytes)
			}
			if errors.Is(err, ErrTooLarge) && Message(err) != "the page is larger than 5 MB" {
				t.Errorf("Message = %q", Message(err))
			}
		})
	}
}

func TestGetSlowBody(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for i := 0; i < 100; i++ {
			fmt.Fprint(w, "Sencha ")
			w.(http.Flusher).Flush()
			select {
			case <-release:
				return
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	defer close(release)
	opt := testOptions(t, srv)
	opt.Timeout = 300 * time.Millisecond
	start := time.Now()
	_, err := New(opt).Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrTooSlow) {
		t.Fatalf("Get = %v, want ErrTooSlow", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Get took %s with a 300ms timeout", took)
	}
}

func TestGetStatus(t *testing.T) {
	srv := serve(t, http.NotFound)
	_, err := New(testOptions(t, srv)).Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrStatus) {
		t.Fatalf("Get = %v, want ErrStatus", err)
	}
	if got, want := Message(err), "the server answered 404 Not Found"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

func TestGetFile(t *testing.T) {
	srv := serve(t, page("# Tea\n\nSencha is a green tea.", "application/octet-stream"))
	f := New(testOptions(t, srv))
	p, err := f.GetFile(context.Background(), srv.URL+"/tea.md", "tea.md")
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	if got, want := p.MediaType, "text/markdown"; got != want {
		t.Errorf("MediaType = %q, want %q", got, want)
	}
	if _, err := f.GetFile(context.Background(), srv.URL+"/tea.pdf", "tea.pdf"); !errors.Is(err, ErrUnsupportedFile) {
		t.Errorf("GetFile(tea.pdf) = %v, want ErrUnsupportedFile", err)
	}
}

func TestMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "Wrapped", err: fmt.Errorf("add: %w", refuse(ErrTooManyRedirects, messages[ErrTooManyRedirects], nil)), want: "the page redirects more than 5 times"},
		{name: "BareSentinel", err: ErrPort, want: "only the standard web ports 80 and 443 can be fetched"},
		{name: "Other", err: &net.OpError{Op: "dial", Err: errors.New("secret detail")}, want: "couldn't fetch the page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Message(tt.err); got != tt.want {
				t.Errorf("Message(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestGetOnlyHosts(t *testing.T) {
	srv := serve(t, page("# Tea\n\nSencha.", "text/markdown"))
	opt := testOptions(t, srv)
	opt.OnlyHosts = []string{"cdn.discordapp.com"}
	_, err := New(opt).GetFile(context.Background(), srv.URL+"/tea.md", "tea.md")
	if !errors.Is(err, ErrAttachmentHost) {
		t.Fatalf("GetFile = %v, want ErrAttachmentHost", err)
	}
}
