package vprotecttest

import (
	"hash/fnv"
	"sort"
	"time"
)

// Tenant ids and GUIDs of the demo data set (see the package documentation).
const (
	// DemoTenantA is the OpenStack project id (Project.UUID) of project
	// "tenant-a"; use it as tenantid / tenantId / tenant-id / project-uuid.
	DemoTenantA = "tenant-a"
	// DemoTenantB is the OpenStack project id of project "tenant-b".
	DemoTenantB = "tenant-b"

	DemoNodeGUID                 = "00000000-0000-4000-8000-000000000001" // node "node-1"
	DemoDefaultDestinationGUID   = "00000000-0000-4000-8000-000000000002" // FILESYSTEM "fs-default" (default)
	DemoS3DestinationGUID        = "00000000-0000-4000-8000-000000000003" // S3 "s3-offsite"
	DemoOpenStackManagerGUID     = "00000000-0000-4000-8000-000000000004" // OPENSTACK manager "openstack"
	DemoRHVManagerGUID           = "00000000-0000-4000-8000-000000000005" // RHV manager "rhv"
	DemoProjectAGUID             = "00000000-0000-4000-8000-000000000006" // project "tenant-a"
	DemoProjectBGUID             = "00000000-0000-4000-8000-000000000007" // project "tenant-b"
	DemoOpenStackHypervisorGUID  = "00000000-0000-4000-8000-000000000008" // KVM host "compute-1.example.com"
	DemoRHVHypervisorGUID        = "00000000-0000-4000-8000-000000000009" // KVM host "rhv-host-1.example.com"
	DemoOpenStackClusterGUID     = "00000000-0000-4000-8000-000000000010" // cluster "nova"
	DemoRHVClusterGUID           = "00000000-0000-4000-8000-000000000011" // cluster "Default"
	DemoOpenStackStorageGUID     = "00000000-0000-4000-8000-000000000012" // storage "ceph-volumes"
	DemoRHVStorageGUID           = "00000000-0000-4000-8000-000000000013" // storage "data-domain-1"
	DemoVMTenantAWebGUID         = "00000000-0000-4000-8000-000000000014" // "a-web-1", tenant-a, policy "gold", 2 backups
	DemoVMTenantADBGUID          = "00000000-0000-4000-8000-000000000015" // "a-db-1", tenant-a, policy "gold"
	DemoVMTenantAAppGUID         = "00000000-0000-4000-8000-000000000016" // "a-app-1", tenant-a
	DemoVMTenantBWebGUID         = "00000000-0000-4000-8000-000000000017" // "b-web-1", tenant-b, 1 backup
	DemoVMTenantBDBGUID          = "00000000-0000-4000-8000-000000000018" // "b-db-1", tenant-b
	DemoVMTenantBAppGUID         = "00000000-0000-4000-8000-000000000019" // "b-app-1", tenant-b
	DemoVMRHV1GUID               = "00000000-0000-4000-8000-000000000020" // "rhv-vm-1", 1 backup
	DemoVMRHV2GUID               = "00000000-0000-4000-8000-000000000021" // "rhv-vm-2"
	DemoVMRHV3GUID               = "00000000-0000-4000-8000-000000000022" // "rhv-vm-3"
	DemoVMRemovedGUID            = "00000000-0000-4000-8000-000000000023" // "a-old-1", tenant-a, present:false, 1 backup
	DemoScheduleGUID             = "00000000-0000-4000-8000-000000000024" // "daily-2200", inactive
	DemoPolicyGUID               = "00000000-0000-4000-8000-000000000025" // "gold", tenantId tenant-a
	DemoRuleGUID                 = "00000000-0000-4000-8000-000000000026" // "Default" of "gold"
	DemoBackupTenantAWebFullGUID = "00000000-0000-4000-8000-000000000028" // a-web-1 FULL, 3 days old
	DemoBackupTenantAWebIncGUID  = "00000000-0000-4000-8000-000000000030" // a-web-1 INCREMENTAL, 1 day old
	DemoBackupTenantBWebGUID     = "00000000-0000-4000-8000-000000000032" // b-web-1 FULL, 2 days old
	DemoBackupRHV1GUID           = "00000000-0000-4000-8000-000000000034" // rhv-vm-1 FULL, 2 days old
	DemoBackupRemovedVMGUID      = "00000000-0000-4000-8000-000000000036" // a-old-1 FULL, 10 days old
	DemoBackupFailedGUID         = "00000000-0000-4000-8000-000000000038" // a-db-1 FULL, FAILED (its STORE failed), 2 days old
	DemoBackupCancelledGUID      = "00000000-0000-4000-8000-000000000040" // b-db-1 FULL, FAILED (its EXPORT was cancelled), 1 day old
	DemoOpenStackPrivateNetGUID  = "00000000-0000-4000-8000-000000000060" // network "private" of "openstack"
	DemoOpenStackPublicNetGUID   = "00000000-0000-4000-8000-000000000061" // network "public" of "openstack"
	DemoOpenStackSharedNetGUID   = "00000000-0000-4000-8000-000000000062" // shared network "ext-shared" of "openstack"
	DemoRHVNetGUID               = "00000000-0000-4000-8000-000000000063" // network "ovirtmgmt" of "rhv"
	DemoFlavorSmallGUID          = "00000000-0000-4000-8000-000000000064" // flavor "m1.small" of "openstack"
	DemoFlavorLargeGUID          = "00000000-0000-4000-8000-000000000065" // flavor "m1.large" of "openstack"
	DemoCredentialLinuxGUID      = "00000000-0000-4000-8000-000000000066" // OS credential "linux-root" (user root)
	DemoCredentialWindowsGUID    = "00000000-0000-4000-8000-000000000067" // OS credential "windows-admin" (user Administrator)
	DemoDiskRHV1SystemGUID       = "00000000-0000-4000-8000-000000000101" // rhv-vm-1 "rhv-vm-1-os", 10 GiB
	DemoDiskRHV1DataGUID         = "00000000-0000-4000-8000-000000000102" // rhv-vm-1 "rhv-vm-1-data", 40 GiB
	DemoDiskRHV2SystemGUID       = "00000000-0000-4000-8000-000000000103" // rhv-vm-2 "rhv-vm-2-os", 10 GiB
	DemoDiskRHV2LUNGUID          = "00000000-0000-4000-8000-000000000104" // rhv-vm-2 "rhv-vm-2-lun", 100 GiB direct LUN, not supported
	DemoMountedBackupGUID        = "00000000-0000-4000-8000-000000000090" // a-web-1's FULL backup, MOUNTED (AUTO) on node-1
	DemoMountedBootFSGUID        = "00000000-0000-4000-8000-000000000091" // its /dev/sda1 (ext4, "boot")
	DemoMountedRootFSGUID        = "00000000-0000-4000-8000-000000000092" // its /dev/vg_sda/lv_root (xfs, "root")
	DemoOpenStackClusterUUID     = "22222222-0000-4000-8000-000000000010"
	DemoRHVClusterUUID           = "22222222-0000-4000-8000-000000000011"
	DemoOpenStackStorageUUID     = "33333333-0000-4000-8000-000000000012"
	DemoRHVStorageUUID           = "33333333-0000-4000-8000-000000000013"
)

