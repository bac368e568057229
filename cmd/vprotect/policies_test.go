package main

import (
	"context"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

func TestSchedulesPoliciesRules(t *testing.T) {
	f := newFixture(t)
	f.goldenOutputs("schedules", "schedules")
	f.goldenOutputs("policies", "policies")
	f.goldenOutputs("rules", "rules")
	f.goldenOutputs("rule-show", "rule", "show", vprotecttest.DemoRuleGUID)
	golden(t, "rules.txt", f.run("rules", "--policy", "gold").ok(t).stdout)
	golden(t, "rules.txt", f.run("rules", "--policy", vprotecttest.DemoPolicyGUID).ok(t).stdout)

	// tenant-b has no schedules or policies.
	golden(t, "schedules-none.txt", f.run("schedules", "--tenant", vprotecttest.DemoTenantB).ok(t).stdout)
	golden(t, "policies-none.txt", f.run("policies", "--tenant", vprotecttest.DemoTenantB).ok(t).stdout)

	f.run("rules", "--policy", "silver").fails(t, exitFailure, `no policy named or with GUID "silver"`, "vprotect policies")
	f.run("rule", "show", "00000000-0000-4000-8000-999999999999").fails(t, exitFailure, "cannot read rule", "404")
}

// TestRuleDelete: a rule without backups goes; one with backups stays,
// marked deleted.
func TestRuleDelete(t *testing.T) {
	f := newFixture(t)
	extra, err := f.client().Rules.Create(context.Background(), vprotect.NewRule("extra", vprotecttest.DemoPolicyGUID,
		[]string{vprotecttest.DemoScheduleGUID}, vprotecttest.DemoS3DestinationGUID))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "rule-delete.txt", f.run("rule", "delete", extra.GUID).ok(t).stdout)
	f.run("rule", "show", extra.GUID).fails(t, exitFailure, "cannot read rule "+extra.GUID, "404")

	golden(t, "rule-delete-kept.txt", f.run("rule", "delete", vprotecttest.DemoRuleGUID).ok(t).stdout)
	out := f.run("rules").ok(t).stdout
	if !strings.Contains(out, "deleted (backups left)") {
		t.Errorf("the kept rule is not shown deleted:\n%s", out)
	}
}
