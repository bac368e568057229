package vprotect_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
	"go.uber.org/goleak"
)

// The package's TestMain runs goleak over the whole test binary; these tests
// check specific paths while the fake keeps running, so that only the
// client can be the one to release its goroutines. They are not parallel:
// goleak looks at every goroutine of the process.

// leakFixture starts a fake and notes the goroutines running before the
// client exists (the fake's accept loop among them).
func leakFixture(t *testing.T, opts ...vprotecttest.Option) (*vprotecttest.Server, *vprotect.Client, goleak.Option) {
	t.Helper()
	srv := vprotecttest.Start(t, opts...)
	before := goleak.IgnoreCurrent()
	c, err := vprotect.New(srv.URL(),
		vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		vprotect.WithPollInterval(10*time.Millisecond))
	require.NoError(t, err)
	return srv, c, before
}

func TestCloseReleasesIdleConnections(t *testing.T) {
	_, c, before := leakFixture(t)
	ctx := context.Background()
	// Concurrent calls open several keep-alive connections.
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := c.VMs.List(ctx, nil)
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	require.Error(t, goleak.Find(before),
		"idle connections hold goroutines before Close (else this test proves nothing)")
	require.NoError(t, c.Close())
	goleak.VerifyNone(t, before)
}

func TestAbandonedAllLeavesNothingRunning(t *testing.T) {
	_, c, before := leakFixture(t)
	ctx := context.Background()
	n := 0
	// The first page is cut short: its body must be closed so that the
	// connection goes back to the idle pool, where Close finds it.
	for vm, err := range c.VMs.All(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Size: 5}}) {
		require.NoError(t, err)
		require.NotEmpty(t, vm.GUID)
		if n++; n == 2 {
			break
		}
	}
	// Abandoned on a later page too.
	n = 0
	for _, err := range c.Tasks.All(ctx, nil) {
		require.NoError(t, err)
		break
	}
	for vm, err := range c.VMs.All(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Size: 2}}) {
		require.NoError(t, err)
		if n++; n == 3 {
			_ = vm
			break
		}
	}
	require.Error(t, goleak.Find(before), "the connections are idle, not gone, before Close")
	require.NoError(t, c.Close())
	goleak.VerifyNone(t, before)
}

func TestAbandonedWaitLeavesNothingRunning(t *testing.T) {
	// Timed tasks take seconds: every wait below is abandoned.
	srv, c, before := leakFixture(t)
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMRHV1GUID, vprotecttest.DemoVMRHV2GUID},
		BackupType:        vprotect.BackupTypeFull,
	})
	require.NoError(t, err)
	require.Len(t, res.Tasks, 2)

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	_, err = c.Tasks.Wait(short, res.Tasks[0].GUID)
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	cancelled, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err = c.Tasks.WaitAll(cancelled, res.Tasks[0].GUID, res.Tasks[1].GUID)
	assert.ErrorIs(t, err, context.Canceled)

	short, cancel = context.WithTimeout(ctx, 100*time.Millisecond)
	_, err = c.Tasks.WaitForBackup(short, res.Tasks[1].GUID)
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	// A wait cancelled while its poll is held up by the server.
	srv.InjectFault(vprotecttest.Fault{Pattern: "GET /tasks/{guid}", Delay: time.Hour})
	short, cancel = context.WithTimeout(ctx, 100*time.Millisecond)
	start := time.Now()
	_, err = c.Tasks.Wait(short, res.Tasks[0].GUID)
	cancel()
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	assert.Less(t, time.Since(start), time.Second)

	require.NoError(t, c.Close())
	goleak.VerifyNone(t, before)
}

// Waits that share the client's poller, given up while it polls: the
// last one to leave stops it, so nothing is left running.
func TestAbandonedSharedWaitsLeaveNothingRunning(t *testing.T) {
	_, c, before := leakFixture(t)
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMRHV1GUID, vprotecttest.DemoVMRHV2GUID},
		BackupType:        vprotect.BackupTypeFull,
	})
	require.NoError(t, err)
	require.Len(t, res.Tasks, 2)
	errs := make(chan error, 4)
	for i, timeout := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond} {
		go func() {
			short, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			_, err := c.Tasks.WaitForBackup(short, res.Tasks[i%2].GUID)
			errs <- err
		}()
	}
	go func() {
		short, cancel := context.WithTimeout(ctx, 120*time.Millisecond)
		defer cancel()
		_, err := c.Tasks.WaitForBackups(short, res.Tasks[0].GUID, res.Tasks[1].GUID)
		errs <- err
	}()
	for range 4 {
		assert.ErrorIs(t, <-errs, context.DeadlineExceeded)
	}
	require.NoError(t, c.Close())
	goleak.VerifyNone(t, before)
}

// Concurrent callers reuse the client's connections: a second wave of 50
// concurrent calls opens (almost) no new connection. net/http keeps only 2
// idle connections per host by default, which would close 48 of them after
// each wave and dial them again, leaving sockets in TIME_WAIT all day.
func TestConcurrentCallsReuseConnections(t *testing.T) {
	var dialed, closed atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond) // the calls of a wave overlap
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			dialed.Add(1)
		case http.StateClosed:
			closed.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := vprotect.New(srv.URL)
	require.NoError(t, err)
	defer c.Close()
	wave := func() {
		errs := make(chan error, 50)
		for range 50 {
			go func() { errs <- c.Ping(context.Background()) }()
		}
		for range 50 {
			require.NoError(t, <-errs)
		}
	}
	wave()
	first := dialed.Load()
	// A pool that kept only a few idle connections per host (net/http's
	// default is 2) closes the rest as soon as the wave ends.
	time.Sleep(100 * time.Millisecond)
	assert.Zero(t, closed.Load(), "every connection of the first wave is kept idle")
	wave()
	again := dialed.Load() - first
	t.Logf("first wave: %d connections, second wave: %d new", first, again)
	// On a loaded machine the first wave may overlap less than the second,
	// so the second may dial some; it still reuses every idle one.
	assert.Less(t, again, int64(50), "the second wave reuses idle connections")
}
