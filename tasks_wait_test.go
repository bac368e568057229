package vprotect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// taskJSON is a task answer in the wire format.
func taskJSON(guid string, state TaskState, progress float64, extra string) step {
	body := fmt.Sprintf(`{"guid":%q,"type":{"name":"EXPORT","description":"Export"},"state":{"name":%q,"description":"x"},"progress":%g,"statusInfo":""%s}`,
		guid, state, progress, extra)
	return step{http.StatusOK, body}
}

func okStep(body string) step { return step{http.StatusOK, body} }

func TestWaitFinishedWithProgress(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondSeq(mt, http.MethodGet, "=~/tasks/.+$", nil,
		taskJSON("a/b c", TaskStateQueued, 0, ""),
		taskJSON("a/b c", TaskStateRunning, 40.5, ""),
		taskJSON("a/b c", TaskStateFinished, 100, ""))

	var seen []string
	task, err := c.Tasks.WaitFunc(context.Background(), "a/b c", func(t *Task) {
		seen = append(seen, fmt.Sprintf("%s %.1f", t.State.Name, t.Progress))
	})
	require.NoError(t, err)
	assert.Equal(t, TaskStateFinished, task.State.Name)
	assert.Equal(t, []string{"QUEUED 0.0", "RUNNING 40.5", "FINISHED 100.0"}, seen)
	reqs := captor.all()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, "/tasks/a%2Fb%20c", r.Path)
	}
}

func TestWaitTerminalStates(t *testing.T) {
	tests := []struct {
		state    TaskState
		sentinel error
	}{
		{TaskStateFailed, ErrTaskFailed},
		{TaskStateCancelled, ErrTaskCancelled},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			c, mt := newTestClient(t)
			respondSeq(mt, http.MethodGet, "/tasks/t1", nil,
				taskJSON("t1", TaskStateRunning, 10, ""),
				taskJSON("t1", tt.state, 10, `,"statusInfo":"Snapshot failed: disk locked","protectedEntity":{"guid":"vm-1","name":"web-01"}`))

			task, err := c.Tasks.Wait(context.Background(), "t1")
			var tfe *TaskFailedError
			require.ErrorAs(t, err, &tfe)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.Equal(t, tt.state, tfe.State)
			assert.Equal(t, "Snapshot failed: disk locked", tfe.StatusInfo)
			assert.Equal(t, "t1", tfe.Task.GUID)
			assert.Contains(t, err.Error(), "Snapshot failed: disk locked")
			assert.Contains(t, err.Error(), "web-01")
			require.NotNil(t, task, "the final task comes with the error")
			assert.Equal(t, tt.state, task.State.Name)
		})
	}
}

func TestWaitToleratesTransientErrors(t *testing.T) {
	c, mt := newTestClient(t)
	boom := step{http.StatusInternalServerError, `{"message":"boom"}`}
	captor := respondSeq(mt, http.MethodGet, "/tasks/t1", nil,
		taskJSON("t1", TaskStateRunning, 10, ""), boom, boom, boom,
		taskJSON("t1", TaskStateRunning, 50, ""), boom, boom, boom,
		taskJSON("t1", TaskStateFinished, 100, ""))
	task, err := c.Tasks.Wait(context.Background(), "t1")
	require.NoError(t, err)
	assert.Equal(t, TaskStateFinished, task.State.Name)
	assert.Len(t, captor.all(), 9)
}

func TestWaitTransportErrorIsTransient(t *testing.T) {
	c, mt := newTestClient(t, WithRetry(NoRetry()))
	var mu sync.Mutex
	n := 0
	mt.RegisterResponder(http.MethodGet, testBase+"/tasks/t1", func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return httpmock.NewStringResponse(http.StatusOK, taskJSON("t1", TaskStateFinished, 100, "").body), nil
	})
	task, err := c.Tasks.Wait(context.Background(), "t1")
	require.NoError(t, err)
	assert.Equal(t, TaskStateFinished, task.State.Name)
}

func TestWaitGivesUpAfterFourTransientErrors(t *testing.T) {
	c, mt := newTestClient(t)
	boom := step{http.StatusInternalServerError, `{"message":"boom"}`}
	captor := respondSeq(mt, http.MethodGet, "/tasks/t1", nil, taskJSON("t1", TaskStateRunning, 10, ""), boom)
	_, err := c.Tasks.Wait(context.Background(), "t1")
	require.ErrorIs(t, err, ErrServer)
	assert.Len(t, captor.all(), 1+maxTransientPollErrors+1)
}

