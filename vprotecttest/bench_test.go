package vprotecttest

// Speed of the fake itself: small authenticated requests per second, and
// the latency of listing from a 100,000-VM seed. The client runs in the same
// process and shares the CPUs, so req/s is a lower bound of what the server
// alone does. No timing assertions: scripts/bench prints the numbers.

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
)

// benchHTTP returns a logged-in client with enough idle connections for
// parallel use.
func benchHTTP(b *testing.B, srv *Server) *http.Client {
	b.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	hc := &http.Client{Transport: tr, Jar: jar}
	b.Cleanup(tr.CloseIdleConnections)
	resp, err := hc.Post(srv.URL()+"/session/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"login":%q,"password":%q}`, DefaultLogin, DefaultPassword)))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("login: %s", resp.Status)
	}
	return hc
}

func benchGet(hc *http.Client, url string) error {
	resp, err := hc.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// BenchmarkServeSmall: small authenticated GETs from 16 goroutines, on
// the demo seed. req/s counts requests answered per wall-clock second.
func BenchmarkServeSmall(b *testing.B) {
	srv := NewServer()
	b.Cleanup(srv.Close)
	vm := srv.VMs()[0].GUID
	for _, tc := range []struct{ name, path string }{
		{"ping", "/session"},
		{"vm-get", "/virtual-machines/" + vm},
		{"task-list", "/tasks?page=0&size=10"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			hc := benchHTTP(b, srv)
			url := srv.URL() + tc.path
			b.ReportAllocs()
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := benchGet(hc, url); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			b.StopTimer()
			srv.ResetRequests() // the request log grows with every request
		})
	}
}

// bigSeed is n VMs on one hypervisor manager.
func bigSeed(n int) Seed {
	seed := Seed{
		HypervisorManagers: []HypervisorManager{{GUID: "hvm-1", Name: "openstack-east", URL: "https://keystone.example:5000/v3"}},
	}
	seed.VMs = make([]VM, n)
	for i := range seed.VMs {
		seed.VMs[i] = VM{
			GUID: fmt.Sprintf("c9b1c5a4-0000-4000-8000-%012d", i), UUID: fmt.Sprintf("8d5f0a7c-1e2b-4c3d-9e8f-%012d", i),
			Name: fmt.Sprintf("vm-%06d", i), Present: true, Type: Enum{Name: "VM"},
			HvManager: &ManagerRef{GUID: "hvm-1"}, HvmType: &Enum{Name: "OPENSTACK"},
			Tags: []string{"prod", "web"},
		}
	}
	return seed
}

// BenchmarkList100kVMs: listing from a 100,000-VM seed, one page of 500
// (sorted by name, as the UI asks) and the whole list in one answer.
func BenchmarkList100kVMs(b *testing.B) {
	srv := NewServer(WithSeed(bigSeed(100_000)))
	b.Cleanup(srv.Close)
	hc := benchHTTP(b, srv)
	for _, tc := range []struct{ name, path string }{
		{"page-500", "/virtual-machines?page=3&size=500"},
		{"page-500-by-name", "/virtual-machines?page=3&size=500&orderBy=name"},
		{"all", "/virtual-machines"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			url := srv.URL() + tc.path
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := benchGet(hc, url); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			srv.ResetRequests()
		})
	}
}
