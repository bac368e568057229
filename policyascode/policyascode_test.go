package policyascode_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/policyascode"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

const desired = `{
  "tenant": "tenant-a", "prefix": "pac-",
  "schedules": [
    {"name": "pac-weeknights", "at": "22:00", "window": "4h", "days": ["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]},
    {"name": "pac-weekend", "at": "03:30", "window": "6h", "days": ["SATURDAY","SUNDAY"]},
    {"name": "pac-office-hours", "backupType": "INCREMENTAL", "every": "2h", "from": "08:00", "to": "18:00", "days": ["MONDAY"], "active": false}
  ],
  "policies": [
    {"name": "pac-silver", "priority": 60, "vms": ["a-app-1"],
     "rules": [{"name": "nightly", "schedules": ["pac-weeknights", "pac-weekend"], "destination": "fs-default"},
               {"name": "daytime", "schedules": ["pac-office-hours"], "destination": "fs-default"}]},
    {"name": "pac-offsite", "priority": 40, "vms": [],
     "rules": [{"name": "weekly-offsite", "schedules": ["pac-weekend"], "destination": "s3-offsite"}]}
  ]
}`

func parse(t *testing.T, s string) *policyascode.Desired {
	t.Helper()
	var d policyascode.Desired
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatal(err)
	}
	if err := d.Check(); err != nil {
		t.Fatal(err)
	}
	return &d
}

