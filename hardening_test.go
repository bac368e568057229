package vprotect_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// These tests play a hostile or broken server on loopback and use only the
// public API.

// wire records what a loopback server received: per path, the bodies and
// Cookie headers.
type wire struct {
	mu      sync.Mutex
	bodies  map[string][]string
	cookies map[string][]string
}

func (w *wire) record(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.bodies == nil {
		w.bodies, w.cookies = map[string][]string{}, map[string][]string{}
	}
	w.bodies[r.URL.Path] = append(w.bodies[r.URL.Path], string(body))
	w.cookies[r.URL.Path] = append(w.cookies[r.URL.Path], r.Header.Get("Cookie"))
	return body
}

// all returns everything received, bodies and cookies, as one text.
func (w *wire) all() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var b strings.Builder
	for p, bs := range w.bodies {
		fmt.Fprintf(&b, "%s %q %q\n", p, bs, w.cookies[p])
	}
	return b.String()
}

func (w *wire) hits(path string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.bodies[path])
}

// loopback starts a server on addr ("" for 127.0.0.1:0), plain or TLS, that
// records every request and answers with h.
func loopback(t *testing.T, addr string, tls bool, h func(w http.ResponseWriter, r *http.Request, body []byte)) (*httptest.Server, *wire) {
	t.Helper()
	rec := &wire{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, rec.record(r))
	}))
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		srv.Listener.Close()
		srv.Listener = l
	}
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, rec
}

// trust returns an option trusting the certificate of httptest's TLS
// servers (all of them share it).
func trust(t *testing.T, srv *httptest.Server) vprotect.Option {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return vprotect.WithRootCAs(pool)
}

func answerJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newHardeningClient(t *testing.T, url string, opts ...vprotect.Option) *vprotect.Client {
	t.Helper()
	c, err := vprotect.New(url, append([]vprotect.Option{
		vprotect.WithRetry(vprotect.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

const hardPassword = `pw"with\quotes-Qx81`

var loggedIn = map[string]any{"requester": map[string]string{"guid": "u-1", "name": "admin"}}

// Item 1: a 307 or 308 answer to the login is not followed to another
// origin (port, host or scheme) nor to plain http: the password is never
// re-sent there, and the error names the redirect. The same origin is fine.
func TestLoginRedirectNeverCarriesThePasswordAcrossOrigins(t *testing.T) {
	tlsOther, tlsOtherWire := loopback(t, "", true, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusCreated, loggedIn)
	})
	plainOther, plainOtherWire := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusCreated, loggedIn)
	})
	otherHost, otherHostWire := loopback(t, "127.0.0.2:0", true, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusCreated, loggedIn)
	})
	for _, tc := range []struct {
		name   string
		status int
		target string
		wire   *wire
		reason string
	}{
		{"307 to another port", http.StatusTemporaryRedirect, tlsOther.URL, tlsOtherWire, "another origin"},
		{"308 to another host", http.StatusPermanentRedirect, otherHost.URL, otherHostWire, "another origin"},
		{"307 to plain http", http.StatusTemporaryRedirect, plainOther.URL, plainOtherWire, "plain http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			origin, _ := loopback(t, "", true, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				http.Redirect(w, r, tc.target+r.URL.Path, tc.status)
			})
			// Verification off, so that only the redirect policy stands
			// between the password and the other servers.
			c := newHardeningClient(t, origin.URL, vprotect.WithInsecureSkipVerify(), vprotect.WithCredentials("admin", hardPassword))
			_, err := c.Login(context.Background())
			require.Error(t, err)
			assert.ErrorIs(t, err, vprotect.ErrRedirectRefused)
			assert.Contains(t, err.Error(), fmt.Sprint(tc.status), "the error names the redirect")
			assert.Contains(t, err.Error(), tc.target+"/api/session/login", "the error names the target")
			assert.Contains(t, err.Error(), tc.reason)
			assert.NotContains(t, err.Error(), "Qx81")
			assert.Zero(t, tc.wire.hits("/api/session/login"), "nothing reached the other origin: %s", tc.wire.all())
			assert.NotContains(t, tc.wire.all(), "Qx81")
		})
	}
	t.Run("307 on the same origin is followed", func(t *testing.T) {
		origin, rec := loopback(t, "", true, func(w http.ResponseWriter, r *http.Request, body []byte) {
			if r.URL.Path == "/api/session/login" {
				http.Redirect(w, r, "/api/session/login-here", http.StatusTemporaryRedirect)
				return
			}
			answerJSON(w, http.StatusCreated, loggedIn)
		})
		c := newHardeningClient(t, origin.URL, trust(t, origin), vprotect.WithCredentials("admin", hardPassword))
		_, err := c.Login(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, rec.hits("/api/session/login-here"))
		assert.Contains(t, rec.all(), "Qx81", "the body was re-sent to the same origin")
	})
}

