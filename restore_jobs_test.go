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

func TestRestoreJobsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/restore-jobs", http.StatusOK, fixture(t, "restore_job_list.json"))

	jobs, err := c.RestoreJobs.List(context.Background(), &RestoreJobListOptions{
		ProtectedEntity: "vm-1",
		From:            time.UnixMilli(1717000000000),
		To:              time.UnixMilli(1717300000000),
	})
	require.NoError(t, err)
	req := rec.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, url.Values{"protected-entity": {"vm-1"}, "from": {"1717000000000"}, "to": {"1717300000000"}}, req.Query)

	require.Len(t, jobs, 2)
	j := jobs[0]
	assert.Equal(t, "rj-2", j.GUID)
	assert.Equal(t, &NameGuidAndType{GUID: "vm-1", Name: "web-01", Type: EnumNameAndDescription{Name: "VM", Description: "Virtual machine"}}, j.ProtectedEntity)
	assert.True(t, j.RestoreTime.Equal(time.UnixMilli(1717200000000)))
	assert.Equal(t, "bk-1", j.Backup.GUID)
	assert.True(t, j.Backup.SnapshotTime.Equal(time.UnixMilli(1717000000000)))
	assert.Equal(t, int64(5<<30), j.Backup.Size)
	assert.Equal(t, EnumNameAndDescription{Name: "FINISHED", Description: "Finished"}, j.Status)
	assert.Equal(t, "Restore finished", j.StatusInfo)
	assert.Equal(t, Enum[RestoreType]{Name: RestoreTypeRestoreAndImport, Description: "Restore and import"}, j.RestoreType)
	assert.Equal(t, RestoreTaskTimeStats{
		QueuedRestoreTime: Duration(time.Second), RestoreTime: Duration(time.Minute),
		QueuedImportTime: Duration(2 * time.Second), ImportTime: Duration(30 * time.Second),
	}, j.TaskTimeStats)
	assert.Nil(t, jobs[1].ProtectedEntity)
	assert.Equal(t, RestoreTypeRestore, jobs[1].RestoreType.Name)
}

func TestRestoreJobsListAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/restore-jobs", http.StatusOK, `[]`)
	jobs, err := c.RestoreJobs.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, jobs)
	assert.Empty(t, rec.only(t).Query)
}

func TestRestoreJobsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	_, err := c.RestoreJobs.List(context.Background(), &RestoreJobListOptions{From: time.UnixMilli(2000), To: time.UnixMilli(1000)})
	requireArgError(t, err, "RestoreJobListOptions.To")
}
