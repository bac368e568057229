package vprotecttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault Fault
		check func(t *testing.T, c *apiClient, srv *Server)
	}{
		{"status with retry-after, twice", Fault{Pattern: "GET /virtual-machines/{guid}", Status: 503, RetryAfter: 1500 * time.Millisecond, Times: 2},
			func(t *testing.T, c *apiClient, srv *Server) {
				for i := 0; i < 2; i++ {
					st, h, raw := c.do("GET", "/virtual-machines/"+DemoVMRHV1GUID, nil, nil)
					assert.Equal(t, 503, st)
					assert.Equal(t, "2", h.Get("Retry-After"))
					assert.JSONEq(t, `{"message":"Service Unavailable","status":503}`, string(raw))
				}
				st, _, _ := c.do("GET", "/virtual-machines/"+DemoVMRHV1GUID, nil, nil)
				assert.Equal(t, 200, st, "used up")
				st, _, _ = c.do("GET", "/virtual-machines", nil, nil)
				assert.Equal(t, 200, st, "other routes unaffected")
			}},
		{"a faulted POST changes nothing", Fault{Pattern: "POST /tasks/export", Status: 500, Message: "boom"},
			func(t *testing.T, c *apiClient, srv *Server) {
				st, _, raw := c.do("POST", "/tasks/export", exportBody(DemoVMRHV1GUID), nil)
				assert.Equal(t, 500, st)
				assert.Equal(t, "boom", errMsg(t, raw))
				assert.Empty(t, srv.Tasks())
				assert.Equal(t, 1, srv.Calls("POST /tasks/export"))
				srv.ClearFaults()
				c.export(exportBody(DemoVMRHV1GUID))
				assert.Len(t, srv.Tasks(), 2, "EXPORT and STORE")
			}},
		// net/http retries an idempotent request once on a reused connection
		// that dies, so the fault stays until cleared.
		{"drop", Fault{Pattern: "GET /nodes", Drop: true},
			func(t *testing.T, c *apiClient, srv *Server) {
				req, _ := http.NewRequest("GET", srv.URL()+"/nodes", nil)
				_, err := c.hc.Do(req)
				require.Error(t, err)
				assert.Equal(t, 0, srv.Requests()[len(srv.Requests())-1].Status)
				srv.ClearFaults()
				c.get("/nodes", nil)
			}},
		{"drop after serving: the POST is applied, its answer lost", Fault{Pattern: "POST /tasks/export", DropAfter: true, Times: 1},
			func(t *testing.T, c *apiClient, srv *Server) {
				body, _ := json.Marshal(exportBody(DemoVMRHV1GUID))
				req, _ := http.NewRequest("POST", srv.URL()+"/tasks/export", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				_, err := c.hc.Do(req)
				require.Error(t, err, "no answer")
				assert.NotEmpty(t, srv.Tasks(), "the export was applied")
				assert.Equal(t, 1, srv.Calls("POST /tasks/export"))
			}},
		{"truncate", Fault{Pattern: "GET /tasks", Truncate: true, Times: 1},
			func(t *testing.T, c *apiClient, srv *Server) {
				st, h, raw := c.do("GET", "/tasks", nil, nil)
				assert.Equal(t, 200, st)
				assert.Equal(t, "application/json", h.Get("Content-Type"))
				var v any
				assert.Error(t, json.Unmarshal(raw, &v))
			}},
		{"html", Fault{Pattern: "/backups", HTML: true, Times: 1},
			func(t *testing.T, c *apiClient, srv *Server) {
				st, h, raw := c.do("GET", "/backups", nil, nil)
				assert.Equal(t, 502, st)
				assert.Equal(t, "text/html; charset=utf-8", h.Get("Content-Type"))
				assert.Contains(t, string(raw), "<title>502 Bad Gateway</title>")
			}},
		{"delay", Fault{Pattern: "GET /session", Delay: 50 * time.Millisecond, Times: 1},
			func(t *testing.T, c *apiClient, srv *Server) {
				start := time.Now()
				st, _, _ := c.do("GET", "/session", nil, nil)
				assert.Equal(t, 204, st, "served normally after the delay")
				assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
			}},
		{"delay gives up with the client", Fault{Pattern: "GET /session", Delay: time.Hour},
			func(t *testing.T, c *apiClient, srv *Server) {
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/session", nil)
				_, err := c.hc.Do(req)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			}},
		{"login is faultable", Fault{Pattern: "POST /session/login", Status: 429, Times: 1},
			func(t *testing.T, c *apiClient, srv *Server) {
				st, _, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vPr0tect"}, nil)
				assert.Equal(t, 429, st)
				assert.Equal(t, 1, srv.Logins(), "only the first login succeeded")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := loggedIn(t, WithTaskModel(Instant), WithoutTaskHistory())
			srv.InjectFault(tc.fault)
			tc.check(t, c, srv)
		})
	}
}