// Item 1, any request with a body: a PUT redirected to another origin is not
// re-sent there with its body or the session cookie.
func TestRequestWithBodyNotResentAcrossOrigins(t *testing.T) {
	other, otherWire := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusOK, map[string]string{"guid": "s-1"})
	})
	origin, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.URL.Path {
		case "/api/session/login":
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "put-cookie-Zr4", Path: "/"})
			answerJSON(w, http.StatusCreated, loggedIn)
		default:
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusPermanentRedirect)
		}
	})
	c := newHardeningClient(t, origin.URL, vprotect.WithCredentials("admin", hardPassword))
	_, err := c.Schedules.Update(context.Background(), "s-1", vprotect.NewTimeSchedule("nightly", 22*time.Hour, time.Hour, time.Monday))
	require.ErrorIs(t, err, vprotect.ErrRedirectRefused)
	assert.Contains(t, err.Error(), "308")
	assert.Empty(t, otherWire.all(), "nothing was re-sent to the other origin")
}

// Item 2: the session cookie of an https session never goes over plain
// http (an https→http redirect on the same host is refused), nor to another
// port of the same host (cookies ignore ports; the jar does not).
func TestSessionCookieStaysWithItsOrigin(t *testing.T) {
	const secret = "https-only-cookie-Vb27"
	plain, plainWire := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusOK, []any{})
	})
	otherPort, otherPortWire := loopback(t, "", true, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusOK, []any{})
	})
	origin, _ := loopback(t, "", true, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.URL.Path {
		case "/api/session/login":
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: secret, Path: "/", HttpOnly: true})
			answerJSON(w, http.StatusCreated, loggedIn)
		case "/api/virtual-machines":
			http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusFound)
		case "/api/nodes":
			http.Redirect(w, r, otherPort.URL+r.URL.Path, http.StatusFound)
		}
	})
	c := newHardeningClient(t, origin.URL, trust(t, origin), vprotect.WithCredentials("admin", hardPassword))
	ctx := context.Background()

	_, err := c.VMs.List(ctx, nil)
	require.ErrorIs(t, err, vprotect.ErrRedirectRefused)
	assert.Contains(t, err.Error(), "from https to plain http")
	assert.Zero(t, plainWire.hits("/api/virtual-machines"), "no request went over http")
	assert.NotContains(t, plainWire.all(), secret)

	_, err = c.Nodes.List(ctx, nil)
	require.NoError(t, err, "an https redirect to another port is followed")
	require.Equal(t, 1, otherPortWire.hits("/api/nodes"))
	assert.NotContains(t, otherPortWire.all(), secret, "without the cookie")
}

// Item 3: however a client is printed, neither the password nor the
// session cookie shows.
func TestFormattingClientHidesSecrets(t *testing.T) {
	const cookie = "print-cookie-Hq55"
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: cookie, Path: "/"})
		answerJSON(w, http.StatusCreated, loggedIn)
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithCredentials("portal", hardPassword))
	_, err := c.Login(context.Background())
	require.NoError(t, err)

	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%20v", "%T"} {
		out = append(out, fmt.Sprintf(verb, c))
	}
	out = append(out, fmt.Sprint(c), fmt.Sprintln(c), c.String())
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", slog.Any("c", c), "also", c)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", slog.Any("c", c), "also", c)
	out = append(out, logs.String())
	for _, s := range out {
		assert.NotContains(t, s, "Qx81", "the password shows in %s", s)
		assert.NotContains(t, s, cookie, "the cookie shows in %s", s)
	}
	assert.Contains(t, fmt.Sprintf("%v", c), srv.URL+"/api", "the client still says which server it talks to")
	assert.Contains(t, fmt.Sprintf("%+v", c), "portal")
	assert.Contains(t, logs.String(), `"baseURL":"`+srv.URL+`/api"`)
}

