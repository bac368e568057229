package vprotect

import "context"

// This file holds what a backup offers to a mount (MountedBackupsService
// and TasksService.RestoreAndMount do the rest of file-level restore): the
// VM's mountable backups and the file systems found in a backup. The disk
// images an ISCSI mount shares are BackupFilesService.List.

// FileSystem is a file system found in a backup, as a MANUAL mount names it.
type FileSystem struct {
	// Volume is the device, e.g. "/dev/sda1" or "/dev/vg_sda/lv_root".
	Volume string `json:"volume"`
	// Label is the file system's label.
	Label string `json:"label"`
	// Type is the file system type, e.g. "ext4", "xfs" or "ntfs".
	Type string `json:"type"`
	// Size is the file system's size in bytes.
	Size int64 `json:"size"`
}

// ListMountable returns the backups of the VM vmGUID that can be mounted
// for file-level restore; an empty list means none can.
//
// vProtect API: GET /backups?protected-entity={guid}&only-mountable=true
func (s *BackupsService) ListMountable(ctx context.Context, vmGUID string) ([]Backup, error) {
	if err := requireGUID("vmGUID", vmGUID); err != nil {
		return nil, err
	}
	return s.List(ctx, &BackupListOptions{ProtectedEntity: vmGUID, OnlyMountable: true})
}

// FileSystems returns the file systems found in the backup backupGUID: what
// a MANUAL mount can choose from (an empty list: MANUAL is not possible).
//
// vProtect API: GET /file-systems?backup={guid}
func (s *BackupsService) FileSystems(ctx context.Context, backupGUID string) ([]FileSystem, error) {
	if err := requireGUID("backupGUID", backupGUID); err != nil {
		return nil, err
	}
	return list[FileSystem](ctx, s.client, "/file-systems", query{"backup": {backupGUID}})
}