func TestRequestsRecording(t *testing.T) {
	srv := Start(t)
	c := newClient(t, srv)
	c.login("admin", "vPr0tect")
	c.get("/virtual-machines?tenantid=tenant-a", nil)
	c.get("/virtual-machines/"+DemoVMRHV1GUID, nil)
	c.get("/virtual-machines/"+DemoVMRHV2GUID+"/", nil)
	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/api/session/login", reqs[0].Path)
	assert.JSONEq(t, `{"login":"admin","password":"***"}`, string(reqs[0].Body))
	assert.False(t, reqs[0].HasSession)
	assert.Equal(t, 200, reqs[0].Status)
	assert.Equal(t, "POST /session/login", reqs[0].Pattern)
	assert.Equal(t, "tenantid=tenant-a", reqs[1].RawQuery)
	assert.True(t, reqs[1].HasSession)
	assert.Equal(t, "GET /virtual-machines/{guid}", reqs[2].Pattern)
	for _, r := range reqs {
		assert.NotContains(t, string(r.Body), "vprotect\"")
	}
	assert.Equal(t, 2, srv.Calls("GET /virtual-machines/{guid}"))
	assert.Equal(t, 1, srv.Calls("GET /virtual-machines"))
	assert.Equal(t, 3, srv.Calls("/virtual-machines/"))
	assert.Equal(t, 0, srv.Calls("POST /tasks/export"))
	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	assert.Equal(t, 0, srv.Calls("GET /virtual-machines/{guid}"))
}

func TestBodyLimit(t *testing.T) {
	_, c := loggedIn(t, WithMaxBodyBytes(1024))
	big := `{"name":"` + strings.Repeat("x", 2000) + `"}`
	st, h, raw := c.do("POST", "/schedules", big, nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, st)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Contains(t, errMsg(t, raw), "1024")
}

// allRoutes lists one request per route (for the 401 table).
var allRoutes = []struct{ method, path string }{
	{"POST", "/session/logout"}, {"GET", "/session"}, {"GET", "/session/user"}, {"PUT", "/users/1/password"},
	{"GET", "/virtual-machines"}, {"GET", "/virtual-machines/" + DemoVMRHV1GUID},
	{"GET", "/tasks"}, {"GET", "/tasks/x"}, {"POST", "/tasks/export"}, {"POST", "/tasks/restore-and-import"},
	{"PUT", "/tasks/x/state"}, {"DELETE", "/tasks/x"},
	{"GET", "/backups"}, {"GET", "/backups/" + DemoBackupRHV1GUID}, {"GET", "/backup-locations"},
	{"GET", "/schedules"}, {"POST", "/schedules"}, {"GET", "/schedules/" + DemoScheduleGUID}, {"PUT", "/schedules/" + DemoScheduleGUID}, {"DELETE", "/schedules/" + DemoScheduleGUID},
	{"GET", "/policies/vm-backup"}, {"POST", "/policies/vm-backup"}, {"GET", "/policies/vm-backup/" + DemoPolicyGUID},
	{"PUT", "/policies/vm-backup/" + DemoPolicyGUID}, {"DELETE", "/policies/vm-backup/" + DemoPolicyGUID},
	{"GET", "/rules/vm-backup"}, {"POST", "/rules/vm-backup"}, {"GET", "/rules/vm-backup/" + DemoRuleGUID},
	{"PUT", "/rules/vm-backup/" + DemoRuleGUID}, {"DELETE", "/rules/vm-backup/" + DemoRuleGUID},
	{"GET", "/backup-destinations"}, {"GET", "/backup-destinations/" + DemoS3DestinationGUID}, {"POST", "/backup-destinations/usable-for-vms"},
	{"GET", "/hypervisors"}, {"GET", "/hypervisors/" + DemoRHVHypervisorGUID}, {"GET", "/hypervisor-managers"},
	{"GET", "/hypervisor-managers/" + DemoRHVManagerGUID}, {"GET", "/hypervisor-clusters"}, {"GET", "/hypervisor-storages"},
	{"GET", "/projects"}, {"GET", "/nodes"}, {"GET", "/nodes/" + DemoNodeGUID}, {"GET", "/unknown-route"}, {"DELETE", "/nodes"},
	{"POST", "/tasks/delete"}, {"DELETE", "/tasks/all-finished"}, {"DELETE", "/tasks/all-finished-and-queued"}, {"DELETE", "/tasks/all-running"},
	{"PUT", "/backups/" + DemoBackupRHV1GUID + "/description"}, {"PUT", "/backups/" + DemoBackupRHV1GUID + "/warnings-acknowledged"},
	{"GET", "/restore-jobs"}, {"POST", "/retention/mark-backups"}, {"POST", "/retention/mark-backups/preview"},
	{"GET", "/backup-files/detailed/for-restore"}, {"GET", "/network"}, {"GET", "/network/shared"}, {"GET", "/virtual-machine-flavors"},
	{"GET", "/virtual-machines/detailed"}, {"PUT", "/virtual-machines/" + DemoVMRHV1GUID + "/settings"},
	{"POST", "/virtual-machines/incremental-not-possible"}, {"DELETE", "/virtual-machines/all-non-present"},
	{"GET", "/virtual-machine-disks"}, {"PUT", "/virtual-machine-disks/" + DemoDiskRHV1DataGUID + "/settings"},
	{"POST", "/tasks/vm-snapshot"}, {"POST", "/tasks/inventory-sync"},
	{"POST", "/policies/vm-backup/list-by-entities"}, {"POST", "/policies/vm-backup/auto-assignment-preview"},
	{"POST", "/policies/vm-backup/" + DemoPolicyGUID + "/auto-assignment-preview"},
	{"GET", "/policies/vm-snapshot"}, {"POST", "/policies/vm-snapshot"}, {"GET", "/policies/vm-snapshot/x"},
	{"PUT", "/policies/vm-snapshot/x"}, {"DELETE", "/policies/vm-snapshot/x"},
	{"POST", "/policies/vm-snapshot/auto-assignment-preview"}, {"POST", "/policies/vm-snapshot/x/auto-assignment-preview"},
	{"POST", "/rules/vm-snapshot"}, {"GET", "/snapshots"}, {"GET", "/snapshots/x"}, {"PUT", "/snapshots/warnings-acknowledged"},
	{"PUT", "/virtual-machines/" + DemoVMRHV1GUID + "/ssh-password"}, {"GET", "/credential"},
	{"GET", "/mailing-lists"}, {"POST", "/mailing-lists"}, {"GET", "/mailing-lists/x"}, {"PUT", "/mailing-lists/x"},
	{"DELETE", "/mailing-lists/x"},
	{"GET", "/file-systems"}, {"GET", "/backup-files"}, {"POST", "/tasks/restore-and-mount"}, {"POST", "/tasks/mount"},
	{"POST", "/tasks/unmount"}, {"GET", "/mounted-backups"}, {"GET", "/mounted-backups/" + DemoMountedBackupGUID},
	{"GET", "/mounted-file-systems/detailed"}, {"GET", "/mounted-files"},
	{"POST", "/mounted-file-systems/" + DemoMountedRootFSGUID + "/listing"}, {"POST", "/mounted-file-systems/" + DemoMountedRootFSGUID + "/download"},
}