// Item 4: a server that echoes the request back in its error (Jackson's
// "JSON parse error … [Source: …]" with the login body inside a JSON string,
// escaped quotes included) or echoes the cookie: neither the password nor
// the cookie value shows in APIError.Message, Error(), %#v or the debug log.
func TestEchoedSecretsAreMasked(t *testing.T) {
	const cookie = "echo-cookie-Lm08"
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch r.URL.Path {
		case "/api/session/login":
			if !strings.Contains(r.Header.Get("Cookie"), cookie) {
				http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: cookie, Path: "/"})
				answerJSON(w, http.StatusCreated, loggedIn)
				return
			}
			// As Jackson: the request quoted in the message, cut off.
			src := string(body)
			answerJSON(w, http.StatusBadRequest, map[string]any{
				"message": "JSON parse error: Unexpected character ('x' (code 120)); nested exception is " +
					"com.fasterxml.jackson.core.JsonParseException: at [Source: (String)\"" + src + "\"; line: 1, column: 42]",
				"status": 400,
			})
		case "/api/nodes":
			answerJSON(w, http.StatusInternalServerError, map[string]any{
				"message": "session " + r.Header.Get("Cookie") + " is not valid for " + string(body),
			})
		case "/api/hypervisors":
			// The login body quoted in a text answer, cut off inside the password.
			lb, _ := json.Marshal(map[string]string{"login": "admin", "password": hardPassword})
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "bad cookie %s; bad JSON [Source: (String)\"%s", r.Header.Get("Cookie"), lb[:len(lb)-8])
		}
	})
	var logs lockedBuffer
	c := newHardeningClient(t, srv.URL, vprotect.WithCredentials("admin", hardPassword), vprotect.WithRetry(vprotect.NoRetry()),
		vprotect.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), vprotect.WithDebug())
	ctx := context.Background()
	var errs []error
	_, err := c.Nodes.List(ctx, nil) // logs in first
	require.ErrorIs(t, err, vprotect.ErrServer)
	errs = append(errs, err)
	_, err = c.Hypervisors.List(ctx, nil)
	require.ErrorIs(t, err, vprotect.ErrBadRequest)
	errs = append(errs, err)
	_, err = c.Login(ctx) // this login carries the cookie: the server quotes it
	require.ErrorIs(t, err, vprotect.ErrBadRequest)
	errs = append(errs, err)

	var apiErr *vprotect.APIError
	require.ErrorAs(t, errs[2], &apiErr)
	assert.Contains(t, apiErr.Message, "JSON parse error", "the message is kept")
	assert.Contains(t, apiErr.Message, `"login":"admin"`, "the message is kept")
	secrets := []string{hardPassword, "Qx81", "quote", "with", cookie}
	for _, e := range errs {
		require.ErrorAs(t, e, &apiErr)
		for _, s := range []string{apiErr.Message, apiErr.Body, e.Error(), fmt.Sprintf("%#v", e), fmt.Sprintf("%+v", e)} {
			for _, secret := range secrets {
				assert.NotContains(t, s, secret)
			}
		}
	}
	require.Contains(t, logs.String(), "response dump")
	for _, secret := range secrets {
		assert.NotContains(t, logs.String(), secret, "the debug log")
	}
}

// Item 5: a 301, 302 or 303 answer to a POST is an error, never a GET sent
// in its place whose answer is taken for the result.
func TestRedirectedPostIsAnError(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, rec := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				switch {
				case r.Method == http.MethodPost:
					http.Redirect(w, r, "/api/elsewhere", status)
				default: // what a followed GET would decode as the result
					answerJSON(w, http.StatusOK, []map[string]any{{"guid": "t-1", "type": map[string]string{"name": "EXPORT"}}})
				}
			})
			c := newHardeningClient(t, srv.URL)
			ctx := context.Background()
			_, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{"vm-1"}})
			require.ErrorIs(t, err, vprotect.ErrRedirectRefused)
			assert.Contains(t, err.Error(), fmt.Sprint(status))
			assert.Contains(t, err.Error(), "/api/elsewhere")
			_, err = c.Schedules.Create(ctx, vprotect.NewTimeSchedule("nightly", 22*time.Hour, time.Hour, time.Monday))
			require.ErrorIs(t, err, vprotect.ErrRedirectRefused)
			assert.Zero(t, rec.hits("/api/elsewhere"), "no GET was sent in the POST's place")
			assert.Equal(t, 1, rec.hits("/api/tasks/export"), "and the POST was not retried")
		})
	}
}

