package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The benchmark server serves pre-encoded, realistic bytes (every field of
// the testdata fixtures set) so that the SDK and the hand-written baseline
// read exactly the same answers. It checks the session cookie like the real
// server does.

const (
	benchListVMs    = 10_000
	benchIterTasks  = 100_000
	benchPageSize   = DefaultPageSize
	benchSessionID  = "bench-session-0001"
	benchCookieName = "JSESSIONID"
)

// benchData is built once per process: the encoded bodies are large.
type benchData struct {
	vm     []byte // one VM, compact JSON
	vmList []byte // benchListVMs VMs
	tasks  []byte // benchIterTasks tasks as one JSON array
	// taskOff[i] is where element i starts in tasks; taskOff[n] is where
	// the closing bracket is. Element i spans tasks[taskOff[i]:taskOff[i+1]-1]
	// (without its trailing comma).
	taskOff []int
}

var (
	benchOnce      sync.Once
	benchTasksOnce sync.Once
	benchD         *benchData
)

func loadBenchData(tb testing.TB) *benchData {
	tb.Helper()
	benchOnce.Do(func() {
		var vm VirtualMachine
		mustFixture(tb, "vm_get.json", &vm)
		d := &benchData{}
		vm.GUID = "c9b1c5a4-0000-4000-8000-000000000001"
		d.vm = mustJSON(tb, vm)

		vms := make([]VirtualMachine, benchListVMs)
		for i := range vms {
			v := vm
			v.GUID = fmt.Sprintf("c9b1c5a4-0000-4000-8000-%012d", i)
			v.Name = fmt.Sprintf("vm-%05d", i)
			vms[i] = v
		}
		d.vmList = mustJSON(tb, vms)

		benchD = d
	})
	if benchD == nil {
		tb.Fatal("bench data failed to build")
	}
	return benchD
}

func mustFixture(tb testing.TB, name string, v any) {
	b, err := os.ReadFile(filepath.Join("testdata", "responses", name))
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatal(err)
	}
}

func mustJSON(tb testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// loadBenchTasks adds the 100,000 tasks to d (about 130 MB of JSON).
func loadBenchTasks(tb testing.TB, d *benchData) {
	tb.Helper()
	benchTasksOnce.Do(func() {
		var task Task
		mustFixture(tb, "task_get.json", &task)
		var buf bytes.Buffer
		buf.Grow(benchIterTasks * 1400)
		buf.WriteByte('[')
		d.taskOff = make([]int, benchIterTasks+1)
		for i := 0; i < benchIterTasks; i++ {
			t := task
			t.GUID = fmt.Sprintf("7a0e3f2b-0000-4000-8000-%012d", i)
			d.taskOff[i] = buf.Len()
			buf.Write(mustJSON(tb, t))
			buf.WriteByte(',')
		}
		d.taskOff[benchIterTasks] = buf.Len()
		b := buf.Bytes()
		b[len(b)-1] = ']'
		d.tasks = b
	})
	if d.tasks == nil {
		tb.Fatal("bench tasks failed to build")
	}
}

// writeTaskPage writes page p of size n of the task list.
func (d *benchData) writeTaskPage(w http.ResponseWriter, p, n int) {
	total := len(d.taskOff) - 1
	lo, hi := p*n, (p+1)*n
	lo, hi = min(lo, total), min(hi, total)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if lo == hi {
		w.Header().Set("Content-Length", "2")
		_, _ = w.Write([]byte("[]"))
		return
	}
	body := d.tasks[d.taskOff[lo] : d.taskOff[hi]-1] // no trailing comma
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+2))
	_, _ = w.Write([]byte("["))
	_, _ = w.Write(body)
	_, _ = w.Write([]byte("]"))
}

