package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMountedBackupsGetAndFiles(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodGet, "/mounted-backups/a%2Fb", http.StatusOK, `{"guid":"a/b","mode":{"name":"ISCSI","description":"iSCSI"},
		"state":{"name":"MOUNTING"},"node":{"guid":"node-1","name":"node-1"},"mountedFileSystemCount":0,"mountedFileCount":1,
		"allowedClients":["iqn.2020-01.test:c"],"backup":{"guid":"bk-1","snapshotTime":1717000000000,"iscsiMountable":true}}`)
	files := respondJSON(mt, http.MethodGet, "/mounted-files", http.StatusOK, `[{"path":"/data/vm1-disk0.raw","randomAccess":true}]`)
	ctx := context.Background()

	mb, err := c.MountedBackups.Get(ctx, "a/b")
	require.NoError(t, err)
	assert.Equal(t, MountModeISCSI, mb.Mode.Name)
	assert.False(t, mb.IsMounted())
	assert.Equal(t, "node-1", mb.Node.Name)
	assert.Equal(t, []string{"iqn.2020-01.test:c"}, mb.AllowedClients)
	assert.True(t, mb.Backup.IscsiMountable)
	assert.True(t, mb.UnmountTime.IsZero(), "not sent")

	got, err := c.MountedBackups.Files(ctx, "mb-1")
	require.NoError(t, err)
	assert.Equal(t, []MountedFile{{Path: "/data/vm1-disk0.raw", RandomAccess: true}}, got)
	assert.Equal(t, url.Values{"mounted-backup": {"mb-1"}}, files.only(t).Query)

	respondJSON(mt, http.MethodGet, "/mounted-backups/gone", http.StatusNotFound, `{"message":"mounted backup gone not found"}`)
	_, err = c.MountedBackups.Get(ctx, "gone")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = c.MountedBackups.Get(ctx, "")
	requireArgError(t, err, "guid")
	_, err = c.MountedBackups.Files(ctx, "")
	requireArgError(t, err, "mountedBackupGUID")
}
