package vprotect

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// MountedBackupsService lists mounted backups (backups mounted on a node for
// file-level restore) and their disk images. TasksService.RestoreAndMount
// mounts a backup; MountedFileSystemsService browses and downloads from it.
type MountedBackupsService service

// MountedBackupsAPI is the interface of MountedBackupsService, for mocking.
type MountedBackupsAPI interface {
	List(ctx context.Context, opts *MountedBackupListOptions) ([]MountedBackup, error)
	ListPage(ctx context.Context, opts *MountedBackupListOptions) (Page[MountedBackup], error)
	All(ctx context.Context, opts *MountedBackupListOptions) iter.Seq2[MountedBackup, error]
	Get(ctx context.Context, guid string) (*MountedBackup, error)
	Files(ctx context.Context, mountedBackupGUID string) ([]MountedFile, error)
}

var _ MountedBackupsAPI = (*MountedBackupsService)(nil)

// MountedBackup is a backup mounted on a node: its file systems can be
// browsed and downloaded from (AUTO and MANUAL), or its disks are shared
// over iSCSI (ISCSI).
type MountedBackup struct {
	// GUID is the mounted backup's id (not the backup's: the file-system
	// and file calls take this one).
	GUID string `json:"guid"`
	// Backup is the backup that is mounted, or nil when the server leaves
	// it out.
	Backup *Backup `json:"backup"`
	// Mode is AUTO, MANUAL or ISCSI (other workloads have other modes).
	Mode Enum[MountMode] `json:"mode"`
	// State is the mounted backup's state (MountedBackupStateMounted when
	// it can be browsed).
	State Enum[MountedBackupState] `json:"state"`
	// Node is the node the backup is mounted on.
	Node *NameAndGuid `json:"node"`
	// MountedFileSystemCount is the number of mounted file systems.
	MountedFileSystemCount int `json:"mountedFileSystemCount"`
	// MountedFileCount is the number of mounted disk images.
	MountedFileCount int `json:"mountedFileCount"`
	// UnmountTime is when the server unmounts it by itself; zero when the
	// server does not say.
	UnmountTime Timestamp `json:"unmountTime"`
	// AllowedClients are the iSCSI initiators of an ISCSI mount.
	AllowedClients []string `json:"allowedClients"`
}

// IsMounted reports whether the backup is mounted and can be browsed.
func (m *MountedBackup) IsMounted() bool { return m.State.Name == MountedBackupStateMounted }

// MountedFile is a disk image of a mounted backup.
type MountedFile struct {
	// Path is the image's path on the node.
	Path string `json:"path"`
	// RandomAccess reports whether the image allows random access.
	RandomAccess bool `json:"randomAccess"`
}

// MountedBackupListOptions filters and pages the list of mounted backups.
// A nil *MountedBackupListOptions lists every one.
type MountedBackupListOptions struct {
	ListOptions

	// Backup keeps the mounts of one backup, sent as "backup".
	Backup string
	// ProtectedEntity keeps the mounts of one VM's backups, sent as "protected-entity".
	ProtectedEntity string
	// ProtectedEntityType keeps the mounts of one kind of protected entity,
	// sent as "protected-entity-type".
	ProtectedEntityType ProtectedEntityType
	// Mode keeps the mounts of one mode, sent as "mode".
	Mode MountMode
	// Node keeps the mounts on one node, sent as "node".
	Node string
	// NameLike keeps the mounts whose name matches, sent as "nameLike".
	NameLike string
	// ProjectUUID keeps the mounts of one OpenStack project, sent as "project-uuid".
	ProjectUUID string
	// FinishedMount, when set, keeps the mounts that are (true) or are not
	// yet (false) mounted, sent as "finished-mount".
	FinishedMount *bool
}

// encode returns the query of the options; nil gives an empty query.
func (o *MountedBackupListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	q.set("backup", o.Backup)
	q.set("protected-entity", o.ProtectedEntity)
	q.set("protected-entity-type", string(o.ProtectedEntityType))
	q.set("mode", string(o.Mode))
	q.set("node", o.Node)
	q.set("nameLike", o.NameLike)
	q.set("project-uuid", o.ProjectUUID)
	if o.FinishedMount != nil {
		q.set("finished-mount", strconv.FormatBool(*o.FinishedMount))
	}
	return q, nil
}

// List returns the mounted backups that match opts (nil for all).
//
// vProtect API: GET /mounted-backups
func (s *MountedBackupsService) List(ctx context.Context, opts *MountedBackupListOptions) ([]MountedBackup, error) {
	return listOf[MountedBackup](ctx, s.client, "/mounted-backups", opts)
}

// ListPage returns one page of mounted backups with the total count of the
// whole list (X-Total-Count; -1 when the server does not say).
//
// vProtect API: GET /mounted-backups
func (s *MountedBackupsService) ListPage(ctx context.Context, opts *MountedBackupListOptions) (Page[MountedBackup], error) {
	return listPageOf[MountedBackup](ctx, s.client, "/mounted-backups", opts)
}

// All iterates over every mounted backup that matches opts, fetching pages
// of opts.Size (DefaultPageSize when 0); opts.Page is ignored. An error is
// yielded once and ends the iteration.
//
// vProtect API: GET /mounted-backups
func (s *MountedBackupsService) All(ctx context.Context, opts *MountedBackupListOptions) iter.Seq2[MountedBackup, error] {
	return allOf[MountedBackup](ctx, s.client, "/mounted-backups", opts)
}

// Get returns the mounted backup guid (the mounted backup's GUID, not the
// backup's). A backup that has been unmounted is ErrNotFound.
//
// vProtect API: GET /mounted-backups/{guid}
func (s *MountedBackupsService) Get(ctx context.Context, guid string) (*MountedBackup, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[MountedBackup](ctx, s.client, "/mounted-backups/"+url.PathEscape(guid), nil)
}

// Files returns the disk images mounted for the mounted backup
// mountedBackupGUID.
//
// vProtect API: GET /mounted-files?mounted-backup={guid}
func (s *MountedBackupsService) Files(ctx context.Context, mountedBackupGUID string) ([]MountedFile, error) {
	if err := requireGUID("mountedBackupGUID", mountedBackupGUID); err != nil {
		return nil, err
	}
	return list[MountedFile](ctx, s.client, "/mounted-files", query{"mounted-backup": {mountedBackupGUID}})
}