// DemoSeed returns the demo data set with backup times relative to time.Now().
func DemoSeed() Seed { return DemoSeedAt(time.Now()) }

// DemoSeedAt returns the demo data set with backup times relative to now.
// The default seed of a Server is DemoSeedAt(clock.Now()) at start.
func DemoSeedAt(now time.Time) Seed {
	s := demoInfrastructure(now)
	s.VMs = demoVMs()
	s.VMDisks = demoVMDisks()
	demoProtection(&s)
	demoBackups(&s, now)
	demoHistory(&s, now)
	demoMounts(&s)
	return s
}

// demoMounts mounts a-web-1's FULL backup, as if a user had (AUTO).
func demoMounts(s *Seed) {
	s.MountedBackups = []SeedMountedBackup{{GUID: DemoMountedBackupGUID, Backup: NameAndGuid{GUID: DemoBackupTenantAWebFullGUID},
		Mode: enumOf("AUTO"), Node: ng(DemoNodeGUID, "node-1"), MountedFileSystemGUIDs: []string{DemoMountedBootFSGUID, DemoMountedRootFSGUID}}}
}

// ng is a reference literal for the demo data.
func ng(guid, name string) *NameAndGuid { return &NameAndGuid{GUID: guid, Name: name} }

// The demo's two hypervisor managers, as a VM refers to them.
var (
	demoOpenStackManager = ManagerRef{GUID: DemoOpenStackManagerGUID, Name: "openstack", URL: "https://keystone.example.com:5000/v3"}
	demoRHVManager       = ManagerRef{GUID: DemoRHVManagerGUID, Name: "rhv", URL: "https://rhv-engine.example.com/ovirt-engine/api"}
)

