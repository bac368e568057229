package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// scheduleView is a schedule in -o json and -o yaml. Times of day are
// "HH:MM" in UTC, as the server keeps them; lengths are in seconds.
type scheduleView struct {
	GUID               string     `json:"guid"`
	Name               string     `json:"name"`
	Active             bool       `json:"active"`
	Type               string     `json:"type"`          // VM_BACKUP, SNAPSHOT, …
	ExecutionType      string     `json:"executionType"` // TIME or INTERVAL
	BackupType         string     `json:"backupType"`    // FULL or INCREMENTAL
	At                 string     `json:"at,omitempty"`
	StartWindowSeconds int64      `json:"startWindowSeconds,omitempty"`
	EverySeconds       int64      `json:"everySeconds,omitempty"`
	From               string     `json:"from,omitempty"`
	To                 string     `json:"to,omitempty"`
	Days               []string   `json:"days"`
	Rules              []string   `json:"rules"`
	Tenant             string     `json:"tenant,omitempty"`
	LastRun            *time.Time `json:"lastRun"`
}

func newScheduleView(s *vprotect.Schedule) scheduleView {
	v := scheduleView{GUID: s.GUID, Name: s.Name, Active: s.Active, Type: string(s.Type.Name),
		ExecutionType: string(s.ExecutionType.Name), BackupType: string(s.BackupType.Name),
		Days: []string{}, Rules: []string{}, Tenant: s.TenantID, LastRun: rawTime(s.LastRun)}
	if s.Hour != nil {
		v.At = s.Hour.String()
	}
	if s.StartWindowLength != nil {
		v.StartWindowSeconds = int64(s.StartWindowLength.Std() / time.Second)
	}
	if s.Interval != nil {
		v.EverySeconds = int64(s.Interval.Frequency.Std() / time.Second)
		v.From, v.To = s.Interval.StartHour.String(), s.Interval.EndHour.String()
	}
	for _, d := range s.DaysOfWeek {
		v.Days = append(v.Days, string(d.Name))
	}
	for i := range s.Rules {
		v.Rules = append(v.Rules, ref(&s.Rules[i]))
	}
	return v
}

// when describes when a schedule runs, for people: "22:00 UTC, start within
// 4h", "every 2h from 08:00 to 18:00 UTC".
func when(s *vprotect.Schedule) string {
	switch {
	case s.Hour != nil && s.StartWindowLength != nil:
		return fmt.Sprintf("%s UTC, start within %s", s.Hour, duration(s.StartWindowLength.Std()))
	case s.Hour != nil:
		return s.Hour.String() + " UTC"
	case s.Interval != nil:
		return fmt.Sprintf("every %s from %s to %s UTC", duration(s.Interval.Frequency.Std()), s.Interval.StartHour, s.Interval.EndHour)
	}
	return ""
}

// days lists days of the week by their first three letters, in the order
// given: "MON,TUE".
func days(ds []vprotect.Enum[vprotect.DayOfWeek]) string {
	short := make([]string, len(ds))
	for i, d := range ds {
		short[i] = string(d.Name)
		if len(short[i]) > 3 {
			short[i] = short[i][:3]
		}
	}
	return strings.Join(short, ",")
}

// duration formats d without zero units: "4h", "1h30m", "90s".
func duration(d time.Duration) string {
	s := d.String()
	for _, zero := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, zero) && len(s) > len(zero) {
			s = s[:len(s)-len(zero)+1]
		}
	}
	return s
}

func (a *app) schedulesCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "schedules",
		Short: "List the backup schedules, of the tenant when one is set",
		Long: `List the backup schedules (of the tenant when one is set: --tenant,
VPROTECT_TENANT). Times of day are UTC, as the server keeps them.`,
		Args: cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		scheds, err := c.Schedules.List(cmd.Context(), &vprotect.ScheduleListOptions{TenantID: a.cfg.tenant})
		if err != nil {
			return failed("list the schedules", err)
		}
		sort.SliceStable(scheds, func(i, j int) bool { return scheds[i].Name < scheds[j].Name })
		views := make([]scheduleView, len(scheds))
		for i := range scheds {
			views[i] = newScheduleView(&scheds[i])
		}
		return a.render(views, func(w io.Writer) {
			t := newTable(w, "NAME", "ACTIVE", "BACKUP", "WHEN", "DAYS", "RULES", "LAST RUN", "GUID")
			for i := range scheds {
				s := &scheds[i]
				t.row(s.Name, yesNo(s.Active), string(s.BackupType.Name), when(s), days(s.DaysOfWeek),
					strings.Join(views[i].Rules, ","), a.when(s.LastRun), s.GUID)
			}
			t.flush()
		})
	})
}
