package main

import "github.com/prometheus/client_golang/prometheus"

// metric is one metric family of the exporter: its name, help, type and
// labels. Every family is in families, which the README's table, the
// alert rules and the dashboard are checked against.
type metric struct {
	name   string
	help   string
	kind   string // "gauge", "counter" or "histogram"
	labels []string
	desc   *prometheus.Desc // nil for the API metrics, which client_golang keeps
}

// families lists every metric family in the order of the README's table.
var families []*metric

func newMetric(kind, name, help string, labels ...string) *metric {
	m := &metric{name: name, help: help, kind: kind, labels: labels}
	if kind == "gauge" {
		m.desc = prometheus.NewDesc(name, help, labels, nil)
	}
	families = append(families, m)
	return m
}

func gauge(name, help string, labels ...string) *metric {
	return newMetric("gauge", name, help, labels...)
}

// The exporter itself.
var (
	mUp             = gauge("vprotect_up", "1 when the last refresh from the vProtect API succeeded within the scrape timeout, else 0 (the other values are then those of the last good refresh).")
	mStale          = gauge("vprotect_stale", "1 when the values shown are not from the latest refresh attempt, because it failed or timed out.")
	mScrapeDuration = gauge("vprotect_scrape_duration_seconds", "Time the latest refresh from the vProtect API took, in seconds.")
	mLastSuccess    = gauge("vprotect_last_refresh_success_timestamp_seconds", "When the values shown were read from the API (UNIX seconds).")
	mRefreshes      = newMetric("counter", "vprotect_refreshes_total", "Refreshes from the vProtect API, by result (success or failure).", "result")
	mAPIRequests    = newMetric("counter", "vprotect_api_requests_total", "Attempts of API requests, by method, route and HTTP status (0: no answer).", "method", "route", "status")
	mAPIDuration    = newMetric("histogram", "vprotect_api_request_duration_seconds", "Duration of API request attempts until the answer's headers, by method and route.", "method", "route")
	mAPILogins      = newMetric("counter", "vprotect_api_logins_total", "Login calls the SDK made, by kind (first or relogin) and result (success or failure).", "kind", "result")
	mAPIRelogins    = newMetric("counter", "vprotect_api_relogins_total", "Logins that replaced an expired or ended session.")
)

// Virtual machines.
var (
	mVMInfo          = gauge("vprotect_vm_info", "A virtual machine: always 1, with its name, project (tenant), backup policy and hypervisor manager.", "vm_guid", "vm", "project", "policy_guid", "policy", "hypervisor_manager")
	mVMPresent       = gauge("vprotect_vm_present", "1 when the VM still exists in the hypervisor inventory.", "vm_guid")
	mVMProtected     = gauge("vprotect_vm_protected", "1 when the VM is in a backup policy.", "vm_guid")
	mVMUpToDate      = gauge("vprotect_vm_backup_up_to_date", "1 when the VM's backups are up to date, 0 when outdated; absent when no schedule covers the VM.", "vm_guid")
	mVMLastBackup    = gauge("vprotect_vm_last_backup_timestamp_seconds", "The VM's last backup as the server reports it (lastBackup, UNIX seconds); absent when never backed up.", "vm_guid")
	mVMLastSize      = gauge("vprotect_vm_last_successful_backup_size_bytes", "Size of the VM's last successful backup, in bytes.", "vm_guid")
	mVMLastFullSize  = gauge("vprotect_vm_last_successful_full_backup_size_bytes", "Size of the VM's last successful full backup, in bytes.", "vm_guid")
	mVMLastOK        = gauge("vprotect_vm_last_successful_backup_timestamp_seconds", "Snapshot time of the VM's latest SUCCESS or PARTIAL_SUCCESS backup of any type (UNIX seconds); absent when none is known.", "vm_guid")
	mVMLastFull      = gauge("vprotect_vm_last_successful_full_backup_timestamp_seconds", "Snapshot time of the VM's latest successful FULL backup (UNIX seconds); absent when none is known.", "vm_guid")
	mVMMaxBackupGap  = gauge("vprotect_vm_backup_interval_max_seconds", "Longest time between two runs of the active schedules of the VM's policy's active rules (the most frequent schedule wins); absent when none or not weekly.", "vm_guid")
	mTasks           = gauge("vprotect_tasks", "Tasks the server lists, by type and state.", "type", "state")
	mTasksEnded      = gauge("vprotect_tasks_ended_last_hour", "Tasks that ended (FINISHED, FAILED or CANCELLED) in the last hour, by type and state.", "type", "state")
	mTaskProgress    = gauge("vprotect_task_progress_ratio", "Progress of a running task, 0 to 1.", "task_guid", "type", "vm_guid", "vm")
	mBackupsInWindow = gauge("vprotect_backups_window", "Backups with a snapshot time inside the window (see vprotect_backups_window_seconds), by status.", "status")
	mBackupWindow    = gauge("vprotect_backups_window_seconds", "Length of the window vprotect_backups_window counts over, in seconds.")
)