// demoInfrastructure is the demo's node, destinations, managers, projects,
// hypervisors, clusters and storages.
func demoInfrastructure(now time.Time) Seed {
	osm, rhvm := &demoOpenStackManager, &demoRHVManager
	return Seed{
		Nodes: []Node{{GUID: DemoNodeGUID, Name: "node-1", LastSeen: now.UnixMilli(), NodeIP: "127.0.0.1", Version: "7.4.0-fake",
			State: enumOf("RUNNING"), StagingSpace: StagingSpace{TotalSpace: 500 << 30, UsedSpace: 20 << 30}}},
		BackupDestinations: []BackupDestination{
			{GUID: DemoDefaultDestinationGUID, Name: "fs-default", Type: enumOf("FILESYSTEM"), Description: "Local file system",
				DefaultBackupDestination: true, TotalUsedSpace: 120 << 30, TotalAvailableSpace: 880 << 30, VisibleForAllVms: true},
			{GUID: DemoS3DestinationGUID, Name: "s3-offsite", Type: enumOf("S3"), Description: "Off-site object storage",
				TotalUsedSpace: 300 << 30, TotalAvailableSpace: 1 << 40, VisibleForAllVms: true},
		},
		HypervisorManagers: []HypervisorManager{
			{GUID: osm.GUID, Name: osm.Name, URL: osm.URL, Type: enumOf("OPENSTACK"), VMExportImportMode: enumPtr("DISK_IMAGE_TRANSFER"), Node: ng(DemoNodeGUID, "node-1")},
			{GUID: rhvm.GUID, Name: rhvm.Name, URL: rhvm.URL, Type: enumOf("RHV"), VMExportImportMode: enumPtr("DISK_IMAGE_TRANSFER"), Node: ng(DemoNodeGUID, "node-1")},
		},
		Projects: []Project{
			{GUID: DemoProjectAGUID, UUID: DemoTenantA, Name: "tenant-a", HvManager: ng(osm.GUID, osm.Name)},
			{GUID: DemoProjectBGUID, UUID: DemoTenantB, Name: "tenant-b", HvManager: ng(osm.GUID, osm.Name)},
		},
		Networks: []Network{
			{GUID: DemoOpenStackPrivateNetGUID, UUID: "6f0d2c1e-0000-4000-8000-000000000060", Name: "private", HvManager: ng(osm.GUID, osm.Name)},
			{GUID: DemoOpenStackPublicNetGUID, UUID: "6f0d2c1e-0000-4000-8000-000000000061", Name: "public", HvManager: ng(osm.GUID, osm.Name)},
			{GUID: DemoRHVNetGUID, UUID: "6f0d2c1e-0000-4000-8000-000000000063", Name: "ovirtmgmt", HvManager: ng(rhvm.GUID, rhvm.Name)},
		},
		SharedNetworks: []Network{
			{GUID: DemoOpenStackSharedNetGUID, UUID: "6f0d2c1e-0000-4000-8000-000000000062", Name: "ext-shared", HvManager: ng(osm.GUID, osm.Name)},
		},
		Flavors: []VMFlavor{
			{GUID: DemoFlavorSmallGUID, UUID: "1", Name: "m1.small", HvManager: ng(osm.GUID, osm.Name)},
			{GUID: DemoFlavorLargeGUID, UUID: "4", Name: "m1.large", HvManager: ng(osm.GUID, osm.Name)},
		},
		Credentials: []Credential{
			{GUID: DemoCredentialLinuxGUID, Name: "linux-root", User: "root"},
			{GUID: DemoCredentialWindowsGUID, Name: "windows-admin", User: "Administrator"},
		},
		Hypervisors: []Hypervisor{
			{GUID: DemoOpenStackHypervisorGUID, Host: "compute-1.example.com", Name: "compute-1.example.com", Type: enumOf("KVM"), User: "root",
				Node: ng(DemoNodeGUID, "node-1"), HvManager: ng(osm.GUID, osm.Name), Cluster: ng(DemoOpenStackClusterGUID, "nova"), LicenseCovered: true, VMCount: 7},
			{GUID: DemoRHVHypervisorGUID, Host: "rhv-host-1.example.com", Name: "rhv-host-1.example.com", Type: enumOf("KVM"), User: "root",
				Node: ng(DemoNodeGUID, "node-1"), HvManager: ng(rhvm.GUID, rhvm.Name), Cluster: ng(DemoRHVClusterGUID, "Default"), DataCenterName: "Default", LicenseCovered: true, VMCount: 3},
		},
		Clusters: []HypervisorCluster{
			{GUID: DemoOpenStackClusterGUID, UUID: DemoOpenStackClusterUUID, Name: "nova", HvManager: ng(osm.GUID, osm.Name)},
			{GUID: DemoRHVClusterGUID, UUID: DemoRHVClusterUUID, Name: "Default", HvManager: ng(rhvm.GUID, rhvm.Name)},
		},
		Storages: []HypervisorStorage{
			{GUID: DemoOpenStackStorageGUID, UUID: DemoOpenStackStorageUUID, Name: "ceph-volumes", Clusters: []NameAndGuid{*ng(DemoOpenStackClusterGUID, "nova")},
				TotalAvailableSpace: 4 << 40, TotalUsedSpace: 1 << 40, HvManager: ng(osm.GUID, osm.Name)},
			{GUID: DemoRHVStorageGUID, UUID: DemoRHVStorageUUID, Name: "data-domain-1", Clusters: []NameAndGuid{*ng(DemoRHVClusterGUID, "Default")},
				TotalAvailableSpace: 2 << 40, TotalUsedSpace: 512 << 30, HvManager: ng(rhvm.GUID, rhvm.Name), Hypervisor: ng(DemoRHVHypervisorGUID, "rhv-host-1.example.com")},
		},
	}
}

