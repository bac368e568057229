package vprotect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// lockedBuffer collects log output from concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// cookieCatcher is a RoundTripper that learns the session cookie values the
// server hands out, so the test can look for them everywhere.
type cookieCatcher struct {
	next http.RoundTripper
	mu   sync.Mutex
	vals []string
}

func (c *cookieCatcher) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err == nil {
		for _, ck := range resp.Cookies() {
			if ck.Value != "" {
				c.mu.Lock()
				c.vals = append(c.vals, ck.Value)
				c.mu.Unlock()
			}
		}
	}
	return resp, err
}

func (c *cookieCatcher) values() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.vals...)
}

// The password and the session cookie never appear in a log line (every
// level, with and without the wire dump), in an error (failed login,
// retries exhausted, API errors, transport errors, in every fmt verb) or in
// the fake's recorded requests and its own log.
func TestSecretsNeverLeak(t *testing.T) {
	const (
		login     = "portal"
		password  = `Pw"with\quotes-Zq9tail`
		wrongPass = `wrong-Kx7tail`
	)
	jsonPass, _ := json.Marshal(password)
	var fakeLog lockedBuffer
	srv := vprotecttest.Start(t, vprotecttest.WithUser(login, password),
		vprotecttest.WithLogger(slog.New(slog.NewTextHandler(&fakeLog, &slog.HandlerOptions{Level: slog.LevelDebug}))))

	var logs lockedBuffer
	debugLog := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	infoLog := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	catcher := &cookieCatcher{next: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(catcher.next.(*http.Transport).CloseIdleConnections)
	newClient := func(pw string, opts ...vprotect.Option) *vprotect.Client {
		base := []vprotect.Option{
			vprotect.WithCredentials(login, pw),
			vprotect.WithHTTPClient(&http.Client{Transport: catcher}),
			vprotect.WithRetry(vprotect.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}),
		}
		c, err := vprotect.New(srv.URL(), append(base, opts...)...)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c
	}
	ctx := context.Background()
	var errs []error
	expectErr := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}

	for _, c := range []*vprotect.Client{
		newClient(password, vprotect.WithLogger(debugLog), vprotect.WithDebug()),
		newClient(password, vprotect.WithLogger(infoLog)),
	} {
		_, err := c.Login(ctx)
		require.NoError(t, err)
		_, err = c.VMs.List(ctx, nil)
		require.NoError(t, err)
		srv.ExpireSessions() // a re-login: a second cookie
		_, err = c.CurrentUser(ctx)
		require.NoError(t, err)

		srv.InjectFault(vprotecttest.Fault{Pattern: "GET /nodes", Status: 503})
		_, err = c.Nodes.List(ctx, nil)
		require.ErrorIs(t, err, vprotect.ErrServer)
		expectErr(err) // retries exhausted
		srv.InjectFault(vprotecttest.Fault{Pattern: "GET /backup-destinations", Drop: true})
		_, err = c.BackupDestinations.List(ctx, nil)
		var te *vprotect.TransportError
		require.ErrorAs(t, err, &te)
		expectErr(err) // a transport error after 3 attempts
		srv.InjectFault(vprotecttest.Fault{Pattern: "GET /hypervisors", HTML: true, Status: 500})
		_, err = c.Hypervisors.List(ctx, nil)
		expectErr(err)
		srv.ClearFaults()

		_, err = c.VMs.Get(ctx, "no-such-vm")
		require.ErrorIs(t, err, vprotect.ErrNotFound)
		expectErr(err)
		_, err = c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{"no-such-vm"}, BackupType: vprotect.BackupTypeFull})
		require.ErrorIs(t, err, vprotect.ErrBadRequest)
		expectErr(err)
		_, err = c.Schedules.Create(ctx, vprotect.NewTimeSchedule("daily-2200", time.Hour, time.Hour, time.Monday))
		require.ErrorIs(t, err, vprotect.ErrConflict)
		expectErr(err)
		require.NoError(t, c.Logout(ctx))
	}

	// A failed login, at both log levels, lazy and explicit.
	for _, c := range []*vprotect.Client{
		newClient(wrongPass, vprotect.WithLogger(debugLog), vprotect.WithDebug()),
		newClient(wrongPass, vprotect.WithLogger(infoLog)),
	} {
		err := c.Ping(ctx)
		require.ErrorIs(t, err, vprotect.ErrInvalidCredentials)
		expectErr(err)
		_, err = c.Login(ctx)
		expectErr(err)
	}
	// Retries of the login itself are never made; a server error on it.
	srv.InjectFault(vprotecttest.Fault{Pattern: "POST /session/login", Status: 503, Times: 1})
	_, err := newClient(password, vprotect.WithLogger(debugLog), vprotect.WithDebug()).Login(ctx)
	require.ErrorIs(t, err, vprotect.ErrServer)
	expectErr(err)

	cookies := catcher.values()
	require.GreaterOrEqual(t, len(cookies), 4, "cookies seen: two logins per client")
	secrets := append([]string{password, string(jsonPass), "Zq9tail", wrongPass, "Kx7tail"}, cookies...)

	out := logs.String()
	for _, want := range []string{`"level":"DEBUG"`, "response dump", "request dump", "level=INFO", "level=WARN", "/session/login"} {
		require.Contains(t, out, want, "the logs cover every level and the wire dump")
	}
	var recorded strings.Builder
	for _, r := range srv.Requests() {
		fmt.Fprintf(&recorded, "%s %s?%s %s\n", r.Method, r.Path, r.RawQuery, r.Body)
	}
	require.Contains(t, recorded.String(), `"password":"***"`, "the fake recorded the logins")
	for _, secret := range secrets {
		assert.NotContains(t, out, secret, "the SDK's log holds a secret")
		assert.NotContains(t, fakeLog.String(), secret, "the fake's log holds a secret")
		assert.NotContains(t, recorded.String(), secret, "the fake's recorded requests hold a secret")
		for _, e := range errs {
			for _, verb := range []string{"%v", "%+v", "%#v", "%q"} {
				assert.NotContains(t, fmt.Sprintf(verb, e), secret, "error (%s) holds a secret", verb)
			}
		}
	}
}
