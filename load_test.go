package vprotect_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// loadDuration sets how long TestLoad runs: the -load.duration flag, else
// the VPROTECT_LOAD_DURATION environment variable (a Go duration such as
// "30s"), else 1.5 s so that CI stays fast. Run it by hand for longer:
//
//	VPROTECT_LOAD_DURATION=30s go test -race -run TestLoad -v .
var loadDuration = flag.Duration("load.duration", 0, "how long TestLoad runs (default $VPROTECT_LOAD_DURATION or 1.5s)")

func loadTime(t *testing.T) time.Duration {
	if *loadDuration > 0 {
		return *loadDuration
	}
	if v := os.Getenv("VPROTECT_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "VPROTECT_LOAD_DURATION")
		require.Positive(t, d, "VPROTECT_LOAD_DURATION")
		return d
	}
	return 1500 * time.Millisecond
}

// raceEnabled is set under the race detector (race_test.go).
var raceEnabled bool

// TestLoad: 200 goroutines share one client and make mixed calls while the
// server ends every session each 250 ms. No call may fail, and the client
// may log in at most once per expired session (plus the first login).
//
// The premise is a server that answers a request before the session it was
// sent with ends. Under the race detector the fake, which serves one request
// at a time, answers 200 queued requests in about 350 ms on two cores, more
// than the 250 ms sessions live; there the sessions are ended every 500 ms
// instead (the SDK replays a call through at most 5 consecutive expiries).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a load test (seconds)")
	}
	const workers = 200
	duration := loadTime(t)
	expireEvery := 250 * time.Millisecond
	if raceEnabled {
		expireEvery = 500 * time.Millisecond
	}
	srv := vprotecttest.Start(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
	require.NoError(t, err)
	defer c.Close()

	calls := []func(ctx context.Context, i int) error{
		func(ctx context.Context, _ int) error {
			_, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: vprotecttest.DemoTenantA})
			return err
		},
		func(ctx context.Context, _ int) error {
			_, err := c.VMs.Get(ctx, vprotecttest.DemoVMTenantAWebGUID)
			return err
		},
		func(ctx context.Context, _ int) error {
			_, err := c.Tasks.ListPage(ctx, &vprotect.TaskListOptions{ListOptions: vprotect.ListOptions{Size: 20}})
			return err
		},
		func(ctx context.Context, _ int) error {
			_, err := c.Schedules.List(ctx, nil)
			return err
		},
		func(ctx context.Context, _ int) error {
			_, err := c.Backups.List(ctx, &vprotect.BackupListOptions{ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID})
			return err
		},
		func(ctx context.Context, _ int) error {
			for _, err := range c.VMs.All(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Size: 4}}) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		func(ctx context.Context, _ int) error { return c.Ping(ctx) },
		func(ctx context.Context, i int) error {
			if i%25 != 0 { // an export now and then: each one is a backup
				_, err := c.Policies.List(ctx, nil)
				return err
			}
			_, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
				ProtectedEntities: []string{vprotecttest.DemoVMRHV2GUID},
				BackupType:        vprotect.BackupTypeFull,
			})
			return err
		},
	}

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var (
		wg      sync.WaitGroup
		total   atomic.Int64
		exports atomic.Int64
		failed  atomic.Int64
		errMu   sync.Mutex
		errs    []error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(expireEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				srv.ExpireSessions()
			}
		}
	}()
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ctx.Err() == nil; i += workers {
				kind := i % len(calls)
				// Each call has its own deadline, independent of the run's end.
				callCtx, callCancel := context.WithTimeout(context.Background(), 30*time.Second)
				err := calls[kind](callCtx, i/len(calls))
				callCancel()
				total.Add(1)
				if kind == len(calls)-1 && (i/len(calls))%25 == 0 && err == nil {
					exports.Add(1)
				}
				if err != nil {
					failed.Add(1)
					errMu.Lock()
					if len(errs) < 5 {
						errs = append(errs, err)
					}
					errMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	logins, expiries := srv.Logins(), srv.Expiries()
	summary := fmt.Sprintf("load: %d goroutines for %s, sessions ended every %s: %d calls (%.0f/s), %d failed, %d logins, %d expiries",
		workers, elapsed.Round(10*time.Millisecond), expireEvery, total.Load(), float64(total.Load())/elapsed.Seconds(), failed.Load(), logins, expiries)
	t.Log(summary)
	fmt.Println(summary)
	assert.Zero(t, failed.Load(), "failed calls, first ones: %v", errs)
	assert.LessOrEqual(t, logins, expiries+1, "at most one login per expired session")
	assert.Positive(t, expiries, "sessions expired during the run")
	assert.Equal(t, int(exports.Load()), countTasks(srv, "EXPORT", vprotecttest.DemoVMRHV2GUID), "one EXPORT per export call")
}