func TestEveryRouteNeedsASession(t *testing.T) {
	srv := Start(t, WithoutTaskHistory())
	c := newClient(t, srv)
	for _, rt := range allRoutes {
		st, h, raw := c.do(rt.method, rt.path, "{}", nil)
		assert.Equal(t, http.StatusUnauthorized, st, "%s %s", rt.method, rt.path)
		assert.Equal(t, "application/json", h.Get("Content-Type"))
		assert.NotEmpty(t, errMsg(t, raw))
	}
	// A forged cookie is no session either.
	req, _ := http.NewRequest("GET", srv.URL()+"/virtual-machines", nil)
	req.AddCookie(&http.Cookie{Name: "JSESSIONID", Value: strings.Repeat("0", 64)})
	resp, err := c.hc.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Empty(t, srv.Tasks(), "nothing happened")
	// Every registered route is in the table (except the logins).
	for _, rt := range srv.routeTable() {
		m := compilePattern(rt.pattern)
		covered := rt.pattern == "POST /session/login" || rt.pattern == "POST /session/login-with-token"
		for _, a := range allRoutes {
			covered = covered || m.matches(a.method, a.path)
		}
		assert.True(t, covered, rt.pattern)
	}
}

func TestTLS(t *testing.T) {
	srv := Start(t, WithTLS())
	assert.True(t, strings.HasPrefix(srv.URL(), "https://127.0.0.1:"))
	assert.True(t, bytes.HasPrefix(srv.CertificatePEM(), []byte("-----BEGIN CERTIFICATE-----")))
	c := newClient(t, srv)
	var info map[string]any
	st, h, _ := c.do("POST", "/session/login", map[string]string{"login": "admin", "password": "vPr0tect"}, &info)
	require.Equal(t, 200, st)
	assert.Contains(t, h.Get("Set-Cookie"), "; Secure")
	assert.Contains(t, h.Get("Set-Cookie"), "; SameSite=None", "a browser page of another site may use the session")
	c.get("/virtual-machines", nil)
	assert.Nil(t, Start(t).CertificatePEM())
}