// Backup destinations, nodes, policies and schedules.
var (
	mDestInfo       = gauge("vprotect_backup_destination_info", "A backup destination: always 1, with its name and type.", "destination_guid", "destination", "type")
	mDestUsed       = gauge("vprotect_backup_destination_used_bytes", "Space used on the destination, in bytes (totalUsedSpace).", "destination_guid")
	mDestAvailable  = gauge("vprotect_backup_destination_available_bytes", "Space available on the destination, in bytes (totalAvailableSpace).", "destination_guid")
	mDestCapacity   = gauge("vprotect_backup_destination_capacity_bytes", "Used plus available space of the destination, in bytes; absent when the API reports neither.", "destination_guid")
	mDestDedupUsed  = gauge("vprotect_backup_destination_dedup_used_bytes", "Space used after deduplication, in bytes (totalDedupUsedSpace).", "destination_guid")
	mDestDedupAvail = gauge("vprotect_backup_destination_dedup_available_bytes", "Space available after deduplication, in bytes (totalDedupAvailableSpace).", "destination_guid")
	mNodeInfo       = gauge("vprotect_node_info", "A vProtect node: always 1, with its name, version, state and address.", "node_guid", "node", "version", "state", "ip")
	mNodeUp         = gauge("vprotect_node_up", "1 when the node's state is RUNNING.", "node_guid")
	mNodeLastSeen   = gauge("vprotect_node_last_seen_timestamp_seconds", "When the node last reported to the server (UNIX seconds).", "node_guid")
	mNodeStaging    = gauge("vprotect_node_staging_space_total_bytes", "Size of the node's staging space, in bytes.", "node_guid")
	mNodeStagingUse = gauge("vprotect_node_staging_space_used_bytes", "Used staging space of the node, in bytes.", "node_guid")
	mPolicyInfo     = gauge("vprotect_policy_info", "A VM backup policy: always 1, with its name.", "policy_guid", "policy")
	mPolicyActive   = gauge("vprotect_policy_active", "1 when the policy is active.", "policy_guid")
	mPolicyVMs      = gauge("vprotect_policy_vms", "VMs in the policy.", "policy_guid")
	mPolicyRules    = gauge("vprotect_policy_rules", "Rules of the policy (rules kept only for their backups left out).", "policy_guid")
	mPolicyRulesOn  = gauge("vprotect_policy_rules_active", "Active rules of the policy.", "policy_guid")
	mScheduleInfo   = gauge("vprotect_schedule_info", "A backup schedule: always 1, with its name, kind, backup type and execution type.", "schedule_guid", "schedule", "type", "backup_type", "execution_type")
	mScheduleActive = gauge("vprotect_schedule_active", "1 when the schedule is active.", "schedule_guid")
	mScheduleLast   = gauge("vprotect_schedule_last_run_timestamp_seconds", "When the schedule last ran (UNIX seconds); absent when never.", "schedule_guid")
	mScheduleGap    = gauge("vprotect_schedule_interval_max_seconds", "Longest time between two runs of the schedule over a week; absent when it is limited to some months or weeks of the month.", "schedule_guid")
)

// familyNames returns the name of every family, with the series names a
// histogram adds.
func familyNames() map[string]bool {
	names := map[string]bool{}
	for _, m := range families {
		names[m.name] = true
		if m.kind == "histogram" {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				names[m.name+s] = true
			}
		}
	}
	return names
}