// Item 11: control and line-breaking characters in a server's message are
// escaped in Error().
func TestErrorEscapesControlCharacters(t *testing.T) {
	msg := "a\x00b\x1b[31mc\vd\u0085e\u2028f\u2029g\u202eh\x7fi"
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path == "/api/nodes" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, msg)
			return
		}
		answerJSON(w, http.StatusNotFound, map[string]string{"message": msg})
	})
	c := newHardeningClient(t, srv.URL)
	_, err1 := c.VMs.Get(context.Background(), "vm-1")
	require.ErrorIs(t, err1, vprotect.ErrNotFound)
	_, err2 := c.Nodes.List(context.Background(), nil)
	require.ErrorIs(t, err2, vprotect.ErrBadRequest)
	for _, err := range []error{err1, err2} {
		s := err.Error()
		for _, r := range []rune{0, 0x1b, '\v', 0x85, 0x2028, 0x2029, 0x202e, 0x7f} {
			assert.NotContains(t, s, string(r), "raw %U in %q", r, s)
		}
		assert.Contains(t, s, `a\x00b\x1b[31mc\vd\u0085e\u2028f\u2029g\u202eh\x7fi`)
	}
}

// Item 12: a Retry-After too long for a time.Duration is longer than the
// cap: no retry, and never a retry at once.
func TestRetryAfterOverflowIsNotRetried(t *testing.T) {
	for _, v := range []string{"18446744074", "9223372036854775807", "99999999999999999999999"} {
		t.Run(v, func(t *testing.T) {
			var hits atomic.Int64
			srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				hits.Add(1)
				w.Header().Set("Retry-After", v)
				answerJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "come back later"})
			})
			c := newHardeningClient(t, srv.URL, vprotect.WithRetry(vprotect.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			start := time.Now()
			_, err := c.Nodes.List(context.Background(), nil)
			require.ErrorIs(t, err, vprotect.ErrServer)
			var apiErr *vprotect.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.EqualValues(t, 1, hits.Load(), "Retry-After %s is past the cap: one attempt", v)
			assert.Less(t, time.Since(start), time.Second)
		})
	}
}

// Item 12: when the rate limiter's wait would outlast the deadline, the
// error matches context.DeadlineExceeded.
func TestRateLimitPastDeadlineIsDeadlineExceeded(t *testing.T) {
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.WriteHeader(http.StatusNoContent)
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithRateLimit(0.5, 1))
	require.NoError(t, c.Ping(context.Background()))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := c.Ping(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "%v", err)
	assert.Less(t, time.Since(start), 150*time.Millisecond, "it fails at once, without waiting for the deadline")
}

// Item 14: a server that sets dozens of large cookies cannot brick the
// client: the jar keeps few and small enough that the next requests pass.
func TestCookieFloodDoesNotBrickTheClient(t *testing.T) {
	const maxCookieHeader = 12 << 10 // a proxy's limit on the Cookie header
	var too431 atomic.Int64
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if len(r.Header.Get("Cookie")) > maxCookieHeader {
			too431.Add(1)
			answerJSON(w, http.StatusRequestHeaderFieldsTooLarge, map[string]string{"message": "Request Header Fields Too Large"})
			return
		}
		if r.URL.Path == "/api/session/login" {
			for i := range 40 {
				http.SetCookie(w, &http.Cookie{Name: fmt.Sprintf("tracker%02d", i), Value: strings.Repeat("x", 3000), Path: "/"})
			}
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "flood-session", Path: "/"})
			answerJSON(w, http.StatusCreated, loggedIn)
			return
		}
		if !strings.Contains(r.Header.Get("Cookie"), "JSESSIONID=flood-session") {
			answerJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
			return
		}
		answerJSON(w, http.StatusOK, []any{})
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithCredentials("admin", hardPassword))
	for range 5 {
		_, err := c.Nodes.List(context.Background(), nil)
		require.NoError(t, err)
	}
	assert.Zero(t, too431.Load())
}

