package vprotecttest

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
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

	// Bad credentials: 400 with a JSON message, as a 7.x server answers.
	st, h, raw := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "nope"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Equal(t, "Invalid credentials", errMsg(t, raw))
	assert.Empty(t, h.Get("Set-Cookie"))

	// The product's default credentials: 200, SessionInfoResponse, cookie.
	var info map[string]any
	st, h, _ = c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vPr0tect"}, &info)
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	ck := h.Get("Set-Cookie")
	assert.Regexp(t, `^JSESSIONID=[0-9a-f]{64}; Path=/; HttpOnly$`, ck, "no Secure or SameSite=None over plain http")
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

	c.login("admin", "vPr0tect")
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
	st, _, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vPr0tect"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	st, _, raw := c.do("POST", "/session/login", map[string]string{"password": "x"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "login")
}

// PUT /users/{id}/password as the vendor's Ansible role sends it: id 1 is
// the built-in admin, {"value"} → 204, and the next login needs the new
// password (the old one is a 400).
func TestChangePassword(t *testing.T) {
	srv, c := loggedIn(t)
	st, _, _ := c.do("PUT", "/users/1/password", map[string]string{"value": "n3w-Secret"}, nil)
	require.Equal(t, http.StatusNoContent, st)
	st, _, _ = c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st, "the open session stays open")

	fresh := newClient(t, srv)
	st, _, _ = fresh.do("POST", "/session/login", map[string]string{"login": "admin", "password": DefaultPassword}, nil)
	assert.Equal(t, http.StatusBadRequest, st, "the old password no longer works")
	fresh.login("admin", "n3w-Secret")

	var info map[string]any
	c.get("/session/user", &info)
	guid := info["requester"].(map[string]any)["guid"].(string)
	st, _, _ = c.do("PUT", "/users/"+guid+"/password", map[string]string{"value": "by-guid"}, nil)
	assert.Equal(t, http.StatusNoContent, st, "the requester GUID names the user too")
	fresh.login("admin", "by-guid")

	st, _, raw := c.do("PUT", "/users/1/password", map[string]string{"value": ""}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, "value: is required", errMsg(t, raw))
	st, _, _ = c.do("PUT", "/users/7/password", map[string]string{"value": "x"}, nil)
	assert.Equal(t, http.StatusNotFound, st)
	st, _, _ = newClient(t, srv).do("PUT", "/users/1/password", map[string]string{"value": "x"}, nil)
	assert.Equal(t, http.StatusUnauthorized, st, "only with a session")
	for _, r := range srv.Requests() {
		assert.NotContains(t, string(r.Body), "n3w-Secret", "the recorded body hides the new password")
	}
}

// Accounts are numbered admin first, then the other logins sorted.
func TestUserIDs(t *testing.T) {
	srv := Start(t, WithUsers(map[string]string{"ops": "pw1", "admin": "pw0", "dev": "pw2"}))
	c := newClient(t, srv)
	c.login("ops", "pw1")
	for id, login := range map[string]string{"1": "admin", "2": "dev", "3": "ops"} {
		st, _, _ := c.do("PUT", "/users/"+id+"/password", map[string]string{"value": "new-" + login}, nil)
		require.Equal(t, http.StatusNoContent, st)
		newClient(t, srv).login(login, "new-"+login)
	}
}

