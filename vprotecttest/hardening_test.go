package vprotecttest

import (
	"bytes"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"math/bits"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fake is exposed by cmd/vprotect-fake on real networks, so it is
// hardened like a server: random session IDs, constant-time password
// checks, a request body limit, and no route without a session. (The body
// limit on a logged-in route and the 401 on every route are tested in
// faults_test.go: TestBodyLimit, TestEveryRouteNeedsASession.)

// Session IDs are 256 random bits: distinct, far apart, and with balanced bits.
func TestSessionIDsAreRandom(t *testing.T) {
	srv := Start(t)
	const n = 200
	ids := map[string]bool{}
	var raw [][]byte
	ones, total := 0, 0
	for range n {
		c := newClient(t, srv)
		_, h, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vPr0tect"}, nil)
		resp := http.Response{Header: h}
		require.Len(t, resp.Cookies(), 1)
		id := resp.Cookies()[0].Value
		require.False(t, ids[id], "session ID repeated")
		ids[id] = true
		b, err := hex.DecodeString(id)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(b)*8, 128, "at least 128 bits")
		for _, x := range b {
			ones += bits.OnesCount8(x)
		}
		total += len(b) * 8
		raw = append(raw, b)
	}
	ratio := float64(ones) / float64(total)
	assert.InDelta(t, 0.5, ratio, 0.02, "bits of %d IDs are balanced", n)
	// Consecutive IDs share nothing: about half their bits differ.
	for i := 1; i < len(raw); i++ {
		d := 0
		for j := range raw[i] {
			d += bits.OnesCount8(raw[i][j] ^ raw[i-1][j])
		}
		assert.Greater(t, d, len(raw[i])*8/4, "IDs %d and %d are close", i-1, i)
	}
	assert.Equal(t, n, srv.Logins())
}

// The source says how: crypto/rand for IDs, subtle.ConstantTimeCompare for
// passwords, and no math/rand anywhere in the package.
func TestSessionAndPasswordPrimitives(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			assert.False(t, strings.HasPrefix(p, "math/rand"), "%s imports %s", name, p)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			fn, ok := n.(*ast.FuncDecl)
			if !ok {
				return true
			}
			calls := map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok {
						calls[x.Name+"."+sel.Sel.Name] = true
					}
				}
				if be, ok := n.(*ast.BinaryExpr); ok && (be.Op == token.EQL || be.Op == token.NEQ) {
					for _, side := range []ast.Expr{be.X, be.Y} {
						if id, ok := side.(*ast.Ident); ok && strings.Contains(strings.ToLower(id.Name), "password") {
							t.Errorf("%s: %s compares a password with %s", fset.Position(be.Pos()), fn.Name.Name, be.Op)
						}
					}
				}
				return true
			})
			switch fn.Name.Name {
			case "newSessionID":
				found["rand"] = calls["rand.Read"]
			case "credentialsOK":
				found["subtle"] = calls["subtle.ConstantTimeCompare"]
			}
			return true
		})
	}
	assert.True(t, found["rand"], "newSessionID reads crypto/rand")
	assert.True(t, found["subtle"], "credentialsOK uses subtle.ConstantTimeCompare")
}

// A wrong password and an unknown login get the same answer: the login
// cannot be used to find which accounts exist.
func TestLoginFailuresLookAlike(t *testing.T) {
	srv := Start(t)
	c := newClient(t, srv)
	st1, _, raw1 := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "nope"}, nil)
	st2, _, raw2 := c.do("POST", "/session/login", map[string]string{"login": "nobody", "password": "nope"}, nil)
	st3, _, raw3 := c.do("POST", "/session/login", map[string]string{"login": "nobody", "password": "vPr0tect"}, nil)
	assert.Equal(t, http.StatusBadRequest, st1)
	assert.Equal(t, st1, st2)
	assert.Equal(t, st1, st3)
	assert.Equal(t, string(raw1), string(raw2))
	assert.Equal(t, string(raw1), string(raw3))
	assert.Zero(t, srv.Sessions())
}

// The body limit holds before the session check and on the login itself,
// so an anonymous client cannot make the fake read a large body.
func TestBodyLimitWithoutSession(t *testing.T) {
	srv := Start(t, WithMaxBodyBytes(4096))
	c := newClient(t, srv)
	big := bytes.Repeat([]byte("x"), 64<<10)
	for _, path := range []string{"/session/login", "/tasks/export", "/schedules"} {
		st, h, raw := c.do("POST", path, big, nil)
		assert.Equal(t, http.StatusRequestEntityTooLarge, st, path)
		assert.Equal(t, "application/json", h.Get("Content-Type"))
		assert.Contains(t, errMsg(t, raw), "4096")
	}
	assert.Zero(t, srv.Logins())
	for _, r := range srv.Requests() {
		assert.LessOrEqual(t, len(r.Body), 4096, "the recorded body is bounded too")
	}
}

// Without a session, no spelling of a path reaches a handler: trailing
// slashes, doubled or dotted segments, escapes, HEAD, method overrides, a
// stale or foreign cookie.
func TestNoRouteWithoutSession(t *testing.T) {
	srv := Start(t, WithoutTaskHistory())
	other := Start(t)
	oc := newClient(t, other)
	oc.login(DefaultLogin, DefaultPassword) // a session of another server
	foreign := oc.hc.Jar.Cookies(mustURL(t, other.URL()))
	require.Len(t, foreign, 1)

	c := newClient(t, srv)
	c.login(DefaultLogin, DefaultPassword)
	stale := c.hc.Jar.Cookies(mustURL(t, srv.URL()))
	require.Len(t, stale, 1)
	st, _, _ := c.do("POST", "/session/logout", nil, nil)
	require.Equal(t, http.StatusCreated, st)

	paths := []string{
		"/virtual-machines", "/virtual-machines/", "//virtual-machines", "/./virtual-machines",
		"/session/login/../../virtual-machines", "/virtual-machines/" + DemoVMRHV1GUID + "/",
		"/virtual%2Dmachines", "/tasks/%2e%2e/nodes", "/session/user", "/session/login/x",
		"/backup-destinations/usable-for-vms", "/tasks/export/",
	}
	for _, cookie := range []*http.Cookie{nil, stale[0], foreign[0], {Name: "JSESSIONID", Value: ""}} {
		for _, p := range paths {
			for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
				req, err := http.NewRequest(m, srv.URL()+p, strings.NewReader("{}"))
				require.NoError(t, err)
				req.Header.Set("X-HTTP-Method-Override", "GET")
				if cookie != nil {
					req.AddCookie(cookie)
				}
				resp, err := srv.HTTPClient().Do(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if !assert.Contains(t, []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusBadRequest}, resp.StatusCode, "%s %s", m, p) {
					continue
				}
				if resp.StatusCode != http.StatusUnauthorized {
					// Only the login route may answer anything but 401: with a
					// 400 for a body that is not a login.
					assert.True(t, resp.StatusCode == http.StatusNotFound || strings.HasPrefix(p, "/session/login"), "%s %s: %d", m, p, resp.StatusCode)
				}
			}
		}
	}
	for _, r := range srv.Requests() {
		if r.Pattern != "" && r.Pattern != "POST /session/login" && r.Pattern != "POST /session/logout" {
			assert.Failf(t, "a route was reached without a session", "%s %s → %s", r.Method, r.Path, r.Pattern)
		}
	}
	assert.Empty(t, srv.Tasks())
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
