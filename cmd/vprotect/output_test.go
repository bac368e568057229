package main

import (
	"testing"
	"time"

	"github.com/vprotect-go/vprotect"
)

// TestTimesAndSizes: times in tables are in the run's zone and name it;
// sizes use binary units.
func TestTimesAndSizes(t *testing.T) {
	a := newApp(func(k string) string { return map[string]string{"TZ": "UTC"}[k] }, nil, nil, nil)
	ts := vprotect.TimestampOf(time.Date(2025, 3, 14, 15, 30, 45, 0, time.UTC))
	if got := a.when(ts); got != "2025-03-14 15:30:45 UTC" {
		t.Errorf("UTC: %q", got)
	}
	a.loc = time.FixedZone("CET", 3600)
	if got := a.when(ts); got != "2025-03-14 16:30:45 CET" {
		t.Errorf("CET: %q", got)
	}
	if got := a.when(vprotect.Timestamp{}); got != "-" {
		t.Errorf("unset: %q", got)
	}
	if got := rawTime(vprotect.TimestampOf(ts.In(time.FixedZone("CET", 3600)))); got == nil || got.Location() != time.UTC || !got.Equal(ts.Time) {
		t.Errorf("rawTime: %v", got)
	}
	for n, want := range map[int64]string{0: "-", 512: "512 B", 1536: "1.5 KiB", 409 << 20: "409.0 MiB", 4 << 30: "4.0 GiB", 3 << 40: "3.0 TiB"} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
}