// Item 14: a 431 answer (request headers too large) drops the cookies, so
// the next call logs in afresh instead of meeting the same answer forever.
func TestHeadersTooLargeDoesNotRepeatForever(t *testing.T) {
	var logins, too431 atomic.Int64
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		ck := r.Header.Get("Cookie")
		switch {
		case len(ck) > 2048: // a server with a small header limit
			too431.Add(1)
			answerJSON(w, http.StatusRequestHeaderFieldsTooLarge, map[string]string{"message": "Request Header Fields Too Large"})
		case r.URL.Path == "/api/session/login":
			n := logins.Add(1)
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: fmt.Sprintf("s-%d", n), Path: "/"})
			answerJSON(w, http.StatusCreated, loggedIn)
		case !strings.Contains(ck, "JSESSIONID=s-"):
			answerJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
		case r.URL.Path == "/api/nodes":
			// A load balancer adds a large sticky cookie, once.
			http.SetCookie(w, &http.Cookie{Name: "LB", Value: strings.Repeat("y", 3000), Path: "/"})
			answerJSON(w, http.StatusOK, []any{})
		default:
			answerJSON(w, http.StatusOK, []any{})
		}
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithCredentials("admin", hardPassword))
	ctx := context.Background()
	_, err := c.Nodes.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.VMs.List(ctx, nil)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "431"), "%v", err)
	for range 3 {
		_, err = c.VMs.List(ctx, nil)
		require.NoError(t, err, "the calls after a 431 pass again")
	}
	assert.EqualValues(t, 1, too431.Load(), "one 431, not one per call")
	assert.EqualValues(t, 2, logins.Load(), "a fresh login after the 431")
}

// Item 8: List and All honour the call's deadline while they read: a body
// of megabytes of gzipped whitespace inside an array (a few kilobytes on
// the wire, slow to decode) ends at the deadline.
func TestReadingHonoursTheDeadline(t *testing.T) {
	// Concatenated gzip members read as one stream.
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(b)
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}
	// The server sends "[" and then 1 MiB members of spaces until the
	// client goes away, so only the deadline can end the call, however
	// fast the client reads.
	open := member([]byte("["))
	spaces := member(bytes.Repeat([]byte(" "), 1<<20))
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		if _, err := w.Write(open); err != nil {
			return
		}
		for r.Context().Err() == nil {
			if _, err := w.Write(spaces); err != nil {
				return
			}
		}
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithRetry(vprotect.NoRetry()), vprotect.WithMaxResponseBytes(1<<40))
	const deadline = 300 * time.Millisecond
	for name, call := range map[string]func(ctx context.Context) error{
		"List": func(ctx context.Context) error { _, err := c.Nodes.List(ctx, nil); return err },
		"All": func(ctx context.Context) error {
			for _, err := range c.VMs.All(ctx, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			start := time.Now()
			err := call(ctx)
			elapsed := time.Since(start)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, elapsed, deadline+time.Second, "ends at the deadline, not %v later", elapsed-deadline)
		})
	}
}

// Item 9: All stops with a clear error when the server ignores page (the
// same page again) or size (a page larger than asked): it never yields the
// same objects forever, nor more than asked per page.
func TestAllStopsWhenTheServerIgnoresPaging(t *testing.T) {
	page := func(n int) []map[string]string {
		out := make([]map[string]string, n)
		for i := range out {
			out[i] = map[string]string{"guid": fmt.Sprintf("vm-%d", i), "name": fmt.Sprintf("vm %d", i)}
		}
		return out
	}
	t.Run("same page again", func(t *testing.T) {
		srv, rec := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			answerJSON(w, http.StatusOK, page(5)) // whatever page is asked, no total
		})
		c := newHardeningClient(t, srv.URL)
		var got int
		var err error
		for _, e := range c.VMs.All(context.Background(), &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Size: 5}}) {
			if e != nil {
				err = e
				break
			}
			if got++; got > 50 {
				break
			}
		}
		require.Error(t, err, "after %d VMs", got)
		assert.Contains(t, err.Error(), "page 1 is page 0 again")
		assert.Contains(t, err.Error(), "ignores paging")
		assert.Equal(t, 10, got, "the two pages read, then the error")
		assert.Equal(t, 2, rec.hits("/api/virtual-machines"))
	})
	t.Run("page larger than asked", func(t *testing.T) {
		srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("X-Total-Count", "8")
			answerJSON(w, http.StatusOK, page(8)) // size is ignored
		})
		c := newHardeningClient(t, srv.URL)
		var got int
		var err error
		for _, e := range c.VMs.All(context.Background(), &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Size: 5}}) {
			if e != nil {
				err = e
				break
			}
			got++
		}
		require.Error(t, err)
		assert.Contains(t, err.Error(), "page 0 holds more than the 5 elements asked for")
		assert.Equal(t, 5, got, "no more than asked")
	})
}

