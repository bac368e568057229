package vprotect

// The door into the tests of package vprotect: the shared helpers live here.
// Pick the test double by what the test is about:
//
//   - The wire shape of one call (method, path, query, body, how an answer
//     decodes): httpmock, through newTestClient and the respond* helpers
//     (respondJSON, respondSeq, respondPaged). Each returns a
//     requestCaptor; assert on it after the call, and compare bodies with
//     golden files in testdata/requests (assertGolden).
//   - Sessions, logins and re-logins: the session test server, newAuthServer,
//     a real HTTP server with cookies that counts logins.
//   - Behaviour across calls (tasks that move on, policies that hold rules,
//     faults): the fake server in package vprotecttest, run by the tests of
//     package vprotect_test (fakeClient in integration_test.go).
//
// A few tests need a real connection for what they check and use a plain
// httptest server: countingServer and plainClient (retries, timeouts and
// hostile answers), pagedServer (streaming memory, streaming_test.go),
// newBenchServer (benchmarks: a server process of its own, bench_helpers_test.go), and in package
// vprotect_test newCookieServer (TLS, redirects and cookies, tls_test.go).
// Use them only for that.
//
// Tests that run over every service are tables: TestListEveryService
// (list_test.go), TestServicesNotFound and TestServicesBadArguments
// (services_test.go). A new service adds its row there.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites golden files: go test -run TestX -update
var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// testHost is the base URL unit tests send to; httpmock answers.
const testHost = "https://vprotect.test"

// testBase is the API root of testHost.
const testBase = testHost + "/api"

// newTestClient returns a client whose requests go to a fresh httpmock
// transport (one per test), without credentials, retries that do not wait,
// and no poll interval. A request with no responder fails the test.
func newTestClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, "no responder"), nil
	})
	base := []Option{
		WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(RetryPolicy{MaxAttempts: 3}),
		WithPollInterval(0),
	}
	c, err := New(testHost, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, mt
}

// capturedRequest is what a responder saw, for assertions after the call
// (never assert inside a responder: see the httpmock notes).
type capturedRequest struct {
	Method string
	Path   string // escaped, relative to the API root
	Query  url.Values
	Body   []byte
	Header http.Header
}

// requestCaptor collects the requests its responders answered: every
// respond* helper returns one (call it captor), and tests assert on it after
// the call.
type requestCaptor struct {
	mu   sync.Mutex
	reqs []capturedRequest
}

func (c *requestCaptor) add(r *http.Request) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = append(c.reqs, capturedRequest{
		Method: r.Method,
		Path:   trimAPI(r.URL.EscapedPath()),
		Query:  r.URL.Query(),
		Body:   body,
		Header: r.Header.Clone(),
	})
}

// all returns the captured requests.
func (c *requestCaptor) all() []capturedRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]capturedRequest(nil), c.reqs...)
}

// only returns the single captured request, failing the test otherwise.
func (c *requestCaptor) only(t *testing.T) capturedRequest {
	t.Helper()
	reqs := c.all()
	require.Len(t, reqs, 1, "requests sent")
	return reqs[0]
}

func trimAPI(p string) string {
	if len(p) >= 4 && p[:4] == "/api" {
		return p[4:]
	}
	return p
}

// respondJSON answers method path (relative to the API root, e.g.
// "/virtual-machines/abc") with status and body encoded as JSON (a []byte
// or string body is sent as is), and captures the requests. path may be a
// regexp when it starts with "=~".
func respondJSON(mt *httpmock.MockTransport, method, path string, status int, body any) *requestCaptor {
	c := &requestCaptor{}
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			panic(err)
		}
	}
	mt.RegisterResponder(method, mockURL(path), func(r *http.Request) (*http.Response, error) {
		c.add(r)
		resp := httpmock.NewBytesResponse(status, raw)
		if raw != nil {
			resp.Header.Set("Content-Type", "application/json")
		}
		return resp, nil
	})
	return c
}

// mockURL is the httpmock route of path (relative to the API root; a
// regexp when it starts with "=~").
func mockURL(path string) string {
	if len(path) > 2 && path[:2] == "=~" {
		return "=~^" + regexpQuote(testBase) + path[2:]
	}
	return testBase + path
}

func regexpQuote(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		if bytes.ContainsRune([]byte(`\.+*?()|[]{}^$`), r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fixture reads testdata/responses/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "responses", name))
	require.NoError(t, err)
	return b
}

// assertGolden checks that got is the same JSON as testdata/requests/name
// (compared after normalising, so key order and spacing do not matter).
// With -update it writes the file instead.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "requests", name)
	if *update {
		var v any
		require.NoError(t, json.Unmarshal(got, &v), "request body is not JSON: %s", got)
		pretty, err := json.MarshalIndent(v, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(pretty, '\n'), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test -run %s -update", t.Name())
	require.JSONEq(t, string(want), string(got), "request body differs from %s", path)
}

// respondPaged answers GET path with the items of one page taken from all
// (page and size from the query; no size means everything), setting
// X-Total-Count, and captures the requests.
func respondPaged[T any](mt *httpmock.MockTransport, path string, items []T) *requestCaptor {
	c := &requestCaptor{}
	mt.RegisterResponder(http.MethodGet, testBase+path, func(r *http.Request) (*http.Response, error) {
		c.add(r)
		out := items
		if size, err := strconv.Atoi(r.URL.Query().Get("size")); err == nil && size > 0 {
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			lo, hi := min(page*size, len(items)), min((page+1)*size, len(items))
			out = items[lo:hi]
		}
		resp, err := httpmock.NewJsonResponse(http.StatusOK, out)
		if err != nil {
			return nil, err
		}
		resp.Header.Set("X-Total-Count", strconv.Itoa(len(items)))
		return resp, nil
	})
	return c
}

// requireArgError checks that err is an *ArgumentError naming field.
func requireArgError(t *testing.T, err error, field string) {
	t.Helper()
	var ae *ArgumentError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, field, ae.Field)
}

