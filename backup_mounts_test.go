package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupsForMount(t *testing.T) {
	c, mt := newTestClient(t)
	backups := respondJSON(mt, http.MethodGet, "/backups", http.StatusOK, `[{"guid":"bk-1"}]`)
	fsList := respondJSON(mt, http.MethodGet, "/file-systems", http.StatusOK,
		`[{"volume":"/dev/sda1","label":"boot","type":"ext4","size":1073741824},{"volume":"/dev/vg_sda/lv_root","label":"root","type":"xfs","size":5}]`)
	files := respondJSON(mt, http.MethodGet, "/backup-files", http.StatusOK,
		`[{"guid":"bf-1","path":"/data/vm1-disk0.raw","size":42,"backupTime":1717000000000,"iscsiMountable":true},{"guid":"bf-2","path":"/data/b"}]`)
	ctx := context.Background()

	got, err := c.Backups.ListMountable(ctx, "vm-1")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, url.Values{"protected-entity": {"vm-1"}, "only-mountable": {"true"}}, backups.only(t).Query)

	fss, err := c.Backups.FileSystems(ctx, "bk-1")
	require.NoError(t, err)
	assert.Equal(t, []FileSystem{{Volume: "/dev/sda1", Label: "boot", Type: "ext4", Size: 1 << 30}, {Volume: "/dev/vg_sda/lv_root", Label: "root", Type: "xfs", Size: 5}}, fss)
	assert.Equal(t, url.Values{"backup": {"bk-1"}}, fsList.only(t).Query)

	bfs, err := c.BackupFiles.List(ctx, "bk-1")
	require.NoError(t, err)
	require.Len(t, bfs, 2)
	assert.True(t, bfs[0].IscsiMountable)
	assert.Equal(t, int64(42), bfs[0].Size)
	assert.Equal(t, int64(1717000000000), bfs[0].BackupTime.UnixMilli())
	assert.False(t, bfs[1].IscsiMountable, "absent is false")
	assert.Equal(t, url.Values{"backup": {"bk-1"}}, files.only(t).Query)

	_, err = c.Backups.ListMountable(ctx, "")
	requireArgError(t, err, "vmGUID")
	_, err = c.Backups.FileSystems(ctx, "")
	requireArgError(t, err, "backupGUID")
	_, err = c.BackupFiles.List(ctx, "")
	requireArgError(t, err, "backupGUID")
}
