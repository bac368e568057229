package vprotect_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// countingTransport is an http.Transport that counts the connections it dials.
func countingTransport(dials *atomic.Int64) *http.Transport {
	var d net.Dialer
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}}
}

// Verification is on by default: the fake's self-signed certificate is
// refused with the certificate error, and the request is not retried.
func TestTLSVerifiedByDefault(t *testing.T) {
	srv := vprotecttest.Start(t, vprotecttest.WithTLS())
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts []vprotect.Option
		call func(c *vprotect.Client) error
	}{
		{"GET without credentials", nil, func(c *vprotect.Client) error {
			_, err := c.VMs.List(ctx, nil)
			return err
		}},
		{"lazy login", []vprotect.Option{vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword)},
			func(c *vprotect.Client) error { return c.Ping(ctx) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dials atomic.Int64
			opts := append([]vprotect.Option{vprotect.WithHTTPClient(&http.Client{Transport: countingTransport(&dials)})}, tc.opts...)
			c, err := vprotect.New(srv.URL(), opts...)
			require.NoError(t, err)
			defer c.Close()
			err = tc.call(c)
			require.Error(t, err)
			var unknown x509.UnknownAuthorityError
			assert.ErrorAs(t, err, &unknown, "the certificate error: %v", err)
			var te *vprotect.TransportError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, 1, te.Attempts, "a certificate error is not retried")
			assert.EqualValues(t, 1, dials.Load(), "one connection attempt")
			assert.Zero(t, len(srv.Requests()), "no request got through")
		})
	}

	// The default transport too (no WithHTTPClient).
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
	require.NoError(t, err)
	defer c.Close()
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, c.Ping(ctx), &unknown)
}

func TestTLSWithRootCAsAndInsecure(t *testing.T) {
	srv := vprotecttest.Start(t, vprotecttest.WithTLS())
	pool, err := vprotect.CertPoolFromPEM(srv.CertificatePEM())
	require.NoError(t, err)
	for name, opt := range map[string]vprotect.Option{
		"WithRootCAs":            vprotect.WithRootCAs(pool),
		"WithInsecureSkipVerify": vprotect.WithInsecureSkipVerify(),
	} {
		t.Run(name, func(t *testing.T) {
			var dials atomic.Int64
			c, err := vprotect.New(srv.URL(), opt,
				vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
				vprotect.WithHTTPClient(&http.Client{Transport: countingTransport(&dials)}))
			require.NoError(t, err)
			defer c.Close()
			vms, err := c.VMs.List(context.Background(), nil)
			require.NoError(t, err)
			assert.NotEmpty(t, vms)
			assert.Positive(t, dials.Load(), "the caller's dialer is kept")
		})
	}
}

// cookieServer logs in with a cookie and redirects GETs; it records the
// Cookie header of every request it receives.
type cookieServer struct {
	*httptest.Server
	mu      sync.Mutex
	cookies map[string][]string // path → Cookie headers received
}

func (s *cookieServer) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cookies[r.URL.Path] = append(s.cookies[r.URL.Path], r.Header.Get("Cookie"))
}

func (s *cookieServer) seen(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cookies[path]...)
}

func newCookieServer(t *testing.T, addr string, h func(s *cookieServer, w http.ResponseWriter, r *http.Request)) *cookieServer {
	t.Helper()
	s := &cookieServer{cookies: map[string][]string{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		h(s, w, r)
	}))
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		s.Listener.Close()
		s.Listener = l
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func redirWriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// A redirect to another host does not carry the session cookie; one to the
// same host does.
func TestRedirectToAnotherHostDropsSessionCookie(t *testing.T) {
	const secret = "cookie-secret-7f3a9c"
	other := newCookieServer(t, "127.0.0.2:0", func(_ *cookieServer, w http.ResponseWriter, r *http.Request) {
		redirWriteJSON(w, http.StatusOK, []any{})
	})
	origin := newCookieServer(t, "127.0.0.1:0", func(s *cookieServer, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/session/login":
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: secret, Path: "/", HttpOnly: true})
			redirWriteJSON(w, http.StatusCreated, map[string]any{"requester": map[string]string{"guid": "u", "name": "admin"}})
		case "/api/virtual-machines":
			http.Redirect(w, r, other.URL+"/api/virtual-machines", http.StatusFound)
		case "/api/nodes":
			http.Redirect(w, r, "/api/nodes-moved", http.StatusFound)
		default:
			if c, err := r.Cookie("JSESSIONID"); err != nil || c.Value != secret {
				redirWriteJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthorized", "status": 401})
				return
			}
			redirWriteJSON(w, http.StatusOK, []any{})
		}
	})
	c, err := vprotect.New(origin.URL, vprotect.WithCredentials("admin", "pw"))
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()

	_, err = c.Nodes.List(ctx, nil)
	require.NoError(t, err, "a same-host redirect keeps the session")
	assert.Equal(t, []string{"JSESSIONID=" + secret}, origin.seen("/api/nodes-moved"))

	_, err = c.VMs.List(ctx, nil)
	require.NoError(t, err)
	got := other.seen("/api/virtual-machines")
	require.Len(t, got, 1, "the redirect was followed")
	assert.Empty(t, got[0], "no cookie sent to the other host")
}

