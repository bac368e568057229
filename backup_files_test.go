package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupFilesListForRestore(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/backup-files/detailed/for-restore", http.StatusOK, fixture(t, "backup_files_for_restore.json"))

	files, err := c.BackupFiles.ListForRestore(context.Background(), "bk-1")
	require.NoError(t, err)
	req := rec.only(t)
	assert.Equal(t, "/backup-files/detailed/for-restore", req.Path)
	assert.Equal(t, url.Values{"backup": {"bk-1"}, "with-modified-configs": {"true"}}, req.Query)

	require.Len(t, files, 3)
	f := files[0]
	assert.Equal(t, "bf-1", f.GUID)
	assert.Equal(t, "/vprotect_data/web-01/disk1.qcow2", f.Path)
	assert.Equal(t, Enum[BackupFileType]{Name: BackupFileTypeDisk, Description: "Disk"}, f.BackupFileType)
	assert.Equal(t, "st-uuid-1", f.StorageID)
	assert.Equal(t, &BackupFileDisk{GUID: "disk-1", Name: "disk1", OriginalStorage: &NameAndGuid{GUID: "st-1", Name: "ceph"}}, f.VMDisk)
	assert.True(t, f.IscsiMountable)
	assert.True(t, f.IsRestorableDisk())

	assert.Empty(t, files[1].StorageID)
	assert.True(t, files[1].VMDisk.ExcludedFromBackup)
	assert.True(t, files[1].IsRestorableDisk())
	assert.Nil(t, files[2].VMDisk)
	assert.False(t, files[2].IsRestorableDisk())
	assert.False(t, files[2].BackupFileType.Name.IsKnown())
}

func TestBackupFilesBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	_, err := c.BackupFiles.ListForRestore(context.Background(), "")
	requireArgError(t, err, "backupGUID")
}