// newBenchServer starts the benchmark server.
func newBenchServer(tb testing.TB, d *benchData) *httptest.Server {
	tb.Helper()
	writeBytes := func(w http.ResponseWriter, b []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	}
	authed := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if c, err := r.Cookie(benchCookieName); err != nil || c.Value != benchSessionID {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"message":"Unauthorized","status":401}`))
				return
			}
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/session/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: benchCookieName, Value: benchSessionID, Path: "/", HttpOnly: true})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"requester":{"guid":"u-1","name":"admin"}}`))
	})
	mux.HandleFunc("GET /api/virtual-machines/{guid}", authed(func(w http.ResponseWriter, r *http.Request) {
		writeBytes(w, d.vm)
	}))
	mux.HandleFunc("GET /api/virtual-machines", authed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Total-Count", strconv.Itoa(benchListVMs))
		writeBytes(w, d.vmList)
	}))
	mux.HandleFunc("GET /api/tasks", authed(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("size") == "" {
			w.Header().Set("X-Total-Count", strconv.Itoa(len(d.taskOff)-1))
			writeBytes(w, d.tasks)
			return
		}
		p, _ := strconv.Atoi(q.Get("page"))
		n, _ := strconv.Atoi(q.Get("size"))
		if n <= 0 {
			n = benchPageSize
		}
		d.writeTaskPage(w, p, n)
	}))
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv
}

// benchTransport is the transport both sides use: the default settings with
// enough idle connections per host for the parallel case.
func benchTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return tr
}

// newBenchSDK returns a logged-in SDK client for srv.
func newBenchSDK(tb testing.TB, srv *httptest.Server, opts ...Option) *Client {
	tb.Helper()
	tr := benchTransport()
	all := append([]Option{
		WithCredentials("admin", "vPr0tect"),
		WithHTTPClient(&http.Client{Transport: tr}),
	}, opts...)
	c, err := New(srv.URL+"/api", all...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close(); tr.CloseIdleConnections() })
	if err := c.sess.ensure(context.Background(), c.loginCall); err != nil {
		tb.Fatal(err)
	}
	return c
}

// baseClient is the hand-written baseline: net/http with a cookie jar and
// json.NewDecoder(resp.Body).Decode into the SDK's own types.
type baseClient struct {
	hc   *http.Client
	base string
}

func newBaseClient(tb testing.TB, srv *httptest.Server) *baseClient {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	tr := benchTransport()
	b := &baseClient{hc: &http.Client{Transport: tr, Jar: jar}, base: srv.URL + "/api"}
	tb.Cleanup(tr.CloseIdleConnections)
	resp, err := b.hc.Post(b.base+"/session/login", "application/json",
		strings.NewReader(`{"login":"admin","password":"vPr0tect"}`))
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		tb.Fatalf("baseline login: %s", resp.Status)
	}
	return b
}

// getJSON is the baseline GET: build the request, send, check the status,
// decode with json.Decoder.
func (b *baseClient) getJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// heapSampler records the peak live heap above a starting point. HeapAlloc
// alone would count garbage not yet collected, which depends on the GC's
// pacing (and the benchmark server's large bodies set that pace), so each
// sample collects first, with the benchmark timer stopped: a sample is the
// memory the iteration really holds at that point.
type heapSampler struct {
	b    *testing.B
	base uint64
	peak int64 // can stay 0: an iteration that holds nothing more than at its start
	ms   runtime.MemStats
}

func newHeapSampler(b *testing.B) *heapSampler {
	b.StopTimer()
	defer b.StartTimer()
	runtime.GC()
	s := &heapSampler{b: b}
	runtime.ReadMemStats(&s.ms)
	s.base = s.ms.HeapAlloc
	return s
}

func (s *heapSampler) sample() {
	s.b.StopTimer()
	defer s.b.StartTimer()
	runtime.GC()
	runtime.ReadMemStats(&s.ms)
	s.peak = max(s.peak, int64(s.ms.HeapAlloc)-int64(s.base))
}

func newJar() (http.CookieJar, error) { return cookiejar.New(nil) }
