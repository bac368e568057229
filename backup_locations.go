package vprotect

import "context"

// BackupLocationsService lists the copies of backups on their destinations.
type BackupLocationsService service

// BackupLocationsAPI is the interface of BackupLocationsService, for mocking.
type BackupLocationsAPI interface {
	List(ctx context.Context, opts *BackupLocationListOptions) ([]BackupLocation, error)
}

var _ BackupLocationsAPI = (*BackupLocationsService)(nil)

// BackupLocation is one copy of a backup on a backup destination; restore
// requests name it as the copy to restore from.
type BackupLocation struct {
	// GUID is the location's id.
	GUID string `json:"guid"`
	// Name is a display name some servers add.
	Name string `json:"name,omitempty"`
	// Backup is the backup this is a copy of.
	Backup NameAndGuid `json:"backup"`
	// SnapshotTime is the time of the backup's VM snapshot.
	SnapshotTime Timestamp `json:"snapshotTime"`
	// BackupDestination is where the copy is.
	BackupDestination NameAndGuid `json:"backupDestination"`
	// RoleType is the destination's role: PRIMARY, SECONDARY or ARCHIVE.
	RoleType Enum[DestinationRole] `json:"roleType"`
	// BackupDestinationType is the kind of destination.
	BackupDestinationType Enum[BackupDestinationType] `json:"backupDestinationType"`
	// Status is PRESENT, REMOVED, FAILED or IN_PROGRESS.
	Status Enum[BackupLocationStatus] `json:"status"`
	// RetentionHint is the retention mark on the copy, if any.
	RetentionHint Enum[RetentionHint] `json:"retentionHint"`
	// ArchiveExpire is the date a copy marked to keep (RetentionHintArchive)
	// is kept until; zero otherwise.
	ArchiveExpire Timestamp `json:"archiveExpire"`
	// Type is the kind of location.
	Type EnumNameAndDescription `json:"type"`
}

// BackupLocationListOptions filters the list of backup locations. A nil
// *BackupLocationListOptions lists every location.
type BackupLocationListOptions struct {
	// ProtectedEntity keeps the copies of one VM's backups, sent as "protected-entity".
	ProtectedEntity string
	// LocationStatus keeps the copies in this status (for example
	// BackupLocationStatusPresent), sent as "location-status".
	LocationStatus BackupLocationStatus
}

// List returns the backup locations that match opts (nil for all).
//
// vProtect API: GET /backup-locations
func (s *BackupLocationsService) List(ctx context.Context, opts *BackupLocationListOptions) ([]BackupLocation, error) {
	return listOf[BackupLocation](ctx, s.client, "/backup-locations", opts)
}

func (o *BackupLocationListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("protected-entity", o.ProtectedEntity)
		q.set("location-status", string(o.LocationStatus))
	}
	return q, nil
}
