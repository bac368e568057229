package vprotecttest

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastRecord returns the newest entry of the request log.
func lastRecord(t *testing.T, srv *Server) RecordedRequest {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1]
}

// A request without a valid session keeps no body in the log: no cookie, a
// stale cookie, a cookie of a session past its TTL, and a faulted request;
// the same request with a valid session keeps it.
func TestRecordKeepsNoBodyWithoutSession(t *testing.T) {
	const marker = "anonymous-body-marker"
	body := `{"protectedEntities":[{"guid":"` + marker + `"}]}`
	clock := NewFakeClock(t0)
	srv := Start(t, WithClock(clock), WithSessionTTL(10*time.Minute))

	anon := newClient(t, srv)
	st, _, _ := anon.do("POST", "/tasks/export", body, nil)
	require.Equal(t, http.StatusUnauthorized, st)
	assert.Nil(t, lastRecord(t, srv).Body, "no cookie")

	stale := newClient(t, srv)
	stale.login(DefaultLogin, DefaultPassword)
	u := mustURL(t, srv.URL())
	cookies := stale.hc.Jar.Cookies(u)
	st, _, _ = stale.do("POST", "/session/logout", nil, nil)
	require.Equal(t, http.StatusCreated, st)
	stale.hc.Jar.SetCookies(u, cookies)
	stale.do("POST", "/tasks/export", body, nil)
	rec := lastRecord(t, srv)
	assert.True(t, rec.HasSession)
	assert.Nil(t, rec.Body, "a stale cookie")

	expired := newClient(t, srv)
	expired.login(DefaultLogin, DefaultPassword)
	clock.Advance(11 * time.Minute)
	st, _, _ = expired.do("POST", "/tasks/export", body, nil)
	require.Equal(t, http.StatusUnauthorized, st)
	assert.Nil(t, lastRecord(t, srv).Body, "a session past its TTL")

	srv.InjectFault(Fault{Pattern: "POST /tasks/export", Status: 503, Times: 1})
	anon.do("POST", "/tasks/export", body, nil)
	assert.Nil(t, lastRecord(t, srv).Body, "a faulted request without a session")

	live := newClient(t, srv)
	live.login(DefaultLogin, DefaultPassword)
	srv.InjectFault(Fault{Pattern: "POST /tasks/export", Status: 503, Times: 1})
	live.do("POST", "/tasks/export", body, nil)
	assert.Equal(t, body, string(lastRecord(t, srv).Body), "a faulted request with a valid session")
	live.do("POST", "/tasks/export", body, nil)
	assert.Equal(t, body, string(lastRecord(t, srv).Body), "a valid session")

	for _, r := range srv.Requests() {
		if r.Pattern == "" && strings.Contains(string(r.Body), marker) && r.Status == http.StatusUnauthorized {
			t.Errorf("a 401 kept its body: %s %s", r.Method, r.Path)
		}
	}
}

// The password of a login is masked in the log in any letter case, however
// often and however deeply it appears, and a login body that is not JSON is
// not kept. The server matches member names exactly, as Jackson does
// ("Password" is an unknown member, so that login lacks its password), and
// the last of repeated members wins.
func TestRecordMasksPasswordsInAnyCase(t *testing.T) {
	srv := Start(t)
	logins := []struct {
		body   string
		status int
	}{
		{`{"login":"admin","password":"vPr0tect"}`, http.StatusOK},
		{`{"login":"admin","Password":"vPr0tect"}`, http.StatusBadRequest},
		{`{"login":"admin","PASSWORD":"vPr0tect"}`, http.StatusBadRequest},
		{`{"login":"admin","passWord":"vPr0tect"}`, http.StatusBadRequest},
		{`{"login":"admin","p\u0061ssword":"vPr0tect"}`, http.StatusOK},
		{`{"login":"admin","password":"wrong","password":"vPr0tect","PASSWORD":"vPr0tect"}`, http.StatusOK},
		{`{"login":"admin","password":"vPr0tect","extra":{"password":"vPr0tect","list":[{"Password":"vPr0tect"}]}}`, http.StatusOK},
	}
	for _, l := range logins {
		body := l.body
		c := newClient(t, srv)
		st, _, raw := c.do("POST", "/session/login", body, nil)
		require.Equal(t, l.status, st, "%s: %s", body, raw)
		rec := lastRecord(t, srv)
		assert.NotContains(t, string(rec.Body), "vPr0tect", body)
		assert.NotContains(t, string(rec.Body), "wrong", body)
		assert.Contains(t, string(rec.Body), `"***"`, body)
		assert.Contains(t, string(rec.Body), `"login":"admin"`, body)
	}
	c := newClient(t, srv)
	st, _, _ := c.do("POST", "/session/login", "login=admin&password=vPr0tect", nil)
	require.Equal(t, http.StatusBadRequest, st)
	assert.Nil(t, lastRecord(t, srv).Body, "a login body that is not JSON")
}

// The request log is bounded in bytes as well as in count.
func TestRecordBoundedInBytes(t *testing.T) {
	t.Run("option", func(t *testing.T) {
		const limit = 64 << 10
		_, c := loggedIn(t, WithMaxRecordedBytes(limit))
		body := bytes.Repeat([]byte("x"), 1<<10)
		for range 200 {
			c.do("PUT", "/session", body, nil)
		}
		reqs := c.srv.Requests()
		assert.LessOrEqual(t, logBytes(reqs), int64(limit))
		assert.Greater(t, len(reqs), 10, "the newest requests are kept")
		assert.Len(t, reqs[len(reqs)-1].Body, 1<<10, "the newest body is kept")
		big := bytes.Repeat([]byte("y"), limit+1)
		c.do("PUT", "/session", big, nil)
		assert.Nil(t, lastRecord(t, c.srv).Body, "a body over the bound alone is not kept")
		assert.LessOrEqual(t, logBytes(c.srv.Requests()), int64(limit))
	})
	t.Run("default", func(t *testing.T) {
		_, c := loggedIn(t)
		body := bytes.Repeat([]byte("x"), DefaultMaxBodyBytes-1)
		for range 2 * DefaultMaxRecordedBytes / DefaultMaxBodyBytes {
			c.do("PUT", "/session", body, nil)
		}
		reqs := c.srv.Requests()
		assert.LessOrEqual(t, logBytes(reqs), int64(DefaultMaxRecordedBytes))
		assert.NotNil(t, reqs[len(reqs)-1].Body)
	})
	t.Run("count", func(t *testing.T) {
		_, c := loggedIn(t, WithMaxRecordedRequests(10))
		for range 25 {
			c.do("GET", "/session", nil, nil)
		}
		assert.LessOrEqual(t, len(c.srv.Requests()), 10)
	})
}

func logBytes(reqs []RecordedRequest) int64 {
	var n int64
	for _, r := range reqs {
		n += int64(len(r.Path) + len(r.RawQuery) + len(r.Body))
	}
	return n
}
