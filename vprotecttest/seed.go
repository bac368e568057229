package vprotecttest

import (
	"encoding/json"
	"fmt"
	"os"
)

// Seed is the initial state of a Server. It is a plain Go value and also a
// JSON document (see testdata/seed-example.json). Every object uses its wire
// form; in a seed, enums may be written as "NAME" or {"name":"NAME"} and
// references as "guid" or {"guid":"..."}. Objects without a guid get a
// deterministic one. Relations may be given on either side: a policy's vms
// or a VM's vmBackupPolicy, a schedule's rules or a rule's schedules, a
// rule's policy or rules embedded in a policy. A VM's tenant is its
// project: set "project":{"guid":...} or {"uuid":...} to a seeded project.
// Tasks are history: each is FINISHED, FAILED or CANCELLED, refers to
// seeded VMs, backups, destinations and nodes, and may name an earlier
// seeded task as its parentTask.
//
//	{
//	  "nodes": [...], "backupDestinations": [...],
//	  "hypervisorManagers": [...], "hypervisors": [...],
//	  "hypervisorClusters": [...], "hypervisorStorages": [...],
//	  "projects": [...], "networks": [...], "sharedNetworks": [...],
//	  "vmFlavors": [...], "credentials": [...], "virtualMachines": [...], "backups": [...],
//	  "schedules": [...], "policies": [...], "rules": [...], "tasks": [...],
//	  "mountedBackups": [...]
//	}
type Seed struct {
	Nodes              []Node              `json:"nodes,omitempty"`
	BackupDestinations []BackupDestination `json:"backupDestinations,omitempty"`
	HypervisorManagers []HypervisorManager `json:"hypervisorManagers,omitempty"`
	Hypervisors        []Hypervisor        `json:"hypervisors,omitempty"`
	Clusters           []HypervisorCluster `json:"hypervisorClusters,omitempty"`
	Storages           []HypervisorStorage `json:"hypervisorStorages,omitempty"`
	Projects           []Project           `json:"projects,omitempty"`
	Networks           []Network           `json:"networks,omitempty"`
	SharedNetworks     []Network           `json:"sharedNetworks,omitempty"`
	Flavors            []VMFlavor          `json:"vmFlavors,omitempty"`
	Credentials        []Credential        `json:"credentials,omitempty"`
	VMs                []VM                `json:"virtualMachines,omitempty"`
	VMDisks            []VMDisk            `json:"virtualMachineDisks,omitempty"`
	Backups            []Backup            `json:"backups,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	Policies           []Policy            `json:"policies,omitempty"`
	Rules              []Rule              `json:"rules,omitempty"`
	Tasks              []Task              `json:"tasks,omitempty"`
	MountedBackups     []SeedMountedBackup `json:"mountedBackups,omitempty"`
}

// LoadSeedFile reads a JSON seed file.
func LoadSeedFile(path string) (Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Seed{}, fmt.Errorf("vprotecttest: read seed: %w", err)
	}
	var s Seed
	if err := json.Unmarshal(b, &s); err != nil {
		return Seed{}, fmt.Errorf("vprotecttest: parse seed %s: %w", path, err)
	}
	return s, nil
}
