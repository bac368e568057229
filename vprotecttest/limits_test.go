package vprotecttest

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every server has connection limits, even without WithHTTPLimits.
func TestDefaultHTTPLimits(t *testing.T) {
	for name, srv := range map[string]*Server{"http": Start(t), "tls": Start(t, WithTLS())} {
		hc := srv.hs.Config
		d := DefaultHTTPLimits()
		assert.Equal(t, d, HTTPLimits{ReadHeaderTimeout: hc.ReadHeaderTimeout, ReadTimeout: hc.ReadTimeout, IdleTimeout: hc.IdleTimeout, MaxHeaderBytes: hc.MaxHeaderBytes}, name)
		assert.Positive(t, d.ReadHeaderTimeout, name)
		assert.Positive(t, d.ReadTimeout, name)
		assert.Positive(t, d.IdleTimeout, name)
		assert.Positive(t, d.MaxHeaderBytes, name)
		assert.Zero(t, hc.WriteTimeout, "%s: no write timeout, delay faults need it", name)
	}
}

// A client that stalls inside its headers, inside its body, or after a
// request is cut off at the limit; oversized headers get 431.
func TestStalledConnectionsAreClosed(t *testing.T) {
	limits := HTTPLimits{ReadHeaderTimeout: 200 * time.Millisecond, ReadTimeout: 400 * time.Millisecond, IdleTimeout: 300 * time.Millisecond, MaxHeaderBytes: 4 << 10}
	srv := Start(t, WithHTTPLimits(limits))
	addr := strings.TrimPrefix(strings.TrimSuffix(srv.URL(), "/api"), "http://")
	for _, tc := range []struct {
		name, send string
		within     time.Duration
	}{
		{"inside the headers", "GET /api/session HTTP/1.1\r\nHost: fake\r\nX-Slow: abc", limits.ReadHeaderTimeout},
		{"inside the body", "POST /api/session/login HTTP/1.1\r\nHost: fake\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"login\":", limits.ReadTimeout},
		{"idle after a request", "GET /api/session HTTP/1.1\r\nHost: fake\r\n\r\n", limits.IdleTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// start before the dial: the server's deadline runs from its
			// accept, which may come before Dial returns here.
			start := time.Now()
			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer conn.Close()
			_, err = io.WriteString(conn, tc.send)
			require.NoError(t, err)
			require.NoError(t, conn.SetReadDeadline(start.Add(10*time.Second)))
			_, err = io.Copy(io.Discard, conn) // whatever the server answers, then its close
			took := time.Since(start)
			require.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the server kept the connection open for %v", took)
			// Half the limit: deadlines may fire a little early on a loaded
			// machine; a server without the limit keeps the connection open.
			assert.GreaterOrEqual(t, took, tc.within/2, "closed long before the limit")
			assert.Less(t, took, tc.within+5*time.Second)
		})
	}

	t.Run("headers too large", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, "GET /api/session HTTP/1.1\r\nHost: fake\r\nX-Big: "+strings.Repeat("a", 4*limits.MaxHeaderBytes)+"\r\n\r\n")
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
	})
}

// Lifting the read deadline once the body is in lets a delay fault last
// longer than ReadTimeout.
func TestDelayOutlastsReadTimeout(t *testing.T) {
	srv, c := loggedIn(t, WithHTTPLimits(HTTPLimits{ReadTimeout: 100 * time.Millisecond}))
	srv.InjectFault(Fault{Pattern: "GET /session", Delay: 300 * time.Millisecond})
	st, _, _ := c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
}
