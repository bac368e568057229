package vprotect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
)

// This file holds the tasks of file-level restore: restore-and-mount,
// remount and unmount, and the waits that follow them.

// DefaultUnmountAfter is how long a backup stays mounted when a
// RestoreAndMountRequest sets no UnmountAfter (the vendor UI's default).
const DefaultUnmountAfter = 24 * time.Hour

// RestoreAndMountRequest asks to mount a backup for file-level restore. The
// server runs a RESTORE task (the data to the node's staging space), then a
// MOUNT task; WaitForMount follows both and returns the mounted backup.
type RestoreAndMountRequest struct {
	// BackupLocation is the GUID of the copy to mount: a PRESENT location
	// of the backup (Backup.BackupLocations, or BackupLocations.List).
	// Required.
	BackupLocation string
	// Mode is MountModeAuto (the default when empty), MountModeManual or
	// MountModeISCSI.
	Mode MountMode
	// MountPath is where AUTO mounts the backup: every file system it finds
	// goes below it. Required for AUTO, and only for AUTO; DefaultMountPath
	// gives the path the vendor UI uses.
	MountPath string
	// FileSystems are the file systems MANUAL mounts, each at its own path
	// (BackupsService.FileSystems lists them). At least one for MANUAL, and
	// only for MANUAL.
	FileSystems []MountFileSystem
	// Disks are the GUIDs of the backup files ISCSI shares (the
	// IscsiMountable ones of BackupFilesService.List). At least one for ISCSI,
	// and only for ISCSI.
	Disks []string
	// AllowedClients are the iSCSI initiator names (iqn., eui. or naa.)
	// ISCSI shares the disks with. At least one for ISCSI, and only for ISCSI.
	AllowedClients []string
	// UnmountAfter is how long the backup stays mounted before the server
	// unmounts it by itself; zero means DefaultUnmountAfter. It is sent in
	// milliseconds, so it must be at least one.
	UnmountAfter time.Duration
	// Node is the GUID of the node to mount on; empty lets the server choose
	// (the vendor UI sends none).
	Node string
}

// MountFileSystem is one file system of a MANUAL mount and where to mount it.
type MountFileSystem struct {
	// FileSystem is the file system, as BackupsService.FileSystems lists
	// it; its Volume is required.
	FileSystem FileSystem
	// MountPath is where to mount it on the node (absolute).
	MountPath string
}

// DefaultMountPath returns where the vendor UI mounts a backup in AUTO
// mode: /mnt/vprotect/<vm name>/<snapshot time as YYYYMMDD_HHmmss>. The UI
// writes the time in the browser's zone; this uses UTC.
func DefaultMountPath(vmName string, snapshotTime time.Time) string {
	return path.Join("/mnt/vprotect", vmName, snapshotTime.UTC().Format("20060102_150405"))
}

// restoreAndMountBody is the body of a restore-and-mount:
// RestoreAndMountRequest in its request form.
type restoreAndMountBody struct {
	BackupLocation     NameAndGuid       `json:"backupLocation"`
	Mode               Enum[MountMode]   `json:"mode"`
	Node               *NameAndGuid      `json:"node,omitempty"`
	MountedFileSystems []mountedFSForm   `json:"mountedFileSystems"`
	MountedDisks       []mountedDiskForm `json:"mountedDisks,omitempty"`
	AllowedClients     []string          `json:"allowedClients"`
	UnmountTime        Duration          `json:"unmountTime"`
}

// mountedFSForm is one mountedFileSystems entry: for AUTO the path alone,
// for MANUAL the file system, its path and "selected", as the UI sends it.
type mountedFSForm struct {
	FileSystem *FileSystem `json:"fileSystem,omitempty"`
	MountPath  string      `json:"mountPath"`
	Selected   bool        `json:"selected,omitempty"`
}

// mountedDiskForm is one disk an ISCSI mount shares.
type mountedDiskForm struct {
	BackupFile NameAndGuid `json:"backupFile"`
}