// Item 10: a 200 answer with an empty, blank or null body to a Get is an
// error, not an empty object.
func TestGetWithoutABodyIsAnError(t *testing.T) {
	for name, body := range map[string]string{"empty": "", "blank": " \r\n\t ", "null": "null", "null and spaces": " null \n"} {
		t.Run(name, func(t *testing.T) {
			srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			})
			c := newHardeningClient(t, srv.URL)
			ctx := context.Background()
			for call, get := range map[string]func() (any, error){
				"VMs.Get":     func() (any, error) { return c.VMs.Get(ctx, "vm-1") },
				"Tasks.Get":   func() (any, error) { return c.Tasks.Get(ctx, "t-1") },
				"Backups.Get": func() (any, error) { return c.Backups.Get(ctx, "b-1") },
				"CurrentUser": func() (any, error) { return c.CurrentUser(ctx) },
			} {
				got, err := get()
				assert.ErrorIs(t, err, vprotect.ErrEmptyResponse, call)
				var te *vprotect.TransportError
				assert.ErrorAs(t, err, &te, call)
				assert.Nil(t, got, call)
			}
		})
	}
	t.Run("204", func(t *testing.T) {
		srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.WriteHeader(http.StatusNoContent)
		})
		_, err := newHardeningClient(t, srv.URL).VMs.Get(context.Background(), "vm-1")
		assert.ErrorIs(t, err, vprotect.ErrEmptyResponse)
	})
}

// Item 13: GUIDs that would not stay one path segment are an
// *ArgumentError before anything is sent, for every call that takes one.
func TestGUIDsThatLeaveTheirSegmentAreRejected(t *testing.T) {
	srv, rec := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		answerJSON(w, http.StatusOK, map[string]string{"guid": "x"})
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithPollInterval(10*time.Millisecond))
	// Without the check a wait would poll the bad path until this ends.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sch := vprotect.NewTimeSchedule("n", time.Hour, time.Hour, time.Monday)
	calls := map[string]func(g string) error{
		"VMs.Get":              func(g string) error { _, err := c.VMs.Get(ctx, g); return err },
		"Tasks.Get":            func(g string) error { _, err := c.Tasks.Get(ctx, g); return err },
		"Tasks.Cancel":         func(g string) error { return c.Tasks.Cancel(ctx, g) },
		"Tasks.Delete":         func(g string) error { return c.Tasks.Delete(ctx, g) },
		"Tasks.Wait":           func(g string) error { _, err := c.Tasks.Wait(ctx, g); return err },
		"Tasks.WaitForBackup":  func(g string) error { _, err := c.Tasks.WaitForBackup(ctx, g); return err },
		"Tasks.WaitForRestore": func(g string) error { _, err := c.Tasks.WaitForRestore(ctx, g); return err },
		"Tasks.WaitAll":        func(g string) error { _, err := c.Tasks.WaitAll(ctx, g); return err },
		"Backups.Get":          func(g string) error { _, err := c.Backups.Get(ctx, g); return err },
		"Backups.ListForVM":    func(g string) error { _, err := c.Backups.ListForVM(ctx, g); return err },
		"Schedules.Get":        func(g string) error { _, err := c.Schedules.Get(ctx, g); return err },
		"Schedules.Update":     func(g string) error { _, err := c.Schedules.Update(ctx, g, sch); return err },
		"Schedules.Delete":     func(g string) error { return c.Schedules.Delete(ctx, g) },
		"Policies.Get":         func(g string) error { _, err := c.Policies.Get(ctx, g); return err },
		"Policies.Update":      func(g string) error { _, err := c.Policies.Update(ctx, g, &vprotect.Policy{Name: "p"}); return err },
		"Policies.Delete":      func(g string) error { return c.Policies.Delete(ctx, g) },
		"Rules.Get":            func(g string) error { _, err := c.Rules.Get(ctx, g); return err },
		"Rules.Update": func(g string) error {
			_, err := c.Rules.Update(ctx, g, vprotect.NewRule("r", "p", nil, "bd"))
			return err
		},
		"Rules.Delete":           func(g string) error { return c.Rules.Delete(ctx, g) },
		"Hypervisors.Get":        func(g string) error { _, err := c.Hypervisors.Get(ctx, g); return err },
		"HypervisorManagers.Get": func(g string) error { _, err := c.HypervisorManagers.Get(ctx, g); return err },
		"Tasks.Export": func(g string) error {
			_, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{g}})
			return err
		},
		"BackupDestinations.UsableForVMs": func(g string) error {
			_, err := c.BackupDestinations.UsableForVMs(ctx, g)
			return err
		},
	}
	for name, call := range calls {
		for _, g := range []string{".", "..", "..;x", ".;jsessionid=1"} {
			err := call(g)
			var ae *vprotect.ArgumentError
			if assert.ErrorAs(t, err, &ae, "%s(%q)", name, g) {
				assert.Contains(t, ae.Reason, "path segment", "%s(%q)", name, g)
			}
		}
	}
	assert.Empty(t, rec.all(), "nothing was sent")

	// What escaping makes safe is sent, escaped: a ';' too.
	_, err := c.VMs.Get(ctx, "a/b;c..")
	require.NoError(t, err)
	_, err = c.VMs.Get(ctx, "...")
	require.NoError(t, err)
	assert.Equal(t, 1, rec.hits("/api/virtual-machines/a/b;c.."), "the server decodes a%%2Fb%%3Bc.. to one segment: %s", rec.all())
}