func TestWaitFailsAtOnceOnPermanentErrors(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden, http.StatusUnauthorized} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondSeq(mt, http.MethodGet, "/tasks/t1", nil,
				taskJSON("t1", TaskStateRunning, 10, ""), step{status, `{"message":"no"}`})
			task, err := c.Tasks.Wait(context.Background(), "t1")
			require.Error(t, err)
			assert.Nil(t, task)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Len(t, captor.all(), 2)
		})
	}
}

func TestWaitContextCancelled(t *testing.T) {
	c, mt := newTestClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	captor := respondSeq(mt, http.MethodGet, "/tasks/t1", func(n int) {
		if n == 3 {
			cancel()
		}
	}, taskJSON("t1", TaskStateRunning, 10, ""))

	task, err := c.Tasks.Wait(ctx, "t1")
	require.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, task)
	assert.Contains(t, err.Error(), "RUNNING", "the error tells the last state seen")
	assert.Len(t, captor.all(), 3)
}

func TestWaitDeadline(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks/t1", nil, taskJSON("t1", TaskStateRunning, 10, ""))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.Tasks.Wait(ctx, "t1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// The queries of a shared poll and of the list of ended tasks.
const (
	pollQuery  = "/tasks?states=QUEUED&states=RUNNING"
	endedQuery = "/tasks?page=0&size=500&states=FINISHED&states=FAILED&states=CANCELLED"
)

func TestWaitAllThroughTheList(t *testing.T) {
	c, mt := newTestClient(t)
	list := respondSeq(mt, http.MethodGet, pollQuery, nil,
		okStep(`[`+taskJSON("t1", TaskStateRunning, 10, "").body+`,`+taskJSON("t2", TaskStateQueued, 0, "").body+`,`+
			taskJSON("t3", TaskStateRunning, 5, "").body+`,`+taskJSON("other", TaskStateRunning, 1, "").body+`]`),
		okStep(`[`+taskJSON("t2", TaskStateRunning, 60, "").body+`]`),
		okStep(`[]`))
	ended := respondSeq(mt, http.MethodGet, endedQuery, nil,
		okStep(`[`+taskJSON("old", TaskStateFinished, 100, "").body+`,`+taskJSON("t1", TaskStateFinished, 100, "").body+`,`+
			taskJSON("t3", TaskStateFailed, 5, `,"statusInfo":"window expired"`).body+`,`+taskJSON("t2", TaskStateFinished, 100, "").body+`]`))

	tasks, err := c.Tasks.WaitAll(context.Background(), "t1", "t2", "t3")
	var tfe *TaskFailedError
	require.ErrorAs(t, err, &tfe)
	assert.ErrorIs(t, err, ErrTaskFailed)
	assert.Equal(t, "t3", tfe.Task.GUID)
	assert.Equal(t, "window expired", tfe.StatusInfo)

	require.Len(t, tasks, 3)
	for i, want := range []TaskState{TaskStateFinished, TaskStateFinished, TaskStateFailed} {
		assert.Equal(t, fmt.Sprintf("t%d", i+1), tasks[i].GUID)
		assert.Equal(t, want, tasks[i].State.Name)
	}
	assert.Len(t, list.all(), 3, "one list request per poll")
	// t1 and t3 left the list at the second poll, t2 at the third: their
	// final states are read once, together, when none is running.
	assert.Len(t, ended.all(), 1, "the final states in one list, no GET per task")
}

// A task the list of ended tasks does not show is read on its own: still
// running (it has only just moved), then ended.
func TestWaitAllTaskNotInTheEndedList(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
	ended := respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[`+taskJSON("t1", TaskStateFinished, 100, "").body+`]`))
	get := respondSeq(mt, http.MethodGet, "/tasks/t2", nil,
		taskJSON("t2", TaskStateRunning, 99, ""), taskJSON("t2", TaskStateFinished, 100, ""))
	tasks, err := c.Tasks.WaitAll(context.Background(), "t1", "t2")
	require.NoError(t, err)
	assert.Equal(t, TaskStateFinished, tasks[1].State.Name)
	assert.Len(t, ended.all(), 2)
	assert.Len(t, get.all(), 2)
}

func TestWaitAllServerIgnoringTheFilter(t *testing.T) {
	c, mt := newTestClient(t)
	list := respondSeq(mt, http.MethodGet, "/tasks", nil,
		okStep(`[`+taskJSON("t1", TaskStateRunning, 10, "").body+`,`+taskJSON("t2", TaskStateCancelled, 0, "").body+`]`),
		okStep(`[`+taskJSON("t1", TaskStateFinished, 100, "").body+`,`+taskJSON("t2", TaskStateCancelled, 0, "").body+`]`))

	tasks, err := c.Tasks.WaitAll(context.Background(), "t1", "t2", "t1")
	require.ErrorIs(t, err, ErrTaskCancelled)
	require.Len(t, tasks, 3)
	assert.Equal(t, []TaskState{TaskStateFinished, TaskStateCancelled, TaskStateFinished},
		[]TaskState{tasks[0].State.Name, tasks[1].State.Name, tasks[2].State.Name})
	assert.Len(t, list.all(), 2)
}

func TestWaitAllAllFinished(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks", nil, okStep(`[]`))
	respondSeq(mt, http.MethodGet, "/tasks/t1", nil, taskJSON("t1", TaskStateFinished, 100, ""))
	tasks, err := c.Tasks.WaitAll(context.Background(), "t1")
	require.NoError(t, err)
	require.Len(t, tasks, 1)

	tasks, err = c.Tasks.WaitAll(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, tasks)
	assert.Empty(t, tasks)
}

func TestWaitAllContextAndErrors(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks", nil, okStep(`[`+taskJSON("t1", TaskStateRunning, 10, "").body+`]`))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Tasks.WaitAll(ctx, "t1")
	require.ErrorIs(t, err, context.DeadlineExceeded)

	c2, mt2 := newTestClient(t)
	respondSeq(mt2, http.MethodGet, "/tasks", nil, okStep(`[]`))
	respondSeq(mt2, http.MethodGet, "/tasks/gone", nil, step{http.StatusNotFound, `{"message":"Task not found"}`})
	_, err = c2.Tasks.WaitAll(context.Background(), "gone")
	require.ErrorIs(t, err, ErrNotFound)
}

func TestWaitForBackup(t *testing.T) {
	c, mt := newTestClient(t)
	withBackup := `,"backup":{"guid":"bk-1","name":"web-01 backup"},"startTime":1700000000000`
	exp := func(state TaskState, progress float64) string {
		return taskJSON("exp-1", state, progress, withBackup).body
	}
	store := func(state TaskState) string {
		return `{"guid":"st-1","type":{"name":"STORE"},"state":{"name":"` + string(state) + `"},"backup":{"guid":"bk-1"},"parentTask":{"guid":"exp-1"}}`
	}
	polls := respondSeq(mt, http.MethodGet, pollQuery, nil,
		okStep(`[`+exp(TaskStateRunning, 50)+`]`),
		okStep(`[]`),
		okStep(`[`+store(TaskStateQueued)+`]`),
		okStep(`[]`))
	ended := respondSeq(mt, http.MethodGet, endedQuery, nil,
		okStep(`[`+exp(TaskStateFinished, 100)+`]`),
		okStep(`[`+exp(TaskStateFinished, 100)+`,`+store(TaskStateFinished)+`]`))
	backups := respondSeq(mt, http.MethodGet, "/backups", nil,
		okStep(`[{"guid":"other","status":{"name":"SUCCESS"}},{"guid":"bk-1","status":{"name":"SUCCESS","description":"Success"},"size":2147483648}]`))

	var seen []string
	b, err := c.Tasks.WaitForBackupFunc(context.Background(), "exp-1", func(t *Task) {
		seen = append(seen, fmt.Sprintf("%s %s", t.Type.Name, t.State.Name))
	})
	require.NoError(t, err)
	assert.Equal(t, "bk-1", b.GUID)
	assert.Equal(t, BackupStatusSuccess, b.Status.Name)
	assert.Equal(t, int64(2<<30), b.Size)
	assert.Equal(t, []string{"EXPORT RUNNING", "EXPORT FINISHED", "STORE QUEUED", "STORE FINISHED"}, seen)

	assert.Len(t, polls.all(), 4, "one list request per poll")
	assert.Len(t, ended.all(), 2, "the final states of the EXPORT, then of the STORE")
	reqs := backups.all()
	require.Len(t, reqs, 1, "the stored backup from the list")
	assert.Equal(t, url.Values{"from": {"1699999940000"}, "page": {"0"}, "size": {"500"}}, reqs[0].Query,
		"the backups since the export started (a minute earlier)")
}

func TestWaitForBackupFailures(t *testing.T) {
	withBackup := `,"backup":{"guid":"bk-1","name":"web-01 backup"}`
	finished := taskJSON("exp-1", TaskStateFinished, 100, withBackup).body
	t.Run("export fails", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil,
			okStep(`[`+taskJSON("exp-1", TaskStateFailed, 20, withBackup+`,"statusInfo":"no space left"`).body+`]`))
		b, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		assert.Nil(t, b)
		var tfe *TaskFailedError
		require.ErrorAs(t, err, &tfe)
		assert.Equal(t, "exp-1", tfe.Task.GUID)
		assert.Equal(t, "no space left", tfe.StatusInfo)
	})
	t.Run("store fails", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil,
			okStep(`[]`),
			okStep(`[{"guid":"st-1","type":{"name":"STORE"},"state":{"name":"RUNNING"},"backup":{"guid":"bk-1"}}]`),
			okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil,
			okStep(`[`+finished+`]`),
			okStep(`[`+finished+`,{"guid":"st-1","type":{"name":"STORE"},"state":{"name":"CANCELLED"},"statusInfo":"Canceled by user","backup":{"guid":"bk-1"}}]`))
		_, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		var tfe *TaskFailedError
		require.ErrorAs(t, err, &tfe)
		assert.ErrorIs(t, err, ErrTaskCancelled)
		assert.Equal(t, "st-1", tfe.Task.GUID)
	})
	t.Run("backup done without a visible store", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[`+finished+`]`))
		// The export's start is unknown: the backup is read on its own.
		get := respondSeq(mt, http.MethodGet, "/backups/bk-1", nil, okStep(`{"guid":"bk-1","status":{"name":"PARTIAL_SUCCESS"}}`))
		b, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		require.NoError(t, err)
		assert.Equal(t, BackupStatusPartialSuccess, b.Status.Name)
		assert.Len(t, get.all(), 1)
	})
	t.Run("backup failed without a visible store", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil,
			okStep(`[`+taskJSON("exp-1", TaskStateFinished, 100, withBackup+`,"startTime":1700000000000`).body+`]`))
		respondSeq(mt, http.MethodGet, "/backups", nil,
			okStep(`[{"guid":"bk-1","status":{"name":"IN_PROGRESS"}}]`),
			okStep(`[{"guid":"bk-1","status":{"name":"FAILED"},"statusInfo":"store failed"}]`))
		_, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		require.ErrorIs(t, err, ErrBackupFailed)
		assert.Contains(t, err.Error(), "store failed")
	})
	t.Run("backup not in the list", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`), okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil,
			okStep(`[`+taskJSON("exp-1", TaskStateFinished, 100, withBackup+`,"startTime":1700000000000`).body+`,`+
				`{"guid":"st-1","type":{"name":"STORE"},"state":{"name":"FINISHED"},"parentTask":{"guid":"exp-1"}}]`))
		list := respondSeq(mt, http.MethodGet, "/backups", nil, okStep(`[]`))
		get := respondSeq(mt, http.MethodGet, "/backups/bk-1", nil, okStep(`{"guid":"bk-1","status":{"name":"SUCCESS"},"iscsiMountable":true}`))
		b, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		require.NoError(t, err)
		assert.True(t, b.IscsiMountable, "read on its own")
		assert.Len(t, list.all(), 1)
		assert.Len(t, get.all(), 1)
	})
	t.Run("export names no backup", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[`+taskJSON("exp-1", TaskStateFinished, 100, "").body+`]`))
		_, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "does not name its backup")
	})
	t.Run("export not found", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
		respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[]`))
		respondSeq(mt, http.MethodGet, "/tasks/exp-1", nil, step{http.StatusNotFound, `{"message":"Task not found"}`})
		_, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
		require.ErrorIs(t, err, ErrNotFound)
	})
}

func TestPickStoreTask(t *testing.T) {
	mk := func(guid string, typ TaskType, state TaskState, backup, parent string) Task {
		t := Task{GUID: guid, Type: EnumOf(typ), State: EnumOf(state)}
		if backup != "" {
			t.Backup = RefPtr(backup)
		}
		if parent != "" {
			t.ParentTask = RefPtr(parent)
		}
		return t
	}
	tasks := []Task{
		mk("export", TaskTypeExport, TaskStateRunning, "bk-1", ""),
		mk("other-store", TaskTypeStore, TaskStateRunning, "bk-2", "exp-2"),
		mk("failed-store", TaskTypeStore, TaskStateFailed, "bk-1", "exp-1"),
		mk("retry-store", TaskTypeStore, TaskStateRunning, "", "exp-1"),
	}
	assert.Equal(t, "retry-store", pickStoreTask(tasks, "bk-1", "exp-1").GUID)
	assert.Equal(t, "failed-store", pickStoreTask(tasks[:3], "bk-1", "exp-1").GUID)
	assert.Nil(t, pickStoreTask(tasks[:2], "bk-1", "exp-1"))
}

func TestPollBackoff(t *testing.T) {
	bo := newPollBackoff(2 * time.Second)
	var got []time.Duration
	for range 8 {
		got = append(got, bo.next)
		bo.next = min(bo.next+bo.next/2, bo.max)
	}
	assert.Equal(t, []time.Duration{2 * time.Second, 3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond,
		10125 * time.Millisecond, 15187500 * time.Microsecond, 16 * time.Second, 16 * time.Second}, got)
	assert.Equal(t, 30*time.Second, newPollBackoff(10*time.Second).max)
	assert.Equal(t, time.Minute, newPollBackoff(time.Minute).max, "never below the interval")
	assert.Equal(t, time.Duration(0), newPollBackoff(0).max)
}

func TestWaitBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	_, err := c.Tasks.Wait(ctx, "")
	requireArgError(t, err, "guid")
	_, err = c.Tasks.WaitFunc(ctx, " ", func(*Task) {})
	requireArgError(t, err, "guid")
	_, err = c.Tasks.WaitAll(ctx, "t1", "")
	requireArgError(t, err, "guids[1]")
	_, err = c.Tasks.WaitForBackup(ctx, "")
	requireArgError(t, err, "exportTaskGUID")
}

func TestWaitForRestore(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil,
		okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"RUNNING"},"progress":40}`),
		okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FINISHED"},"progress":100}`))
	list := respondSeq(mt, http.MethodGet, "/tasks", nil,
		okStep(`[]`),
		okStep(`[{"guid":"im-1","type":{"name":"IMPORT"},"state":{"name":"QUEUED"},"parentTask":{"guid":"rs-1"}}]`))
	respondSeq(mt, http.MethodGet, "/tasks/im-1", nil,
		okStep(`{"guid":"im-1","type":{"name":"IMPORT"},"state":{"name":"RUNNING"},"progress":10}`),
		okStep(`{"guid":"im-1","type":{"name":"IMPORT"},"state":{"name":"FINISHED"},"progress":100,
			"dstProtectedEntity":{"guid":"vm-9","name":"web-01-restored","type":{"name":"VM"}}}`))

	var seen []string
	imp, err := c.Tasks.WaitForRestoreFunc(context.Background(), "rs-1", func(t *Task) {
		seen = append(seen, fmt.Sprintf("%s %s", t.Type.Name, t.State.Name))
	})
	require.NoError(t, err)
	assert.Equal(t, "im-1", imp.GUID)
	assert.Equal(t, "web-01-restored", imp.DstProtectedEntity.Name)
	assert.Equal(t, []string{"RESTORE RUNNING", "RESTORE FINISHED", "IMPORT RUNNING", "IMPORT FINISHED"}, seen)
	reqs := list.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"parent-task": {"rs-1"}, "type": {"IMPORT"}}, reqs[0].Query)
}

