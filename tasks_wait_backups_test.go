package vprotect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireTask is a task of the given type as the server sends it, on VM vm,
// with extra members (a backup, a parent, a reason).
func wireTask(typ TaskType, guid string, state TaskState, vm, extra string) string {
	return fmt.Sprintf(`{"guid":%q,"type":{"name":%q},"state":{"name":%q},"progress":50,"protectedEntity":{"guid":%q,"name":%q}%s}`,
		guid, typ, state, vm, "name-"+vm, extra)
}

// Three VMs: one stored, one whose EXPORT fails, one whose STORE starts
// and fails between two polls. One list request per poll; after the polls
// in which watched tasks left that list, one list of the ended tasks; after
// the poll in which the backup was stored, one list of backups. Nothing is
// read one by one.
func TestWaitForBackupsPerVMResults(t *testing.T) {
	c, mt := newTestClient(t)
	backupRef := func(b string) string { return `,"backup":{"guid":"` + b + `"},"startTime":1700000000000` }
	e1 := wireTask(TaskTypeExport, "e1", TaskStateFinished, "vm-1", backupRef("b1"))
	e2 := wireTask(TaskTypeExport, "e2", TaskStateFailed, "vm-2", backupRef("b2")+`,"statusInfo":"snapshot failed"`)
	e3 := wireTask(TaskTypeExport, "e3", TaskStateFinished, "vm-3", backupRef("b3"))
	s3 := wireTask(TaskTypeStore, "s3", TaskStateFailed, "vm-3", backupRef("b3")+`,"parentTask":{"guid":"e3"},"statusInfo":"destination full"`)
	s1 := wireTask(TaskTypeStore, "s1", TaskStateFinished, "vm-1", backupRef("b1")+`,"parentTask":{"guid":"e1"}`)
	list := respondSeq(mt, http.MethodGet, pollQuery, nil,
		okStep(`[`+wireTask(TaskTypeExport, "e1", TaskStateRunning, "vm-1", backupRef("b1"))+`,`+
			wireTask(TaskTypeExport, "e2", TaskStateRunning, "vm-2", backupRef("b2"))+`,`+
			wireTask(TaskTypeExport, "e3", TaskStateQueued, "vm-3", backupRef("b3"))+`]`),
		okStep(`[]`),
		okStep(`[`+wireTask(TaskTypeStore, "s1", TaskStateRunning, "vm-1", backupRef("b1")+`,"parentTask":{"guid":"e1"}`)+`]`),
		okStep(`[]`))
	ended := respondSeq(mt, http.MethodGet, endedQuery, nil,
		okStep(`[`+e1+`,`+e2+`,`+e3+`]`),
		okStep(`[`+e1+`,`+e2+`,`+e3+`,`+s3+`]`),
		okStep(`[`+e1+`,`+e2+`,`+e3+`,`+s3+`,`+s1+`]`))
	backups := respondSeq(mt, http.MethodGet, "/backups", nil,
		okStep(`[{"guid":"b1","status":{"name":"SUCCESS"},"size":42,"protectedEntity":{"guid":"vm-1"}},{"guid":"b3","status":{"name":"FAILED"}}]`))

	var seen []string
	results, err := c.Tasks.WaitForBackupsFunc(context.Background(), func(t *Task) {
		seen = append(seen, fmt.Sprintf("%s %s %s", t.GUID, t.Type.Name, t.State.Name))
	}, "e1", "e2", "e3")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrTaskFailed)
	var tfe *TaskFailedError
	require.ErrorAs(t, err, &tfe)
	assert.Equal(t, "e2", tfe.Task.GUID, "errors.As finds the first, in the order given")

	require.Len(t, results, 3)
	r := results[0]
	assert.NoError(t, r.Err)
	assert.Equal(t, "e1", r.ExportTaskGUID)
	assert.Equal(t, "vm-1", r.VM.GUID)
	assert.Equal(t, TaskStateFinished, r.Export.State.Name)
	assert.Equal(t, "s1", r.Store.GUID)
	assert.Equal(t, TaskStateFinished, r.Store.State.Name)
	require.NotNil(t, r.Backup)
	assert.Equal(t, int64(42), r.Backup.Size)

	r = results[1]
	assert.ErrorIs(t, r.Err, ErrTaskFailed)
	assert.ErrorContains(t, r.Err, "snapshot failed")
	assert.Equal(t, "vm-2", r.VM.GUID)
	assert.Nil(t, r.Store)
	assert.Nil(t, r.Backup)

	r = results[2]
	require.ErrorAs(t, r.Err, &tfe)
	assert.Equal(t, "s3", tfe.Task.GUID)
	assert.Equal(t, "destination full", tfe.StatusInfo)
	assert.Equal(t, "s3", r.Store.GUID)
	assert.Nil(t, r.Backup)

	assert.Len(t, list.all(), 4, "one list request per poll")
	assert.Len(t, ended.all(), 3, "one list of ended tasks after each of the last three polls")
	assert.Len(t, backups.all(), 1, "one list of backups")
	assert.Equal(t, []string{
		"e1 EXPORT RUNNING", "e2 EXPORT RUNNING", "e3 EXPORT QUEUED", // poll 1
		"e1 EXPORT FINISHED", "e2 EXPORT FAILED", "e3 EXPORT FINISHED", // poll 2: they left the list
		"s1 STORE RUNNING", "s3 STORE FAILED", // poll 3
		"s1 STORE FINISHED", // poll 4
	}, seen)
}

// A backup the server reports stored before any STORE task shows is a
// result too; a task gone (404) ends that VM's wait, not the batch; a 401
// after re-login ends the whole wait.
func TestWaitForBackupsStoredWithoutStoreTaskAndGoneTasks(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks", nil, okStep(`[]`))
	respondJSON(mt, http.MethodGet, "/tasks/e1", http.StatusOK, wireTask(TaskTypeExport, "e1", TaskStateFinished, "vm-1", `,"backup":{"guid":"b1"}`))
	respondJSON(mt, http.MethodGet, "/tasks?backup=b1&type=STORE", http.StatusOK, `[]`)
	respondJSON(mt, http.MethodGet, "/backups/b1", http.StatusOK, `{"guid":"b1","status":{"name":"SUCCESS"}}`)
	respondJSON(mt, http.MethodGet, "/tasks/e2", http.StatusNotFound, `{"message":"task e2 not found"}`)
	results, err := c.Tasks.WaitForBackups(context.Background(), "e1", "e2")
	assert.ErrorIs(t, err, ErrNotFound)
	require.Len(t, results, 2)
	assert.NoError(t, results[0].Err)
	assert.Equal(t, "b1", results[0].Backup.GUID)
	assert.Nil(t, results[0].Store)
	assert.ErrorIs(t, results[1].Err, ErrNotFound)
	assert.Nil(t, results[1].Export)

	c, mt = newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks", nil, step{http.StatusForbidden, `{"message":"no"}`})
	results, err = c.Tasks.WaitForBackups(context.Background(), "e1")
	assert.ErrorIs(t, err, ErrForbidden)
	assert.Nil(t, results)

	_, err = c.Tasks.WaitForBackups(context.Background(), "e1", " ")
	requireArgError(t, err, "exportTaskGUIDs[1]")
	results, err = c.Tasks.WaitForBackups(context.Background())
	assert.NoError(t, err)
	assert.Empty(t, results)
	assert.False(t, errors.Is(err, ErrTaskFailed))
}
