package vprotect

import "context"

// BackupFilesService lists the files of backups: the disks and
// configuration a restore works with.
type BackupFilesService service

// BackupFilesAPI is the interface of BackupFilesService, for mocking.
type BackupFilesAPI interface {
	ListForRestore(ctx context.Context, backupGUID string) ([]BackupFile, error)
	List(ctx context.Context, backupGUID string) ([]BackupFile, error)
}

var _ BackupFilesAPI = (*BackupFilesService)(nil)

// BackupFile is one file of a backup: a disk image, an incremental of one,
// a VM configuration, … A restore names the restorable ones (DISK, DISK_INC,
// VM_IMAGE) in RestoreRequest.TaskFiles.
type BackupFile struct {
	// GUID is the file's id.
	GUID string `json:"guid"`
	// Path is where the file is in the backup.
	Path string `json:"path"`
	// BackupFileType is the kind of file; see IsRestorableDisk.
	BackupFileType Enum[BackupFileType] `json:"backupFileType"`
	// StorageID is the UUID (not the GUID) of the hypervisor storage the
	// disk is restored to by default; empty when the server has none.
	StorageID string `json:"storageId"`
	// VMDisk is the VM's disk the file is of, or nil.
	VMDisk *BackupFileDisk `json:"vmDisk"`
	// IscsiMountable reports whether the file can be mounted over iSCSI
	// (an ISCSI mount shares such files: RestoreAndMountRequest.Disks).
	IscsiMountable bool `json:"iscsiMountable"`
	// Size is the file's size in bytes.
	Size int64 `json:"size"`
	// BackupTime is when the file was backed up; zero when the server does not say.
	BackupTime Timestamp `json:"backupTime"`
}

// IsRestorableDisk reports whether the file is a disk a restore places
// (DISK, DISK_INC or VM_IMAGE), as the restore dialog filters them.
func (f *BackupFile) IsRestorableDisk() bool {
	switch f.BackupFileType.Name {
	case BackupFileTypeDisk, BackupFileTypeDiskInc, BackupFileTypeVMImage:
		return true
	}
	return false
}

// BackupFileDisk is the VM disk a backup file is of.
type BackupFileDisk struct {
	// GUID is the disk's id.
	GUID string `json:"guid"`
	// Name is the disk's name in the hypervisor.
	Name string `json:"name"`
	// ExcludedFromBackup reports whether the disk was left out of backups;
	// the restore dialog leaves such disks out of the restore by default.
	ExcludedFromBackup bool `json:"excludedFromBackup"`
	// OriginalStorage is the storage the disk was on, or nil.
	OriginalStorage *NameAndGuid `json:"originalStorage"`
}

// backupFilesForRestoreOptions is the query of ListForRestore.
type backupFilesForRestoreOptions struct{ backup string }

func (o backupFilesForRestoreOptions) encode() (query, error) {
	q := query{}
	q.set("backup", o.backup)
	q.set("with-modified-configs", "true")
	return q, nil
}

// ListForRestore returns the files of the backup backupGUID as the restore
// dialog asks for them (with-modified-configs=true): one entry per disk,
// with the storage it goes back to. Older servers (before 2025) answer this
// at /backup-files/detailed instead.
//
// vProtect API: GET /backup-files/detailed/for-restore
func (s *BackupFilesService) ListForRestore(ctx context.Context, backupGUID string) ([]BackupFile, error) {
	if err := requireGUID("backupGUID", backupGUID); err != nil {
		return nil, err
	}
	return listOf[BackupFile](ctx, s.client, "/backup-files/detailed/for-restore", backupFilesForRestoreOptions{backup: backupGUID})
}

// List returns the files of the backup backupGUID as the mount dialog asks
// for them: those with IscsiMountable can be shared by an ISCSI mount.
//
// vProtect API: GET /backup-files?backup={guid}
func (s *BackupFilesService) List(ctx context.Context, backupGUID string) ([]BackupFile, error) {
	if err := requireGUID("backupGUID", backupGUID); err != nil {
		return nil, err
	}
	return list[BackupFile](ctx, s.client, "/backup-files", query{"backup": {backupGUID}})
}