// step is one canned answer of a sequence.
type step struct {
	status int
	body   string
}

// respondSeq answers method path (a regexp when it starts with "=~") with the steps in turn, repeating the last
// one, and captures the requests. onCall, if set, runs with the 1-based call
// number (never assert in it).
func respondSeq(mt *httpmock.MockTransport, method, path string, onCall func(n int), steps ...step) *requestCaptor {
	c := &requestCaptor{}
	var mu sync.Mutex
	n := 0
	mt.RegisterResponder(method, mockURL(path), func(r *http.Request) (*http.Response, error) {
		c.add(r)
		mu.Lock()
		n++
		i, call := min(n-1, len(steps)-1), n
		mu.Unlock()
		if onCall != nil {
			onCall(call)
		}
		resp := httpmock.NewStringResponse(steps[i].status, steps[i].body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	return c
}

// deadlineContext is a context whose deadline the test passes itself, by
// calling pass (in a respondSeq onCall, say): a wait's deadline then falls
// where the test means it to, however slow a loaded machine runs the
// steps before it. Its Deadline is an hour away, so that the per-call
// timeouts are made as under a real deadline.
type deadlineContext struct {
	context.Context
	deadline time.Time
	done     chan struct{}
	once     sync.Once
}

func newDeadlineContext() *deadlineContext {
	return &deadlineContext{Context: context.Background(), deadline: time.Now().Add(time.Hour), done: make(chan struct{})}
}

func (c *deadlineContext) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *deadlineContext) Done() <-chan struct{}       { return c.done }

func (c *deadlineContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// pass ends the context as its deadline would.
func (c *deadlineContext) pass() { c.once.Do(func() { close(c.done) }) }

// rawItems splits a JSON array fixture into its elements.
func rawItems(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	require.NoError(t, json.Unmarshal(fixture(t, name), &items))
	return items
}

// countingServer answers with h and counts the hits.
func countingServer(t *testing.T, h func(hit int64, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(hits.Add(1), w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// plainClient returns a client of the server at url, with retries that do
// not wait and no credentials unless opts give them.
func plainClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	c, err := New(url, append([]Option{WithRetry(RetryPolicy{MaxAttempts: 3})}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// authServer is a small cookie-session server for the session and transport
// tests: it checks credentials, hands out JSESSIONID cookies, and counts
// logins and hits. Handlers registered with handle need a session.
type authServer struct {
	*httptest.Server
	mux      *http.ServeMux
	password string

	mu       sync.Mutex
	sessions map[string]bool
	next     int

	logins    atomic.Int64
	loginHits atomic.Int64
}

const testPassword = "s3cret-Pa55"

func newAuthServer(t *testing.T) *authServer {
	t.Helper()
	s := &authServer{mux: http.NewServeMux(), password: testPassword, sessions: map[string]bool{}}
	s.mux.HandleFunc("POST /api/session/login", func(w http.ResponseWriter, r *http.Request) {
		s.loginHits.Add(1)
		var body loginBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Login != "admin" || body.Password != s.password {
			writeTestJSON(w, http.StatusUnauthorized, map[string]any{"message": "Invalid login or password", "status": 401})
			return
		}
		s.mu.Lock()
		s.next++
		id := fmt.Sprintf("cookie-value-%06d", s.next)
		s.sessions[id] = true
		s.mu.Unlock()
		s.logins.Add(1)
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: id, Path: "/", HttpOnly: true})
		writeTestJSON(w, http.StatusCreated, map[string]any{"requester": map[string]string{"guid": "u-1", "name": "admin"}})
	})
	s.mux.HandleFunc("POST /api/session/logout", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("JSESSIONID"); err == nil {
			s.mu.Lock()
			delete(s.sessions, c.Value)
			s.mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	s.handle("GET /api/session", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.Server = httptest.NewServer(s.mux)
	t.Cleanup(s.Close)
	return s
}

// handle registers a handler that answers 401 without a valid session.
func (s *authServer) handle(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !s.valid(r) {
			writeTestJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthorized", "status": 401})
			return
		}
		h(w, r)
	})
}

func (s *authServer) valid(r *http.Request) bool {
	c, err := r.Cookie("JSESSIONID")
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[c.Value]
}

// expire ends every session.
func (s *authServer) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions = map[string]bool{}
}

func (s *authServer) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithCredentials("admin", testPassword), WithRetry(RetryPolicy{MaxAttempts: 3})}
	c, err := New(s.URL, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// writeTestJSON answers with status and v encoded as JSON.
func writeTestJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
