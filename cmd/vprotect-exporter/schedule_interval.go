package main

import (
	"slices"
	"time"

	"github.com/vprotect-go/vprotect"
)

const week = 7 * 24 * time.Hour

// weekday maps the API's day names to their offset from Sunday.
var weekday = map[vprotect.DayOfWeek]time.Duration{
	vprotect.DayOfWeekSunday: 0, vprotect.DayOfWeekMonday: 1, vprotect.DayOfWeekTuesday: 2, vprotect.DayOfWeekWednesday: 3,
	vprotect.DayOfWeekThursday: 4, vprotect.DayOfWeekFriday: 5, vprotect.DayOfWeekSaturday: 6,
}

// maxInterval returns the longest time between two consecutive starts of
// s over a week: 24 h for a daily TIME schedule, 72 h for one on Monday to
// Friday (Friday to Monday), the night for an INTERVAL schedule that runs
// by day. ok is false when that cannot be told from the week alone (the
// schedule is limited to some months or weeks of the month) or s never
// starts.
func maxInterval(s *vprotect.Schedule) (d time.Duration, ok bool) {
	if len(s.Months) > 0 || len(s.DayOfWeekOccurrences) > 0 {
		return 0, false
	}
	var starts []time.Duration // after Sunday 00:00 UTC
	for _, day := range s.DaysOfWeek {
		off, known := weekday[day.Name]
		if !known {
			continue
		}
		base := off * 24 * time.Hour
		switch {
		case s.ExecutionType.Name == vprotect.ExecutionTypeInterval && s.Interval != nil:
			iv := s.Interval
			if iv.Frequency.Std() <= 0 {
				return 0, false
			}
			for t := iv.StartHour.Std(); t <= iv.EndHour.Std() && t < 24*time.Hour; t += iv.Frequency.Std() {
				starts = append(starts, base+t)
			}
		case s.Hour != nil:
			starts = append(starts, base+s.Hour.Std())
		}
	}
	if len(starts) == 0 {
		return 0, false
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	d = starts[0] + week - starts[len(starts)-1] // across the end of the week
	for i := 1; i < len(starts); i++ {
		d = max(d, starts[i]-starts[i-1])
	}
	return d, true
}

// vmIntervals returns, per VM GUID, the longest time between backups its
// policy's active rules' active schedules allow: the smallest maxInterval
// of those schedules, since any of them backs the VM up. VMs without such
// a schedule are left out.
func vmIntervals(s *snapshot) map[string]time.Duration {
	perSchedule := map[string]time.Duration{}
	for i := range s.schedules {
		sc := &s.schedules[i]
		if d, ok := maxInterval(sc); ok && sc.Active {
			perSchedule[sc.GUID] = d
		}
	}
	perPolicy := map[string]time.Duration{}
	for _, p := range s.policies {
		if !p.Active {
			continue
		}
		for _, r := range p.Rules {
			if !r.Active || r.MarkedForDeletion {
				continue
			}
			for _, ref := range r.Schedules {
				d, ok := perSchedule[ref.GUID]
				if !ok {
					continue
				}
				if cur, seen := perPolicy[p.GUID]; !seen || d < cur {
					perPolicy[p.GUID] = d
				}
			}
		}
	}
	out := map[string]time.Duration{}
	for _, vm := range s.vms {
		if vm.VMBackupPolicy == nil {
			continue
		}
		if d, ok := perPolicy[vm.VMBackupPolicy.GUID]; ok {
			out[vm.GUID] = d
		}
	}
	return out
}
