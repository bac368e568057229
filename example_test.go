package vprotect_test

// Runnable examples. Each starts the fake server of package vprotecttest
// (demo data, tasks that finish at once, deterministic GUIDs) where a real
// program would use https://HOST:8181/api, so `go test` checks the output.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// Create a client, log in and ask who is logged in.
func ExampleNew() {
	srv := vprotecttest.NewServer() // a real program: "https://vprotect.example.com:8181/api"
	defer srv.Close()

	c, err := vprotect.New(srv.URL(),
		vprotect.WithCredentials("admin", "vPr0tect"),
		vprotect.WithTimeout(30*time.Second),
	)
	if err != nil {
		log.Fatal(err) // a bad URL or option
	}
	defer c.Close()

	ctx := context.Background()
	who, err := c.Login(ctx) // optional: the first call logs in by itself
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in as", who.Requester.Name)
	// Output: logged in as admin
}

// List the VMs of one tenant (an OpenStack project id). The SDK sends it as
// the guide's tenantid and as project-uuid, so 4.x and 7.x servers both
// filter.
func ExampleVMsService_List() {
	srv := vprotecttest.NewServer()
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	vms, err := c.VMs.List(context.Background(), &vprotect.VMListOptions{TenantID: "tenant-a"})
	if err != nil {
		log.Fatal(err)
	}
	for _, vm := range vms {
		fmt.Printf("%-8s present=%t policy=%s\n", vm.Name, vm.Present, policyName(vm.VMBackupPolicy))
	}
	// Output:
	// a-web-1  present=true policy=gold
	// a-db-1   present=true policy=gold
	// a-app-1  present=true policy=-
	// a-old-1  present=false policy=-
}

func policyName(p *vprotect.NameAndGuid) string {
	if p == nil {
		return "-"
	}
	return p.Name
}

// Back up a VM and wait for the whole backup: the EXPORT task, then the
// STORE task the server adds.
func ExampleTasksService_Export() {
	srv := vprotecttest.NewServer(vprotecttest.WithTaskModel(vprotecttest.Instant))
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMTenantAWebGUID},
		BackupType:        vprotect.BackupTypeFull,
		BackupDestination: vprotecttest.DemoDefaultDestinationGUID,
	})
	if err != nil {
		log.Fatal(err)
	}
	export := res.Tasks[0]
	fmt.Println(export.Type.Name, "task for", export.ProtectedEntity.Name)

	backup, err := c.Tasks.WaitForBackupFunc(ctx, export.GUID, func(t *vprotect.Task) {
		fmt.Printf("  %s %s %.0f%%\n", t.Type.Name, t.State.Name, t.Progress)
	})
	var failed *vprotect.TaskFailedError
	switch {
	case errors.As(err, &failed):
		log.Fatalf("backup failed: %s", failed.StatusInfo)
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("backup", backup.GUID, backup.Type.Name, backup.Status.Name)
	// Output:
	// EXPORT task for a-web-1
	//   EXPORT FINISHED 100%
	//   STORE FINISHED 100%
	// backup 00000000-0000-4000-8000-000000001001 FULL SUCCESS
}

// Back up every VM of a tenant and wait for all the whole backups at
// once: one list request per poll, whatever the number of VMs, and one
// result per VM.
func ExampleTasksService_WaitForBackups() {
	srv := vprotecttest.NewServer(vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"), vprotect.WithPollInterval(0))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	srv.FailNextTask("STORE", vprotecttest.DemoVMTenantADBGUID, "destination full")
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMTenantAWebGUID, vprotecttest.DemoVMTenantADBGUID, vprotecttest.DemoVMTenantAAppGUID},
	})
	if err != nil {
		log.Fatal(err)
	}
	var exports []string
	for _, t := range res.Tasks {
		exports = append(exports, t.GUID)
	}
	results, err := c.Tasks.WaitForBackups(ctx, exports...)
	for _, r := range results {
		if r.Err != nil {
			fmt.Println(r.VM.Name, "failed:", r.Store.StatusInfo)
			continue
		}
		fmt.Println(r.VM.Name, r.Backup.Status.Name, r.Backup.Size, "bytes")
	}
	fmt.Println("all stored:", err == nil, "- some failed:", errors.Is(err, vprotect.ErrTaskFailed))
	// Output:
	// a-web-1 SUCCESS 4294967296 bytes
	// a-db-1 failed: destination full
	// a-app-1 SUCCESS 10737418240 bytes
	// all stored: false - some failed: true
}

