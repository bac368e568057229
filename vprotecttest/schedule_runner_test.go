package vprotecttest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setupScheduled creates a schedule and a policy with two tenant-b VMs whose rule holds it.
func setupScheduled(t *testing.T, c *apiClient, sched map[string]any) Schedule {
	var sc Schedule
	c.create("/schedules", sched, &sc)
	rule := map[string]any{"name": "r", "schedules": []string{sc.GUID},
		"ruleBackupDestinations": []map[string]any{{"roleType": "PRIMARY", "backupDestination": DemoS3DestinationGUID}}}
	c.create("/policies/vm-backup", policyBody("p-"+sc.Name, DemoTenantB, []string{DemoVMTenantBWebGUID, DemoVMTenantBDBGUID}, rule), nil)
	return sc
}

func TestScheduleRunsThroughAWeek(t *testing.T) {
	for _, step := range []time.Duration{7 * 24 * time.Hour, 90 * time.Minute} {
		t.Run(step.String(), func(t *testing.T) {
			clk := NewFakeClock(t0) // Monday 12:00 UTC
			srv, c := loggedIn(t, WithClock(clk))
			body := scheduleBody("mwf-22", DemoTenantB)
			body["hour"] = 22 * 3600 * 1000
			body["startWindowLength"] = 2 * 3600 * 1000
			body["daysOfWeek"] = []string{"MONDAY", "WEDNESDAY", "FRIDAY"}
			body["backupType"] = "INCREMENTAL"
			sc := setupScheduled(t, c, body)
			for end := t0.Add(7 * 24 * time.Hour); clk.Now().Before(end); {
				clk.Advance(step)
				c.get("/session/user", nil) // any request brings the state up to date
			}
			var exports []wireTask
			c.get("/tasks?type=EXPORT&schedule="+sc.GUID, &exports)
			require.Len(t, exports, 6, "Mon, Wed, Fri × 2 VMs")
			fires := []time.Time{t0.Add(10 * time.Hour), t0.Add(58 * time.Hour), t0.Add(106 * time.Hour)}
			for i, tk := range exports {
				fire := fires[i/2]
				assert.Equal(t, fire.UnixMilli(), tk.WindowStart)
				assert.Equal(t, fire.Add(2*time.Hour).UnixMilli(), tk.WindowEnd)
				assert.Equal(t, "SCHEDULE", tk.OriginEntity.Type.Name)
				assert.Equal(t, sc.GUID, tk.OriginEntity.GUID)
				assert.Equal(t, DemoS3DestinationGUID, tk.BackupDestination.GUID)
				assert.Equal(t, "FINISHED", tk.State.Name)
			}
			var all []wireTask
			c.get("/tasks?schedule="+sc.GUID, &all)
			assert.Len(t, all, 12, "exports and their stores")
			var got Schedule
			c.get("/schedules/"+sc.GUID, &got)
			assert.Equal(t, fires[2].UnixMilli(), *got.LastRun)
			n := 0
			for _, b := range srv.Backups() {
				if b.OriginEntity != nil && b.OriginEntity.GUID == sc.GUID {
					n++
					assert.Equal(t, "SUCCESS", b.Status.Name)
				}
			}
			assert.Equal(t, 6, n)
		})
	}
}

func TestIntervalScheduleAndNoBackfill(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk), WithTaskModel(Instant))
	body := scheduleBody("every-2h", DemoTenantB)
	body["executionType"] = "INTERVAL"
	body["hour"] = nil
	body["startWindowLength"] = nil
	body["daysOfWeek"] = []string{}
	body["interval"] = map[string]int64{"startHour": 0, "endHour": 6 * 3600 * 1000, "frequency": 2 * 3600 * 1000}
	sc := setupScheduled(t, c, body)
	clk.Advance(7 * 24 * time.Hour)
	var exports []wireTask
	c.get("/tasks?type=EXPORT&schedule="+sc.GUID, &exports)
	// Ticks at 00, 02, 04, 06 on Tue..Sun (24) and the next Monday (4); not today's (before creation).
	assert.Len(t, exports, 28*2)
	assert.Equal(t, t0.Add(12*time.Hour).UnixMilli(), exports[0].WindowStart)
	assert.Equal(t, t0.Add(14*time.Hour).UnixMilli(), exports[0].WindowEnd, "interval window = frequency")

	// Deactivated: no more runs; re-activated: no backfill of the gap.
	body["active"] = false
	_, _, _ = c.do("PUT", "/schedules/"+sc.GUID, body, nil)
	clk.Advance(3 * 24 * time.Hour)
	c.get("/tasks?type=EXPORT&schedule="+sc.GUID, &exports)
	assert.Len(t, exports, 56)
	body["active"] = true
	_, _, _ = c.do("PUT", "/schedules/"+sc.GUID, body, nil)
	clk.Advance(time.Hour)
	c.get("/tasks?type=EXPORT&schedule="+sc.GUID, &exports)
	assert.Len(t, exports, 56)
}