// demoVMs is the demo's ten VMs: six in two OpenStack tenants (one of them
// no longer present) and three on RHV.
func demoVMs() []VM {
	osm, rhvm := clonePtr(&demoOpenStackManager), clonePtr(&demoRHVManager)
	osVM := func(guid, name string, project, projectUUID string, present bool) VM {
		return VM{GUID: guid, UUID: "11111111" + guid[8:], Name: name, Present: present, Type: enumOf("VM"),
			Hypervisor: ng(DemoOpenStackHypervisorGUID, "compute-1.example.com"), HvManager: osm,
			HvCluster: ng(DemoOpenStackClusterGUID, "nova"), HvmType: enumPtr("OPENSTACK"),
			Project: &ProjectRef{GUID: project, UUID: projectUUID}, Tags: []string{}}
	}
	rhvVM := func(guid, name string) VM {
		return VM{GUID: guid, UUID: "11111111" + guid[8:], Name: name, Present: true, Type: enumOf("VM"),
			Hypervisor: ng(DemoRHVHypervisorGUID, "rhv-host-1.example.com"), HvManager: rhvm,
			HvCluster: ng(DemoRHVClusterGUID, "Default"), HvmType: enumPtr("RHV"), Tags: []string{"rhv"}}
	}
	return []VM{
		osVM(DemoVMTenantAWebGUID, "a-web-1", DemoProjectAGUID, DemoTenantA, true),
		osVM(DemoVMTenantADBGUID, "a-db-1", DemoProjectAGUID, DemoTenantA, true),
		osVM(DemoVMTenantAAppGUID, "a-app-1", DemoProjectAGUID, DemoTenantA, true),
		osVM(DemoVMTenantBWebGUID, "b-web-1", DemoProjectBGUID, DemoTenantB, true),
		osVM(DemoVMTenantBDBGUID, "b-db-1", DemoProjectBGUID, DemoTenantB, true),
		osVM(DemoVMTenantBAppGUID, "b-app-1", DemoProjectBGUID, DemoTenantB, true),
		rhvVM(DemoVMRHV1GUID, "rhv-vm-1"),
		rhvVM(DemoVMRHV2GUID, "rhv-vm-2"),
		rhvVM(DemoVMRHV3GUID, "rhv-vm-3"),
		osVM(DemoVMRemovedGUID, "a-old-1", DemoProjectAGUID, DemoTenantA, false),
	}
}

