package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupsListQuery(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/backups", http.StatusOK, fixture(t, "backup_list.json"))
	from := time.UnixMilli(1717000000000)
	to := time.UnixMilli(1717100000000)

	bks, err := c.Backups.List(context.Background(), &BackupListOptions{
		ListOptions:     ListOptions{Size: 5, OrderBy: "snapshotTime", Direction: SortAscending},
		ProtectedEntity: "vm-1",
		Statuses:        []BackupStatus{BackupStatusSuccess, BackupStatusPartialSuccess},
		From:            from,
		To:              to,
		OnlyMountable:   true,
	})
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/backups", req.Path)
	assert.Equal(t, url.Values{
		"page": {"0"}, "size": {"5"}, "orderBy": {"snapshotTime"}, "direction": {"asc"},
		"protected-entity": {"vm-1"}, "status": {"SUCCESS", "PARTIAL_SUCCESS"},
		"from": {"1717000000000"}, "to": {"1717100000000"}, "only-mountable": {"true"},
	}, req.Query)
	require.Len(t, bks, 2)
	assert.Equal(t, BackupTypeFull, bks[0].Type.Name)
	assert.True(t, bks[0].IsSuccessful())
	assert.Equal(t, BackupStatusSuccessRemoved, bks[1].Status.Name)
	assert.False(t, bks[1].IsSuccessful())
	assert.Equal(t, int64(104857600), bks[1].Size)
}

func TestBackupsListForVM(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/backups", http.StatusOK, fixture(t, "backup_list.json"))
	bks, err := c.Backups.ListForVM(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Len(t, bks, 2)
	req := captor.only(t)
	assert.Equal(t, "/backups", req.Path)
	assert.Equal(t, url.Values{"protected-entity": {"a/b c"}}, req.Query)
}

func TestBackupsGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "=~/backups/.+$", http.StatusOK, fixture(t, "backup_get.json"))

	b, err := c.Backups.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/backups/a%2Fb%20c", req.Path)

	ms := func(v int64) time.Time { return time.UnixMilli(v) }
	assert.Equal(t, "a/b c", b.GUID)
	assert.Equal(t, NameGuidAndType{GUID: "vm-1", Name: "web-01", Type: EnumNameAndDescription{Name: "VM", Description: "Virtual machine"}}, b.ProtectedEntity)
	assert.Equal(t, Enum[BackupType]{Name: BackupTypeIncremental, Description: "Incremental"}, b.Type)
	assert.Equal(t, Enum[BackupStatus]{Name: BackupStatusPartialSuccess, Description: "Partial success"}, b.Status)
	assert.True(t, b.IsSuccessful())
	assert.Equal(t, "1 disk skipped", b.StatusInfo)
	assert.True(t, b.SnapshotTime.Equal(ms(1717000000000)))
	assert.True(t, b.BackupTime.Equal(ms(1717000600000)))
	assert.Equal(t, int64(5<<30), b.Size)
	assert.Equal(t, int64(1<<30), b.EffectiveBackupSize)
	assert.Equal(t, int64(3), b.EffectiveBackupObjectsCount)
	assert.Equal(t, []string{"Disk vdb excluded"}, b.Warnings)
	assert.True(t, b.WarningsPresent)
	assert.True(t, b.WarningsAcknowledged)
	assert.Equal(t, "before upgrade", b.Description)
	assert.Equal(t, &NameAndGuid{GUID: "rule-1", Name: "Default"}, b.BackupRule)
	assert.Equal(t, &NameGuidAndType{GUID: "sched-1", Name: "daily", Type: EnumNameAndDescription{Name: "SCHEDULE", Description: "Schedule"}}, b.OriginEntity)
	assert.Equal(t, OriginTypeSchedule, OriginType(b.OriginEntity.Type.Name))
	assert.Equal(t, TaskTimeStats{
		QueuedExportTime: Duration(time.Second), ExportTime: Duration(time.Minute),
		QueuedStoreTime: Duration(2 * time.Second), StoreTime: Duration(2 * time.Minute),
	}, b.TaskTimeStats)
	assert.Equal(t, 183*time.Second, b.TaskDurationTime.Std())
	assert.Equal(t, &NameAndGuid{GUID: "bk-full-1", Name: "web-01 full"}, b.ParentBackup)
	assert.Equal(t, Enum[VMExportImportMode]{Name: VMExportImportModeDiskImageTransfer, Description: "Disk image transfer"}, b.VMExportImportMode)
	assert.Equal(t, &NameAndGuid{GUID: "prj-1", Name: "tenant-a"}, b.SourceProject)
	assert.Equal(t, &NameAndGuid{GUID: "vm-1", Name: "web-01"}, b.SourceNameAndGuid)
	assert.True(t, b.ArchiveExpire.Equal(ms(1719592000000)))
	assert.False(t, b.Hidden)

	require.Len(t, b.NetworkInterfaceCards, 1)
	assert.Equal(t, NetworkInterfaceCard{
		GUID: "nic-1", UUID: "fa:16:3e:00:00:01", Name: "eth0",
		Network:        &NameAndGuid{GUID: "net-1", Name: "private"},
		VirtualMachine: &NameAndGuid{GUID: "vm-1", Name: "web-01"},
		Backups:        []NameAndGuid{{GUID: "a/b c", Name: "web-01 backup"}},
	}, b.NetworkInterfaceCards[0])

	require.Len(t, b.BackupLocations, 2)
	l := b.BackupLocations[0]
	assert.Equal(t, "loc-1", l.GUID)
	assert.Equal(t, "web-01 on primary", l.Name)
	assert.Equal(t, NameAndGuid{GUID: "a/b c", Name: "web-01 backup"}, l.Backup)
	assert.True(t, l.SnapshotTime.Equal(ms(1717000000000)))
	assert.Equal(t, NameAndGuid{GUID: "bd-1", Name: "xfs-primary"}, l.BackupDestination)
	assert.Equal(t, Enum[DestinationRole]{Name: DestinationRolePrimary, Description: "Primary"}, l.RoleType)
	assert.Equal(t, Enum[BackupDestinationType]{Name: BackupDestinationTypeSyntheticXFS, Description: "Synthetic XFS"}, l.BackupDestinationType)
	assert.Equal(t, Enum[BackupLocationStatus]{Name: BackupLocationStatusPresent, Description: "Present"}, l.Status)
	assert.Equal(t, Enum[RetentionHint]{Name: RetentionHintArchive, Description: "Mark to keep"}, l.RetentionHint)
	assert.Equal(t, EnumNameAndDescription{Name: "VM", Description: "Virtual machine"}, l.Type)
	l2 := b.BackupLocations[1]
	assert.Equal(t, DestinationRoleSecondary, l2.RoleType.Name)
	assert.Equal(t, BackupLocationStatusInProgress, l2.Status.Name)
	assert.True(t, l2.RetentionHint.IsZero())
}

func TestBackupsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	_, err := c.Backups.Get(ctx, "")
	requireArgError(t, err, "guid")
	_, err = c.Backups.ListForVM(ctx, "")
	requireArgError(t, err, "vmGUID")
	_, err = c.Backups.List(ctx, &BackupListOptions{From: time.UnixMilli(2000), To: time.UnixMilli(1000)})
	requireArgError(t, err, "BackupListOptions.To")
	_, err = c.Backups.ListPage(ctx, &BackupListOptions{ListOptions: ListOptions{Page: -1}})
	requireArgError(t, err, "ListOptions.Page")
	for _, err := range c.Backups.All(ctx, &BackupListOptions{ListOptions: ListOptions{Direction: "sideways"}}) {
		requireArgError(t, err, "ListOptions.Direction")
	}
}

func TestBackupsSetDescription(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPut, "=~/backups/.+/description$", http.StatusOK, nil)

	require.NoError(t, c.Backups.SetDescription(context.Background(), "a/b c", "before upgrade"))
	req := rec.only(t)
	assert.Equal(t, http.MethodPut, req.Method)
	assert.Equal(t, "/backups/a%2Fb%20c/description", req.Path)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assertGolden(t, "backup_description.json", req.Body)
}

func TestBackupsAcknowledgeWarnings(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPut, "=~/backups/.+/warnings-acknowledged$", http.StatusNoContent, nil)

	require.NoError(t, c.Backups.AcknowledgeWarnings(context.Background(), "bk-1"))
	req := rec.only(t)
	assert.Equal(t, "/backups/bk-1/warnings-acknowledged", req.Path)
	assertGolden(t, "backup_warnings_acknowledged.json", req.Body)
}

func TestBackupsSettersBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	requireArgError(t, c.Backups.SetDescription(ctx, " ", "x"), "guid")
	requireArgError(t, c.Backups.AcknowledgeWarnings(ctx, ""), "guid")
}

func TestBackupsGetIscsiMountable(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodGet, "/backups/bk-1", http.StatusOK, `{"guid":"bk-1","iscsiMountable":true,"taskTimeStats":{"queuedExportTime":0,"exportTime":1000,"queuedStoreTime":0,"storeTime":2000}}`)
	b, err := c.Backups.Get(context.Background(), "bk-1")
	require.NoError(t, err)
	assert.True(t, b.IscsiMountable)
	assert.Equal(t, time.Second, b.TaskTimeStats.ExportTime.Std())
}
