package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupLocationsList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/backup-locations", http.StatusOK, fixture(t, "backup_locations.json"))
	locs, err := c.BackupLocations.List(context.Background(), &BackupLocationListOptions{
		ProtectedEntity: "vm-1", LocationStatus: BackupLocationStatusPresent,
	})
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/backup-locations", req.Path)
	assert.Equal(t, url.Values{"protected-entity": {"vm-1"}, "location-status": {"PRESENT"}}, req.Query)
	require.Len(t, locs, 1)
	assert.Equal(t, BackupLocation{
		GUID: "loc-1", Name: "web-01 on primary",
		Backup:                NameAndGuid{GUID: "bk-1", Name: "web-01 backup"},
		SnapshotTime:          locs[0].SnapshotTime,
		BackupDestination:     NameAndGuid{GUID: "bd-1", Name: "xfs-primary"},
		RoleType:              Enum[DestinationRole]{Name: DestinationRolePrimary, Description: "Primary"},
		BackupDestinationType: Enum[BackupDestinationType]{Name: BackupDestinationTypeSyntheticXFS, Description: "Synthetic XFS"},
		Status:                Enum[BackupLocationStatus]{Name: BackupLocationStatusPresent, Description: "Present"},
		RetentionHint:         Enum[RetentionHint]{Name: RetentionHintStandardRetention, Description: "Standard retention"},
		Type:                  EnumNameAndDescription{Name: "VM", Description: "Virtual machine"},
	}, locs[0])
	assert.Equal(t, int64(1717000000000), locs[0].SnapshotTime.UnixMilli())

	// nil options send no query.
	_, err = c.BackupLocations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, captor.all()[1].Query)
}

func TestBackupLocationsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	//lint:ignore SA1012 a nil context is the bad argument under test
	_, err := c.BackupLocations.List(nil, nil)
	requireArgError(t, err, "ctx")
}
