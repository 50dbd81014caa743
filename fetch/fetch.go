// Package fetch downloads a web page or a Discord attachment that a member
// asked the bot to add, treating the address as untrusted. Every
// connection, on every redirect hop and after DNS resolution, goes through
// an SSRF guard (code.dny.dev/ssrf as the dialer's Control function), and
// the body is bounded in size, time and type.
//
// code.dny.dev/ssrf was chosen because it checks the address actually
// dialled (so DNS rebinding and redirects to internal hosts are caught),
// keeps the IANA special-purpose registries for IPv4 and IPv6 generated
// from the source, has no dependencies and is MIT licensed. Wrapping
// http.Client ourselves would repeat it less carefully.
package fetch

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"code.dny.dev/ssrf"
	"golang.org/x/net/html/charset"
)

// Limits on what is fetched.
const (
	MaxBytes       = 5_000_000 // 5 MB
	MaxRedirects   = 5
	DefaultTimeout = 15 * time.Second
)

// Options configures a Fetcher. The zero value is the safe default.
type Options struct {
	// AllowPrivate lets the fetcher reach private and loopback addresses
	// (ARTICLEBOT_FETCH_ALLOW_PRIVATE), never link-local ones such as the
	// cloud metadata address 169.254.169.254.
	AllowPrivate bool
	// Timeout bounds a whole fetch, body included; default DefaultTimeout.
	Timeout time.Duration
	// Ports the fetcher may connect to; nil means 80 and 443. Only tests
	// set it, since httptest servers listen on random ports.
	Ports []uint16
	// Resolve looks up a host's addresses; nil uses the system resolver.
	// Tests resolve names to loopback with it, with no DNS server.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
	// TrustedHosts are "host:port" pairs the operator configured, the
	// Discord API base (DISCORD_API_BASE) when it replaces discord.com:
	// connections to them skip the address check.
	TrustedHosts []string
	// OnlyHosts, when set, are the only host names a fetch may start at
	// (ErrAttachmentHost otherwise): Discord's CDN for attachments.
	OnlyHosts []string
}

// privateV4 and privateV6 are what AllowPrivate lets through: RFC 1918,
// shared address space, loopback and unique local addresses. Link-local
// ranges are left out on purpose.
var (
	privateV4 = []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("127.0.0.0/8"),
	}
	privateV6 = []netip.Prefix{netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("fc00::/7")}
)

// Fetcher downloads pages safely. It is safe for concurrent use.
type Fetcher struct {
	client    *http.Client
	timeout   time.Duration
	onlyHosts []string
}

// New returns a Fetcher that applies opt.
func New(opt Options) *Fetcher {
	guardOpts := []ssrf.Option{}
	if opt.Ports != nil {
		guardOpts = append(guardOpts, ssrf.WithPorts(opt.Ports...))
	}
	if opt.AllowPrivate {
		guardOpts = append(guardOpts, ssrf.WithAllowedV4Prefixes(privateV4...), ssrf.WithAllowedV6Prefixes(privateV6...))
	}
	guarded := &net.Dialer{Timeout: 10 * time.Second, Control: ssrf.New(guardOpts...).Safe}
	plain := &net.Dialer{Timeout: 10 * time.Second}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if slices.Contains(opt.TrustedHosts, addr) {
			return plain.DialContext(ctx, network, addr)
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if _, literal := netip.ParseAddr(host); opt.Resolve == nil || literal == nil {
			return guarded.DialContext(ctx, network, addr)
		}
		ips, err := opt.Resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		var errs []error
		for _, ip := range ips {
			c, err := guarded.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
		}
		return nil, fmt.Errorf("couldn't dial %s: %w", host, errors.Join(errs...))
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would be the address checked, not the page's
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
	}
	client := &http.Client{
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return refuse(ErrTooManyRedirects, messages[ErrTooManyRedirects], nil)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return refuse(ErrBadURL, "the page redirects to an address that isn't http or https", nil)
			}
			return nil
		},
	}
	return &Fetcher{client: client, timeout: cmp.Or(opt.Timeout, DefaultTimeout), onlyHosts: opt.OnlyHosts}
}

// Page is a downloaded page.
type Page struct {
	URL       *url.URL // after redirects
	MediaType string   // "text/html", "text/plain" or "text/markdown"
	Body      []byte   // UTF-8 when the server named another charset
}

// Get downloads the page at rawURL. It refuses, with an *Error wrapping
// one of the sentinels, an address that is not http(s), one that resolves
// to a forbidden address or port (ErrPrivateAddress, ErrPort), more than
// MaxRedirects redirects, a body over MaxBytes, a type other than HTML,
// plain text or Markdown (ErrContentType), binary content
// (ErrNotReadable), an error status and anything slower than the timeout
// (ErrTooSlow).
func (f *Fetcher) Get(ctx context.Context, rawURL string) (Page, error) {
	return f.get(ctx, rawURL, "")
}

// GetFile downloads an attachment named name (.html, .htm, .md, .markdown
// or .txt): its type comes from the name, since file hosts label Markdown
// loosely, and the other limits are Get's.
func (f *Fetcher) GetFile(ctx context.Context, rawURL, name string) (Page, error) {
	mt := TypeOfName(name)
	if mt == "" {
		return Page{}, refuse(ErrUnsupportedFile, messages[ErrUnsupportedFile], nil)
	}
	return f.get(ctx, rawURL, mt)
}

