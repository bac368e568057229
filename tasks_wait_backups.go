package vprotect

import (
	"context"
	"errors"
	"fmt"
)

// BackupResult is the outcome of one whole backup (EXPORT, then STORE) that
// WaitForBackups waited for.
type BackupResult struct {
	// ExportTaskGUID is the EXPORT task it was asked to wait for.
	ExportTaskGUID string
	// VM is the VM backed up, as its EXPORT task names it; nil if it does not.
	VM *NameGuidAndType
	// Export is the EXPORT task in its final state; nil if it could not be
	// read (Err says why).
	Export *Task
	// Store is the STORE task in its final state; nil when the export did
	// not finish, or when the server reported the backup stored before a
	// STORE task was seen.
	Store *Task
	// Backup is the stored backup (SUCCESS or PARTIAL_SUCCESS), read once
	// at the end; nil when Err is set.
	Backup *Backup
	// Err is nil for a stored backup. Otherwise it is a *TaskFailedError
	// (the EXPORT or the STORE ended FAILED or CANCELLED), an error matching
	// ErrBackupFailed (the backup record says FAILED), ErrNotFound (a task
	// or the backup is gone), or the error that the EXPORT task does not
	// name its backup.
	Err error
}

// WaitForBackups waits for many whole backups at once, each the EXPORT
// task Export returned for one VM and the STORE task the server starts
// after it, and returns one result per export, in the order given. The
// error is nil when every backup was stored; otherwise it joins the
// results' errors (errors.Is(err, ErrTaskFailed) works, errors.As finds the
// first *TaskFailedError), and the results say which VMs they belong to.
// A wait that cannot go on (the context ends, a 401 or 403, more than 3
// transient errors in a row) returns no results and that error.
//
// It costs one list request per poll, whatever the number of VMs: each poll
// is a single GET /tasks?states=QUEUED&states=RUNNING, which shows every
// watched EXPORT and STORE task while it is queued or running, a STORE as
// soon as the server starts it. Besides the polls each VM costs three
// requests in all: GET /tasks/{guid} for the final EXPORT once it has left
// the list, the same for the final STORE (for a STORE that started and
// ended between two polls, GET /tasks?backup={backup}&type=STORE instead),
// and GET /backups/{guid} for the stored backup. A server that has not
// started the STORE of a finished export, nor marked its backup stored,
// costs that VM those two look-ups again each poll until it does.
//
// Measured against vprotecttest (go test -run TestWaitForBackupsRequestCount
// -v .) with the default task times (EXPORT 3 s,
// STORE 2 s, two tasks at a time per node, so that most tasks queue) and a
// poll every 2 s: 10 VMs cost 43 requests in all (13 polls and 30 reads;
// WaitAll for the EXPORT half alone costs 18), 100 VMs 426 (126 polls and
// 300 reads; WaitAll 176). With all 100 running at once, 303 (3 polls,
// 300 reads). The polls grow with how long the batch takes, not with the
// number of VMs; waiting for each backup on its own (WaitForBackup) would
// poll each VM separately, N polls a round instead of one.
//
// Pauses, transient errors and the deadline work as in WaitFunc.
//
// vProtect API: GET /tasks, GET /tasks/{guid}, GET /backups/{guid}
func (s *TasksService) WaitForBackups(ctx context.Context, exportTaskGUIDs ...string) ([]BackupResult, error) {
	return s.WaitForBackupsFunc(ctx, nil, exportTaskGUIDs...)
}

// WaitForBackupsFunc is WaitForBackups with a progress callback: progress
// (if not nil) is called, on the caller's goroutine, with each watched
// EXPORT and STORE task every time a poll sees it (its VM is in
// Task.ProtectedEntity), the last call for a VM being with its final task.
//
// vProtect API: GET /tasks, GET /tasks/{guid}, GET /backups/{guid}
func (s *TasksService) WaitForBackupsFunc(ctx context.Context, progress func(*Task), exportTaskGUIDs ...string) ([]BackupResult, error) {
	for i, g := range exportTaskGUIDs {
		if err := requireGUID(fmt.Sprintf("exportTaskGUIDs[%d]", i), g); err != nil {
			return nil, err
		}
	}
	if progress == nil {
		progress = func(*Task) {}
	}
	waits := make([]*backupWait, len(exportTaskGUIDs))
	for i, g := range exportTaskGUIDs {
		waits[i] = &backupWait{res: BackupResult{ExportTaskGUID: g}}
	}
	pending := func() int {
		n := 0
		for _, w := range waits {
			if !w.done {
				n++
			}
		}
		return n
	}
	describe := func() string {
		return fmt.Sprintf("wait for %d backups (%d not stored yet)", len(waits), pending())
	}
	active := &TaskListOptions{States: []TaskState{TaskStateQueued, TaskStateRunning}}
	err := s.poll(ctx, describe, func(ctx context.Context) (bool, error) {
		if pending() == 0 {
			return true, nil
		}
		tasks, err := s.List(ctx, active)
		if err != nil {
			return false, err
		}
		l := newListedTasks(tasks)
		for _, w := range waits {
			if w.done {
				continue
			}
			if err := w.advance(ctx, s, l, progress); err != nil {
				return false, err
			}
		}
		return pending() == 0, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]BackupResult, len(waits))
	var errs []error
	for i, w := range waits {
		out[i] = w.res
		if w.res.Err != nil {
			errs = append(errs, w.res.Err)
		}
	}
	return out, errors.Join(errs...)
}

// listedTasks is one poll's answer, indexed: tasks by GUID and STORE tasks
// by their export and by their backup.
type listedTasks struct {
	byGUID            map[string]*Task
	storeByParent     map[string]*Task
	storeByBackupGUID map[string]*Task
}

