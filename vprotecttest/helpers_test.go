package vprotecttest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the fake clock's start in tests: Monday 2026-01-05 12:00 UTC.
var t0 = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

// seededBackups is how many backups the demo data holds; Server.Backups lists
// the ones a test makes after them.
var seededBackups = len(DemoSeedAt(t0).Backups)

// apiClient is a plain net/http client with a cookie jar.
type apiClient struct {
	t   testing.TB
	srv *Server
	hc  *http.Client
}

func newClient(t testing.TB, srv *Server) *apiClient {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	base := srv.HTTPClient()
	hc := &http.Client{Transport: base.Transport, Jar: jar, Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	return &apiClient{t: t, srv: srv, hc: hc}
}

// loggedIn starts a server (with opts) and returns a logged-in client.
func loggedIn(t testing.TB, opts ...Option) (*Server, *apiClient) {
	srv := Start(t, opts...)
	c := newClient(t, srv)
	c.login(DefaultLogin, DefaultPassword)
	return srv, c
}

func (c *apiClient) login(user, pw string) {
	c.t.Helper()
	st, _, _ := c.do("POST", "/session/login", map[string]string{"login": user, "password": pw}, nil)
	require.Equal(c.t, http.StatusOK, st)
}

// do sends a request (body marshalled unless []byte or string) and decodes the
// JSON answer into out when non-nil. It returns status, header and raw body.
func (c *apiClient) do(method, path string, body, out any) (int, http.Header, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		require.NoError(c.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.srv.URL()+path, rd)
	require.NoError(c.t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	if out != nil && len(raw) > 0 && resp.StatusCode < 300 {
		require.NoError(c.t, json.Unmarshal(raw, out), "body: %s", raw)
	}
	return resp.StatusCode, resp.Header, raw
}

// get is do("GET") that requires 200.
func (c *apiClient) get(path string, out any) http.Header {
	c.t.Helper()
	st, h, raw := c.do("GET", path, nil, out)
	require.Equal(c.t, http.StatusOK, st, "GET %s: %s", path, raw)
	return h
}

// errMsg decodes an error body.
func errMsg(t testing.TB, raw []byte) string {
	t.Helper()
	var e struct {
		Message string `json:"message"`
		Status  int    `json:"status"`
	}
	require.NoError(t, json.Unmarshal(raw, &e), "body: %s", raw)
	return e.Message
}

// wireTask is the test's own view of a task on the wire.
type wireTask struct {
	GUID               string `json:"guid"`
	Type               struct{ Name, Description string }
	State              struct{ Name, Description string }
	Progress           float64
	StatusInfo         string
	Priority           int
	WindowStart        int64
	WindowEnd          int64
	StartTime          *int64
	FinishTime         *int64
	ParentTask         *struct{ GUID, Name string }
	Backup             *struct{ GUID, Name string }
	BackupDestination  *struct{ GUID, Name string }
	ProtectedEntity    *struct{ GUID, Name string }
	DstProtectedEntity *struct{ GUID, Name string }
	OriginEntity       *struct {
		GUID, Name string
		Type       struct{ Name string }
	}
}