// demoVMDisks returns the disks of the RHV demo VMs (rhv-vm-3 has none
// listed, so its backups keep the size derived from its GUID).
func demoVMDisks() []VMDisk {
	disk := func(guid, vm, name string, gib int64, typ string, supported bool) VMDisk {
		return VMDisk{GUID: guid, Name: name, UUID: "44444444" + guid[8:], Size: gib << 30, Present: true,
			Supported: supported, Type: enumOf(typ), VirtualMachine: NameAndGuid{GUID: vm}}
	}
	return []VMDisk{
		disk(DemoDiskRHV1SystemGUID, DemoVMRHV1GUID, "rhv-vm-1-os", 10, "DISK", true),
		disk(DemoDiskRHV1DataGUID, DemoVMRHV1GUID, "rhv-vm-1-data", 40, "DISK", true),
		disk(DemoDiskRHV2SystemGUID, DemoVMRHV2GUID, "rhv-vm-2-os", 10, "DISK", true),
		disk(DemoDiskRHV2LUNGUID, DemoVMRHV2GUID, "rhv-vm-2-lun", 100, "LUN", false),
	}
}

// demoProtection adds the demo's schedule, policy and rule.
func demoProtection(s *Seed) {
	hour, window := int64(22*time.Hour/time.Millisecond), int64(6*time.Hour/time.Millisecond)
	s.Schedules = []Schedule{{GUID: DemoScheduleGUID, Name: "daily-2200", Active: false, Type: enumOf("VM_BACKUP"),
		BackupType: enumOf("FULL"), ExecutionType: enumOf("TIME"), Hour: &hour, StartWindowLength: &window,
		DaysOfWeek: enumList(weekdays...), Months: []Enum{}, DayOfWeekOccurrences: []Enum{}, TenantID: DemoTenantA}}
	s.Policies = []Policy{{GUID: DemoPolicyGUID, Name: "gold", Priority: 50, Active: true,
		AutoAssignSettings: AutoAssignSettings{Mode: enumOf("DISABLED")}, TenantID: DemoTenantA,
		VMs: []NameAndGuid{{GUID: DemoVMTenantAWebGUID}, {GUID: DemoVMTenantADBGUID}}}}
	s.Rules = []Rule{{GUID: DemoRuleGUID, Name: "Default", Active: true, Position: 0, Policy: ng(DemoPolicyGUID, "gold"),
		Schedules: []NameAndGuid{{GUID: DemoScheduleGUID}},
		RuleBackupDestinations: []RuleBackupDestination{{GUID: guidFor(27), RoleType: enumOf("PRIMARY"),
			BackupDestination:       NameGuidAndType{GUID: DemoDefaultDestinationGUID, Name: "fs-default", Type: enumOf("FILESYSTEM")},
			BackupRetentionSettings: defaultRetention(), Active: true}}}}

}

