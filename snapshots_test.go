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

func TestSnapshotsList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/snapshots", 200, fixture(t, "snapshot_list.json"))

	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	got, err := c.Snapshots.List(context.Background(), &SnapshotListOptions{
		ListOptions:       ListOptions{Size: 10, OrderBy: "snapshotTime", Direction: SortDescending},
		ProtectedEntities: []string{"vm-0001", "vm-0002"},
		StandAlone:        Ptr(false),
		Status:            SnapshotStatusPresent,
		From:              from,
		To:                from.Add(24 * time.Hour),
		After:             from.Add(time.Hour),
		Policy:            "spol-0001",
		BackupRule:        "srule-0001",
		UUID:              "6f1c",
		ProjectUUID:       "c0ffee",
		NameLike:          "web",
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"protected-entity": {"vm-0001", "vm-0002"}, "stand-alone": {"false"}, "status": {"PRESENT"},
		"from": {"1767225600000"}, "to": {"1767312000000"}, "after": {"1767229200000"},
		"policy": {"spol-0001"}, "backup-rule": {"srule-0001"}, "uuid": {"6f1c"}, "project-uuid": {"c0ffee"},
		"nameLike": {"web"}, "page": {"0"}, "size": {"10"}, "orderBy": {"snapshotTime"}, "direction": {"desc"},
	}, captor.only(t).Query)

	require.Len(t, got, 2)
	s := got[0]
	assert.Equal(t, "snap-0002", s.GUID)
	assert.Equal(t, time.UnixMilli(1767261600000).UTC(), s.SnapshotTime.UTC())
	assert.Equal(t, NameGuidAndType{GUID: "vm-0001", Name: "web-01", Type: EnumNameAndDescription{Name: "VM", Description: "Virtual machine"}}, s.ProtectedEntity)
	require.NotNil(t, s.Rule)
	assert.Equal(t, SnapshotRule{
		GUID: "srule-0001", Name: "Default", RetentionVersions: 3, RetentionDays: 7,
		Policy: &NameAndGuid{GUID: "spol-0001", Name: "hourly-snapshots"}, Schedules: []NameAndGuid{{GUID: "sched-0009", Name: "every-hour"}},
		VMCount: 2, SchedulesCount: 1, Active: true,
	}, *s.Rule)
	assert.True(t, s.WarningsPresent)
	assert.Equal(t, []string{"guest agent not responding, snapshot not quiesced"}, s.Warnings)
	assert.Equal(t, SnapshotStatusPresent, s.Status.Name)
	assert.True(t, s.StandAlone)
	assert.Empty(t, s.LastStoredSnapshotAssignments)

	inc := got[1]
	assert.Nil(t, inc.Rule, "the snapshot kept for incremental backups has no rule")
	assert.False(t, inc.StandAlone)
	assert.Equal(t, `{"cbt":"52 8e 1a"}`, inc.Metadata)
	assert.Equal(t, []SnapshotAssignment{{ProtectedEntitySnapshot: NameAndGuid{GUID: "snap-0001"}}}, inc.LastStoredSnapshotAssignments)

	vm := &VirtualMachine{LastStoredSnapshot: &NameAndGuid{GUID: "snap-0001"}}
	assert.True(t, inc.IsCurrent(vm))
	assert.False(t, s.IsCurrent(vm))
	assert.False(t, s.IsCurrent(nil))
}

func TestSnapshotsListStandAloneTrue(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/snapshots", 200, "[]")
	got, err := c.Snapshots.List(context.Background(), &SnapshotListOptions{ProtectedEntities: []string{"vm-1"}, StandAlone: Ptr(true)})
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Equal(t, url.Values{"protected-entity": {"vm-1"}, "stand-alone": {"true"}}, captor.only(t).Query)
}

func TestSnapshotsGet(t *testing.T) {
	c, mt := newTestClient(t)
	items := rawItems(t, "snapshot_list.json")
	captor := respondJSON(mt, http.MethodGet, "/snapshots/snap%2F2", 200, []byte(items[0]))
	s, err := c.Snapshots.Get(context.Background(), "snap/2")
	require.NoError(t, err)
	assert.Equal(t, "/snapshots/snap%2F2", captor.only(t).Path)
	assert.Equal(t, "snap-0002", s.GUID)
}

func TestSnapshotsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	_, err := c.Snapshots.Get(ctx, "")
	requireArgError(t, err, "guid")
	_, err = c.Snapshots.List(ctx, &SnapshotListOptions{ProtectedEntities: []string{"vm-1", ""}})
	requireArgError(t, err, "SnapshotListOptions.ProtectedEntities[1]")
	now := time.Now()
	_, err = c.Snapshots.List(ctx, &SnapshotListOptions{From: now, To: now.Add(-time.Hour)})
	requireArgError(t, err, "SnapshotListOptions.To")
	_, err = c.Snapshots.ListPage(ctx, &SnapshotListOptions{ListOptions: ListOptions{Page: 2}})
	requireArgError(t, err, "ListOptions.Page")
}

func TestSnapshotsAcknowledgeWarnings(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPut, "/snapshots/warnings-acknowledged", http.StatusOK, fixture(t, "snapshot_warnings_acknowledged.json"))

	got, err := c.Snapshots.AcknowledgeWarnings(context.Background(), "snap-0002", "snap-0003")
	require.NoError(t, err)
	assertGolden(t, "snapshot_warnings_acknowledged.json", rec.only(t).Body)
	require.Len(t, got, 1)
	assert.Equal(t, "snap-0002", got[0].GUID)
	assert.False(t, got[0].WarningsPresent)
	assert.Empty(t, got[0].Warnings)
}

func TestSnapshotsAcknowledgeWarningsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	_, err := c.Snapshots.AcknowledgeWarnings(ctx)
	requireArgError(t, err, "guids")
	_, err = c.Snapshots.AcknowledgeWarnings(ctx, "snap-0001", " ")
	requireArgError(t, err, "guids[1]")
}
