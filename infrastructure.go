package vprotect

// BackupDestinationsService lists backup destinations.
type BackupDestinationsService service

// HypervisorsService lists stand-alone hypervisors.
type HypervisorsService service

// HypervisorManagersService lists hypervisor managers.
type HypervisorManagersService service

// HypervisorClustersService lists clusters of hypervisor managers.
type HypervisorClustersService service

// HypervisorStoragesService lists storages of hypervisor managers.
type HypervisorStoragesService service

// NodesService lists vProtect nodes.
type NodesService service
