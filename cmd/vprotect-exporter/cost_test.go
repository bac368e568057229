package main

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// bigSeed is the demo with n more VMs in the demo's first project and
// policy, each with one successful full backup a day old.
func bigSeed(n int, now time.Time) vprotecttest.Seed {
	s := vprotecttest.DemoSeedAt(now)
	tmpl := s.VMs[0] // a-web-1: an OpenStack VM of tenant-a in policy "gold"
	for i := range n {
		guid := fmt.Sprintf("10000000-0000-4000-8000-%012d", i)
		vm := tmpl
		vm.GUID, vm.UUID, vm.Name = guid, fmt.Sprintf("20000000-0000-4000-8000-%012d", i), fmt.Sprintf("load-%05d", i)
		snap := now.Add(-24 * time.Hour).UnixMilli()
		vm.LastBackup = &snap
		s.VMs = append(s.VMs, vm)
		done := snap + 60_000
		s.Backups = append(s.Backups, vprotecttest.Backup{
			GUID:            fmt.Sprintf("30000000-0000-4000-8000-%012d", i),
			ProtectedEntity: vprotecttest.NameGuidAndType{GUID: guid, Name: vm.Name, Type: vprotecttest.Enum{Name: "VM"}},
			Type:            vprotecttest.Enum{Name: "FULL"}, Status: vprotecttest.Enum{Name: "SUCCESS"},
			SnapshotTime: snap, BackupTime: &done, Size: 1 << 30,
			BackupLocations: []vprotecttest.BackupLocation{{GUID: fmt.Sprintf("40000000-0000-4000-8000-%012d", i), SnapshotTime: snap,
				BackupDestination: vprotecttest.NameAndGuid{GUID: vprotecttest.DemoDefaultDestinationGUID},
				RoleType:          vprotecttest.Enum{Name: "PRIMARY"}, Status: vprotecttest.Enum{Name: "PRESENT"}}},
		})
	}
	return s
}

// The API requests of a scrape do not grow with the number of VMs: the
// first refresh makes firstRound, later ones 7, a scrape within the TTL
// none, on the demo and on a seed
// of VPROTECT_EXPORTER_VMS more VMs (default 1000; the README's numbers
// are for 10000). It logs the requests and the scrape times.
func TestScrapeCost(t *testing.T) {
	n := 1000
	if v := os.Getenv("VPROTECT_EXPORTER_VMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	if testing.Short() {
		n = 100
	}
	for _, tc := range []struct {
		name string
		opts []vprotecttest.Option
		vms  int
	}{
		{"demo", nil, 10},
		{fmt.Sprintf("%d more VMs", n), []vprotecttest.Option{vprotecttest.WithSeed(bigSeed(n, time.Now()))}, 10 + n},
	} {
		e := newTestExporter(t, nil, func(c *config) { c.cacheTTL = time.Nanosecond; c.timeout = time.Minute }, tc.opts...)
		for i, want := range []int{firstRound, 7, 7, 0} {
			if i == 3 { // within the TTL: from the cache
				e.cache.ttl = time.Hour
			}
			e.srv.ResetRequests()
			start := time.Now()
			got := gather(t, e.reg)
			took := time.Since(start)
			if v := value(t, got, "vprotect_up"); v != 1 {
				t.Fatalf("%s: vprotect_up = %v", tc.name, v)
			}
			if len(got["vprotect_vm_info"]) != tc.vms {
				t.Fatalf("%s: %d VMs, want %d", tc.name, len(got["vprotect_vm_info"]), tc.vms)
			}
			reqs := len(e.srv.Requests())
			t.Logf("%s: scrape %d: %d API requests, %s (refresh %.3fs), %d series", tc.name, i+1, reqs, took.Round(time.Millisecond),
				value(t, got, "vprotect_scrape_duration_seconds"), countSeries(got))
			if reqs != want {
				t.Errorf("%s: scrape %d made %d API requests, want %d", tc.name, i+1, reqs, want)
			}
		}
	}
}

func countSeries(got map[string][]sample) int {
	n := 0
	for _, s := range got {
		n += len(s)
	}
	return n
}