func TestWaitForRestoreFailures(t *testing.T) {
	t.Run("restore fails", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil,
			okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FAILED"},"statusInfo":"no storage"}`))
		_, err := c.Tasks.WaitForRestore(context.Background(), "rs-1")
		assert.ErrorIs(t, err, ErrTaskFailed)
		assert.ErrorContains(t, err, "no storage")
	})
	t.Run("import cancelled", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil, okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FINISHED"}}`))
		respondSeq(mt, http.MethodGet, "/tasks", nil, okStep(`[{"guid":"im-1","type":{"name":"IMPORT"},"state":{"name":"RUNNING"}}]`))
		respondSeq(mt, http.MethodGet, "/tasks/im-1", nil, okStep(`{"guid":"im-1","type":{"name":"IMPORT"},"state":{"name":"CANCELLED"}}`))
		_, err := c.Tasks.WaitForRestore(context.Background(), "rs-1")
		assert.ErrorIs(t, err, ErrTaskCancelled)
	})
	t.Run("no import before the deadline", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil, okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FINISHED"}}`))
		ctx := newDeadlineContext()
		lists := respondSeq(mt, http.MethodGet, "/tasks", func(n int) {
			if n == 3 {
				ctx.pass() // during the third list that shows no IMPORT
			}
		}, okStep(`[]`))
		_, err := c.Tasks.WaitForRestore(ctx, "rs-1")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "IMPORT task of restore rs-1")
		assert.Len(t, lists.all(), 3, "listed until the deadline, not after")
	})
	t.Run("empty guid", func(t *testing.T) {
		c, _ := newTestClient(t)
		_, err := c.Tasks.WaitForRestore(context.Background(), "")
		requireArgError(t, err, "restoreTaskGUID")
	})
}
