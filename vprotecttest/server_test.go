package vprotecttest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoginAndSession(t *testing.T) {
	srv := Start(t)
	c := newClient(t, srv)

	st, _, raw := c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Equal(t, "Unauthorized: no valid session, log in with POST /api/session/login", errMsg(t, raw))

	st, _, raw = c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "nope"}, nil)
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Equal(t, "Invalid credentials", errMsg(t, raw))

	var info map[string]any
	st, h, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vprotect"}, &info)
	require.Equal(t, http.StatusCreated, st)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	ck := h.Get("Set-Cookie")
	assert.Regexp(t, `^JSESSIONID=[0-9a-f]{64}; Path=/; HttpOnly`, ck)
	assert.Equal(t, "admin", info["requester"].(map[string]any)["name"])
	privs := info["privileges"].([]any)
	assert.Equal(t, "NODE_READ", privs[0].(map[string]any)["name"])

	st, _, _ = c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	c.get("/session/user", &info)
	assert.Equal(t, "admin", info["requester"].(map[string]any)["name"])
	assert.Equal(t, 1, srv.Logins())

	st, _, _ = c.do("POST", "/session/logout", nil, nil)
	assert.Equal(t, http.StatusCreated, st)
	st, _, _ = c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, st)
}

func TestSessionTTLAndExpire(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk), WithSessionTTL(10*time.Minute))
	clk.Advance(9 * time.Minute)
	st, _, _ := c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st, "use refreshes the idle timer")
	clk.Advance(9 * time.Minute)
	st, _, _ = c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	clk.Advance(11 * time.Minute)
	st, _, _ = c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Equal(t, 1, srv.Expiries())

	c.login("admin", "vprotect")
	srv.ExpireSessions()
	st, _, _ = c.do("GET", "/virtual-machines", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Equal(t, 2, srv.Logins())
	assert.Equal(t, 2, srv.Expiries())
}

func TestUsers(t *testing.T) {
	srv := Start(t, WithUsers(map[string]string{"ops": "pw1", "dev": "pw2"}))
	c := newClient(t, srv)
	c.login("ops", "pw1")
	c.login("dev", "pw2")
	st, _, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vprotect"}, nil)
	assert.Equal(t, http.StatusUnauthorized, st)
	st, _, raw := c.do("POST", "/session/login", map[string]string{"password": "x"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "login")
}

func TestRequestLogIsBounded(t *testing.T) {
	s := &Server{cfg: defaultConfig()}
	for i := 0; i < MaxRecordedRequests+10; i++ {
		s.recordLocked(&RecordedRequest{Method: "GET", Path: "/api/session"})
	}
	if n := len(s.requests); n > MaxRecordedRequests || n < MaxRecordedRequests/2 {
		t.Fatalf("log holds %d requests", n)
	}
	if last := s.requests[len(s.requests)-1].id; last != uint64(MaxRecordedRequests+10) {
		t.Fatalf("newest request id %d", last)
	}
}
