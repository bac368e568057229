package vprotecttest

import (
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flood of logins never grows the sessions past the cap: each login
// beyond it evicts the least recently used session (the fake's choice; a
// cap that answered 429 would lock every client out until sessions expire,
// and with no TTL forever). The evicted client gets 401 and logs in again.
func TestLoginFloodKeepsSessionsBounded(t *testing.T) {
	srv := Start(t, WithTaskModel(Instant))
	first := newClient(t, srv)
	first.login(DefaultLogin, DefaultPassword)
	keep := newClient(t, srv) // used all along, so never the least recently used
	keep.login(DefaultLogin, DefaultPassword)

	// 100,000 logins through the handler take minutes under -race on a
	// small machine, so the flood calls what the login handler calls once the
	// password matched; TestSessionEvictionOrder shows the handler does.
	const logins = 100_000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := range logins {
		srv.mu.Lock()
		srv.newSessionLocked(DefaultLogin, time.Now())
		srv.mu.Unlock()
		if i%1000 == 0 {
			st, _, _ := keep.do("GET", "/session", nil, nil)
			require.Equal(t, http.StatusNoContent, st)
		}
	}
	grown := int64(heap()) - int64(before)
	t.Logf("heap grew by %d KiB for %d logins (%d sessions live)", grown>>10, logins, srv.Sessions())
	assert.Less(t, grown, int64(8<<20), "the heap holds at most DefaultMaxSessions sessions")
	assert.Equal(t, DefaultMaxSessions, srv.Sessions(), "sessions are capped")
	assert.Equal(t, logins+2, srv.Logins())
	assert.Equal(t, logins+2-DefaultMaxSessions, srv.Expiries(), "each login over the cap evicted one session")

	st, _, _ := first.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, st, "the least recently used session was evicted")
	st, _, _ = keep.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st, "a session in use survives the flood")
	first.login(DefaultLogin, DefaultPassword)
	st, _, _ = first.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st, "logging in again works")
}

// Eviction takes the least recently used session, not the oldest login,
// and expired sessions go first.
func TestSessionEvictionOrder(t *testing.T) {
	clk := NewFakeClock(t0)
	srv := Start(t, WithClock(clk), WithMaxSessions(2), WithSessionTTL(time.Hour))
	a, b, c := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	a.login(DefaultLogin, DefaultPassword)
	clk.Advance(time.Minute)
	b.login(DefaultLogin, DefaultPassword)
	clk.Advance(time.Minute)
	st, _, _ := a.do("GET", "/session", nil, nil) // a is now used more recently than b
	require.Equal(t, http.StatusNoContent, st)
	c.login(DefaultLogin, DefaultPassword)
	assert.Equal(t, 2, srv.Sessions())
	st, _, _ = b.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, st, "b was the least recently used")
	st, _, _ = a.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st)

	clk.Advance(2 * time.Hour) // a and c expire; the next login drops both
	b.login(DefaultLogin, DefaultPassword)
	assert.Equal(t, 1, srv.Sessions())
	assert.Equal(t, 3, srv.Expiries())
}