// newRestoreAndMountBody checks r (the fields of its mode, and none of the
// others) and builds its body.
func newRestoreAndMountBody(r RestoreAndMountRequest) (*restoreAndMountBody, error) {
	const name = "RestoreAndMountRequest"
	if err := requireGUID(name+".BackupLocation", r.BackupLocation); err != nil {
		return nil, err
	}
	mode := r.Mode
	switch mode {
	case "":
		mode = MountModeAuto
	case MountModeAuto, MountModeManual, MountModeISCSI:
	default:
		return nil, argError(name+".Mode", "must be %s, %s or %s, got %q", MountModeAuto, MountModeManual, MountModeISCSI, mode)
	}
	after := r.UnmountAfter
	switch {
	case after == 0:
		after = DefaultUnmountAfter
	case after < time.Millisecond:
		return nil, argError(name+".UnmountAfter", "must be at least 1ms (it is sent in milliseconds), got %s", after)
	}
	b := &restoreAndMountBody{BackupLocation: Ref(r.BackupLocation), Mode: EnumOf(mode),
		MountedFileSystems: []mountedFSForm{}, AllowedClients: []string{}, UnmountTime: Duration(after)}
	if r.Node != "" {
		b.Node = RefPtr(r.Node)
	}
	only := func(field string, set bool, m MountMode) error {
		if set && mode != m {
			return argError(name+"."+field, "is only for %s mounts, not %s", m, mode)
		}
		return nil
	}
	for _, err := range []error{
		only("MountPath", r.MountPath != "", MountModeAuto),
		only("FileSystems", len(r.FileSystems) > 0, MountModeManual),
		only("Disks", len(r.Disks) > 0, MountModeISCSI),
		only("AllowedClients", len(r.AllowedClients) > 0, MountModeISCSI),
	} {
		if err != nil {
			return nil, err
		}
	}
	switch mode {
	case MountModeAuto:
		if r.MountPath == "" {
			return nil, argError(name+".MountPath", "is required for AUTO (DefaultMountPath gives the vendor UI's)")
		}
		p, err := checkFilePath(name+".MountPath", r.MountPath)
		if err != nil {
			return nil, err
		}
		b.MountedFileSystems = append(b.MountedFileSystems, mountedFSForm{MountPath: p})
	case MountModeManual:
		if len(r.FileSystems) == 0 {
			return nil, argError(name+".FileSystems", "MANUAL needs at least one file system")
		}
		seen := map[string]bool{}
		for i, f := range r.FileSystems {
			form, err := newMountedFSForm(indexed(name+".FileSystems", i), f)
			if err != nil {
				return nil, err
			}
			if seen[form.MountPath] {
				return nil, argError(indexed(name+".FileSystems", i)+".MountPath", "%s is used twice", form.MountPath)
			}
			seen[form.MountPath] = true
			b.MountedFileSystems = append(b.MountedFileSystems, form)
		}
	case MountModeISCSI:
		if len(r.Disks) == 0 {
			return nil, argError(name+".Disks", "ISCSI needs at least one disk (a backup file GUID)")
		}
		if err := checkGUIDs(name+".Disks", r.Disks); err != nil {
			return nil, err
		}
		if len(r.AllowedClients) == 0 {
			return nil, argError(name+".AllowedClients", "ISCSI needs at least one initiator name")
		}
		for i, iqn := range r.AllowedClients {
			if !iscsiName(iqn) {
				return nil, argError(indexed(name+".AllowedClients", i), "must be an iSCSI name (iqn., eui. or naa.), got %q", iqn)
			}
		}
		for _, d := range r.Disks {
			b.MountedDisks = append(b.MountedDisks, mountedDiskForm{BackupFile: Ref(d)})
		}
		b.AllowedClients = append(b.AllowedClients, r.AllowedClients...)
	}
	return b, nil
}

// newMountedFSForm checks one file system of a MANUAL mount (its field
// names start with field) and returns its request form.
func newMountedFSForm(field string, f MountFileSystem) (mountedFSForm, error) {
	if f.FileSystem.Volume == "" {
		return mountedFSForm{}, argError(field+".FileSystem.Volume", "must not be empty")
	}
	p, err := checkFilePath(field+".MountPath", f.MountPath)
	if err != nil {
		return mountedFSForm{}, err
	}
	fsys := f.FileSystem
	return mountedFSForm{FileSystem: &fsys, MountPath: p, Selected: true}, nil
}

// iscsiName reports whether s is an iSCSI name in one of its three formats
// (RFC 3720: iqn., eui., naa.), with no spaces.
func iscsiName(s string) bool {
	lower := strings.ToLower(s)
	return (strings.HasPrefix(lower, "iqn.") || strings.HasPrefix(lower, "eui.") || strings.HasPrefix(lower, "naa.")) &&
		len(s) > 4 && !strings.ContainsAny(s, " \t\r\n")
}

// mountedBackupBody is the body of a mount or unmount: the mounted backup.
type mountedBackupBody struct {
	MountedBackup NameAndGuid `json:"mountedBackup"`
}

// newMountedBackupBody checks the mounted backup's GUID and builds the body.
func newMountedBackupBody(mountedBackupGUID string) (*mountedBackupBody, error) {
	if err := requireGUID("mountedBackupGUID", mountedBackupGUID); err != nil {
		return nil, err
	}
	return &mountedBackupBody{MountedBackup: Ref(mountedBackupGUID)}, nil
}

