package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
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

// vmDetailView is one VM in -o json and -o yaml of vm show.
type vmDetailView struct {
	vmView
	UUID                   string   `json:"uuid,omitempty"` // the hypervisor's id
	HypervisorManagerType  string   `json:"hypervisorManagerType,omitempty"`
	Hypervisor             string   `json:"hypervisor,omitempty"`
	Cluster                string   `json:"cluster,omitempty"`
	Project                string   `json:"project,omitempty"`
	Flavor                 string   `json:"flavor,omitempty"`
	Networks               []string `json:"networks"`
	LastFullBackupSize     int64    `json:"lastFullBackupSize"` // bytes
	SnapshotPolicy         string   `json:"snapshotPolicy,omitempty"`
	LastChainMarkedDeleted bool     `json:"lastChainMarkedForDeletion"`
}

func newVMDetailView(vm *vprotect.VirtualMachine) vmDetailView {
	v := vmDetailView{vmView: newVMView(vm), UUID: vm.UUID, HypervisorManagerType: string(vm.HVMType.Name),
		Hypervisor: ref(vm.Hypervisor), Cluster: ref(vm.HVCluster), Flavor: ref(vm.VMFlavor), Networks: []string{},
		LastFullBackupSize: vm.LastSuccessfulFullBackupSize, SnapshotPolicy: ref(vm.SnapshotMgmtPolicy),
		LastChainMarkedDeleted: vm.LastChainMarkedForDeletion}
	if vm.Project != nil {
		v.Project = vm.Project.Name
	}
	for i := range vm.Networks {
		v.Networks = append(v.Networks, ref(&vm.Networks[i]))
	}
	return v
}

func (a *app) vmCommand() *cobra.Command {
	cmd := a.group(&cobra.Command{
		Use:   "vm",
		Short: "Show a VM",
	})
	cmd.AddCommand(a.command(&cobra.Command{
		Use:     "show NAME|GUID",
		Short:   "Show a VM's details and protection",
		Example: "  vprotect vm show a-web-1\n  vprotect vm show 00000000-0000-4000-8000-000000000014 -o json",
		Args:    cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		vm, err := a.findVM(cmd.Context(), c, args[0])
		if err != nil {
			return err
		}
		if vm, err = c.VMs.Get(cmd.Context(), vm.GUID); err != nil {
			return failed("read VM "+args[0], err)
		}
		v := newVMDetailView(vm)
		return a.render(v, func(w io.Writer) {
			manager := v.HypervisorManager
			if v.HypervisorManagerType != "" {
				manager += " (" + v.HypervisorManagerType + ")"
			}
			fields(w,
				"Name", v.Name,
				"GUID", v.GUID,
				"UUID", v.UUID,
				"Present", yesNo(v.Present),
				"Tenant", v.Tenant,
				"Project", v.Project,
				"Hypervisor manager", manager,
				"Hypervisor", v.Hypervisor,
				"Cluster", v.Cluster,
				"Flavor", v.Flavor,
				"Networks", strings.Join(v.Networks, ", "),
				"Backup policy", v.Policy,
				"Snapshot policy", v.SnapshotPolicy,
				"Protection", protection(v.BackupUpToDate),
				"Last backup", a.when(vm.LastBackup),
				"Last backup size", size(v.LastBackupSize),
				"Last full backup size", size(v.LastFullBackupSize),
			)
		})
	}))
	return cmd
}

// findVM returns the VM named or with the GUID arg: of the tenant when one
// is set (--tenant, VPROTECT_TENANT), else of all. A name that several VMs
// have is an error listing their GUIDs.
func (a *app) findVM(ctx context.Context, c *vprotect.Client, arg string) (*vprotect.VirtualMachine, error) {
	if strings.TrimSpace(arg) == "" {
		return nil, usageErrorf("the VM's name or GUID is empty")
	}
	vm, err := c.VMs.Get(ctx, arg)
	switch {
	case err == nil && (a.cfg.tenant == "" || vm.Project != nil && vm.Project.UUID == a.cfg.tenant):
		return vm, nil
	case err != nil && !errors.Is(err, vprotect.ErrNotFound):
		return nil, failed("look up VM "+arg, err)
	}
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: a.cfg.tenant, ListOptions: vprotect.ListOptions{Filter: arg}})
	if err != nil {
		return nil, failed("look up VM "+arg, err)
	}
	var found []*vprotect.VirtualMachine
	for i := range vms {
		if vms[i].Name == arg || vms[i].GUID == arg {
			found = append(found, &vms[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		where := ""
		if a.cfg.tenant != "" {
			where = " in tenant " + a.cfg.tenant
		}
		return nil, fmt.Errorf("no VM named or with GUID %q%s; vprotect vms lists them", arg, where)
	}
	guids := make([]string, len(found))
	for i, vm := range found {
		guids[i] = vm.GUID
	}
	return nil, fmt.Errorf("%d VMs are named %q (%s); give the GUID", len(found), arg, strings.Join(guids, ", "))
}
