// Command multi-tenant shows what a self-service portal shows each of its
// tenants: the tenant's VMs, schedules and policies, each listed with the
// tenant filter (the SDK sends the integration guide's tenantid on
// /virtual-machines, /schedules and /policies/vm-backup and the 7.x
// project-uuid, so it works against either server generation). It then
// checks the isolation: no VM, schedule or policy is listed for two
// tenants.
//
//	go run ./examples/multi-tenant                      # tenant-a and tenant-b of the demo data
//	go run ./examples/multi-tenant -tenants p1,p2,p3    # OpenStack project ids on a real server
//
// A VM's tenant is its OpenStack project (tenant filtering of VMs works only
// for OpenStack); schedules and policies belong to the tenant they were
// created with (tenantId on 4.x, projectUuid on 7.x). A tenant the server lists nothing for (an unknown id, or an
// empty tenant: the API cannot tell them apart) is reported and not counted
// as isolated. Times are UTC. It reads only; it changes nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

var tenants = flag.String("tenants", vprotecttest.DemoTenantA+","+vprotecttest.DemoTenantB,
	"comma-separated tenant ids (OpenStack project ids)")

func main() { exampleutil.Main("multi-tenant", run) }

// view is what one tenant sees.
type view struct {
	tenant    string
	vms       []vprotect.VirtualMachine
	schedules []vprotect.Schedule
	policies  []vprotect.Policy
}

func run(ctx context.Context, env *exampleutil.Env) error {
	c, out := env.Client, env.Out
	var views []view
	var unknown []string // tenants the server lists nothing for
	for _, tenant := range strings.Split(*tenants, ",") {
		tenant = strings.TrimSpace(tenant)
		if tenant == "" {
			continue
		}
		v := view{tenant: tenant}
		var err error
		if v.vms, err = c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: tenant}); err != nil {
			return err
		}
		if v.schedules, err = c.Schedules.List(ctx, &vprotect.ScheduleListOptions{TenantID: tenant}); err != nil {
			return err
		}
		if v.policies, err = c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: tenant, Extended: true}); err != nil {
			return err
		}
		if len(v.vms)+len(v.schedules)+len(v.policies) == 0 {
			// The server has nothing for it: an unknown tenant (a typo?) or
			// an empty one. Either way it shows nothing about isolation.
			fmt.Fprintf(out, "\nTenant %s: nothing is listed (an unknown tenant, or one without VMs, schedules and policies)\n", tenant)
			unknown = append(unknown, tenant)
			continue
		}
		show(out, v)
		views = append(views, v)
	}
	if len(views)+len(unknown) == 0 {
		return fmt.Errorf("-tenants names no tenant")
	}

	// Isolation: every object appears in at most one tenant's view.
	fmt.Fprintf(out, "\nIsolation\n")
	owner := map[string]string{} // GUID -> tenant
	shared := 0
	for _, v := range views {
		var guids []string
		for _, vm := range v.vms {
			guids = append(guids, "VM "+vm.Name+"\x00"+vm.GUID)
		}
		for _, s := range v.schedules {
			guids = append(guids, "schedule "+s.Name+"\x00"+s.GUID)
		}
		for _, p := range v.policies {
			guids = append(guids, "policy "+p.Name+"\x00"+p.GUID)
		}
		for _, g := range guids {
			what, guid, _ := strings.Cut(g, "\x00")
			if other, ok := owner[guid]; ok && other != v.tenant {
				fmt.Fprintf(out, "  SHARED: %s is listed for %s and %s\n", what, other, v.tenant)
				shared++
			}
			owner[guid] = v.tenant
		}
	}
	if shared > 0 {
		return fmt.Errorf("%d objects are visible to more than one tenant", shared)
	}
	fmt.Fprintf(out, "  isolated: %s, %d objects, none listed for two tenants\n", plural(len(views), "tenant"), len(owner))
	if len(unknown) > 0 {
		fmt.Fprintf(out, "  not counted: %s (nothing listed)\n", strings.Join(unknown, ", "))
	}
	return nil
}

// show prints one tenant's portal view.
func show(out io.Writer, v view) {
	fmt.Fprintf(out, "\nTenant %s (VMs: %d, schedules: %d, policies: %d)\n", v.tenant, len(v.vms), len(v.schedules), len(v.policies))
	t := exampleutil.NewTable(out, "VM", "PRESENT", "POLICY", "PROTECTION", "LAST BACKUP", "SIZE")
	for _, vm := range v.vms {
		t.Row(vm.Name, exampleutil.YesNo(vm.Present), exampleutil.Ref(vm.VMBackupPolicy), exampleutil.Protection(vm.BackupUpToDate),
			exampleutil.Time(vm.LastBackup), exampleutil.Size(vm.LastSuccessfulBackupSize))
	}
	t.Flush()
	fmt.Fprintln(out)
	t = exampleutil.NewTable(out, "SCHEDULE", "ACTIVE", "TYPE", "BACKUP", "RULES")
	for _, s := range v.schedules {
		t.Row(s.Name, exampleutil.YesNo(s.Active), s.ExecutionType.Name, s.BackupType.Name, len(s.Rules))
	}
	t.Flush()
	fmt.Fprintln(out)
	t = exampleutil.NewTable(out, "POLICY", "ACTIVE", "PRIORITY", "VMS", "RULES", "AVG BACKUP")
	for _, p := range v.policies {
		t.Row(p.Name, exampleutil.YesNo(p.Active), p.Priority, p.VMCount, p.RuleCount, exampleutil.Size(p.AverageBackupSize))
	}
	t.Flush()
}

// plural says "1 tenant", "2 tenants".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