func newListedTasks(tasks []Task) listedTasks {
	l := listedTasks{byGUID: map[string]*Task{}, storeByParent: map[string]*Task{}, storeByBackupGUID: map[string]*Task{}}
	for i := range tasks {
		t := &tasks[i]
		l.byGUID[t.GUID] = t
		if t.Type.Name != TaskTypeStore {
			continue
		}
		if t.ParentTask != nil && t.ParentTask.GUID != "" {
			l.storeByParent[t.ParentTask.GUID] = t
		}
		if t.Backup != nil && t.Backup.GUID != "" {
			l.storeByBackupGUID[t.Backup.GUID] = t
		}
	}
	return l
}

// store returns the listed STORE task of an export or its backup, or nil.
func (l listedTasks) store(exportGUID, backupGUID string) *Task {
	if t := l.storeByParent[exportGUID]; t != nil {
		return t
	}
	return l.storeByBackupGUID[backupGUID]
}

// backupWait is the state of one VM's backup in WaitForBackups.
type backupWait struct {
	res      BackupResult
	backup   string // the backup's GUID, once the export named it
	exported bool   // the EXPORT has finished
	store    string // the STORE task's GUID, once seen
	done     bool
}

// finish ends the wait of this VM with err (nil: stored).
func (w *backupWait) finish(err error) {
	w.res.Err, w.done = err, true
}

// perVM reports whether err belongs to this VM only (a task or the backup
// gone) rather than to the whole wait; such an error ends this VM's wait.
func (w *backupWait) perVM(err error) bool {
	if errors.Is(err, ErrNotFound) {
		w.finish(err)
		return true
	}
	return false
}

// advance moves one VM's wait on with a poll's list; it returns only the
// errors that end the whole wait.
func (w *backupWait) advance(ctx context.Context, s *TasksService, l listedTasks, progress func(*Task)) error {
	if !w.exported {
		t, err := w.current(ctx, s, l, w.res.ExportTaskGUID)
		if err != nil {
			if w.perVM(err) {
				return nil
			}
			return err
		}
		w.res.Export = t
		if w.res.VM == nil && t.ProtectedEntity != nil {
			pe := *t.ProtectedEntity
			w.res.VM = &pe
		}
		progress(t)
		if !t.IsTerminal() {
			return nil
		}
		if err := taskOutcome(t); err != nil {
			w.finish(err)
			return nil
		}
		if t.Backup == nil || t.Backup.GUID == "" {
			w.finish(fmt.Errorf("vprotect: export task %s does not name its backup, so its STORE task cannot be found", t.GUID))
			return nil
		}
		w.exported, w.backup = true, t.Backup.GUID
		return nil // its STORE shows in the next poll's list
	}
	var t *Task
	if w.store == "" {
		// This poll's list was read after the export ended: a STORE still
		// queued or running is in it. One that is not has already ended, or
		// has not been created yet.
		t = l.store(w.res.ExportTaskGUID, w.backup)
		if t == nil {
			found, stored, err := s.lookUpStore(ctx, w.backup, w.res.ExportTaskGUID)
			switch {
			case err != nil && w.perVM(err):
				return nil
			case err != nil && errors.Is(err, ErrBackupFailed):
				w.finish(err)
				return nil
			case err != nil:
				return err
			case stored != nil:
				w.res.Backup = stored
				w.finish(nil)
				return nil
			case found == nil:
				return nil // neither a STORE task nor a stored backup yet
			}
			t = found
		}
		w.store = t.GUID
	} else {
		var err error
		if t, err = w.current(ctx, s, l, w.store); err != nil {
			if w.perVM(err) {
				return nil
			}
			return err
		}
	}
	w.res.Store = t
	progress(t)
	if !t.IsTerminal() {
		return nil
	}
	if err := taskOutcome(t); err != nil {
		w.finish(err)
		return nil
	}
	b, err := (*BackupsService)(s).Get(ctx, w.backup)
	if err != nil {
		if w.perVM(err) {
			return nil
		}
		return err
	}
	w.res.Backup = b
	w.finish(nil)
	return nil
}

// current returns the task guid as this poll knows it: from the list while
// it is queued or running (or in a final state, from a server that ignores
// the filter), else read with GET /tasks/{guid}: once it has ended, that is
// the only read it needs.
func (w *backupWait) current(ctx context.Context, s *TasksService, l listedTasks, guid string) (*Task, error) {
	if t, ok := l.byGUID[guid]; ok {
		return t, nil
	}
	return s.Get(ctx, guid)
}

// lookUpStore finds the STORE task of a backup that no poll has listed:
// GET /tasks?backup={backup}&type=STORE, and while it shows none the backup
// itself, which may already report success (stored) or failure
// (ErrBackupFailed).
func (s *TasksService) lookUpStore(ctx context.Context, backupGUID, exportGUID string) (store *Task, stored *Backup, err error) {
	tasks, err := s.List(ctx, &TaskListOptions{Backup: backupGUID, Type: TaskTypeStore})
	if err != nil {
		return nil, nil, err
	}
	if st := pickStoreTask(tasks, backupGUID, exportGUID); st != nil {
		return st, nil, nil
	}
	b, err := (*BackupsService)(s).Get(ctx, backupGUID)
	switch {
	case err != nil:
		return nil, nil, err
	case b.IsSuccessful():
		return nil, b, nil
	case b.Status.Name == BackupStatusFailed:
		return nil, nil, fmt.Errorf("%w: backup %s: %s", ErrBackupFailed, backupGUID, b.StatusInfo)
	}
	return nil, nil, nil
}