// demoBackups adds the demo's backup history, relative to now, and the
// VMs' last-backup fields that follow from it.
func demoBackups(s *Seed, now time.Time) {
	type hist struct {
		n                   int
		vm, name, typ, dest string
		age                 time.Duration
	}
	hs := []hist{
		{28, DemoVMTenantAWebGUID, "a-web-1", "FULL", DemoDefaultDestinationGUID, 72 * time.Hour},
		{30, DemoVMTenantAWebGUID, "a-web-1", "INCREMENTAL", DemoDefaultDestinationGUID, 24 * time.Hour},
		{32, DemoVMTenantBWebGUID, "b-web-1", "FULL", DemoDefaultDestinationGUID, 48 * time.Hour},
		{34, DemoVMRHV1GUID, "rhv-vm-1", "FULL", DemoS3DestinationGUID, 48 * time.Hour},
		{36, DemoVMRemovedGUID, "a-old-1", "FULL", DemoDefaultDestinationGUID, 240 * time.Hour},
	}
	vmIndex := map[string]int{}
	for i, v := range s.VMs {
		vmIndex[v.GUID] = i
	}
	for _, h := range hs {
		snap := now.Add(-h.age).UnixMilli()
		done := snap + 10*60*1000
		size := backupSize(h.vm, h.typ == "FULL")
		dest := DemoDefaultDestinationGUID
		destType := "FILESYSTEM"
		if h.dest == DemoS3DestinationGUID {
			dest, destType = DemoS3DestinationGUID, "S3"
		}
		var rule *NameAndGuid
		if h.vm == DemoVMTenantAWebGUID {
			rule = ng(DemoRuleGUID, "Default")
		}
		s.Backups = append(s.Backups, Backup{GUID: guidFor(h.n), ProtectedEntity: NameGuidAndType{GUID: h.vm, Name: h.name, Type: enumOf("VM")},
			Type: enumOf(h.typ), Status: enumOf("SUCCESS"), SnapshotTime: snap, BackupTime: &done, Size: size, Warnings: []string{},
			BackupRule: rule, OriginEntity: &NameGuidAndType{GUID: "", Name: DefaultLogin, Type: enumOf("USER")},
			BackupLocations: []BackupLocation{{GUID: guidFor(h.n + 1),
				SnapshotTime: snap, BackupDestination: NameAndGuid{GUID: dest}, RoleType: enumOf("PRIMARY"),
				BackupDestinationType: enumOf(destType), Status: enumOf("PRESENT"), RetentionHint: enumPtr("STANDARD_RETENTION")}}})
		v := &s.VMs[vmIndex[h.vm]]
		if v.LastBackup == nil || *v.LastBackup < done {
			v.LastBackup = &done
			v.LastSuccessfulBackupSize = size
		}
		if h.typ == "FULL" {
			v.LastSuccessfulFullBackupSize = size
		}
		yes := true
		v.BackupUpToDate = &yes
	}
}

