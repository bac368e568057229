package vprotect

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
	task   []byte // one task
	vmList []byte // benchListVMs VMs
	tasks  []byte // benchIterTasks tasks as one JSON array
	// taskOff[i] is where element i starts in tasks; taskOff[n] is where
	// the closing bracket is. Element i spans tasks[taskOff[i]:taskOff[i+1]-1]
	// (without its trailing comma).
	taskOff []int
}

// buildBenchData encodes the benchmark's bodies from the fixtures (every
// field set); the 100,000 tasks (about 150 MB) only withTasks.
func buildBenchData(withTasks bool) (*benchData, error) {
	var vm VirtualMachine
	var task Task
	if err := readFixture("vm_get.json", &vm); err != nil {
		return nil, err
	}
	if err := readFixture("task_get.json", &task); err != nil {
		return nil, err
	}
	d := &benchData{}
	vm.GUID = benchVMGUID
	var err error
	if d.vm, err = json.Marshal(vm); err != nil {
		return nil, err
	}
	if d.task, err = json.Marshal(task); err != nil {
		return nil, err
	}
	vms := make([]VirtualMachine, benchListVMs)
	for i := range vms {
		v := vm
		v.GUID = fmt.Sprintf("c9b1c5a4-0000-4000-8000-%012d", i)
		v.Name = fmt.Sprintf("vm-%05d", i)
		vms[i] = v
	}
	if d.vmList, err = json.Marshal(vms); err != nil {
		return nil, err
	}
	if !withTasks {
		return d, nil
	}
	var buf bytes.Buffer
	buf.Grow(benchIterTasks * (len(d.task) + 64))
	buf.WriteByte('[')
	d.taskOff = make([]int, benchIterTasks+1)
	for i := 0; i < benchIterTasks; i++ {
		t := task
		t.GUID = fmt.Sprintf("7a0e3f2b-0000-4000-8000-%012d", i)
		d.taskOff[i] = buf.Len()
		b, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		buf.WriteByte(',')
	}
	d.taskOff[benchIterTasks] = buf.Len()
	b := buf.Bytes()
	b[len(b)-1] = ']'
	d.tasks = b
	return d, nil
}

const benchVMGUID = "c9b1c5a4-0000-4000-8000-000000000001"

func readFixture(name string, v any) error {
	b, err := os.ReadFile(filepath.Join("testdata", "responses", name))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// loadBenchData returns the bodies (without the 100,000 tasks), built once.
func loadBenchData(tb testing.TB) *benchData {
	tb.Helper()
	benchOnce.Do(func() { benchD, benchErr = buildBenchData(false) })
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchD
}

var (
	benchOnce sync.Once
	benchD    *benchData
	benchErr  error
)

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

// benchHandler serves the bodies of d; the 100,000 tasks are built on the
// first request for them.
func benchHandler(d *benchData) http.Handler {
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
	var tasksOnce sync.Once
	var tasks *benchData
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
		tasksOnce.Do(func() {
			var err error
			if tasks, err = buildBenchData(true); err != nil {
				panic(err)
			}
		})
		q := r.URL.Query()
		if q.Get("size") == "" {
			w.Header().Set("X-Total-Count", strconv.Itoa(len(tasks.taskOff)-1))
			writeBytes(w, tasks.tasks)
			return
		}
		p, _ := strconv.Atoi(q.Get("page"))
		n, _ := strconv.Atoi(q.Get("size"))
		if n <= 0 {
			n = benchPageSize
		}
		tasks.writeTaskPage(w, p, n)
	}))
	return mux
}

// The benchmark server runs in a process of its own (this test binary
// started again with benchServeEnv set), so that the benchmarks' B/op and
// allocs/op count the client alone, and the client and the server do not
// share a garbage collector. scripts/bench starts one too, for the Python
// comparison: the same bytes.
const benchServeEnv = "VPROTECT_BENCH_SERVE"

// serveBenchProcess is the main of the server process: it listens on addr,
// prints its URL on a line of its own, and serves until its standard input
// ends (its parent is gone).
func serveBenchProcess(addr string) int {
	d, err := buildBenchData(false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	srv := &http.Server{Handler: benchHandler(d), ReadHeaderTimeout: 10 * time.Second}
	_ = srv.Serve(ln)
	return 0
}

var (
	benchSrvOnce sync.Once
	benchSrvURL  string
	benchSrvErr  error
	benchSrvCmd  *exec.Cmd
)

// newBenchServer returns the URL of the benchmark server process, started
// on first use and stopped by TestMain.
func newBenchServer(tb testing.TB, _ *benchData) string {
	tb.Helper()
	benchSrvOnce.Do(func() { benchSrvURL, benchSrvErr = startBenchProcess() })
	if benchSrvErr != nil {
		tb.Fatal(benchSrvErr)
	}
	return benchSrvURL
}

func startBenchProcess() (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchServeEnv+"=127.0.0.1:0")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = stdin.Close()
		_ = cmd.Wait()
		return "", fmt.Errorf("benchmark server: %w", err)
	}
	benchSrvCmd = cmd
	benchSrvStdin = stdin
	return strings.TrimSpace(line), nil
}

var benchSrvStdin io.Closer

// stopBenchProcess ends the server process, if one was started.
func stopBenchProcess() {
	if benchSrvCmd == nil {
		return
	}
	_ = benchSrvStdin.Close()
	_ = benchSrvCmd.Wait()
}

// benchTransport is the transport both sides use: the default settings with
// enough idle connections per host for the parallel case.
func benchTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return tr
}

// newBenchSDK returns a logged-in SDK client for srv.
func newBenchSDK(tb testing.TB, srv string, opts ...Option) *Client {
	tb.Helper()
	tr := benchTransport()
	all := append([]Option{
		WithCredentials("admin", "vPr0tect"),
		WithHTTPClient(&http.Client{Transport: tr}),
	}, opts...)
	c, err := New(srv+"/api", all...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close(); tr.CloseIdleConnections() })
	if err := c.sess.ensure(context.Background(), c.loginCall); err != nil {
		tb.Fatal(err)
	}
	return c
}

// baseClient is the hand-written baseline: net/http with a cookie jar, the
// body read whole and json.Unmarshal into plain structs (bench_wire_test.go).
type baseClient struct {
	hc   *http.Client
	base string
}

func newBaseClient(tb testing.TB, srv string) *baseClient {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	tr := benchTransport()
	b := &baseClient{hc: &http.Client{Transport: tr, Jar: jar}, base: srv + "/api"}
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
// read the body whole, json.Unmarshal.
func (b *baseClient) getJSON(ctx context.Context, path string, v any) error {
	body, err := b.get(ctx, path)
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

// get is the baseline GET without the decoding: the transfer alone.
func (b *baseClient) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// getRaw reads the body into a buffer sized from Content-Length, and
// nothing more: the raw-transfer limit of a case.
func (b *baseClient) getRaw(ctx context.Context, path string, buf []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength > int64(len(buf)) {
		return 0, fmt.Errorf("GET %s: %s, %d bytes", path, resp.Status, resp.ContentLength)
	}
	return io.ReadFull(resp.Body, buf[:resp.ContentLength])
}

// getStd is the SDK's decoding before its own decoder: json.Decoder into
// the SDK's types.
func (b *baseClient) getStd(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return err
	}
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