// lines plans d and returns the plan's lines.
func lines(t *testing.T, c *vprotect.Client, d *policyascode.Desired) (*policyascode.Plan, []string) {
	t.Helper()
	plan, err := policyascode.NewPlan(context.Background(), c, d, d.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(plan.Changes))
	for i, ch := range plan.Changes {
		out[i] = ch.String()
	}
	return plan, out
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestReconcile: create everything, then nothing to do, then updates and
// deletions, then nothing, then the removal of all that is managed; the
// demo's own policy and schedule are never touched.
func TestReconcile(t *testing.T) {
	srv := vprotecttest.Start(t)
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	d := parse(t, desired)
	plan, got := lines(t, c, d)
	same(t, got, []string{
		"+ schedule pac-weeknights: FULL backup at 22:00 UTC, start within 4h on MON,TUE,WED,THU,FRI, active yes",
		"+ schedule pac-weekend: FULL backup at 03:30 UTC, start within 6h on SAT,SUN, active yes",
		"+ schedule pac-office-hours: INCREMENTAL backup every 2h from 08:00 to 18:00 UTC on MON, active no",
		"+ policy pac-silver: priority 60, VMs [a-app-1], active yes",
		"+ policy pac-offsite: priority 40, VMs [], active yes",
		"+ rule pac-silver/nightly: schedules pac-weekend,pac-weeknights, backups to fs-default, active yes",
		"+ rule pac-silver/daytime: schedules pac-office-hours, backups to fs-default, active yes",
		"+ rule pac-offsite/weekly-offsite: schedules pac-weekend, backups to s3-offsite, active yes",
	})
	if cr, up, del := plan.Count(); cr != 8 || up != 0 || del != 0 {
		t.Errorf("Count = %d, %d, %d", cr, up, del)
	}
	var applied []string
	if err := plan.Apply(ctx, func(ch policyascode.Change) { applied = append(applied, ch.What) }); err != nil {
		t.Fatal(err)
	}
	if len(applied) != 8 || applied[7] != "rule pac-offsite/weekly-offsite" {
		t.Errorf("done was called for %q", applied)
	}
	_, got = lines(t, c, d)
	same(t, got, nil)

	changed := parse(t, `{
  "tenant": "tenant-a", "prefix": "pac-",
  "schedules": [
    {"name": "pac-weeknights", "at": "22:00", "window": "4h", "days": ["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]},
    {"name": "pac-weekend", "at": "03:30", "window": "5h", "days": ["SATURDAY","SUNDAY"]}
  ],
  "policies": [
    {"name": "pac-silver", "priority": 70, "vms": ["a-app-1"],
     "rules": [{"name": "nightly", "schedules": ["pac-weeknights"], "destination": "s3-offsite"}]}
  ]
}`)
	plan, got = lines(t, c, changed)
	same(t, got, []string{
		"~ schedule pac-weekend: when at 03:30 UTC, start within 6h → at 03:30 UTC, start within 5h",
		"~ policy pac-silver: priority 60 → 70",
		"~ rule pac-silver/nightly: destination fs-default → s3-offsite; schedules pac-weekend,pac-weeknights → pac-weeknights",
		"- rule pac-silver/daytime",
		"- policy pac-offsite: with its rules",
		"- schedule pac-office-hours",
	})
	if err := plan.Apply(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, got = lines(t, c, changed)
	same(t, got, nil)

	plan, _ = lines(t, c, parse(t, `{"tenant": "tenant-a", "prefix": "pac-"}`))
	if err := plan.Apply(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Policies()); n != 1 {
		t.Errorf("%d policies left, want the demo's gold alone", n)
	}
	if n := len(srv.Schedules()); n != 1 {
		t.Errorf("%d schedules left, want the demo's daily-2200 alone", n)
	}
}

// TestApplyError: a change the server refuses stops Apply with an error
// naming it and the count applied before it.
func TestApplyError(t *testing.T) {
	srv := vprotecttest.Start(t)
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		vprotect.WithRetry(vprotect.NoRetry()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	plan, _ := lines(t, c, parse(t, desired))
	srv.InjectFault(vprotecttest.Fault{Pattern: "POST /policies/vm-backup", Status: 500})
	err = plan.Apply(context.Background(), nil)
	if err == nil || !strings.HasPrefix(err.Error(), "create policy pac-silver (3 of 8 changes applied): ") {
		t.Errorf("err = %v", err)
	}
}

func TestNewPlanUnknownNames(t *testing.T) {
	srv := vprotecttest.Start(t)
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tc := range []struct{ file, want string }{
		{`{"prefix": "p-", "policies": [{"name": "p-x", "vms": ["nosuch"]}]}`, `policy "p-x": tenant tenant-a has no VM named "nosuch"`},
		{`{"prefix": "p-", "schedules": [{"name": "p-s", "at": "01:00", "window": "1h", "days": ["MONDAY"]}],
		   "policies": [{"name": "p-x", "rules": [{"name": "r", "schedules": ["p-s"], "destination": "tape"}]}]}`, `policy "p-x", rule "r": no backup destination "tape"`},
	} {
		_, err := policyascode.NewPlan(context.Background(), c, parse(t, tc.file), vprotecttest.DemoTenantA)
		if err == nil || err.Error() != tc.want {
			t.Errorf("err = %v, want %s", err, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{`{}`, "prefix is required: it marks the objects this file manages"},
		{`{"prefix": "p-", "schedules": [{"name": "x"}]}`, `schedule "x": the name must start with "p-"`},
		{`{"prefix": "p-", "schedules": [{"name": "p-a", "at": "01:00", "window": "1h", "days": ["MONDAY"]}, {"name": "p-a", "at": "01:00", "window": "1h", "days": ["MONDAY"]}]}`, `schedule "p-a" is listed twice`},
		{`{"prefix": "p-", "schedules": [{"name": "p-a", "at": "25:00", "window": "1h", "days": ["MONDAY"]}]}`, `schedule "p-a": at: "25:00" is not a time of day HH:MM`},
		{`{"prefix": "p-", "schedules": [{"name": "p-a", "at": "01:00", "window": "1h", "days": ["MONDAY"], "backupType": "DIFF"}]}`, `schedule "p-a": backupType must be FULL or INCREMENTAL, not "DIFF"`},
		{`{"prefix": "p-", "schedules": [{"name": "p-a", "at": "01:00", "every": "1h", "days": ["MONDAY"]}]}`, `schedule "p-a": give either at and window (TIME) or every, from and to (INTERVAL)`},
		{`{"prefix": "p-", "schedules": [{"name": "p-a", "at": "01:00", "window": "1h", "days": ["FUNDAY"]}]}`, `schedule "p-a": unknown day "FUNDAY"`},
		{`{"prefix": "p-", "schedules": [{"name": "p-a", "at": "01:00", "window": "1h"}]}`, `schedule "p-a": days: at least one day is required`},
		{`{"prefix": "p-", "policies": [{"name": "x"}]}`, `policy "x": the name must start with "p-"`},
		{`{"prefix": "p-", "policies": [{"name": "p-x"}, {"name": "p-x"}]}`, `policy "p-x" is listed twice`},
		{`{"prefix": "p-", "policies": [{"name": "p-x", "rules": [{"name": "r"}, {"name": "r"}]}]}`, `policy "p-x": rule names must be set and unique`},
		{`{"prefix": "p-", "policies": [{"name": "p-x", "rules": [{"name": "r", "schedules": ["p-none"]}]}]}`, `policy "p-x", rule "r": schedule "p-none" is not in the file`},
	} {
		var d policyascode.Desired
		if err := json.Unmarshal([]byte(tc.file), &d); err != nil {
			t.Fatal(err)
		}
		if err := d.Check(); err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %s", tc.file, err, tc.want)
		}
	}
}