// demoHistory adds the task history of the last days, as a monitoring
// client finds it on a small installation: an EXPORT and a STORE for every
// successful backup, a STORE that failed (a full destination), an EXPORT a
// user cancelled (both with their FAILED backups), a finished RESTORE and a
// failed one. Tasks are numbered oldest first, from GUID …42.
func demoHistory(s *Seed, now time.Time) {
	vms := map[string]VM{}
	for _, v := range s.VMs {
		vms[v.GUID] = v
	}
	type run struct {
		typ, state, info string
		vm, backup, dest string
		start            time.Time
		took             time.Duration
		backupType       string
		restoreType      string
		parent           int // index of the parent run + 1 (0 = none)
	}
	var runs []run
	backupRuns := func(b Backup, storeState, info string, exportTook, storeTook time.Duration) {
		snap := time.UnixMilli(b.SnapshotTime)
		dest := b.BackupLocations[0].BackupDestination.GUID
		exportState, exportInfo := "FINISHED", ""
		if storeState == "" {
			exportState, exportInfo = "CANCELLED", info
		}
		runs = append(runs, run{typ: "EXPORT", state: exportState, info: exportInfo, vm: b.ProtectedEntity.GUID, backup: b.GUID,
			dest: dest, start: snap, took: exportTook, backupType: b.Type.Name})
		if storeState != "" {
			runs = append(runs, run{typ: "STORE", state: storeState, info: info, vm: b.ProtectedEntity.GUID, backup: b.GUID,
				dest: dest, start: snap.Add(exportTook), took: storeTook, backupType: b.Type.Name, parent: len(runs)})
		}
	}
	for _, b := range s.Backups {
		backupRuns(b, "FINISHED", "", 6*time.Minute, 4*time.Minute)
	}
	failed := func(n int, vm, name string, age time.Duration, info string) Backup {
		snap := now.Add(-age).UnixMilli()
		b := Backup{GUID: guidFor(n), ProtectedEntity: NameGuidAndType{GUID: vm, Name: name, Type: enumOf("VM")},
			Type: enumOf("FULL"), Status: enumOf("FAILED"), StatusInfo: info, SnapshotTime: snap, Warnings: []string{},
			OriginEntity: &NameGuidAndType{Name: DefaultLogin, Type: enumOf("USER")},
			BackupLocations: []BackupLocation{{GUID: guidFor(n + 1), SnapshotTime: snap,
				BackupDestination: NameAndGuid{GUID: DemoDefaultDestinationGUID, Name: "fs-default"}, RoleType: enumOf("PRIMARY"),
				BackupDestinationType: enumOf("FILESYSTEM"), Status: enumOf("FAILED"), RetentionHint: enumPtr("STANDARD_RETENTION")}}}
		s.Backups = append(s.Backups, b)
		return b
	}
	noSpace := "Cannot write to backup destination fs-default: no space left on device"
	backupRuns(failed(38, DemoVMTenantADBGUID, "a-db-1", 51*time.Hour, noSpace), "FAILED", noSpace, 8*time.Minute, time.Minute)
	backupRuns(failed(40, DemoVMTenantBDBGUID, "b-db-1", 26*time.Hour, "Canceled by user"), "", "Canceled by user", 3*time.Minute, 0)
	runs = append(runs,
		run{typ: "RESTORE", state: "FINISHED", vm: DemoVMRHV1GUID, backup: DemoBackupRHV1GUID, start: now.Add(-20 * time.Hour),
			took: 5 * time.Minute, restoreType: "RESTORE"},
		run{typ: "RESTORE", state: "FAILED", info: "Restore failed: hypervisor storage ceph-volumes is not reachable",
			vm: DemoVMTenantAWebGUID, backup: DemoBackupTenantAWebFullGUID, start: now.Add(-5 * time.Hour),
			took: 2 * time.Minute, restoreType: "RESTORE_AND_IMPORT"})

	order := make([]int, len(runs)) // oldest first
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return runs[order[a]].start.Before(runs[order[b]].start) })
	guidOf := make([]string, len(runs))
	for n, i := range order {
		guidOf[i] = guidFor(42 + n)
	}
	for _, i := range order {
		r := runs[i]
		v := vms[r.vm]
		t := Task{GUID: guidOf[i], Type: enumOf(r.typ), State: enumOf(r.state), StatusInfo: r.info, Priority: 50,
			WindowStart: ms(r.start), WindowEnd: ms(r.start.Add(defaultWindowLength)),
			StartTime: msPtr(r.start), FinishTime: msPtr(r.start.Add(r.took)),
			ProtectedEntity: vmEntity(&v), Node: ng(DemoNodeGUID, "node-1"), Backup: ng(r.backup, ""),
			Hypervisor: clonePtr(v.Hypervisor), HypervisorManager: &NameAndGuid{GUID: v.HvManager.GUID, Name: v.HvManager.Name},
			OriginEntity: &NameGuidAndType{Name: DefaultLogin, Type: enumOf("USER")}}
		t.Progress = 100
		if r.state != "FINISHED" {
			t.Progress = 40
		}
		if r.dest != "" {
			t.BackupDestination = ng(r.dest, "")
		}
		if r.backupType != "" {
			t.BackupType = enumPtr(r.backupType)
		}
		if r.restoreType != "" {
			t.RestoreType = enumPtr(r.restoreType)
		}
		if r.parent > 0 {
			t.ParentTask = ng(guidOf[r.parent-1], "")
		}
		s.Tasks = append(s.Tasks, t)
	}
}

func defaultRetention() RetentionSettings {
	return RetentionSettings{RetentionKeepLastNFull: 4, RetentionKeepFullNewerThan: 2592000000,
		RetentionKeepLastNIncremental: 30, RetentionKeepIncrementalNewerThan: 2592000000}
}

// backupSize is the deterministic size of a backup of vm: 4..19 GiB for a
// full backup, a tenth of that for an incremental one.
func backupSize(vm string, full bool) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(vm))
	size := int64(4+h.Sum32()%16) << 30
	if !full {
		size /= 10
	}
	return size
}
