package vprotecttest

import "strings"

// Enums: the wire value of a name, with its description, and the values
// the fake accepts in requests.

// enumOf returns the wire enum for name with its human description.
func enumOf(name string) Enum {
	if d, ok := enumDescriptions[name]; ok {
		return Enum{Name: name, Description: d}
	}
	return Enum{Name: name, Description: humanize(name)}
}

// enumPtr is enumOf as a pointer, for nullable enum fields.
func enumPtr(name string) *Enum {
	e := enumOf(name)
	return &e
}

// humanize turns "IN_PROGRESS" into "In progress".
func humanize(name string) string {
	s := strings.ToLower(strings.ReplaceAll(name, "_", " "))
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// enumDescriptions holds descriptions that differ from the humanized name.
var enumDescriptions = map[string]string{
	"VM_BACKUP":          "veBackup",
	"VM_SNAPSHOT":        "veSnapshot",
	"EXPORT":             "Export",
	"STORE":              "Store",
	"RESTORE":            "Restore",
	"IMPORT":             "Import",
	"VM":                 "Virtual machine",
	"S3":                 "Amazon S3",
	"FILESYSTEM":         "File system",
	"OPENSTACK":          "OpenStack",
	"RHV":                "Red Hat Virtualization",
	"KVM":                "KVM",
	"SUCCESS":            "Success",
	"IN_PROGRESS":        "In progress",
	"RESTORE_AND_IMPORT": "Restore and import",
	"RESTORE_AND_MOUNT":  "Restore and mount",
	"ISCSI":              "iSCSI",
}

// Valid enum values the fake checks in requests.
var (
	backupTypes    = set("FULL", "INCREMENTAL")
	scheduleBackup = set("FULL", "INCREMENTAL", "SYNCHRONIZATION")
	scheduleTypes  = set("VM_BACKUP", "VM_SNAPSHOT", "APP_BACKUP", "SNAPSHOT")
	executionTypes = set("TIME", "INTERVAL")
	taskStates     = set("QUEUED", "RUNNING", "FINISHED", "FAILED", "CANCELLED")
	// taskTypes are the task types of the reference (3.14): the guide's
	// (3.8) and the 7.4 apidocs' names, the keys WithTaskDurations takes.
	taskTypes = set("INDEX", "EXPORT", "STORE", "RESTORE", "OLD_BACKUPS_REMOVAL", "OLD_SNAPSHOTS_REMOVAL", "IMPORT",
		"MOUNT", "UNMOUNT", "DELETE", "SNAPSHOT", "SNAPSHOT_REVERSION", "BACKUP_CLEANUP", "BACKUP_DESTINATION_INIT",
		"BACKUP_DESTINATION_SYNC", "CONNECTIVITY_TEST", "EJECT_TAPE", "IMPORT_TAPE", "INVENTORY_SYNC", "LIVE_MIGRATION",
		"SCOPED_INVENTORY_SYNC", "SNAPSHOT_CLEANUP", "STAGING_CLEANUP", "TAPE_MANAGER_INVENTORY_SYNC", "UPLOAD")
	autoAssignModes = set("DISABLED", "ASSIGN_ONLY", "ASSIGN_AND_REMOVE")
	roleTypes       = set("PRIMARY", "SECONDARY", "ARCHIVE")
	weekdays        = []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}
	monthNames      = []string{"JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"}
	occurrences     = set("FIRST_IN_MONTH", "SECOND_IN_MONTH", "THIRD_IN_MONTH", "FOURTH_IN_MONTH", "LAST_IN_MONTH")
	// The mounted-backup list filters (reference 7x 2.2); the fake mounts
	// only AUTO, MANUAL and ISCSI, and VMs.
	mountModes           = set("AUTO", "CLOUD_DOWNLOAD", "CLOUD_PST_DOWNLOAD", "INSTANT_RESTORE", "ISCSI", "MANUAL", "OS_DOWNLOAD")
	protectedEntityTypes = set("APP", "CLOUD", "CLOUD_GROUP", "CLOUD_SITE", "CLOUD_TEAMS", "CLOUD_USER", "OS", "OS_AGENT", "STORAGE", "VM")
)

// set is a lookup set of names.
func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// normEnum fills a missing description (seed values may carry names only).
func normEnum(e Enum) Enum {
	if e.Name != "" && e.Description == "" {
		return enumOf(e.Name)
	}
	return e
}

// normEnumPtr is normEnum for a nullable enum (an empty one becomes nil).
func normEnumPtr(e *Enum) *Enum {
	if e == nil || e.Name == "" {
		return nil
	}
	n := normEnum(*e)
	return &n
}

// normEnums is normEnum for a list.
func normEnums(es []Enum) []Enum {
	out := make([]Enum, 0, len(es))
	for _, e := range es {
		out = append(out, normEnum(e))
	}
	return out
}

// hasEnum reports whether es holds the enum name.
func hasEnum(es []Enum, name string) bool {
	for _, e := range es {
		if e.Name == name {
			return true
		}
	}
	return false
}

// enumList is the wire enums of names.
func enumList(names ...string) []Enum {
	out := make([]Enum, 0, len(names))
	for _, n := range names {
		out = append(out, enumOf(n))
	}
	return out
}
