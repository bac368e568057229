package vprotect

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventLog collects what an Observer reports.
type eventLog struct {
	mu       sync.Mutex
	requests []RequestEvent
	logins   []LoginEvent
}

func (l *eventLog) observer() Observer {
	return Observer{
		Request: func(e RequestEvent) { l.mu.Lock(); l.requests = append(l.requests, e); l.mu.Unlock() },
		Login:   func(e LoginEvent) { l.mu.Lock(); l.logins = append(l.logins, e); l.mu.Unlock() },
	}
}

// attempts returns "METHOD route status attempt" per request event.
func (l *eventLog) attempts() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.requests {
		out = append(out, fmt.Sprintf("%s %s %s #%d", e.Method, e.Route, http.StatusText(e.Status), e.Attempt))
	}
	return out
}

// One event per attempt, with the route and not the path: the first login,
// a retried 503, the 401 of an expired session, the re-login and the replay.
func TestObserverSeesAttemptsAndRelogins(t *testing.T) {
	s := newAuthServer(t)
	var hits atomic.Int64
	s.handle("GET /api/tasks/{guid}", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			writeTestJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "busy"})
			return
		}
		writeTestJSON(w, http.StatusOK, map[string]string{"guid": r.PathValue("guid")})
	})
	var log eventLog
	c := s.client(t, WithObserver(log.observer()))
	ctx := context.Background()

	_, err := c.Tasks.Get(ctx, "00000000-0000-4000-8000-000000000042")
	require.NoError(t, err)
	s.expire()
	_, err = c.Tasks.Get(ctx, "00000000-0000-4000-8000-000000000043")
	require.NoError(t, err)

	assert.Equal(t, []string{
		"POST /session/login Created #1",
		"GET /tasks/{guid} Service Unavailable #1",
		"GET /tasks/{guid} OK #2",
		"GET /tasks/{guid} Unauthorized #1",
		"POST /session/login Created #1",
		"GET /tasks/{guid} OK #1",
	}, log.attempts())
	require.Len(t, log.logins, 2)
	assert.False(t, log.logins[0].Relogin, "the first login")
	assert.True(t, log.logins[1].Relogin, "after the 401")
	for _, e := range log.logins {
		assert.NoError(t, e.Err)
		assert.Positive(t, e.Duration)
	}
	for _, e := range log.requests {
		assert.NoError(t, e.Err)
		assert.Positive(t, e.Duration)
	}
}

// A failed login is reported with its error; an attempt without an answer
// has status 0 and the transport error.
func TestObserverSeesFailures(t *testing.T) {
	s := newAuthServer(t)
	s.password = "another"
	var log eventLog
	c := s.client(t, WithObserver(log.observer()))
	_, err := c.Nodes.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrInvalidCredentials)
	require.Len(t, log.logins, 1)
	assert.ErrorIs(t, log.logins[0].Err, ErrInvalidCredentials)
	assert.False(t, log.logins[0].Relogin)

	var down eventLog
	dead := plainClient(t, "http://127.0.0.1:1", WithObserver(down.observer()), WithRetry(NoRetry()))
	_, err = dead.Nodes.List(context.Background(), nil)
	require.Error(t, err)
	require.Len(t, down.requests, 1)
	assert.Equal(t, 0, down.requests[0].Status)
	assert.Error(t, down.requests[0].Err)
	assert.Equal(t, "/nodes", down.requests[0].Route)
	assert.Empty(t, down.logins, "no credentials, no login")
}

func TestObserverRoute(t *testing.T) {
	for path, want := range map[string]string{
		"/virtual-machines":                                        "/virtual-machines",
		"/tasks/00000000-0000-4000-8000-000000000042":              "/tasks/{guid}",
		"/policies/vm-backup/9f0c2d4e-aaaa-4bbb-8ccc-0123456789ab": "/policies/vm-backup/{guid}",
		"/users/1/password":                                        "/users/{id}/password",
		"/session/login-with-token":                                "/session/login-with-token",
		"/backups/vm%2F1/files":                                    "/backups/{guid}/files",
		"/virtual-machines/list-by-entities":                       "/virtual-machines/list-by-entities",
		"/":                                                        "/",
	} {
		assert.Equal(t, want, route(path), path)
	}
}
