// Command quickstart walks the vendor's integration guide end to end with
// the SDK:
//
//  1. log in;
//  2. list the VMs of a tenant;
//  3. show one VM's details;
//  4. back it up (a FULL export) with live progress while the EXPORT and
//     STORE tasks run;
//  5. show its backup history;
//  6. restore the backup under a new name to a hypervisor manager, and wait
//     for the RESTORE and IMPORT tasks;
//  7. show the restored VM;
//  8. create a schedule, a policy and the policy's rule for the tenant, and
//     show them;
//  9. remove what it created: the policy, its rule and the schedule, the
//     restored VM (POST /tasks/delete), and the backup, marked expired for
//     the server's next cleanup run (POST /retention/mark-backups).
//
// With no VPROTECT_URL it starts the fake server of package vprotecttest in
// the same process (demo data, tasks of a few seconds), so
//
//	go run ./examples/quickstart
//
// works on a fresh machine. With VPROTECT_URL, VPROTECT_USER and
// VPROTECT_PASSWORD (and VPROTECT_CA_FILE or VPROTECT_INSECURE=1 for a
// self-signed certificate) it runs against a real server; VPROTECT_TENANT
// picks the tenant (default tenant-a) and VPROTECT_VM the VM (default the
// tenant's first present VM). Times are UTC. Everything it creates is named
// quickstart-<time>-... and removed at the end, also when a step fails. The
// backup is marked expired rather than deleted: the server removes it at its
// next cleanup run (its daily "old backups removal time").
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
)

func main() { exampleutil.Main("quickstart", run) }

