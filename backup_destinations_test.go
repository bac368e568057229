package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupDestinationsList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/backup-destinations", 200, fixture(t, "destination_list.json"))

	got, err := c.BackupDestinations.List(context.Background(), &ListOptions{Page: 1, Size: 10, OrderBy: "name", Direction: SortAscending, Filter: "s3"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"page": {"1"}, "size": {"10"}, "orderBy": {"name"}, "direction": {"asc"}, "filter": {"s3"}}, captor.only(t).Query)

	require.Len(t, got, 2)
	assert.Equal(t, BackupDestination{
		GUID:                     "bd-0001",
		Name:                     "local-xfs",
		Type:                     Enum[BackupDestinationType]{Name: BackupDestinationTypeSyntheticXFS, Description: "Synthetic XFS"},
		Description:              "Local synthetic XFS on the node",
		DefaultBackupDestination: true,
		NodeConfigs:              []NameAndGuid{{GUID: "nc-0001", Name: "Default node config"}},
		TotalUsedSpace:           536870912000,
		TotalAvailableSpace:      1099511627776,
		TotalDedupUsedSpace:      268435456000,
		TotalDedupAvailableSpace: 1649267441664,
		Projects:                 []NameAndGuid{{GUID: "prj-0001", Name: "tenant-a"}},
		VisibleForAllVms:         false,
	}, got[0])
	assert.Equal(t, BackupDestinationTypeS3, got[1].Type.Name)
	assert.True(t, got[1].VisibleForAllVms)
}

func TestBackupDestinationsUsableForVMs(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/backup-destinations/usable-for-vms", 200, fixture(t, "destination_list.json"))

	got, err := c.BackupDestinations.UsableForVMs(context.Background(), "vm-0001", "a/b c")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "offsite-s3", got[1].Name)
	req := captor.only(t)
	assert.Empty(t, req.Query)
	assertGolden(t, "destination_usable_for_vms.json", req.Body)
}

func TestBackupDestinationsUsableForVMsEmpty(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/backup-destinations/usable-for-vms", 200, "null")
	got, err := c.BackupDestinations.UsableForVMs(context.Background(), "vm-1")
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}
