package vprotecttest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const uiOrigin = "https://engine.example.com"

// browserFetch sends what the vendor UI's fetch(…, {credentials: 'include',
// mode: 'cors'}) sends: the page's Origin, and Content-Type: application/json
// on every method.
func browserFetch(t *testing.T, hc *http.Client, method, url, origin, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Origin", origin)
	if method != http.MethodOptions {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func preflight(t *testing.T, hc *http.Client, url, origin, method string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodOptions, url, nil)
	require.NoError(t, err)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-csrftoken")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

// assertCORS checks the headers every answer to an allowed origin carries
// (reference 7x section 10.2).
func assertCORS(t *testing.T, resp *http.Response, what string) {
	t.Helper()
	assert.Equal(t, uiOrigin, resp.Header.Get("Access-Control-Allow-Origin"), what+": the origin echoed, never *")
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"), what)
	assert.Equal(t, "X-Total-Count, Content-Disposition", resp.Header.Get("Access-Control-Expose-Headers"), what)
	assert.Contains(t, resp.Header.Values("Vary"), "Origin", what)
}

// The oVirt build of the vendor UI, as a browser runs it: a preflight, then
// the login and a paged list with the session cookie, from another origin
// over TLS.
func TestCORSBrowserSession(t *testing.T) {
	srv := Start(t, WithTLS(), WithCORS(uiOrigin))
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	hc := &http.Client{Transport: srv.HTTPClient().Transport, Jar: jar}
	t.Cleanup(hc.CloseIdleConnections)

	// Preflights need no session, on every path, and answer for the
	// methods and headers the UI uses.
	for _, p := range []string{"/session/login", "/virtual-machines", "/tasks/" + DemoVMRHV1GUID + "/state", "/no-such-route"} {
		resp := preflight(t, hc, srv.URL()+p, uiOrigin, "PUT")
		assert.Equal(t, http.StatusNoContent, resp.StatusCode, p)
		assertCORS(t, resp, "preflight "+p)
		assert.Equal(t, "GET, POST, PUT, DELETE", resp.Header.Get("Access-Control-Allow-Methods"))
		assert.Equal(t, "content-type,x-csrftoken", resp.Header.Get("Access-Control-Allow-Headers"), "the requested headers are allowed")
	}
	assert.Zero(t, srv.Sessions())

	// A call before the login fails with CORS headers, so the UI can read
	// the JSON error.
	resp := browserFetch(t, hc, "GET", srv.URL()+"/virtual-machines", uiOrigin, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assertCORS(t, resp, "401")

	resp = browserFetch(t, hc, "POST", srv.URL()+"/session/login", uiOrigin, `{"login":"admin","password":"nope"}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assertCORS(t, resp, "bad credentials")

	resp = browserFetch(t, hc, "POST", srv.URL()+"/session/login", uiOrigin, `{"login":"admin","password":"vPr0tect"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assertCORS(t, resp, "login")
	ck := resp.Header.Get("Set-Cookie")
	assert.Contains(t, ck, "; Secure")
	assert.Contains(t, ck, "; SameSite=None", "sent on a cross-site fetch")

	// The credentialed call: the cookie from the jar, the total readable.
	resp = browserFetch(t, hc, "GET", srv.URL()+"/virtual-machines?page=0&size=2", uiOrigin, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assertCORS(t, resp, "list")
	assert.NotEmpty(t, resp.Header.Get("X-Total-Count"))
}

func TestCORSOtherOrigins(t *testing.T) {
	srv := Start(t, WithCORS(uiOrigin))
	c := newClient(t, srv)
	c.login(DefaultLogin, DefaultPassword)

	resp := preflight(t, c.hc, srv.URL()+"/virtual-machines", "https://evil.example", "GET")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))

	resp = browserFetch(t, c.hc, "GET", srv.URL()+"/virtual-machines", "https://evil.example", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the fake serves it; the browser withholds it")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))

	// Plain http: no SameSite=None (a browser would drop it without Secure).
	st, h, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": DefaultPassword}, nil)
	require.Equal(t, http.StatusOK, st)
	assert.NotContains(t, h.Get("Set-Cookie"), "SameSite")

	// "*" admits every origin, still echoed.
	all := Start(t, WithCORS("*"))
	resp = preflight(t, all.HTTPClient(), all.URL()+"/tasks", "http://localhost:3000", "GET")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "http://localhost:3000", resp.Header.Get("Access-Control-Allow-Origin"))
}

// Without WithCORS the fake sends no CORS header, and OPTIONS is an
// ordinary request (401 without a session).
func TestNoCORSByDefault(t *testing.T) {
	srv := Start(t)
	resp := preflight(t, srv.HTTPClient(), srv.URL()+"/virtual-machines", uiOrigin, "GET")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, resp.Header.Values("Vary"))
}