func run(ctx context.Context, env *exampleutil.Env) (err error) {
	start := time.Now()
	c, out := env.Client, env.Out
	suffix := exampleutil.Suffix()
	prefix := "quickstart-" + suffix
	var cleanup exampleutil.Cleanup
	defer func() { // also when a step fails or Ctrl-C is pressed
		if cerr := cleanup.Run(ctx, out); err == nil {
			err = cerr
		}
	}()

	// 1. Log in (the client would also log in by itself on its first call).
	step(out, 1, "Log in")
	who, err := c.Login(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  logged in as %s\n", who.Requester.Name)

	// 2. The tenant's VMs: GET /virtual-machines?tenantid=...&project-uuid=...
	step(out, 2, "VMs of tenant "+env.Tenant)
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: env.Tenant})
	if err != nil {
		return err
	}
	t := exampleutil.NewTable(out, "NAME", "PRESENT", "POLICY", "PROTECTION", "LAST BACKUP", "SIZE")
	for _, vm := range vms {
		t.Row(vm.Name, exampleutil.YesNo(vm.Present), exampleutil.Ref(vm.VMBackupPolicy), exampleutil.Protection(vm.BackupUpToDate),
			exampleutil.Time(vm.LastBackup), exampleutil.Size(vm.LastSuccessfulBackupSize))
	}
	t.Flush()
	guid, err := pickVM(vms)
	if err != nil {
		return err
	}

	// 3. One VM's details: GET /virtual-machines/{guid}.
	vm, err := c.VMs.Get(ctx, guid)
	if err != nil {
		return err
	}
	step(out, 3, "Details of "+vm.Name)
	showVM(out, vm)

	// 4. A FULL backup: POST /tasks/export, then follow EXPORT and STORE.
	dests, err := c.BackupDestinations.UsableForVMs(ctx, vm.GUID)
	if err != nil {
		return err
	}
	if len(dests) == 0 {
		return fmt.Errorf("no backup destination can take backups of %s", vm.Name)
	}
	dest := dests[0]
	for _, d := range dests {
		if d.DefaultBackupDestination {
			dest = d
		}
	}
	step(out, 4, fmt.Sprintf("FULL backup of %s to %s", vm.Name, dest.Name))
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vm.GUID},
		BackupType:        vprotect.BackupTypeFull,
		BackupDestination: dest.GUID,
		TenantID:          env.Tenant,
	})
	if err != nil {
		return err
	}
	if len(res.Tasks) == 0 {
		return fmt.Errorf("the server started no export task for %s", vm.Name)
	}
	progress := exampleutil.NewProgress(os.Stdout)
	backup, err := c.Tasks.WaitForBackupFunc(ctx, res.Tasks[0].GUID, progress.Update)
	progress.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  backup %s: %s, %s\n", backup.GUID, backup.Status.Name, exampleutil.Size(backup.Size))
	if len(backup.BackupLocations) > 0 {
		mark := vprotect.RetentionMarkOf(backup.BackupLocations[0], vprotect.RetentionHintToRemove, time.Time{})
		cleanup.Add("backup "+backup.GUID+" (marked expired: the next cleanup run deletes it)",
			func(ctx context.Context) error { return c.Retention.Mark(ctx, mark) })
	}

	// 5. Backup history: GET /backups?protected-entity={guid}.
	step(out, 5, "Backup history of "+vm.Name)
	history, err := c.Backups.ListForVM(ctx, vm.GUID)
	if err != nil {
		return err
	}
	sort.Slice(history, func(i, j int) bool { return history[i].SnapshotTime.After(history[j].SnapshotTime.Time) })
	t = exampleutil.NewTable(out, "SNAPSHOT TIME", "TYPE", "STATUS", "SIZE", "GUID")
	for _, b := range history {
		t.Row(exampleutil.Time(b.SnapshotTime), b.Type.Name, b.Status.Name, exampleutil.Size(b.Size), b.GUID)
	}
	t.Flush()

	// 6. Restore and import under a new name: POST /tasks/restore-and-import,
	// then follow RESTORE and IMPORT.
	targets, err := c.Backups.RestoreTargets(ctx, backup.GUID) // best first: where the VM is
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return fmt.Errorf("the server offers no target to restore backup %s to", backup.GUID)
	}
	req := targets[0].Request(backup.GUID, vm.Name+"-restored-"+suffix)
	req.TenantID = env.Tenant
	step(out, 6, fmt.Sprintf("Restore the backup as %s to %s", req.RestoredPEName, targets[0]))
	restore, err := c.Tasks.RestoreAndImport(ctx, req)
	if err != nil {
		return err
	}
	imported, err := c.Tasks.WaitForRestoreFunc(ctx, restore.GUID, progress.Update)
	progress.Done()
	if err != nil {
		return err
	}

	// 7. The restored VM.
	step(out, 7, "Restored VM "+req.RestoredPEName)
	restored, err := findRestored(ctx, c, imported, req.RestoredPEName)
	if err != nil {
		return err
	}
	cleanup.Add("restored VM "+restored.Name, func(ctx context.Context) error { return deleteVM(ctx, c, restored.GUID) })
	showVM(out, restored)

	// 8. A schedule, a policy and its rule for the tenant. The rule goes
	// inside the policy, the one request a 7.x server takes; against a 4.x
	// server, which ignores it there, Create adds it afterwards (the
	// guide's two-step flow).
	step(out, 8, "Schedule, policy and rule for tenant "+env.Tenant)
	sched := vprotect.NewTimeSchedule(prefix+"-nightly", 22*time.Hour, 4*time.Hour, vprotect.Weekdays()...)
	sched.TenantID = env.Tenant
	sched, err = c.Schedules.Create(ctx, sched)
	if err != nil {
		return err
	}
	cleanup.Add("schedule "+sched.Name, func(ctx context.Context) error { return c.Schedules.Delete(ctx, sched.GUID) })

	policy := vprotect.NewPolicy(prefix+"-policy", restored.GUID) // protects the VM we restored, nothing of the user's
	policy.TenantID = env.Tenant
	policy.Rules = []vprotect.Rule{*vprotect.NewRule(prefix+"-rule", "", []string{sched.GUID}, dest.GUID)}
	policy, err = c.Policies.Create(ctx, policy)
	if policy != nil && policy.GUID != "" {
		cleanup.Add("policy "+policy.Name+" with its rule", func(ctx context.Context) error { return c.Policies.Delete(ctx, policy.GUID) })
	}
	if err != nil {
		return err
	}
	rule := policy.Rules[0]
	if err := showPolicies(ctx, out, c, env.Tenant, prefix); err != nil {
		return err
	}
	fmt.Fprintf(out, "  rule %s: schedule %s, backups to %s\n", rule.Name, sched.Name, dest.Name)

	// 9. Remove what was created (the deferred cleanup finds nothing left).
	step(out, 9, "Clean up")
	if err := cleanup.Run(ctx, out); err != nil {
		return err
	}

	fmt.Fprintf(out, "\nDone in %.1f s: the whole integration guide, through the SDK.\n", time.Since(start).Seconds())
	return nil
}

// deleteVM removes a VM from vProtect and waits for the DELETE tasks the
// server starts for it (none when it goes at once).
func deleteVM(ctx context.Context, c *vprotect.Client, guid string) error {
	tasks, err := c.Tasks.DeleteVM(ctx, guid)
	if err != nil || len(tasks) == 0 {
		return err
	}
	guids := make([]string, len(tasks))
	for i, t := range tasks {
		guids[i] = t.GUID
	}
	_, err = c.Tasks.WaitAll(ctx, guids...)
	return err
}

