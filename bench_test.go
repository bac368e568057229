package vprotect

// Benchmarks of the SDK beside a hand-written net/http + encoding/json
// baseline against the same in-process server and the same bytes. Every
// benchmark has two sub-benchmarks, "sdk" and "baseline"; scripts/bench runs
// them and prints the ratios sdk/baseline (see BENCHMARKS.md). There are no
// timing assertions anywhere: the numbers are for people to read.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// Every case has the SDK ("sdk"), the baseline a user would write
// ("baseline": the body read whole, json.Unmarshal into plain structs
// shaped like the wire, bench_wire_test.go), the SDK's decoding before its
// own decoder ("stdjson": json.Decoder into the SDK's types), and the limit
// of the transfer ("raw": the body read into a buffer sized from
// Content-Length, not decoded).

// (a) VMs.Get of one VM.
func BenchmarkVMGet(b *testing.B) {
	d := loadBenchData(b)
	srv := newBenchServer(b, d)
	ctx := context.Background()
	const path = "/virtual-machines/" + benchVMGUID

	b.Run("sdk", func(b *testing.B) {
		c := newBenchSDK(b, srv)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			vm, err := c.VMs.Get(ctx, benchVMGUID)
			if err != nil || vm.GUID != benchVMGUID {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var vm plainVM
			if err := bc.getJSON(ctx, path, &vm); err != nil || vm.GUID != benchVMGUID {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdjson", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var vm VirtualMachine
			if err := bc.getStd(ctx, path, &vm); err != nil || vm.GUID != benchVMGUID {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		buf := make([]byte, len(d.vm))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if n, err := bc.getRaw(ctx, path, buf); err != nil || n != len(d.vm) {
				b.Fatal(err, n)
			}
		}
	})
}

// (b) VMs.List of 10,000 VMs in one answer.
func BenchmarkVMList10k(b *testing.B) {
	d := loadBenchData(b)
	srv := newBenchServer(b, d)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := newBenchSDK(b, srv)
		b.ReportAllocs()
		b.SetBytes(int64(len(d.vmList)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			vms, err := c.VMs.List(ctx, nil)
			if err != nil || len(vms) != benchListVMs {
				b.Fatal(err, len(vms))
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.SetBytes(int64(len(d.vmList)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var vms []plainVM
			if err := bc.getJSON(ctx, "/virtual-machines", &vms); err != nil || len(vms) != benchListVMs {
				b.Fatal(err, len(vms))
			}
		}
	})
	b.Run("stdjson", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.SetBytes(int64(len(d.vmList)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var vms []VirtualMachine
			if err := bc.getStd(ctx, "/virtual-machines", &vms); err != nil || len(vms) != benchListVMs {
				b.Fatal(err, len(vms))
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		buf := make([]byte, len(d.vmList))
		b.ReportAllocs()
		b.SetBytes(int64(len(d.vmList)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if n, err := bc.getRaw(ctx, "/virtual-machines", buf); err != nil || n != len(d.vmList) {
				b.Fatal(err, n)
			}
		}
	})
}

// (b, decoding alone) The 10,000 VMs decoded from memory, no transfer:
// the SDK's decoder into its types, encoding/json into the plain structs,
// and encoding/json into the SDK's types.
func BenchmarkDecodeVMList10k(b *testing.B) {
	d := loadBenchData(b)
	run := func(name string, decode func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(d.vmList)))
			for i := 0; i < b.N; i++ {
				if n, err := decode(); err != nil || n != benchListVMs {
					b.Fatal(err, n)
				}
			}
		})
	}
	run("sdk", func() (int, error) {
		var vms []VirtualMachine
		err := decodeJSON(context.Background(), d.vmList, &vms)
		return len(vms), err
	})
	run("baseline", func() (int, error) {
		var vms []plainVM
		err := json.Unmarshal(d.vmList, &vms)
		return len(vms), err
	})
	run("stdjson", func() (int, error) {
		var vms []VirtualMachine
		err := json.Unmarshal(d.vmList, &vms)
		return len(vms), err
	})
}

// heapSampleEvery is how often (in elements) the iteration benchmarks
// sample the live heap; both variants sample at the same points. The SDK
// variant samples in the middle of a page (element 250 of 500), with the
// page's body and decoder open.
const heapSampleEvery = 10 * benchPageSize

// (c) Iterating 100,000 tasks in pages of 500: the SDK's All (each page
// decoded one element at a time as it arrives) against the baseline
// fetching the same pages and decoding each whole into plain structs, and
// the SDK's former json.Decoder streaming. peak-heap-MB is the highest live
// heap (sampled after a GC every 5,000 tasks and at the end, timer
// stopped) above the level after a GC at the start of the op.
func BenchmarkTasksIterate100k(b *testing.B) {
	d := loadBenchData(b)
	srv := newBenchServer(b, d)
	ctx := context.Background()
	pagePath := func(page int) string {
		return "/tasks?page=" + strconv.Itoa(page) + "&size=" + strconv.Itoa(benchPageSize)
	}
	// The server builds the 100,000 tasks on the first request for them.
	if _, err := newBaseClient(b, srv).get(ctx, "/tasks?page=0&size=1"); err != nil {
		b.Fatal(err)
	}

	b.Run("sdk", func(b *testing.B) {
		c := newBenchSDK(b, srv)
		b.ReportAllocs()
		var peak int64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			hs := newHeapSampler(b)
			n := 0
			var sum float64
			for t, err := range c.Tasks.All(ctx, &TaskListOptions{ListOptions: ListOptions{Size: benchPageSize}}) {
				if err != nil {
					b.Fatal(err)
				}
				sum += t.Progress
				n++
				if n%heapSampleEvery == benchPageSize/2 {
					hs.sample()
				}
			}
			hs.sample()
			if n != benchIterTasks || sum == 0 {
				b.Fatalf("iterated %d tasks", n)
			}
			peak = max(peak, hs.peak)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run("baseline", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		var peak int64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			hs := newHeapSampler(b)
			n := 0
			var sum float64
			for page := 0; ; page++ {
				var items []plainTask
				if err := bc.getJSON(ctx, pagePath(page), &items); err != nil {
					b.Fatal(err)
				}
				for i := range items {
					sum += items[i].Progress
				}
				n += len(items)
				if n%heapSampleEvery == 0 {
					hs.sample()
				}
				if len(items) < benchPageSize || n >= benchIterTasks {
					break
				}
			}
			hs.sample()
			if n != benchIterTasks || sum == 0 {
				b.Fatalf("decoded %d tasks", n)
			}
			peak = max(peak, hs.peak)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run("stdjson", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			n := 0
			for page := 0; n < benchIterTasks; page++ {
				var items []Task
				if err := bc.getStd(ctx, pagePath(page), &items); err != nil || len(items) == 0 {
					b.Fatal(err)
				}
				n += len(items)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		buf := make([]byte, 4<<20)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for page := 0; page < benchIterTasks/benchPageSize; page++ {
				if _, err := bc.getRaw(ctx, pagePath(page), buf); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// (d) 64 goroutines calling VMs.Get at once (2 cores: SetParallelism(32)).
func BenchmarkVMGetParallel64(b *testing.B) {
	d := loadBenchData(b)
	srv := newBenchServer(b, d)
	ctx := context.Background()
	const path = "/virtual-machines/" + benchVMGUID
	par := max(1, 64/runtime.GOMAXPROCS(0))

	b.Run("sdk", func(b *testing.B) {
		c := newBenchSDK(b, srv)
		b.ReportAllocs()
		b.SetParallelism(par)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				vm, err := c.VMs.Get(ctx, benchVMGUID)
				if err != nil || vm.GUID != benchVMGUID {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("baseline", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.SetParallelism(par)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var vm plainVM
				if err := bc.getJSON(ctx, path, &vm); err != nil || vm.GUID != benchVMGUID {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("raw", func(b *testing.B) {
		bc := newBaseClient(b, srv)
		b.ReportAllocs()
		b.SetParallelism(par)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			buf := make([]byte, len(d.vm))
			for pb.Next() {
				if n, err := bc.getRaw(ctx, path, buf); err != nil || n != len(d.vm) {
					b.Error(err, n)
					return
				}
			}
		})
	})
}

// pollCounter counts GET /api/tasks/{guid} requests (the polls of a wait).
type pollCounter struct {
	next  http.RoundTripper
	polls atomic.Int64
}

func (p *pollCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/tasks/") {
		p.polls.Add(1)
	}
	return p.next.RoundTrip(r)
}

// exportWaitRestartEvery restarts the fake every so many exports: in the
// step-per-poll model the STORE task each export leaves behind stays
// QUEUED (nobody reads it), and the fake's work per request grows with them.
const exportWaitRestartEvery = 256

// (e) Export one VM and wait for its EXPORT task on the fake in the
// step-per-poll model (each read moves the task one step: QUEUED → RUNNING
// 0% → RUNNING 50% → FINISHED), with a zero poll interval. polls/op is the
// number of GET /tasks/{guid}; the fake needs 3.
func BenchmarkExportWait(b *testing.B) {
	ctx := context.Background()
	type env struct {
		fake *vprotecttest.Server
		vm   string
		pc   *pollCounter
		tr   *http.Transport
	}
	start := func(b *testing.B) *env {
		fake := vprotecttest.NewServer(vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
		vms := fake.VMs()
		if len(vms) == 0 {
			b.Fatal("the demo seed has no VMs")
		}
		tr := benchTransport()
		return &env{fake: fake, vm: vms[0].GUID, pc: &pollCounter{next: tr}, tr: tr}
	}
	stop := func(e *env) { e.tr.CloseIdleConnections(); e.fake.Close() }

	b.Run("sdk", func(b *testing.B) {
		var e *env
		var c *Client
		var polls int64
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if i%exportWaitRestartEvery == 0 {
				b.StopTimer()
				if e != nil {
					polls += e.pc.polls.Load()
					c.Close()
					stop(e)
				}
				e = start(b)
				var err error
				c, err = New(e.fake.URL(), WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
					WithHTTPClient(&http.Client{Transport: e.pc}), WithPollInterval(0))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			res, err := c.Tasks.Export(ctx, ExportRequest{ProtectedEntities: []string{e.vm}})
			if err != nil || len(res.Tasks) != 1 {
				b.Fatal(err)
			}
			t, err := c.Tasks.Wait(ctx, res.Tasks[0].GUID)
			if err != nil || t.State.Name != TaskStateFinished {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		polls += e.pc.polls.Load()
		c.Close()
		stop(e)
		b.ReportMetric(float64(polls)/float64(b.N), "polls/op")
	})
	b.Run("baseline", func(b *testing.B) {
		var e *env
		var bc *http.Client
		var base string
		var polls int64
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if i%exportWaitRestartEvery == 0 {
				b.StopTimer()
				if e != nil {
					polls += e.pc.polls.Load()
					stop(e)
				}
				e = start(b)
				bc, base = baselineLogin(b, e.fake.URL(), e.pc)
				b.StartTimer()
			}
			guid := baselineExport(b, bc, base, e.vm)
			for {
				var t Task
				if err := baselineGet(ctx, bc, base+"/tasks/"+guid, &t); err != nil {
					b.Fatal(err)
				}
				if t.IsTerminal() {
					if t.State.Name != TaskStateFinished {
						b.Fatalf("task %s", t.State.Name)
					}
					break
				}
			}
		}
		b.StopTimer()
		polls += e.pc.polls.Load()
		stop(e)
		b.ReportMetric(float64(polls)/float64(b.N), "polls/op")
	})
}

func baselineLogin(b *testing.B, base string, rt http.RoundTripper) (*http.Client, string) {
	jar, _ := newJar()
	hc := &http.Client{Transport: rt, Jar: jar}
	body := fmt.Sprintf(`{"login":%q,"password":%q}`, vprotecttest.DefaultLogin, vprotecttest.DefaultPassword)
	resp, err := hc.Post(base+"/session/login", "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		b.Fatalf("login: %s", resp.Status)
	}
	return hc, base
}

func baselineExport(b *testing.B, hc *http.Client, base, vm string) string {
	body := `{"backupType":{"name":"FULL"},"protectedEntities":[{"guid":"` + vm + `"}],"priority":50}`
	resp, err := hc.Post(base+"/tasks/export", "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b.Fatalf("export: %s", resp.Status)
	}
	var tasks []Task
	if err := json.NewDecoder(resp.Body).Decode(&tasks); err != nil || len(tasks) != 1 {
		b.Fatal(err)
	}
	return tasks[0].GUID
}

func baselineGet(ctx context.Context, hc *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