// Item 15: a list full of nulls (or empty objects), 5 bytes an element on
// the wire, does not decode into hundreds of times the response limit: past
// 4 × WithMaxResponseBytes of decoded elements it is ErrResponseTooLarge,
// in bounded memory.
func TestListOfNullsIsBounded(t *testing.T) {
	const limit = 4 << 20
	body := "[" + strings.Repeat("null,", limit/5-1) + "null]"
	srv, _ := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Query().Get("filter") == "few" {
			answerJSON(w, http.StatusOK, []any{nil, map[string]any{}, nil})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	})
	c := newHardeningClient(t, srv.URL, vprotect.WithMaxResponseBytes(limit))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	vms, err := c.VMs.List(context.Background(), nil)
	runtime.ReadMemStats(&after)
	assert.ErrorIs(t, err, vprotect.ErrResponseTooLarge)
	assert.Nil(t, vms)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte list of nulls: %v after %d MiB allocated", len(body), err, alloc>>20)
	assert.Less(t, alloc, uint64(8*limit), "memory bounded by the response limit (the body read whole, no element decoded)")

	// A list of a few nulls is still decoded.
	vms, err = c.VMs.List(context.Background(), &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Filter: "few"}})
	require.NoError(t, err)
	assert.Len(t, vms, 3)
}

// dropAfter answers nothing: it closes the connection, as a proxy that lost
// the answer after the server did the work.
func dropAfter(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// Item 6: DELETE /tasks/{guid} is sent once (a retry after a lost answer
// would delete the task the first attempt only cancelled), and a retried
// cancel whose first attempt worked is a success, not ErrConflict.
func TestTaskDeleteNotRetriedAndRetriedCancelSucceeds(t *testing.T) {
	var mu sync.Mutex
	state := "QUEUED"
	srv, rec := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.Method == http.MethodDelete:
			if state == "QUEUED" {
				state = "CANCELLED" // the first DELETE cancels ...
			} else {
				state = "DELETED" // ... a second one deletes
			}
			dropAfter(w)
		case r.Method == http.MethodPut:
			if state != "QUEUED" {
				answerJSON(w, http.StatusConflict, map[string]string{"message": "task t-1 is already " + state})
				return
			}
			state = "CANCELLED"
			dropAfter(w) // the cancel worked, its answer is lost
		default:
			answerJSON(w, http.StatusOK, map[string]any{"guid": "t-1", "state": map[string]string{"name": state}})
		}
	})
	c := newHardeningClient(t, srv.URL)
	ctx := context.Background()

	err := c.Tasks.Delete(ctx, "t-1")
	var te *vprotect.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Attempts)
	assert.Equal(t, 1, rec.hits("/api/tasks/t-1"), "one DELETE")
	mu.Lock()
	assert.Equal(t, "CANCELLED", state, "the task is cancelled, not deleted")
	state = "QUEUED"
	mu.Unlock()

	require.NoError(t, c.Tasks.Cancel(ctx, "t-1"), "the retry met the task its first attempt cancelled")
	assert.Equal(t, 2, rec.hits("/api/tasks/t-1/state"), "the cancel was retried")
	// A cancel of a task that had already ended on its own is a conflict.
	mu.Lock()
	state = "FINISHED"
	mu.Unlock()
	assert.ErrorIs(t, c.Tasks.Cancel(ctx, "t-1"), vprotect.ErrConflict)
}