// TypeOfName is the media type of a document file name by its extension,
// or "" for other files.
func TypeOfName(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	switch strings.ToLower(name[i:]) {
	case ".html", ".htm":
		return "text/html"
	case ".md", ".markdown":
		return "text/markdown"
	case ".txt":
		return "text/plain"
	}
	return ""
}

func (f *Fetcher) get(ctx context.Context, rawURL, fixedType string) (Page, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return Page{}, refuse(ErrBadURL, messages[ErrBadURL], err)
	}
	if f.onlyHosts != nil && !slices.Contains(f.onlyHosts, u.Hostname()) {
		return Page{}, refuse(ErrAttachmentHost, messages[ErrAttachmentHost], fmt.Errorf("host %q", u.Hostname()))
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, refuse(ErrBadURL, messages[ErrBadURL], err)
	}
	req.Header.Set("Accept", "text/html, text/markdown, text/plain;q=0.9")
	req.Header.Set("User-Agent", "articlebot (+https://github.com/articlebot/articlebot)")
	resp, err := f.client.Do(req)
	if err != nil {
		return Page{}, f.classify(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Page{}, refuse(ErrStatus, "the server answered "+resp.Status, nil)
	}
	mt, params := fixedType, map[string]string{}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		headerType, p, err := mime.ParseMediaType(ct)
		if err == nil {
			params = p
			if fixedType == "" {
				mt = headerType
			}
		} else if fixedType == "" {
			return Page{}, refuse(ErrContentType, messages[ErrContentType], err)
		}
	}
	if mt != "" {
		if err := checkType(mt); err != nil {
			return Page{}, err
		}
	}
	if resp.ContentLength > MaxBytes {
		return Page{}, refuse(ErrTooLarge, messages[ErrTooLarge], nil)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBytes+1))
	if err != nil {
		return Page{}, f.classify(ctx, err)
	}
	if len(body) > MaxBytes {
		return Page{}, refuse(ErrTooLarge, messages[ErrTooLarge], nil)
	}
	if mt == "" { // no Content-Type: judge by the bytes
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
		if err := checkType(mt); err != nil {
			return Page{}, err
		}
	}
	body, err = toUTF8(body, params["charset"])
	if err != nil {
		return Page{}, refuse(ErrNotReadable, messages[ErrNotReadable], err)
	}
	if sniffed := http.DetectContentType(body); !strings.HasPrefix(sniffed, "text/") || bytes.IndexByte(body, 0) >= 0 {
		return Page{}, refuse(ErrNotReadable, messages[ErrNotReadable], fmt.Errorf("labelled %s, looks like %s", mt, sniffed))
	}
	return Page{URL: resp.Request.URL, MediaType: canonicalType(mt), Body: body}, nil
}

// checkType accepts HTML, plain text and Markdown, and names what else it
// got in the refusal.
func checkType(mt string) error {
	if canonicalType(mt) != "" {
		return nil
	}
	switch {
	case mt == "application/pdf":
		return refuse(ErrContentType, "that is a PDF; send .html, .md or .txt", nil)
	case strings.HasPrefix(mt, "image/"):
		return refuse(ErrContentType, "that is an image; send .html, .md or .txt", nil)
	case strings.HasPrefix(mt, "video/"), strings.HasPrefix(mt, "audio/"):
		return refuse(ErrContentType, "that is a video or sound file; send .html, .md or .txt", nil)
	case mt == "application/json":
		return refuse(ErrContentType, "that is JSON data; send .html, .md or .txt", nil)
	}
	return refuse(ErrContentType, messages[ErrContentType], fmt.Errorf("type %q", mt))
}

// canonicalType maps accepted media types to the three the corpus reads,
// or "" for others.
func canonicalType(mt string) string {
	switch mt {
	case "text/html", "application/xhtml+xml":
		return "text/html"
	case "text/markdown", "text/x-markdown":
		return "text/markdown"
	case "text/plain":
		return "text/plain"
	}
	return ""
}

// toUTF8 converts body from the charset the server named; UTF-8 and
// unnamed charsets are left as they are for the corpus to check.
func toUTF8(body []byte, label string) ([]byte, error) {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" || label == "utf-8" || label == "utf8" || label == "us-ascii" {
		return body, nil
	}
	r, err := charset.NewReaderLabel(label, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("charset %q: %w", label, err)
	}
	return io.ReadAll(io.LimitReader(r, 2*MaxBytes))
}

// classify turns a transport error into a refusal with its reason.
func (f *Fetcher) classify(ctx context.Context, err error) error {
	var fe *Error
	switch {
	case errors.As(err, &fe):
		return fe
	case errors.Is(err, ssrf.ErrProhibitedIP):
		return refuse(ErrPrivateAddress, messages[ErrPrivateAddress], err)
	case errors.Is(err, ssrf.ErrProhibitedPort):
		return refuse(ErrPort, messages[ErrPort], err)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return refuse(ErrTooSlow, fmt.Sprintf("the page took longer than %s to download", f.timeout), err)
	}
	return refuse(ErrUnreachable, messages[ErrUnreachable], err)
}
