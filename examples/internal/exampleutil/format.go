package exampleutil

import (
	"fmt"
	"time"

	"github.com/vprotect-go/vprotect"
)

// Size formats a byte count for people: "12.0 GiB", "512.0 MiB", "-" for 0.
func Size(bytes int64) string {
	const (
		kib = 1 << 10
		mib = 1 << 20
		gib = 1 << 30
		tib = 1 << 40
	)
	switch {
	case bytes <= 0:
		return "-"
	case bytes >= tib:
		return fmt.Sprintf("%.1f TiB", float64(bytes)/tib)
	case bytes >= gib:
		return fmt.Sprintf("%.1f GiB", float64(bytes)/gib)
	case bytes >= mib:
		return fmt.Sprintf("%.1f MiB", float64(bytes)/mib)
	case bytes >= kib:
		return fmt.Sprintf("%.1f KiB", float64(bytes)/kib)
	}
	return fmt.Sprintf("%d B", bytes)
}

// Time formats a server time as the SDK does, in UTC and saying so
// ("2025-03-14 15:30:45 UTC", like the schedules' times of day, which the
// server keeps in UTC), and "never" when unset (a VM never backed up).
func Time(t vprotect.Timestamp) string {
	if t.IsZero() {
		return "never"
	}
	return t.String()
}

// Ref formats a reference by its name, or its GUID when it has no name,
// "-" when unset.
func Ref(r *vprotect.NameAndGuid) string {
	switch {
	case r == nil || r.IsZero():
		return "-"
	case r.Name != "":
		return r.Name
	}
	return r.GUID
}

// Protection describes a VM's protection status as the vendor UI does.
func Protection(upToDate *bool) string {
	switch {
	case upToDate == nil:
		return "no schedule"
	case *upToDate:
		return "up to date"
	}
	return "outdated"
}

// Suffix returns a suffix that makes the names an example creates unique
// per run (a real server wants unique schedule and policy names), from the
// time in UTC: "20250314-153045".
func Suffix() string { return time.Now().UTC().Format("20060102-150405") }

// Clock is the time of day now in UTC, for lines that follow events as they
// happen: "15:30:45 UTC".
func Clock() string { return time.Now().UTC().Format("15:04:05 UTC") }

// Duration formats d without trailing zero units: "4h", "1h30m", "90s".
func Duration(d time.Duration) string {
	s := d.String() // "4h0m0s": drop "0s", then "0m"
	for _, suffix := range []string{"m0s", "h0m"} {
		if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
			s = s[:len(s)-len(suffix)+1]
		}
	}
	return s
}

// YesNo formats a flag for people.
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