func TestScheduleSkipsInactiveRulesAndPolicies(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk), WithTaskModel(Instant))
	// The demo schedule is inactive; activate it: gold has a-web-1 and a-db-1.
	var sc Schedule
	c.get("/schedules/"+DemoScheduleGUID, &sc)
	body := scheduleBody("daily-2200", DemoTenantA)
	body["hour"] = *sc.Hour
	body["daysOfWeek"] = []string{}
	delete(body, "rules")
	_, _, _ = c.do("PUT", "/schedules/"+DemoScheduleGUID, body, nil)
	clk.Advance(24 * time.Hour)
	var exports []wireTask
	c.get("/tasks?type=EXPORT&schedule="+DemoScheduleGUID, &exports)
	assert.Len(t, exports, 2)
	rule := map[string]any{"guid": DemoRuleGUID, "name": "Default", "schedules": []string{DemoScheduleGUID},
		"ruleBackupDestinations": []map[string]any{{"roleType": "PRIMARY", "backupDestination": DemoDefaultDestinationGUID}}}
	st, _, raw := c.do("PUT", "/policies/vm-backup/"+DemoPolicyGUID, map[string]any{"name": "gold", "active": false, "rules": []any{rule}}, nil)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	clk.Advance(24 * time.Hour)
	c.get("/tasks?type=EXPORT&schedule="+DemoScheduleGUID, &exports)
	assert.Len(t, exports, 2)
}

func TestNextFire(t *testing.T) {
	h := func(d time.Duration) *int64 { v := int64(d / time.Millisecond); return &v }
	for _, tc := range []struct {
		name  string
		sc    Schedule
		after time.Time
		want  time.Time
	}{
		{"same day later", Schedule{ExecutionType: enumOf("TIME"), Hour: h(22 * time.Hour)}, t0, t0.Add(10 * time.Hour)},
		{"next day", Schedule{ExecutionType: enumOf("TIME"), Hour: h(10 * time.Hour)}, t0, t0.Add(22 * time.Hour)},
		{"weekday", Schedule{ExecutionType: enumOf("TIME"), Hour: h(0), DaysOfWeek: enumList("SUNDAY")}, t0,
			time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC)},
		{"month", Schedule{ExecutionType: enumOf("TIME"), Hour: h(0), Months: enumList("MARCH")}, t0,
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"first monday", Schedule{ExecutionType: enumOf("TIME"), Hour: h(time.Hour), DaysOfWeek: enumList("MONDAY"),
			DayOfWeekOccurrences: enumList("FIRST_IN_MONTH")}, t0, time.Date(2026, 2, 2, 1, 0, 0, 0, time.UTC)},
		{"last friday", Schedule{ExecutionType: enumOf("TIME"), Hour: h(time.Hour), DaysOfWeek: enumList("FRIDAY"),
			DayOfWeekOccurrences: enumList("LAST_IN_MONTH")}, t0, time.Date(2026, 1, 30, 1, 0, 0, 0, time.UTC)},
		{"second tuesday", Schedule{ExecutionType: enumOf("TIME"), Hour: h(time.Hour), DaysOfWeek: enumList("TUESDAY"),
			DayOfWeekOccurrences: enumList("SECOND_IN_MONTH")}, t0, time.Date(2026, 1, 13, 1, 0, 0, 0, time.UTC)},
		{"interval", Schedule{ExecutionType: enumOf("INTERVAL"), Interval: &Interval{StartHour: 3600000, EndHour: 43200000, Frequency: 3 * 3600000}}, t0,
			t0.Add(13 * time.Hour)}, // ticks 01, 04, 07, 10; 13:00 is past endHour
		{"interval today", Schedule{ExecutionType: enumOf("INTERVAL"), Interval: &Interval{StartHour: 0, EndHour: 86399999, Frequency: 5 * 3600000}}, t0,
			t0.Add(3 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := nextFire(&tc.sc, tc.after)
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