// RestoreAndMount mounts a backup for file-level restore and returns the
// task the server answers with (vprotecttest: the RESTORE task, which names
// the mounted backup in MountedBackup). The request is checked before it is
// sent and never re-sent. WaitForMount waits for the mount.
//
// vProtect API: POST /tasks/restore-and-mount
func (s *TasksService) RestoreAndMount(ctx context.Context, req RestoreAndMountRequest) (*Task, error) {
	body, err := newRestoreAndMountBody(req)
	if err != nil {
		return nil, err
	}
	return sendJSON[Task](ctx, s.client, http.MethodPost, "/tasks/restore-and-mount", nil, body)
}

// Remount mounts the mounted backup mountedBackupGUID again (after a node
// restart, or a failed mount) and returns the MOUNT task; WaitForMount
// waits for it.
//
// vProtect API: POST /tasks/mount
func (s *TasksService) Remount(ctx context.Context, mountedBackupGUID string) (*Task, error) {
	body, err := newMountedBackupBody(mountedBackupGUID)
	if err != nil {
		return nil, err
	}
	return sendJSON[Task](ctx, s.client, http.MethodPost, "/tasks/mount", nil, body)
}

// Unmount unmounts the mounted backup mountedBackupGUID and returns the
// UNMOUNT task; WaitForUnmount waits until the mounted backup is gone.
//
// vProtect API: POST /tasks/unmount
func (s *TasksService) Unmount(ctx context.Context, mountedBackupGUID string) (*Task, error) {
	body, err := newMountedBackupBody(mountedBackupGUID)
	if err != nil {
		return nil, err
	}
	return sendJSON[Task](ctx, s.client, http.MethodPost, "/tasks/unmount", nil, body)
}

// WaitForMount waits for a mount and returns the mounted backup. taskGUID
// is the task RestoreAndMount or Remount returned: for a RESTORE it waits
// for it, then for the MOUNT task the server creates after it (found with
// GET /tasks?parent-task={restore}&type=MOUNT); for a MOUNT, for that task.
// Then it reads the mounted backup the tasks name (Task.MountedBackup). A
// FAILED or CANCELLED task gives its *TaskFailedError. Polling, transient
// errors and the deadline work as in WaitFunc.
//
// vProtect API: GET /tasks/{guid}, GET /tasks, GET /mounted-backups/{guid}
func (s *TasksService) WaitForMount(ctx context.Context, taskGUID string) (*MountedBackup, error) {
	return s.WaitForMountFunc(ctx, taskGUID, nil)
}

// WaitForMountFunc is WaitForMount with a progress callback, called with
// the RESTORE task after every poll of it, then with the MOUNT task.
//
// vProtect API: GET /tasks/{guid}, GET /tasks, GET /mounted-backups/{guid}
func (s *TasksService) WaitForMountFunc(ctx context.Context, taskGUID string, progress func(*Task)) (*MountedBackup, error) {
	if err := requireGUID("taskGUID", taskGUID); err != nil {
		return nil, err
	}
	first, err := s.WaitFunc(ctx, taskGUID, progress)
	if err != nil {
		return nil, err
	}
	mount := first
	if first.Type.Name != TaskTypeMount {
		if mount, err = s.findChild(ctx, first, TaskTypeMount); err != nil {
			return nil, err
		}
		if mount, err = s.WaitFunc(ctx, mount.GUID, progress); err != nil {
			return nil, err
		}
	}
	ref := mount.MountedBackup
	if ref == nil || ref.GUID == "" {
		ref = first.MountedBackup
	}
	if ref == nil || ref.GUID == "" {
		return nil, fmt.Errorf("vprotect: %s task %s does not name its mounted backup", mount.Type.Name, mount.GUID)
	}
	return (*MountedBackupsService)(s).Get(ctx, ref.GUID)
}

// WaitForUnmount waits for the UNMOUNT task unmountTaskGUID (a FAILED or
// CANCELLED one gives its *TaskFailedError), then until the mounted backup
// it names is gone (GET answers 404), and returns the finished task.
// Polling, transient errors and the deadline work as in WaitFunc.
//
// vProtect API: GET /tasks/{guid}, GET /mounted-backups/{guid}
func (s *TasksService) WaitForUnmount(ctx context.Context, unmountTaskGUID string) (*Task, error) {
	if err := requireGUID("unmountTaskGUID", unmountTaskGUID); err != nil {
		return nil, err
	}
	t, err := s.Wait(ctx, unmountTaskGUID)
	if err != nil || t.MountedBackup == nil || t.MountedBackup.GUID == "" {
		return t, err
	}
	guid := t.MountedBackup.GUID
	describe := func() string { return "wait for mounted backup " + guid + " to be gone" }
	err = s.poll(ctx, describe, func(ctx context.Context) (bool, error) {
		_, err := (*MountedBackupsService)(s).Get(ctx, guid)
		if errors.Is(err, ErrNotFound) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