func TestLoginWithToken(t *testing.T) {
	srv := Start(t, WithLoginToken("tok-123", "admin"))
	c := newClient(t, srv)
	st, _, raw := c.do("POST", "/session/login-with-token", map[string]string{"token": "other"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, "Invalid token", errMsg(t, raw))
	st, _, raw = c.do("POST", "/session/login-with-token", map[string]string{}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, "token: is required", errMsg(t, raw))

	var info map[string]any
	st, h, _ := c.do("POST", "/session/login-with-token", map[string]string{"token": "tok-123"}, &info)
	require.Equal(t, http.StatusOK, st)
	assert.Contains(t, h.Get("Set-Cookie"), "JSESSIONID=")
	assert.Equal(t, "admin", info["requester"].(map[string]any)["name"])
	st, _, _ = c.do("GET", "/session", nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	assert.Equal(t, 1, srv.Logins())
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

// New returns an error for a bad option where NewServer panics and Start
// fails the test: an unreadable or invalid seed file, a duration for a task
// type that does not exist (a typo would leave the real type at its
// default), a negative duration, a task model out of range, a nil option.
func TestNewReportsBadOptions(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(notJSON, []byte("{not json"), 0o600))
	badRef := filepath.Join(dir, "ref.json")
	require.NoError(t, os.WriteFile(badRef, []byte(`{"policies":[{"guid":"p-1","name":"p","vms":[{"guid":"no-such-vm"}]}]}`), 0o600))
	for _, tc := range []struct {
		name string
		opt  Option
		want string
	}{
		{"missing seed file", WithSeedFile(filepath.Join(dir, "missing.json")), "read seed"},
		{"seed file not JSON", WithSeedFile(notJSON), "parse seed"},
		{"seed with a dangling reference", WithSeedFile(badRef), "unknown vm no-such-vm"},
		{"unknown task type", WithTaskDurations(map[string]time.Duration{"EXPROT": time.Second}), `WithTaskDurations: "EXPROT" is not a task type`},
		{"task type in lower case", WithTaskDurations(map[string]time.Duration{"export": time.Second}), `"export" is not a task type`},
		{"negative duration", WithTaskDurations(map[string]time.Duration{"STORE": -time.Second}), "STORE must not be negative"},
		{"task model out of range", WithTaskModel(TaskModel(7)), "WithTaskModel: 7 is not a task model"},
		{"negative task model", WithTaskModel(TaskModel(-1)), "WithTaskModel: -1 is not a task model"},
		{"nil option", nil, "nil Option"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := New(tc.opt)
			assert.Nil(t, srv)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "vprotecttest: "), err.Error())
			assert.PanicsWithError(t, err.Error(), func() { NewServer(tc.opt) }, "NewServer panics with the same error")
		})
	}

	// Every task type of the API is a valid key; the durations apply.
	srv, err := New(WithClock(NewFakeClock(t0)), WithTaskDurations(map[string]time.Duration{"EXPORT": 10 * time.Second, "MOUNT": time.Second, "INVENTORY_SYNC": 0}),
		WithTaskModel(StepPerPoll), WithTaskModel(Timed))
	require.NoError(t, err)
	defer srv.Close()
	assert.Equal(t, 10*time.Second, srv.cfg.durations["EXPORT"])
	assert.Equal(t, 2*time.Second, srv.cfg.durations["STORE"], "the others keep their defaults")
	assert.Equal(t, Timed, srv.cfg.model)
}

// A VM is restorable while it has a successful backup: seeded backups
// count, and a VM becomes restorable when its first backup is stored.
func TestVMRestorable(t *testing.T) {
	srv, c := loggedIn(t, WithTaskModel(Instant))
	restorable := func(guid string) bool {
		var vm map[string]any
		c.get("/virtual-machines/"+guid, &vm)
		r, ok := vm["restorable"].(bool)
		require.True(t, ok, "restorable is sent: %v", vm["restorable"])
		return r
	}
	assert.True(t, restorable(DemoVMTenantAWebGUID), "a-web-1 has SUCCESS backups")
	assert.True(t, restorable(DemoVMRHV1GUID))
	assert.False(t, restorable(DemoVMTenantADBGUID), "a-db-1 has none")
	var list []map[string]any
	c.get("/virtual-machines?project-uuid="+DemoTenantA, &list)
	for _, vm := range list {
		assert.Equal(t, vm["name"] == "a-web-1" || vm["name"] == "a-old-1", vm["restorable"], "%s", vm["name"])
	}

	st, _, raw := c.do("POST", "/tasks/export", map[string]any{"protectedEntities": []string{DemoVMTenantADBGUID}}, nil)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.True(t, restorable(DemoVMTenantADBGUID), "stored: now restorable")
	for _, vm := range srv.VMs() {
		if vm.GUID == DemoVMTenantADBGUID {
			assert.True(t, vm.Restorable)
		}
	}

	// A seed's own value is replaced by what its backups say.
	seed := DemoSeedAt(t0)
	for i := range seed.VMs {
		seed.VMs[i].Restorable = seed.VMs[i].GUID == DemoVMTenantAAppGUID
	}
	_, c = loggedIn(t, WithSeed(seed), WithClock(NewFakeClock(t0)))
	assert.False(t, restorable(DemoVMTenantAAppGUID), "no backup, whatever the seed says")
	assert.True(t, restorable(DemoVMTenantAWebGUID))
}