// requestCounter is a wrapping RoundTripper, as tracing and metrics
// libraries make: it counts requests by method and path, then calls next.
type requestCounter struct {
	next  http.RoundTripper
	name  string
	order *[]string
	mu    sync.Mutex
	paths []string
}

func (rc *requestCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	rc.mu.Lock()
	rc.paths = append(rc.paths, r.Method+" "+r.URL.Path)
	if rc.order != nil {
		*rc.order = append(*rc.order, rc.name)
	}
	rc.mu.Unlock()
	return rc.next.RoundTrip(r)
}

func (rc *requestCounter) seen() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.paths...)
}

// WithTransport wraps the SDK's own transport, so the TLS options keep
// working under a caller's RoundTripper; the wrapper sees every request.
func TestWithTransportKeepsTLSOptions(t *testing.T) {
	srv := vprotecttest.Start(t, vprotecttest.WithTLS())
	pool, err := vprotect.CertPoolFromPEM(srv.CertificatePEM())
	require.NoError(t, err)
	for name, tlsOpt := range map[string]vprotect.Option{
		"WithRootCAs":            vprotect.WithRootCAs(pool),
		"WithInsecureSkipVerify": vprotect.WithInsecureSkipVerify(),
		"WithTLSConfig":          vprotect.WithTLSConfig(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}),
	} {
		t.Run(name, func(t *testing.T) {
			var counter *requestCounter
			c, err := vprotect.New(srv.URL(), tlsOpt,
				vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
				vprotect.WithTransport(func(next http.RoundTripper) http.RoundTripper {
					_, isHTTP := next.(*http.Transport)
					assert.True(t, isHTTP, "the wrapper gets the SDK's *http.Transport, got %T", next)
					counter = &requestCounter{next: next}
					return counter
				}))
			require.NoError(t, err)
			defer c.Close()
			vms, err := c.VMs.List(context.Background(), nil)
			require.NoError(t, err)
			assert.NotEmpty(t, vms)
			assert.Equal(t, []string{"POST /api/session/login", "GET /api/virtual-machines"}, counter.seen())
		})
	}

	// Without a TLS option the wrapped transport still verifies.
	var counter *requestCounter
	c, err := vprotect.New(srv.URL(), vprotect.WithTransport(func(next http.RoundTripper) http.RoundTripper {
		counter = &requestCounter{next: next}
		return counter
	}))
	require.NoError(t, err)
	defer c.Close()
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, c.Ping(context.Background()), &unknown)
	assert.Len(t, counter.seen(), 1)
}

// Several wrappers nest in the order given: the last sees a request first.
// Over WithHTTPClient they wrap the caller's transport; Close still
// releases the idle connections underneath.
func TestWithTransportOrderAndClose(t *testing.T) {
	srv := vprotecttest.Start(t)
	var order []string
	var dials, closes atomic.Int64
	var d net.Dialer
	underneath := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		conn, err := d.DialContext(ctx, network, addr)
		return &closeCounter{Conn: conn, closes: &closes}, err
	}}
	wrap := func(name string) vprotect.Option {
		return vprotect.WithTransport(func(next http.RoundTripper) http.RoundTripper {
			return &requestCounter{next: next, name: name, order: &order}
		})
	}
	c, err := vprotect.New(srv.URL(), vprotect.WithHTTPClient(&http.Client{Transport: underneath}),
		vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword), wrap("inner"), wrap("outer"))
	require.NoError(t, err)
	require.NoError(t, c.Ping(context.Background()))
	assert.Equal(t, []string{"outer", "inner", "outer", "inner"}, order, "login, then GET /session")
	assert.EqualValues(t, 1, dials.Load(), "the caller's transport is underneath")

	assert.Zero(t, closes.Load(), "the connection is idle, kept for the next call")
	require.NoError(t, c.Close())
	assert.EqualValues(t, 1, closes.Load(), "Close released the idle connection of the transport underneath the wrappers")
}

// closeCounter counts the closes of a connection.
type closeCounter struct {
	net.Conn
	closes *atomic.Int64
	once   sync.Once
}

func (c *closeCounter) Close() error {
	c.once.Do(func() { c.closes.Add(1) })
	return c.Conn.Close()
}

func TestWithTransportRejectsNil(t *testing.T) {
	_, err := vprotect.New("https://h", vprotect.WithTransport(nil))
	var ae *vprotect.ArgumentError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "WithTransport", ae.Field)
	_, err = vprotect.New("https://h", vprotect.WithTransport(func(http.RoundTripper) http.RoundTripper { return nil }))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "WithTransport", ae.Field)

	// A wrapping transport in WithHTTPClient cannot take the TLS options;
	// the error says what to use instead.
	hc := &http.Client{Transport: &requestCounter{next: http.DefaultTransport}}
	_, err = vprotect.New("https://h", vprotect.WithHTTPClient(hc), vprotect.WithInsecureSkipVerify())
	assert.ErrorContains(t, err, "use WithTransport")
}