// Restore a backup under a new name into a hypervisor manager and wait for
// the RESTORE and IMPORT tasks.
func ExampleTasksService_RestoreAndImport() {
	srv := vprotecttest.NewServer(vprotecttest.WithTaskModel(vprotecttest.Instant))
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// Where the backup can go, best first; each target fills a request.
	targets, err := c.Backups.RestoreTargets(ctx, vprotecttest.DemoBackupTenantAWebFullGUID)
	if err != nil || len(targets) == 0 {
		log.Fatal("no target: ", err)
	}
	fmt.Println("to", targets[0])
	req := targets[0].Request(vprotecttest.DemoBackupTenantAWebFullGUID, "a-web-1-restored")
	restore, err := c.Tasks.RestoreAndImport(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	imported, err := c.Tasks.WaitForRestore(ctx, restore.GUID)
	if err != nil {
		log.Fatal(err)
	}
	vm, err := c.VMs.Get(ctx, imported.DstProtectedEntity.GUID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(imported.Type.Name, imported.State.Name, "->", vm.Name)
	// Output:
	// to hypervisor manager openstack (OPENSTACK), storage ceph-volumes, cluster nova
	// IMPORT FINISHED -> a-web-1-restored
}

// Restore a backup next to where it came from, under a new name, and wait:
// one call.
func ExampleBackupsService_RestoreAs() {
	srv := vprotecttest.NewServer(vprotecttest.WithTaskModel(vprotecttest.Instant))
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	imported, err := c.Backups.RestoreAs(context.Background(), vprotecttest.DemoBackupRHV1GUID, "rhv-vm-1-copy", nil)
	if err != nil {
		log.Fatal(err) // errors.Is(err, vprotect.ErrNoRestoreTarget): nowhere to restore to
	}
	fmt.Println(imported)
	// Output: IMPORT task 00000000-0000-4000-8000-000000001003 FINISHED (rhv-vm-1 -> rhv-vm-1-copy)
}

// The backup history of a VM, newest last, successful backups only.
func ExampleBackupsService_List() {
	srv := vprotecttest.NewServer()
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	backups, err := c.Backups.List(context.Background(), &vprotect.BackupListOptions{
		ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID,
		Statuses:        []vprotect.BackupStatus{vprotect.BackupStatusSuccess, vprotect.BackupStatusPartialSuccess},
		ListOptions:     vprotect.ListOptions{OrderBy: "snapshotTime", Direction: vprotect.SortAscending},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range backups {
		fmt.Printf("%s %-11s %s %d MiB\n", b.ProtectedEntity.Name, b.Type.Name, b.Status.Name, b.Size>>20)
	}
	// Output:
	// a-web-1 FULL        SUCCESS 4096 MiB
	// a-web-1 INCREMENTAL SUCCESS 409 MiB
}

// Create a schedule for a tenant: full backups at 22:00 UTC on weekdays,
// starting within 4 hours.
func ExampleSchedulesService_Create() {
	srv := vprotecttest.NewServer()
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	s := vprotect.NewTimeSchedule("tenant-a-weeknights", 22*time.Hour, 4*time.Hour, vprotect.Weekdays()...)
	s.TenantID = "tenant-a" // sent as tenantId and projectUuid; what ScheduleListOptions.TenantID filters by
	s, err = c.Schedules.Create(context.Background(), s)
	if err != nil {
		log.Fatal(err) // errors.Is(err, vprotect.ErrConflict): the name is taken
	}
	fmt.Println(s.Name, s.ExecutionType.Name, s.Hour, "UTC, window", s.StartWindowLength.Std(), "days", len(s.DaysOfWeek))
	fmt.Println("guid", s.GUID)
	// Output:
	// tenant-a-weeknights TIME 22:00 UTC, window 4h0m0s days 5
	// guid 00000000-0000-4000-8000-000000001001
}

// Days of a schedule are a list: Weekdays is Monday to Friday, and
// WeekdayRange spans any days, wrapping past Saturday.
func ExampleWeekdayRange() {
	fmt.Println(vprotect.Weekdays())
	fmt.Println(vprotect.WeekdayRange(time.Friday, time.Monday))
	s := vprotect.NewIntervalSchedule("office-hours", 8*time.Hour, 18*time.Hour, 2*time.Hour, vprotect.Weekdays()...)
	fmt.Println(len(s.DaysOfWeek), "days, from", s.DaysOfWeek[0].Name, "to", s.DaysOfWeek[len(s.DaysOfWeek)-1].Name)
	// Output:
	// [Monday Tuesday Wednesday Thursday Friday]
	// [Friday Saturday Sunday Monday]
	// 5 days, from MONDAY to FRIDAY
}

// A schedule limited to some months takes Month values: convert a
// time.Month with MonthOf, not with Month(m).
func ExampleMonthOf() {
	s := vprotect.NewTimeSchedule("quarter-end", 23*time.Hour, 2*time.Hour)
	for _, m := range []time.Month{time.March, time.June, time.September, time.December} {
		s.Months = append(s.Months, vprotect.EnumOf(vprotect.MonthOf(m)))
	}
	fmt.Println(s.Months[0].Name, s.Months[3].Name)
	// Output: MARCH DECEMBER
}

// Create a policy with its rule, which ties it to a schedule and a backup
// destination (auto-assignment DISABLED, as multi-tenant use requires).
// The rule goes inside the policy, as 7.x servers take it; against a 4.x
// server, which takes rules only in a second request, Create sends that
// request itself.
func ExamplePoliciesService_Create() {
	srv := vprotecttest.NewServer()
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	policy := vprotect.NewPolicy("tenant-a-silver", vprotecttest.DemoVMTenantAAppGUID)
	policy.TenantID = "tenant-a"
	policy.Rules = []vprotect.Rule{*vprotect.NewRule("weeknights", "",
		[]string{vprotecttest.DemoScheduleGUID}, vprotecttest.DemoDefaultDestinationGUID)}
	policy, err = c.Policies.Create(ctx, policy)
	if err != nil {
		log.Fatal(err)
	}
	rule := policy.Rules[0]

	got, err := c.Policies.Get(ctx, policy.GUID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name, "priority", got.Priority, "auto-assign", got.AutoAssignSettings.Mode.Name)
	fmt.Println("VMs:", got.VMs[0].Name)
	fmt.Println("rule:", rule.Name, "->", rule.RuleBackupDestinations[0].BackupDestination.Name)
	// Output:
	// tenant-a-silver priority 50 auto-assign DISABLED
	// VMs: a-app-1
	// rule: weeknights -> fs-default
}

// Errors match sentinels with errors.Is; *APIError has the details.
func Example_errNotFound() {
	srv := vprotecttest.NewServer()
	defer srv.Close()
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "vPr0tect"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	_, err = c.VMs.Get(context.Background(), "00000000-0000-4000-8000-999999999999")
	var apiErr *vprotect.APIError
	switch {
	case errors.Is(err, vprotect.ErrNotFound):
		fmt.Println("no such VM")
		if errors.As(err, &apiErr) {
			fmt.Println(apiErr.StatusCode, apiErr.Method, apiErr.Path)
		}
	case err != nil:
		log.Fatal(err)
	}
	// Output:
	// no such VM
	// 404 GET /virtual-machines/00000000-0000-4000-8000-999999999999
}
