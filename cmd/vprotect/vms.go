package main

import (
	"io"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// vmView is a VM in -o json and -o yaml.
type vmView struct {
	GUID              string     `json:"guid"`
	Name              string     `json:"name"`
	Present           bool       `json:"present"`
	Tenant            string     `json:"tenant,omitempty"` // the OpenStack project id
	HypervisorManager string     `json:"hypervisorManager,omitempty"`
	Policy            string     `json:"policy,omitempty"`
	BackupUpToDate    *bool      `json:"backupUpToDate"` // null: no schedule
	LastBackup        *time.Time `json:"lastBackup"`
	LastBackupSize    int64      `json:"lastBackupSize"` // bytes, of the last successful backup
}

func newVMView(vm *vprotect.VirtualMachine) vmView {
	v := vmView{GUID: vm.GUID, Name: vm.Name, Present: vm.Present, Policy: ref(vm.VMBackupPolicy),
		BackupUpToDate: vm.BackupUpToDate, LastBackup: rawTime(vm.LastBackup), LastBackupSize: vm.LastSuccessfulBackupSize}
	if vm.Project != nil {
		v.Tenant = vm.Project.UUID
	}
	if vm.HVManager != nil {
		v.HypervisorManager = vm.HVManager.Name
	}
	return v
}

// protection describes a VM's protection status as the vendor's UI does.
func protection(upToDate *bool) string {
	switch {
	case upToDate == nil:
		return "no schedule"
	case *upToDate:
		return "up to date"
	}
	return "outdated"
}

func (a *app) vmsCommand() *cobra.Command {
	var all bool
	cmd := a.command(&cobra.Command{
		Use:   "vms",
		Short: "List the VMs, of the tenant (--tenant, VPROTECT_TENANT) or --all",
		Long: `List the VMs known to vProtect, by name: those of the tenant given with
--tenant (VPROTECT_TENANT), or all of them with --all or when no tenant is set.`,
		Example: "  vprotect vms --tenant tenant-a\n  vprotect vms --all -o json",
		Args:    cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		if all && a.cfg.tenantGiven {
			return usageErrorf("--all lists the VMs of every tenant: give --all or --tenant, not both")
		}
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		opts := &vprotect.VMListOptions{}
		if !all {
			opts.TenantID = a.cfg.tenant
		}
		vms, err := c.VMs.List(cmd.Context(), opts)
		if err != nil {
			return failed("list the VMs", err)
		}
		sort.SliceStable(vms, func(i, j int) bool { return vms[i].Name < vms[j].Name })
		views := make([]vmView, len(vms))
		for i := range vms {
			views[i] = newVMView(&vms[i])
		}
		return a.render(views, func(w io.Writer) {
			t := newTable(w, "NAME", "PRESENT", "TENANT", "MANAGER", "POLICY", "PROTECTION", "LAST BACKUP", "SIZE", "GUID")
			for i, v := range views {
				t.row(v.Name, yesNo(v.Present), v.Tenant, v.HypervisorManager, v.Policy, protection(v.BackupUpToDate),
					a.when(vms[i].LastBackup), size(v.LastBackupSize), v.GUID)
			}
			t.flush()
		})
	})
	cmd.Flags().BoolVar(&all, "all", false, "list the VMs of every tenant, whatever VPROTECT_TENANT says")
	return cmd
}
