package vprotect

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client. Options are checked when New runs: an invalid
// option makes New return an error that names it.
type Option func(*config) error

// config collects what the options set.
type config struct {
	login, password string
	hasCredentials  bool
	httpClient      *http.Client
	wrapTransport   []func(http.RoundTripper) http.RoundTripper
	timeout         time.Duration
	tlsConfig       *tls.Config
	rootCAs         *x509.CertPool
	insecure        bool
	userAgent       string
	retry           RetryPolicy
	logger          *slog.Logger
	debug           bool
	pollInterval    time.Duration
	maxResponse     int64
	rateLimit       *rateLimit
	observer        Observer
}

// Defaults of the options.
const (
	DefaultTimeout          = 60 * time.Second
	DefaultPollInterval     = 2 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

func defaultConfig() config {
	return config{
		timeout:      DefaultTimeout,
		userAgent:    "vprotect-go/" + Version,
		retry:        DefaultRetryPolicy(),
		pollInterval: DefaultPollInterval,
		maxResponse:  DefaultMaxResponseBytes,
	}
}

// WithCredentials sets the login and password of the vProtect account. With
// credentials the client logs in by itself on first use, and again when the
// session expires.
func WithCredentials(login, password string) Option {
	return func(c *config) error {
		if strings.TrimSpace(login) == "" {
			return argError("WithCredentials login", "must not be empty")
		}
		if password == "" {
			return argError("WithCredentials password", "must not be empty")
		}
		c.login, c.password, c.hasCredentials = login, password, true
		return nil
	}
}

// WithHTTPClient makes the client send requests through a copy of hc. The
// copy always gets a cookie jar of its own, for the session. TLS options
// apply to hc's transport only when it is an *http.Transport (it is
// cloned); with any other RoundTripper New fails if a TLS option is given.
// To trace, measure or count requests, keep the SDK's transport and wrap it
// with WithTransport instead.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return argError("WithHTTPClient", "client must not be nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTransport wraps the transport the client sends through, for tracing,
// metrics or request counting: wrap gets the SDK's own transport (an
// *http.Transport with WithTLSConfig, WithRootCAs and WithInsecureSkipVerify
// applied, or the transport of WithHTTPClient) and returns the RoundTripper
// to use, which calls the one it got:
//
//	vprotect.WithTransport(func(next http.RoundTripper) http.RoundTripper {
//		return otelhttp.NewTransport(next) // or any func(*http.Request) (*http.Response, error)
//	})
//
// Unlike a wrapping RoundTripper passed in WithHTTPClient, this works with
// the TLS options. Given more than once, each wraps the ones before it (the
// last given sees a request first). The wrapper sees every attempt, retries
// and logins included, with the session cookie; it must not log it. New
// fails if wrap is nil or returns nil.
func WithTransport(wrap func(http.RoundTripper) http.RoundTripper) Option {
	return func(c *config) error {
		if wrap == nil {
			return argError("WithTransport", "wrapper must not be nil")
		}
		c.wrapTransport = append(c.wrapTransport, wrap)
		return nil
	}
}

// WithTimeout bounds each call, retries and re-login included (default 60 s).
// Zero means no timeout beyond the caller's context. For a download
// (MountedFileSystemsService.Download) it bounds the wait for the answer to
// start: the body is bounded by the caller's context only.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return argError("WithTimeout", "must not be negative, got %s", d)
		}
		c.timeout = d
		return nil
	}
}

// WithTLSConfig sets the TLS configuration (it is cloned). WithRootCAs and
// WithInsecureSkipVerify adjust it.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *config) error {
		if cfg == nil {
			return argError("WithTLSConfig", "config must not be nil")
		}
		c.tlsConfig = cfg.Clone()
		return nil
	}
}

// WithRootCAs trusts the certificates in pool instead of the system roots,
// for a vProtect server with a self-signed or private certificate. See also
// CertPoolFromPEM.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *config) error {
		if pool == nil {
			return argError("WithRootCAs", "pool must not be nil")
		}
		c.rootCAs = pool
		return nil
	}
}

// WithInsecureSkipVerify turns off certificate verification. vProtect ships
// self-signed certificates; prefer WithRootCAs with the server's certificate.
func WithInsecureSkipVerify() Option {
	return func(c *config) error {
		c.insecure = true
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default "vprotect-go/<version>").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return argError("WithUserAgent", "must be a non-empty single line")
		}
		c.userAgent = ua
		return nil
	}
}

// WithRetry sets how idempotent requests are retried. See RetryPolicy.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithLogger logs one structured line per request attempt (method, path,
// status, duration, attempt) to l. Secrets never reach the log. The client is
// silent without it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return argError("WithLogger", "logger must not be nil")
		}
		c.logger = l
		return nil
	}
}

// WithDebug adds a dump of each request and response (headers and bodies, with
// the password and session cookie masked) at debug level to the logger set by
// WithLogger.
func WithDebug() Option {
	return func(c *config) error {
		c.debug = true
		return nil
	}
}

// WithPollInterval sets the first interval between polls when waiting for
// tasks (default 2 s); polling backs off from it. Zero polls without pause,
// which suits tests against the fake server.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return argError("WithPollInterval", "must not be negative, got %s", d)
		}
		c.pollInterval = d
		return nil
	}
}

// WithMaxResponseBytes bounds the size of a response body (default 64 MiB).
// A larger body fails with ErrResponseTooLarge, without being read whole.
// A download (MountedFileSystemsService.Download) is streamed to the
// caller's writer and not bounded.
// It bounds what a list decodes to as well: the elements of one list answer
// may take at most 4 times n (their fixed size times their number), so a
// list of nulls or empty objects, a few bytes each on the wire, fails with
// ErrResponseTooLarge instead of decoding into gigabytes.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return argError("WithMaxResponseBytes", "must be positive, got %d", n)
		}
		c.maxResponse = n
		return nil
	}
}

// CertPoolFromPEM returns a pool holding the PEM certificates in pem, for
// WithRootCAs. It fails when pem holds no certificate.
func CertPoolFromPEM(pem []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("vprotect: no PEM certificate found")
	}
	return pool, nil
}
