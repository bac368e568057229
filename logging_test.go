package vprotect

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSilentByDefault(t *testing.T) {
	c, _ := newTestClient(t)
	assert.Nil(t, c.log)
}

func TestLogsOneLinePerAttempt(t *testing.T) {
	var buf syncBuffer
	c, mt := newTestClient(t, WithLogger(slog.New(slog.NewJSONHandler(&buf, nil))))
	respondJSON(mt, "GET", "/session", 204, nil)
	require.NoError(t, c.Ping(context.Background()))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 1)
	for _, want := range []string{`"method":"GET"`, `"path":"/session"`, `"status":204`, `"attempt":1`, `"duration":`} {
		assert.Contains(t, lines[0], want)
	}
}

func TestSecretsNeverLoggedNorInErrors(t *testing.T) {
	s := newAuthServer(t)
	s.handle("GET /api/fails", func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, http.StatusInternalServerError, map[string]string{"message": "internal"})
	})
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	var errs []error

	good := s.client(t, WithLogger(logger), WithDebug(), WithRetry(RetryPolicy{MaxAttempts: 2}))
	_, err := good.Login(ctx)
	require.NoError(t, err)
	_, err = good.do(ctx, &request{method: http.MethodGet, path: "/fails"})
	require.Error(t, err)
	errs = append(errs, err)

	bad, err := New(s.URL, WithCredentials("admin", testPassword+"-wrong"), WithLogger(logger), WithDebug())
	require.NoError(t, err)
	defer bad.Close()
	err = bad.Ping(ctx)
	require.ErrorIs(t, err, ErrInvalidCredentials)
	errs = append(errs, err)

	out := buf.String()
	require.Contains(t, out, "response dump", "the wire dump is on")
	require.Contains(t, out, "/session/login")
	secrets := []string{testPassword, "cookie-value-"}
	for _, secret := range secrets {
		assert.NotContains(t, out, secret, "log holds a secret")
		for _, e := range errs {
			assert.NotContains(t, e.Error(), secret, "error holds a secret")
		}
	}
}

func TestSSHPasswordNeverLoggedNorInErrors(t *testing.T) {
	s := newAuthServer(t)
	s.handle("PUT /api/virtual-machines/{guid}/ssh-password", func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, http.StatusBadRequest, map[string]string{"message": "rejected"})
	})
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := s.client(t, WithLogger(logger), WithDebug())
	const password = "ssh-pass-not-for-logs"

	err := c.VMs.SetSSHPassword(context.Background(), "vm-1", password)
	require.Error(t, err)
	out := buf.String()
	require.Contains(t, out, "/ssh-password", "the wire dump is on")
	assert.NotContains(t, out, password, "log holds the password")
	assert.NotContains(t, err.Error(), password, "error holds the password")
}
