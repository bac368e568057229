package vprotect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// waitBenchVMs is how many VMs BenchmarkWait100Exports backs up at once.
const waitBenchVMs = 100

// waitBench is one run of BenchmarkWait100Exports: a fresh fake with
// waitBenchVMs more VMs, on a fake clock, and their exports, started.
type waitBench struct {
	fake    *vprotecttest.Server
	clock   *vprotecttest.FakeClock
	c       *Client
	exports []string
	reqs    atomic.Int64
}

// countingTransport counts the requests it sends.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

func newWaitBench(b *testing.B) *waitBench {
	b.Helper()
	clock := vprotecttest.NewFakeClock(time.Now().Truncate(time.Second))
	seed := vprotecttest.DemoSeedAt(clock.Now())
	template := seed.VMs[0]
	guids := make([]string, waitBenchVMs)
	for i := range guids {
		vm := template
		vm.GUID = fmt.Sprintf("00000000-0000-4000-8000-%012d", 600000+i)
		vm.UUID = fmt.Sprintf("11111111-0000-4000-8000-%012d", 600000+i)
		vm.Name = fmt.Sprintf("bench-%03d", i)
		seed.VMs = append(seed.VMs, vm)
		guids[i] = vm.GUID
	}
	e := &waitBench{fake: vprotecttest.NewServer(vprotecttest.WithSeed(seed), vprotecttest.WithClock(clock)), clock: clock}
	c, err := New(e.fake.URL(), WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		WithHTTPClient(&http.Client{Transport: countingTransport{next: benchTransport(), n: &e.reqs}}))
	if err != nil {
		b.Fatal(err)
	}
	// The poll schedule (the default: 2 s, growing ×1.5 up to 16 s) runs
	// on the fake's clock: a pause moves it on at once.
	c.watch.now = clock.Now
	c.watch.pause = func(ctx context.Context, d time.Duration, _ <-chan struct{}) error {
		clock.Advance(d)
		return ctx.Err()
	}
	e.c = c
	res, err := c.Tasks.Export(context.Background(), ExportRequest{ProtectedEntities: guids, BackupType: BackupTypeFull})
	if err != nil || len(res.Tasks) != waitBenchVMs {
		b.Fatal(err)
	}
	for _, t := range res.Tasks {
		e.exports = append(e.exports, t.GUID)
	}
	e.reqs.Store(0)
	return e
}

func (e *waitBench) close() {
	e.c.Close()
	e.fake.Close()
}

// minimumRequests is the fewest requests that can see the exports end
// (and, with stores, their STORE tasks too) on the poll schedule the SDK
// keeps: one request per poll, each the whole task list, polled until the
// first poll that sees every watched task ended.
func (e *waitBench) minimumRequests(b *testing.B, stores bool) int {
	ctx := context.Background()
	bo := newPollBackoff(DefaultPollInterval)
	for n := 1; ; n++ {
		tasks, err := e.c.Tasks.List(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		ended := map[string]bool{}
		storeEnded := map[string]bool{}
		for _, t := range tasks {
			if !t.IsTerminal() {
				continue
			}
			ended[t.GUID] = true
			if t.Type.Name == TaskTypeStore && t.ParentTask != nil {
				storeEnded[t.ParentTask.GUID] = true
			}
		}
		done := true
		for _, g := range e.exports {
			if !ended[g] || (stores && !storeEnded[g]) {
				done = false
				break
			}
		}
		if done {
			return n
		}
		e.clock.Advance(bo.next)
		bo.grow()
	}
}

// Waiting for 100 exports at once on the fake's timed model (EXPORT 3 s,
// STORE 2 s, two tasks at a time per node), with the default poll
// schedule on the fake's clock: WaitAll for the EXPORT tasks, and the
// whole backups with one WaitForBackups or 100 WaitForBackup at the same
// time. requests/op are all the requests of the wait, requests/wait those
// per wait call; "minimum" is the fewest requests that can see the same
// tasks end on the same schedule (one request per poll). The time is the
// client's and the fake's CPU: the clock is the fake's.
func BenchmarkWait100Exports(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, calls int, wait func(e *waitBench) error) {
		var reqs int64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			e := newWaitBench(b)
			b.StartTimer()
			if err := wait(e); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			reqs += e.reqs.Load()
			e.close()
			b.StartTimer()
		}
		b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
		b.ReportMetric(float64(reqs)/float64(b.N)/float64(calls), "requests/wait")
	}
	minimum := func(stores bool) func(b *testing.B) {
		return func(b *testing.B) {
			var reqs int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := newWaitBench(b)
				b.StartTimer()
				reqs += int64(e.minimumRequests(b, stores))
				b.StopTimer()
				e.close()
				b.StartTimer()
			}
			b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
			b.ReportMetric(float64(reqs)/float64(b.N), "requests/wait")
		}
	}
	b.Run("WaitAll/sdk", func(b *testing.B) {
		run(b, 1, func(e *waitBench) error {
			_, err := e.c.Tasks.WaitAll(ctx, e.exports...)
			return err
		})
	})
	b.Run("WaitAll/minimum", minimum(false))
	b.Run("WaitForBackups/sdk", func(b *testing.B) {
		run(b, 1, func(e *waitBench) error {
			_, err := e.c.Tasks.WaitForBackups(ctx, e.exports...)
			return err
		})
	})
	b.Run("WaitForBackups/minimum", minimum(true))
	b.Run("WaitForBackup100/sdk", func(b *testing.B) {
		run(b, waitBenchVMs, func(e *waitBench) error {
			errs := make(chan error, len(e.exports))
			for _, g := range e.exports {
				go func() {
					_, err := e.c.Tasks.WaitForBackup(ctx, g)
					errs <- err
				}()
			}
			var all []error
			for range e.exports {
				all = append(all, <-errs)
			}
			return errors.Join(all...)
		})
	})
	b.Run("WaitForBackup100/minimum", minimum(true))
}
