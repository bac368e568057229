package vprotect

import (
	"context"
	"net/http"
)

// BackupDestinationsService lists backup destinations.
type BackupDestinationsService service

// BackupDestinationsAPI is the set of methods of BackupDestinationsService, for mocking.
type BackupDestinationsAPI interface {
	List(ctx context.Context, opts *ListOptions) ([]BackupDestination, error)
	ListPage(ctx context.Context, opts *ListOptions) (Page[BackupDestination], error)
	UsableForVMs(ctx context.Context, vmGUIDs ...string) ([]BackupDestination, error)
}

var _ BackupDestinationsAPI = (*BackupDestinationsService)(nil)

// BackupDestination is where backups are stored: a file system, a
// deduplicating appliance, object storage or a backup provider.
type BackupDestination struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// Type is the kind of destination (SYNTHETICXFS, S3, ...).
	Type        Enum[BackupDestinationType] `json:"type"`
	Description string                      `json:"description"`
	// DefaultBackupDestination marks the server's default destination.
	DefaultBackupDestination bool `json:"defaultBackupDestination"`
	// NodeConfigs are the node configurations that use the destination.
	NodeConfigs []NameAndGuid `json:"nodeConfigs"`
	// Space in bytes, raw and after deduplication.
	TotalUsedSpace           int64 `json:"totalUsedSpace"`
	TotalAvailableSpace      int64 `json:"totalAvailableSpace"`
	TotalDedupUsedSpace      int64 `json:"totalDedupUsedSpace"`
	TotalDedupAvailableSpace int64 `json:"totalDedupAvailableSpace"`
	// Projects are the projects that see the destination (7.x).
	Projects []NameAndGuid `json:"projects"`
	// VisibleForAllVms makes the destination usable by every VM.
	VisibleForAllVms bool `json:"visibleForAllVms"`
}

// List returns the backup destinations, one page of them when opts set a
// page size (nil lists all).
//
// vProtect API: GET /backup-destinations
func (s *BackupDestinationsService) List(ctx context.Context, opts *ListOptions) ([]BackupDestination, error) {
	return listOf[BackupDestination](ctx, s.client, "/backup-destinations", opts)
}

// ListPage returns one page of backup destinations and their total number.
//
// vProtect API: GET /backup-destinations
func (s *BackupDestinationsService) ListPage(ctx context.Context, opts *ListOptions) (Page[BackupDestination], error) {
	return listPageOf[BackupDestination](ctx, s.client, "/backup-destinations", opts)
}

// UsableForVMs returns the backup destinations that every one of the given
// VMs can be backed up to: the choices to offer for an on-demand backup.
// It needs at least one VM GUID. It is a POST, so it is never retried.
//
// vProtect API: POST /backup-destinations/usable-for-vms
func (s *BackupDestinationsService) UsableForVMs(ctx context.Context, vmGUIDs ...string) ([]BackupDestination, error) {
	body, err := newUsableForVMsBody(vmGUIDs)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[[]BackupDestination](ctx, s.client, http.MethodPost, "/backup-destinations/usable-for-vms", nil, body)
	if err != nil {
		return nil, err
	}
	if *out == nil {
		return []BackupDestination{}, nil
	}
	return *out, nil
}

// newUsableForVMsBody checks the VM GUIDs and builds the body that asks for
// their usable destinations: references to the VMs.
func newUsableForVMsBody(vmGUIDs []string) ([]NameAndGuid, error) {
	if len(vmGUIDs) == 0 {
		return nil, argError("vmGUIDs", "must hold at least one VM GUID")
	}
	if err := checkGUIDs("vmGUIDs", vmGUIDs); err != nil {
		return nil, err
	}
	return Refs(vmGUIDs...), nil
}
