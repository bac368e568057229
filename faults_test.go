package vprotect_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// The fault matrix crosses the faults a portal meets behind proxies and load
// balancers with every kind of call. Each case runs against its own fake,
// with the client's default retry policy, and must end within its deadline
// plus one second either in success (a retry or a re-login applies) or in a
// typed error, without any side effect happening twice.

// matrixCall is one kind of call.
type matrixCall struct {
	name string
	// pattern is the route the fault is injected on.
	pattern string
	// post marks calls that are never re-sent.
	post bool
	// setup runs before the fault is injected (the client is logged in).
	setup func(t *testing.T, c *vprotect.Client) any
	// call makes the call.
	call func(ctx context.Context, c *vprotect.Client, state any) error
	// effects counts the call's side effect in the fake's state (0 or 1; 2
	// or more is a duplicate). Read-only calls have none: -1.
	effects func(srv *vprotecttest.Server) int
}

const matrixScheduleName = "matrix-create"

var matrixCalls = []matrixCall{
	{
		name: "list", pattern: "GET /virtual-machines",
		call: func(ctx context.Context, c *vprotect.Client, _ any) error {
			vms, err := c.VMs.List(ctx, nil)
			if err == nil && len(vms) < 10 {
				return fmt.Errorf("listed %d VMs", len(vms))
			}
			return err
		},
	},
	{
		name: "get", pattern: "GET /virtual-machines/{guid}",
		call: func(ctx context.Context, c *vprotect.Client, _ any) error {
			vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMRHV1GUID)
			if err == nil && vm.Name != "rhv-vm-1" {
				return fmt.Errorf("got VM %q", vm.Name)
			}
			return err
		},
	},
	{
		name: "update", pattern: "PUT /schedules/{guid}",
		setup: func(t *testing.T, c *vprotect.Client) any {
			sch, err := c.Schedules.Get(context.Background(), vprotecttest.DemoScheduleGUID)
			require.NoError(t, err)
			win := vprotect.Duration(3 * time.Hour)
			sch.StartWindowLength = &win
			return sch
		},
		call: func(ctx context.Context, c *vprotect.Client, st any) error {
			_, err := c.Schedules.Update(ctx, vprotecttest.DemoScheduleGUID, st.(*vprotect.Schedule))
			return err
		},
		effects: func(srv *vprotecttest.Server) int {
			for _, s := range srv.Schedules() {
				if s.GUID == vprotecttest.DemoScheduleGUID && s.StartWindowLength != nil && *s.StartWindowLength == (3*time.Hour).Milliseconds() {
					return 1
				}
			}
			return 0
		},
	},
	{
		name: "delete", pattern: "DELETE /schedules/{guid}",
		call: func(ctx context.Context, c *vprotect.Client, _ any) error {
			return c.Schedules.Delete(ctx, vprotecttest.DemoScheduleGUID)
		},
		effects: func(srv *vprotecttest.Server) int {
			for _, s := range srv.Schedules() {
				if s.GUID == vprotecttest.DemoScheduleGUID {
					return 0
				}
			}
			return 1
		},
	},
	{
		name: "export", pattern: "POST /tasks/export", post: true,
		call: func(ctx context.Context, c *vprotect.Client, _ any) error {
			res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
				ProtectedEntities: []string{vprotecttest.DemoVMRHV1GUID},
				BackupType:        vprotect.BackupTypeFull,
				BackupDestination: vprotecttest.DemoDefaultDestinationGUID,
			})
			if err == nil && len(res.Tasks) != 1 {
				return fmt.Errorf("export returned %d tasks", len(res.Tasks))
			}
			return err
		},
		effects: func(srv *vprotecttest.Server) int { return countTasks(srv, "EXPORT", vprotecttest.DemoVMRHV1GUID) },
	},
	{
		name: "restore", pattern: "POST /tasks/restore-and-import", post: true,
		call: func(ctx context.Context, c *vprotect.Client, _ any) error {
			_, err := c.Tasks.RestoreAndImport(ctx, vprotect.RestoreRequest{
				Backup:            vprotecttest.DemoBackupTenantAWebFullGUID,
				HypervisorManager: vprotecttest.DemoOpenStackManagerGUID,
				RestoreStorageID:  vprotecttest.DemoOpenStackStorageUUID,
				RestoredPEName:    "matrix-restored",
			})
			return err
		},
		effects: func(srv *vprotecttest.Server) int { return countTasks(srv, "RESTORE", "") },
	},
	{
		name: "create", pattern: "POST /schedules", post: true,
		call: func(ctx context.Context, c *vprotect.Client, _ any) error {
			_, err := c.Schedules.Create(ctx, vprotect.NewTimeSchedule(matrixScheduleName, 22*time.Hour, 2*time.Hour, time.Monday))
			return err
		},
		effects: func(srv *vprotecttest.Server) int {
			n := 0
			for _, s := range srv.Schedules() {
				if s.Name == matrixScheduleName {
					n++
				}
			}
			return n
		},
	},
}