// Item 7 (in part): after a POST fails with no answer, the error tells
// "never sent" (the dial failed) from "may have been applied".
func TestPostWithoutAnswerSaysWhetherItMayHaveBeenApplied(t *testing.T) {
	srv, rec := loopback(t, "", false, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		dropAfter(w) // read, maybe applied, never answered
	})
	c := newHardeningClient(t, srv.URL)
	ctx := context.Background()
	_, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{"vm-1"}})
	var te *vprotect.TransportError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, vprotect.ErrMaybeApplied)
	assert.Equal(t, 1, rec.hits("/api/tasks/export"))
	assert.ErrorIs(t, c.Tasks.Delete(ctx, "t-1"), vprotect.ErrMaybeApplied)

	// A GET is retried and never matches it.
	_, err = c.VMs.List(ctx, nil)
	require.ErrorAs(t, err, &te)
	assert.NotErrorIs(t, err, vprotect.ErrMaybeApplied)

	// Nothing listens: the POST was never sent.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	closed := newHardeningClient(t, "http://"+addr)
	_, err = closed.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{"vm-1"}})
	require.ErrorAs(t, err, &te)
	assert.NotErrorIs(t, err, vprotect.ErrMaybeApplied, "%v", err)
}

// Item 7: an export and a restore whose answers were lost after the fake
// applied them match ErrMaybeApplied, and Tasks.ListSince finds the tasks
// they created (and finds none when the request never got through).
func TestMaybeAppliedTasksAreFoundByListSince(t *testing.T) {
	c, srv := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	ctx := context.Background()
	vm := vprotecttest.DemoVMTenantBDBGUID
	exports := &vprotect.TaskListOptions{ProtectedEntity: vm, Type: vprotect.TaskTypeExport}
	_, err := c.Login(ctx)
	require.NoError(t, err)

	// Dropped before it is served: nothing to find, so sending again is safe.
	sent := time.Now().Add(-time.Second)
	srv.InjectFault(vprotecttest.Fault{Pattern: "POST /tasks/export", Drop: true, Times: 1})
	_, err = c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm}})
	require.ErrorIs(t, err, vprotect.ErrMaybeApplied)
	made, err := c.Tasks.ListSince(ctx, sent, exports)
	require.NoError(t, err)
	assert.Empty(t, made, "the dropped export created nothing")

	// Served, then the answer lost: the export is found, exactly once.
	srv.InjectFault(vprotecttest.Fault{Pattern: "POST /tasks/export", DropAfter: true, Times: 1})
	_, err = c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm}})
	require.ErrorIs(t, err, vprotect.ErrMaybeApplied)
	assert.Equal(t, 2, srv.Calls("POST /tasks/export"), "each export was sent once")
	made, err = c.Tasks.ListSince(ctx, sent, exports)
	require.NoError(t, err)
	require.Len(t, made, 1, "the applied export is found")
	assert.Equal(t, vm, made[0].ProtectedEntity.GUID)
	backup, err := c.Tasks.WaitForBackup(ctx, made[0].GUID)
	require.NoError(t, err, "the found export is followed to its backup")

	// Tasks from before since are left out.
	later, err := c.Tasks.ListSince(ctx, time.Now().Add(time.Hour), exports)
	require.NoError(t, err)
	assert.Empty(t, later)

	// A restore of that backup whose answer is lost is found by its backup.
	targets, err := c.Backups.RestoreTargets(ctx, backup.GUID)
	require.NoError(t, err)
	require.NotEmpty(t, targets)
	srv.InjectFault(vprotecttest.Fault{Pattern: "POST /tasks/restore-and-import", DropAfter: true, Times: 1})
	_, err = c.Tasks.RestoreAndImport(ctx, targets[0].Request(backup.GUID, "b-db-1-restored"))
	require.ErrorIs(t, err, vprotect.ErrMaybeApplied)
	restores, err := c.Tasks.ListSince(ctx, sent, &vprotect.TaskListOptions{Backup: backup.GUID, Type: vprotect.TaskTypeRestore})
	require.NoError(t, err)
	require.Len(t, restores, 1, "the applied restore is found")
	_, err = c.Tasks.WaitForRestore(ctx, restores[0].GUID)
	require.NoError(t, err)
}