// step prints a numbered heading.
func step(out io.Writer, n int, title string) {
	fmt.Fprintf(out, "\n%d. %s\n", n, title)
}

// pickVM returns VPROTECT_VM's GUID (a name or a GUID of the tenant), else
// the first present VM's.
func pickVM(vms []vprotect.VirtualMachine) (string, error) {
	want := os.Getenv("VPROTECT_VM")
	for _, vm := range vms {
		if want == "" && vm.Present || want != "" && (vm.Name == want || vm.GUID == want) {
			return vm.GUID, nil
		}
	}
	if want != "" {
		return "", fmt.Errorf("VPROTECT_VM %q: no such VM in the tenant", want)
	}
	return "", fmt.Errorf("the tenant has no VM to back up")
}

// showVM prints the details the guide calls useful.
func showVM(out io.Writer, vm *vprotect.VirtualMachine) {
	manager := "-"
	if vm.HVManager != nil {
		manager = fmt.Sprintf("%s (%s)", vm.HVManager.Name, vm.HVMType.Name)
	}
	project := "-"
	if vm.Project != nil {
		project = vm.Project.Name
	}
	exampleutil.Fields(out,
		"Name", vm.Name,
		"GUID", vm.GUID,
		"UUID (hypervisor)", vm.UUID,
		"Present", exampleutil.YesNo(vm.Present),
		"Hypervisor manager", manager,
		"Hypervisor", exampleutil.Ref(vm.Hypervisor),
		"Project", project,
		"Backup policy", exampleutil.Ref(vm.VMBackupPolicy),
		"Protection", exampleutil.Protection(vm.BackupUpToDate),
		"Last backup", exampleutil.Time(vm.LastBackup),
		"Last backup size", exampleutil.Size(vm.LastSuccessfulBackupSize),
		"Last full backup size", exampleutil.Size(vm.LastSuccessfulFullBackupSize),
	)
}

// findRestored returns the VM an IMPORT task created: the task names it in
// dstProtectedEntity; older servers are searched by name.
func findRestored(ctx context.Context, c *vprotect.Client, imported *vprotect.Task, name string) (*vprotect.VirtualMachine, error) {
	if d := imported.DstProtectedEntity; d != nil && d.GUID != "" {
		return c.VMs.Get(ctx, d.GUID)
	}
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Filter: name}})
	if err != nil {
		return nil, err
	}
	for i := range vms {
		if vms[i].Name == name {
			return &vms[i], nil
		}
	}
	return nil, fmt.Errorf("the restored VM %s is not in the inventory yet", name)
}

// showPolicies prints the tenant's schedules and policies that this run
// created, as a portal would list them.
func showPolicies(ctx context.Context, out io.Writer, c *vprotect.Client, tenant, prefix string) error {
	scheds, err := c.Schedules.List(ctx, &vprotect.ScheduleListOptions{TenantID: tenant})
	if err != nil {
		return err
	}
	t := exampleutil.NewTable(out, "SCHEDULE", "ACTIVE", "BACKUP", "WHEN", "DAYS", "RULES")
	for _, s := range scheds {
		if strings.HasPrefix(s.Name, prefix) {
			t.Row(s.Name, exampleutil.YesNo(s.Active), s.BackupType.Name, when(&s), days(s.DaysOfWeek), len(s.Rules))
		}
	}
	t.Flush()
	fmt.Fprintln(out)
	pols, err := c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: tenant, Extended: true})
	if err != nil {
		return err
	}
	t = exampleutil.NewTable(out, "POLICY", "ACTIVE", "PRIORITY", "VMS", "RULES", "AUTO-ASSIGN")
	for _, p := range pols {
		if strings.HasPrefix(p.Name, prefix) {
			t.Row(p.Name, exampleutil.YesNo(p.Active), p.Priority, p.VMCount, p.RuleCount, p.AutoAssignSettings.Mode.Name)
		}
	}
	t.Flush()
	return nil
}

func when(s *vprotect.Schedule) string {
	switch {
	case s.Hour != nil && s.StartWindowLength != nil:
		return fmt.Sprintf("%s UTC, start within %s", s.Hour, exampleutil.Duration(s.StartWindowLength.Std()))
	case s.Hour != nil:
		return s.Hour.String() + " UTC"
	case s.Interval != nil:
		return fmt.Sprintf("every %s from %s to %s UTC", exampleutil.Duration(s.Interval.Frequency.Std()), s.Interval.StartHour, s.Interval.EndHour)
	}
	return "-"
}

func days(ds []vprotect.Enum[vprotect.DayOfWeek]) string {
	short := make([]string, len(ds))
	for i, d := range ds {
		short[i] = string(d.Name)[:3]
	}
	return strings.Join(short, ",")
}
