package main

import (
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

func TestBackups(t *testing.T) {
	f := newFixture(t)
	f.goldenOutputs("backups", "backups", "a-web-1")
	f.goldenOutputs("backups-failed", "backups", "a-db-1")
	f.run("backups", "nosuch").fails(t, exitFailure, `no VM named or with GUID "nosuch"`)
}

func TestBackupDelete(t *testing.T) {
	f := newFixture(t)
	golden(t, "backup-delete.txt", f.run("backup", "delete", vprotecttest.DemoBackupTenantAWebIncGUID).ok(t).stdout)
	out := f.run("backups", "a-web-1").ok(t).stdout
	if !strings.Contains(out, "fs-default (to remove)  "+vprotecttest.DemoBackupTenantAWebIncGUID) {
		t.Errorf("the deleted backup is not marked in the history:\n%s", out)
	}
	if strings.Contains(out, "fs-default (to remove)  "+vprotecttest.DemoBackupTenantAWebFullGUID) {
		t.Errorf("the other backup is marked too:\n%s", out)
	}
	golden(t, "backup-delete.json", f.run("backup", "delete", vprotecttest.DemoBackupTenantAWebFullGUID, "-o", "json").ok(t).stdout)

	f.run("backup", "delete", "00000000-0000-4000-8000-999999999999").fails(t, exitFailure,
		"cannot read backup 00000000-0000-4000-8000-999999999999", "404")
	f.run("backup", "delete").fails(t, exitUsage, "accepts 1 arg(s)")
}
