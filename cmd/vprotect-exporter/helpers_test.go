package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// testExporter is the exporter wired as main wires it, against a fake.
type testExporter struct {
	srv    *vprotecttest.Server
	client *vprotect.Client
	cache  *cache
	reg    *prometheus.Registry
}

// newTestExporter starts a fake with srvOpts and an exporter on it; edit
// changes the exporter's configuration, now is its clock (nil: time.Now).
func newTestExporter(t *testing.T, now func() time.Time, edit func(*config), srvOpts ...vprotecttest.Option) *testExporter {
	t.Helper()
	srv := vprotecttest.Start(t, srvOpts...)
	cfg := &config{url: srv.URL(), user: vprotecttest.DefaultLogin, password: vprotecttest.DefaultPassword,
		cacheTTL: time.Minute, timeout: 5 * time.Second, concurrency: 4, backupWindow: 24 * time.Hour}
	if edit != nil {
		edit(cfg)
	}
	if now == nil {
		now = time.Now
	}
	api := newAPIMetrics()
	client, err := newClient(cfg, api.observer())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	c := newCache(cfg, client, slog.New(slog.NewTextHandler(io.Discard, nil)), api)
	c.fetch = (&fetcher{client: client, window: cfg.backupWindow, concurrency: cfg.concurrency, now: now}).fetch
	return &testExporter{srv: srv, client: client, cache: c, reg: newRegistry(c, api)}
}

// sample is one series of a gathered family.
type sample struct {
	labels map[string]string
	value  float64
}

// gather scrapes the registry and returns the series by family name.
func gather(t *testing.T, reg prometheus.Gatherer) map[string][]sample {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]sample{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			s := sample{labels: map[string]string{}}
			for _, lp := range m.GetLabel() {
				s.labels[lp.GetName()] = lp.GetValue()
			}
			switch mf.GetType() {
			case dto.MetricType_GAUGE:
				s.value = m.GetGauge().GetValue()
			case dto.MetricType_COUNTER:
				s.value = m.GetCounter().GetValue()
			case dto.MetricType_HISTOGRAM:
				s.value = float64(m.GetHistogram().GetSampleCount())
			default:
				s.value = m.GetUntyped().GetValue()
			}
			out[mf.GetName()] = append(out[mf.GetName()], s)
		}
	}
	return out
}

// byLabels returns a family's series as "k=v,k=v" (sorted) → value.
func byLabels(samples []sample) map[string]float64 {
	out := map[string]float64{}
	for _, s := range samples {
		out[labelKey(s.labels)] = s.value
	}
	return out
}

// labelKey renders labels as "k=v,k=v", sorted by name.
func labelKey(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k, v := range labels {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// value returns the value of the only series of a family without labels.
func value(t *testing.T, got map[string][]sample, name string) float64 {
	t.Helper()
	if len(got[name]) != 1 {
		t.Fatalf("%s: %d series, want 1", name, len(got[name]))
	}
	return got[name][0].value
}

// rawAPI reads the fake's answers as plain JSON, independently of the SDK.
type rawAPI struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newRawAPI(t *testing.T, srv *vprotecttest.Server) *rawAPI {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	a := &rawAPI{t: t, base: srv.URL(), hc: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	body, _ := json.Marshal(map[string]string{"login": vprotecttest.DefaultLogin, "password": vprotecttest.DefaultPassword})
	resp, err := a.hc.Post(a.base+"/session/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("login: %s", resp.Status)
	}
	return a
}

// list returns the objects GET path answers with.
func (a *rawAPI) list(path string) []map[string]any {
	a.t.Helper()
	resp, err := a.hc.Get(a.base + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	return out
}

// str returns the string at a path of members ("project", "name"), "" when
// any is missing or null.
func str(o map[string]any, path ...string) string {
	v, _ := member(o, path...).(string)
	return v
}

// num returns the number at a path of members, 0 when missing or null.
func num(o map[string]any, path ...string) float64 {
	v, _ := member(o, path...).(float64)
	return v
}

func member(o map[string]any, path ...string) any {
	var v any = o
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