// countTasks counts the fake's tasks of a type (for one VM when vm is set).
func countTasks(srv *vprotecttest.Server, typ, vm string) int {
	n := 0
	for _, task := range srv.Tasks() {
		if task.Type.Name == typ && (vm == "" || task.ProtectedEntity != nil && task.ProtectedEntity.GUID == vm) {
			n++
		}
	}
	return n
}

// matrixFault is one kind of fault and what each call must end in.
type matrixFault struct {
	name string
	// fault is injected on the call's route (Pattern is filled in).
	fault vprotecttest.Fault
	// expire401 ends every session between the setup and the call instead.
	expire401 bool
	// deadline bounds the call through its context.
	deadline time.Duration
	// skip names calls for which the fault means nothing, with the reason.
	skip map[string]string
	// recovers says whether the call must succeed.
	recovers func(k matrixCall) bool
	// typed checks the error of a call that does not recover.
	typed func(t *testing.T, k matrixCall, err error)
}

// idempotentRecovers: GET, PUT and DELETE are retried, POST never is.
func idempotentRecovers(k matrixCall) bool { return !k.post }

// statusError checks a typed *APIError: sentinel, status and attempts.
func statusError(sentinel error, status int) func(t *testing.T, k matrixCall, err error) {
	return func(t *testing.T, k matrixCall, err error) {
		require.ErrorIs(t, err, sentinel)
		var apiErr *vprotect.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
		if k.post {
			assert.Equal(t, 1, apiErr.Attempts, "a POST is sent once")
		} else {
			assert.Equal(t, 3, apiErr.Attempts, "default policy: 3 attempts")
		}
	}
}

var matrixFaults = []matrixFault{
	{name: "503", fault: vprotecttest.Fault{Status: 503, Times: 1}, recovers: idempotentRecovers, typed: statusError(vprotect.ErrServer, 503)},
	{name: "502", fault: vprotecttest.Fault{Status: 502, Times: 1}, recovers: idempotentRecovers, typed: statusError(vprotect.ErrServer, 502)},
	{name: "504", fault: vprotecttest.Fault{Status: 504, Times: 1}, recovers: idempotentRecovers, typed: statusError(vprotect.ErrServer, 504)},
	{
		name: "429 Retry-After 1s", fault: vprotecttest.Fault{Status: 429, RetryAfter: time.Second, Times: 1},
		recovers: idempotentRecovers, typed: statusError(vprotect.ErrRateLimited, 429),
	},
	{
		name: "dropped connection", fault: vprotecttest.Fault{Drop: true, Times: 1},
		recovers: idempotentRecovers,
		typed: func(t *testing.T, k matrixCall, err error) {
			var te *vprotect.TransportError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, 1, te.Attempts, "a POST is sent once")
		},
	},
	{
		name: "delay past the deadline", fault: vprotecttest.Fault{Delay: 10 * time.Second, Times: 1}, deadline: 500 * time.Millisecond,
		recovers: func(matrixCall) bool { return false },
		typed: func(t *testing.T, k matrixCall, err error) {
			require.ErrorIs(t, err, context.DeadlineExceeded)
			var te *vprotect.TransportError
			assert.ErrorAs(t, err, &te)
		},
	},
	{
		// The fake sends 200 with a JSON body cut in the middle. The server
		// did the work, so the SDK never retries: it returns a decode error.
		name: "truncated JSON", fault: vprotecttest.Fault{Truncate: true, Times: 1},
		skip: map[string]string{
			"delete": "DELETE reads no answer body: a 200 with a cut body is a plain success there, " +
				"and the fake (which never applies a faulted request) would show a delete that did not happen",
		},
		recovers: func(matrixCall) bool { return false },
		typed: func(t *testing.T, k matrixCall, err error) {
			var te *vprotect.TransportError
			require.ErrorAs(t, err, &te)
			var syntax *json.SyntaxError
			assert.True(t, errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF), "a decode error: %v", err)
			assert.Equal(t, 1, te.Attempts)
		},
	},
	{
		// A proxy's HTML page, on every attempt.
		name: "HTML error page", fault: vprotecttest.Fault{HTML: true, Status: 502},
		recovers: func(matrixCall) bool { return false },
		typed: func(t *testing.T, k matrixCall, err error) {
			statusError(vprotect.ErrServer, 502)(t, k, err)
			var apiErr *vprotect.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "502 Bad Gateway", apiErr.Message, "the page's title")
		},
	},
	{
		// Every session ends between the flow's first call and this one:
		// one re-login and one replay, for POST too (the 401 means the
		// server did nothing).
		name: "401 mid-flow", expire401: true,
		recovers: func(matrixCall) bool { return true },
	},
}

func TestFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs 62 fault cases against the fake (seconds)")
	}
	var cases, recovered, typed, duplicates, skipped atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for _, fk := range matrixFaults {
			for _, k := range matrixCalls {
				t.Run(fk.name+"/"+k.name, func(t *testing.T) {
					if why, ok := fk.skip[k.name]; ok {
						skipped.Add(1)
						t.Skip(why)
					}
					t.Parallel()
					cases.Add(1)
					srv := vprotecttest.Start(t, vprotecttest.WithoutTaskHistory())
					c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
					require.NoError(t, err)
					t.Cleanup(func() { c.Close() })
					_, err = c.Login(context.Background())
					require.NoError(t, err)
					var state any
					if k.setup != nil {
						state = k.setup(t, c)
					}
					before := srv.Calls(k.pattern)
					if fk.expire401 {
						srv.ExpireSessions()
					} else {
						f := fk.fault
						f.Pattern = k.pattern
						srv.InjectFault(f)
					}

					deadline := fk.deadline
					if deadline == 0 {
						deadline = 5 * time.Second
					}
					ctx, cancel := context.WithTimeout(context.Background(), deadline)
					defer cancel()
					start := time.Now()
					err = k.call(ctx, c, state)
					elapsed := time.Since(start)
					assert.Less(t, elapsed, deadline+time.Second, "ends within the deadline plus one second")

					sent := srv.Calls(k.pattern) - before
					if fk.recovers(k) {
						require.NoError(t, err)
						recovered.Add(1)
						if fk.expire401 {
							assert.Equal(t, 2, srv.Logins(), "one re-login")
							assert.Equal(t, 2, sent, "one replay after the 401")
						}
						if fk.fault.RetryAfter > 0 {
							assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond, "Retry-After honoured")
						}
					} else {
						require.Error(t, err)
						fk.typed(t, k, err)
						typed.Add(1)
						if k.post {
							assert.Equal(t, 1, sent, "a POST is never re-sent")
						}
					}
					if k.effects != nil {
						n := k.effects(srv)
						if n > 1 {
							duplicates.Add(1)
						}
						want := 0
						if err == nil {
							want = 1
						}
						// A faulted request never changes the fake's state, so
						// a failed call shows no side effect, a successful one
						// exactly one.
						assert.Equal(t, want, n, "side effects in the fake")
					}
				})
			}
		}
	})
	summary := fmt.Sprintf("fault matrix: %d cases, %d recovered, %d typed errors, %d duplicates (%d skipped as meaningless)",
		cases.Load(), recovered.Load(), typed.Load(), duplicates.Load(), skipped.Load())
	t.Log(summary)
	fmt.Println(summary)
	assert.Zero(t, duplicates.Load())
	assert.Equal(t, cases.Load(), recovered.Load()+typed.Load(), "every case recovered or ended in a typed error")
}
