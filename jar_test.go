package vprotect

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func cookieNames(cs []*http.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+"="+c.Value)
	}
	return out
}

// The jar sends a cookie back to the origin that set it only: not over
// http when it came over https, not to another port or host, whatever its
// Domain says.
func TestJarScopedByOrigin(t *testing.T) {
	j := newCookieJar()
	j.SetCookies(mustURL(t, "https://vp.example.com:8181/api/session/login"), []*http.Cookie{
		{Name: "JSESSIONID", Value: "s1", Path: "/"},
		{Name: "wide", Value: "w", Path: "/", Domain: "example.com"},
	})
	assert.Equal(t, []string{"JSESSIONID=s1", "wide=w"}, cookieNames(j.Cookies(mustURL(t, "https://vp.example.com:8181/api/nodes"))))
	assert.Equal(t, []string{"JSESSIONID=s1", "wide=w"}, cookieNames(j.Cookies(mustURL(t, "https://VP.example.com:8181/"))))
	for _, other := range []string{
		"http://vp.example.com:8181/api/nodes", // plain http, same host and port
		"http://vp.example.com/api/nodes",
		"https://vp.example.com/api/nodes", // another port
		"https://vp.example.com:8443/api/nodes",
		"https://other.example.com:8181/api/nodes", // Domain=example.com is not honoured
	} {
		assert.Empty(t, j.Cookies(mustURL(t, other)), other)
	}
	// Default ports are the same origin.
	j.SetCookies(mustURL(t, "https://h/"), []*http.Cookie{{Name: "a", Value: "1"}})
	assert.Len(t, j.Cookies(mustURL(t, "https://h:443/x")), 1)
	assert.Empty(t, j.Cookies(mustURL(t, "http://h:443/x")))
	// A Secure cookie offered over http is dropped.
	j.SetCookies(mustURL(t, "http://h/"), []*http.Cookie{{Name: "sec", Value: "1", Secure: true}})
	assert.Empty(t, j.Cookies(mustURL(t, "http://h/")))
}

func TestJarPathsExpiryAndDeletion(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	j := newCookieJar()
	j.now = func() time.Time { return now }
	u := mustURL(t, "https://h/api/session/login")
	j.SetCookies(u, []*http.Cookie{
		{Name: "api", Value: "1", Path: "/api"},
		{Name: "dflt", Value: "2"}, // default path /api/session
		{Name: "short", Value: "3", Path: "/", MaxAge: 60},
		{Name: "dated", Value: "4", Path: "/", Expires: now.Add(time.Hour)},
		{Name: "gone", Value: "5", Path: "/", Expires: now.Add(-time.Hour)},
	})
	assert.Equal(t, []string{"dflt=2", "api=1", "short=3", "dated=4"}, cookieNames(j.Cookies(mustURL(t, "https://h/api/session/user"))))
	assert.Equal(t, []string{"api=1", "short=3", "dated=4"}, cookieNames(j.Cookies(mustURL(t, "https://h/api/nodes"))))
	assert.Equal(t, []string{"short=3", "dated=4"}, cookieNames(j.Cookies(mustURL(t, "https://h/apis"))))
	now = now.Add(2 * time.Minute)
	assert.Equal(t, []string{"api=1", "dated=4"}, cookieNames(j.Cookies(mustURL(t, "https://h/api/x"))), "short expired")
	j.SetCookies(u, []*http.Cookie{{Name: "api", Path: "/api", MaxAge: -1}, {Name: "dated", Value: "5", Path: "/"}})
	assert.Equal(t, []string{"dated=5"}, cookieNames(j.Cookies(mustURL(t, "https://h/api/x"))), "deleted and replaced")
	assert.ElementsMatch(t, []string{"2", "5"}, j.values())
	j.reset()
	assert.Empty(t, j.Cookies(mustURL(t, "https://h/api/session/user")))
}

// Dozens of large cookies: the jar keeps a bounded number and size per
// origin, evicting the oldest, so the newest (the session) stays.
func TestJarBounded(t *testing.T) {
	j := newCookieJar()
	u := mustURL(t, "https://h/api/session/login")
	var flood []*http.Cookie
	for i := range 40 {
		flood = append(flood, &http.Cookie{Name: fmt.Sprintf("t%02d", i), Value: strings.Repeat("x", 1000), Path: "/"})
	}
	flood = append(flood,
		&http.Cookie{Name: "huge", Value: strings.Repeat("y", maxCookieBytes), Path: "/"},
		&http.Cookie{Name: "JSESSIONID", Value: "s1", Path: "/"})
	j.SetCookies(u, flood)
	got := j.Cookies(u)
	size := 0
	for _, c := range got {
		size += len(c.Name) + len(c.Value)
		assert.NotEqual(t, "huge", c.Name, "a cookie over %d bytes is dropped", maxCookieBytes)
	}
	assert.LessOrEqual(t, len(got), maxOriginCookies)
	assert.LessOrEqual(t, size, maxOriginCookieBytes)
	assert.Contains(t, cookieNames(got), "JSESSIONID=s1", "the newest cookie is kept")
	assert.Contains(t, cookieNames(got), "t39="+strings.Repeat("x", 1000))
	assert.NotContains(t, cookieNames(got), "t00="+strings.Repeat("x", 1000), "the oldest is evicted")

	many := make([]*http.Cookie, 30)
	for i := range many {
		many[i] = &http.Cookie{Name: fmt.Sprintf("n%02d", i), Value: "v"}
	}
	j.SetCookies(u, many)
	assert.Len(t, j.Cookies(u), maxOriginCookies)

	// The origins are bounded too.
	for i := range 3 * maxJarOrigins {
		j.SetCookies(mustURL(t, fmt.Sprintf("https://h%d/", i)), []*http.Cookie{{Name: "a", Value: "b"}})
	}
	assert.Len(t, j.origins, maxJarOrigins)
	assert.NotEmpty(t, j.Cookies(mustURL(t, fmt.Sprintf("https://h%d/", 3*maxJarOrigins-1))), "the latest origin is kept")
}

// The caller's own redirect policy (from WithHTTPClient) still runs, after
// the client's.
func TestCallersRedirectPolicyStillRuns(t *testing.T) {
	srv, hits := countingServer(t, func(hit int64, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/nodes" {
			w.Header().Set("Location", "/api/nodes-moved")
			w.WriteHeader(http.StatusFound)
			return
		}
		writeTestJSON(w, http.StatusOK, []any{})
	})
	var asked int
	hc := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		asked++
		return http.ErrUseLastResponse
	}}
	c := plainClient(t, srv.URL, WithHTTPClient(hc))
	_, err := list[any](context.Background(), c, "/nodes", nil)
	require.NoError(t, err) // the 302 itself is the answer, without a body
	assert.Equal(t, 1, asked)
	assert.EqualValues(t, 1, hits.Load(), "the caller's policy stopped the redirect")
}
