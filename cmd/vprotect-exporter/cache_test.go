package main

import (
	"sync"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// firstRound is what the first refresh calls: the login, seven lists and
// the one-time list of every successful backup.
const firstRound = 1 + 7 + 1

// Scrapes at once, and scrapes within the TTL, cost one round of API calls.
func TestConcurrentScrapesShareOneRefresh(t *testing.T) {
	e := newTestExporter(t, nil, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.reg.Gather(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := len(e.srv.Requests()); n != firstRound {
		t.Fatalf("8 concurrent scrapes made %d requests, want %d", n, firstRound)
	}
	got := gather(t, e.reg)
	if n := len(e.srv.Requests()); n != firstRound {
		t.Fatalf("a scrape within the TTL made %d more requests", n-firstRound)
	}
	if len(got["vprotect_vm_info"]) < 10 {
		t.Fatalf("%d VMs", len(got["vprotect_vm_info"]))
	}
}

// Later refreshes list only the window's backups and keep the session.
func TestLaterRefreshesAreSmaller(t *testing.T) {
	e := newTestExporter(t, nil, func(c *config) { c.cacheTTL = time.Nanosecond })
	gather(t, e.reg)
	e.srv.ResetRequests()
	gather(t, e.reg)
	if n := len(e.srv.Requests()); n != 7 {
		t.Fatalf("a second refresh made %d requests, want 7 (no login, no full backup list)", n)
	}
	if e.srv.Logins() != 1 {
		t.Fatalf("%d logins, want 1 session kept", e.srv.Logins())
	}
}

// A slow server: the scrape ends at the deadline with the last good
// values, marked stale, and vprotect_up 0; a failing one the same; once
// the server answers again the values are fresh.
func TestSlowOrFailingServerServesStaleValues(t *testing.T) {
	e := newTestExporter(t, nil, func(c *config) { c.cacheTTL = time.Nanosecond; c.timeout = 300 * time.Millisecond })
	good := gather(t, e.reg)
	vms := len(good["vprotect_vm_info"])

	check := func(what string, up, stale float64) map[string][]sample {
		t.Helper()
		start := time.Now()
		got := gather(t, e.reg)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: the scrape took %s", what, d)
		}
		if v := value(t, got, "vprotect_up"); v != up {
			t.Errorf("%s: vprotect_up = %v, want %v", what, v, up)
		}
		if v := value(t, got, "vprotect_stale"); v != stale {
			t.Errorf("%s: vprotect_stale = %v, want %v", what, v, stale)
		}
		if n := len(got["vprotect_vm_info"]); n != vms {
			t.Errorf("%s: %d VMs, want the last good %d", what, n, vms)
		}
		return got
	}
	e.srv.InjectFault(vprotecttest.Fault{Pattern: "GET /virtual-machines", Delay: 10 * time.Second})
	check("slow", 0, 1)
	e.srv.ClearFaults()
	waitIdle(t, e.cache) // the late refresh ends at its deadline, just after the scrape
	e.srv.InjectFault(vprotecttest.Fault{Pattern: "GET /nodes", Status: 500})
	got := check("failing", 0, 1)
	if v := byLabels(got["vprotect_refreshes_total"])["result=failure"]; v != 2 {
		t.Errorf("failed refreshes = %v, want 2", v)
	}
	e.srv.ClearFaults()
	check("back", 1, 0)
}

// Before any good refresh a failing server gives vprotect_up 0 and no
// vProtect values; a failed refresh is not retried before the TTL.
func TestFailingServerFromTheStart(t *testing.T) {
	e := newTestExporter(t, nil, nil)
	e.srv.InjectFault(vprotecttest.Fault{Pattern: "GET /nodes", Status: 500})
	for range 3 {
		got := gather(t, e.reg)
		if v := value(t, got, "vprotect_up"); v != 0 {
			t.Fatalf("vprotect_up = %v", v)
		}
		if v := value(t, got, "vprotect_stale"); v != 0 {
			t.Fatalf("vprotect_stale = %v: there are no values to be stale", v)
		}
		if len(got["vprotect_vm_info"]) != 0 {
			t.Fatalf("VM series without a good refresh")
		}
	}
	if n := e.srv.Calls("GET /nodes"); n != 1 {
		t.Fatalf("GET /nodes called %d times in three scrapes within the TTL, want 1", n)
	}
}

// waitIdle waits until no refresh runs.
func waitIdle(t *testing.T, c *cache) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c.mu.Lock()
		idle := c.inflight == nil
		c.mu.Unlock()
		if idle {
			return
		}
	}
	t.Fatal("a refresh still runs 5 s after its deadline")
}
