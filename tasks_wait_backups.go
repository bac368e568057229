package vprotect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"
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
	// Backup is the stored backup (SUCCESS or PARTIAL_SUCCESS) as GET
	// /backups lists it (Backups.Get adds NetworkInterfaceCards and
	// IscsiMountable), read once at the end; nil when Err is set.
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
// soon as the server starts it. A poll after which some of them have left
// that list reads their final states together, with one more request:
// GET /tasks?states=FINISHED&states=FAILED&states=CANCELLED (in pages of
// DefaultPageSize; GET /tasks/{guid} for a task the pages do not show, or
// when the pages left would cost more requests than the tasks missing),
// which also shows a STORE that started and ended between two polls. A
// poll after which some backups are stored reads them together, with one
// more: GET /backups?from={the earliest of their exports' start} (in the
// same pages; GET /backups/{guid} for one the list does not show). So the
// backups are the records the list gives: no NetworkInterfaceCards, which
// only Backups.Get reads. A server that has not started the STORE of a
// finished export, nor marked its backup stored, costs that VM a look-up
// (GET /tasks?backup={backup}&type=STORE, when the list of ended tasks was
// not read to its end) and a read of its backup each poll until it does.
// While watched tasks end and the whole task list fits in a page, the poll
// after is GET /tasks?page=0&size=500 instead: it shows the ended tasks
// beside the running ones, and no second list is needed.
//
// The poller is the client's, shared with every WaitAll, WaitForBackup and
// WaitForBackups running at the same time: it starts with the first wait
// and ends with the last. It polls when one of the waits is due on the
// schedule of WaitFunc (each counted from its last poll), and every wait
// takes part in every poll; a wait that begins while others run is polled
// at once. Each wait keeps its own context and errors.
//
// Measured against vprotecttest (go test -run TestWaitForBackupsRequestCount
// -v .) with the default task times (EXPORT 3 s, STORE 2 s, two tasks at a
// time per node, so that most tasks queue) and a poll every 2 s: 10 VMs
// cost 21 requests in all (13 polls), 100 VMs 202 (126 polls), where one
// GET per task and backup cost 43 and 426; with all 100 running at once, 5
// (3 polls) instead of 303. 100 WaitForBackup calls at the same time cost
// the same. With the default poll schedule (go test -bench
// Wait100Exports), 100 VMs cost 30 requests, where 21 is the fewest that
// can see their tasks end on that schedule.
//
// Pauses, transient errors and the deadline work as in WaitFunc.
//
// vProtect API: GET /tasks, GET /tasks/{guid}, GET /backups, GET /backups/{guid}
func (s *TasksService) WaitForBackups(ctx context.Context, exportTaskGUIDs ...string) ([]BackupResult, error) {
	return s.WaitForBackupsFunc(ctx, nil, exportTaskGUIDs...)
}

// WaitForBackupsFunc is WaitForBackups with a progress callback: progress
// (if not nil) is called, on the caller's goroutine, with each watched
// EXPORT and STORE task every time a poll sees it (its VM is in
// Task.ProtectedEntity), the last call for a VM being with its final task.
//
// vProtect API: GET /tasks, GET /tasks/{guid}, GET /backups, GET /backups/{guid}
func (s *TasksService) WaitForBackupsFunc(ctx context.Context, progress func(*Task), exportTaskGUIDs ...string) ([]BackupResult, error) {
	for i, g := range exportTaskGUIDs {
		if err := requireGUID(fmt.Sprintf("exportTaskGUIDs[%d]", i), g); err != nil {
			return nil, err
		}
	}
	if len(exportTaskGUIDs) == 0 {
		return []BackupResult{}, nil
	}
	w := &backupsWait{waits: make([]*backupWait, len(exportTaskGUIDs))}
	for i, g := range exportTaskGUIDs {
		w.waits[i] = &backupWait{res: BackupResult{ExportTaskGUID: g}}
	}
	if err := s.wait(ctx, w, progress); err != nil {
		return nil, err
	}
	out := make([]BackupResult, len(w.waits))
	var errs []error
	for i, bw := range w.waits {
		out[i] = bw.res
		if bw.res.Err != nil {
			errs = append(errs, bw.res.Err)
		}
	}
	return out, errors.Join(errs...)
}

// backupsWait is the watch of WaitForBackups: one backupWait per VM.
type backupsWait struct{ waits []*backupWait }

func (w *backupsWait) pending() int {
	n := 0
	for _, bw := range w.waits {
		if !bw.done {
			n++
		}
	}
	return n
}

func (w *backupsWait) finished() bool { return w.pending() == 0 }

func (w *backupsWait) describe() string {
	return fmt.Sprintf("wait for %d backups (%d not stored yet)", len(w.waits), w.pending())
}

// advance moves every VM's wait on; an error that is not one VM's own
// ends the whole wait.
func (w *backupsWait) advance(r *round) error {
	for _, bw := range w.waits {
		if err := bw.advance(r); err != nil {
			return err
		}
	}
	return nil
}

// backupWait is the state of one VM's backup, the watch of WaitForBackup
// and a part of WaitForBackups'.
type backupWait struct {
	res         BackupResult
	backup      string    // the backup's GUID, once the export named it
	exportStart time.Time // when the export started (or could start)
	exported    bool      // the EXPORT has finished
	store       string    // the STORE task's GUID, once seen
	done        bool
	reported    *Task // the task last given to progress
}

func (w *backupWait) finished() bool { return w.done }

func (w *backupWait) describe() string {
	switch {
	case w.store != "" && w.res.Store != nil:
		return fmt.Sprintf("wait for the backup of export task %s (STORE %s last seen %s, %.1f%%)",
			w.res.ExportTaskGUID, w.store, w.res.Store.State.Name, w.res.Store.Progress)
	case w.exported:
		return fmt.Sprintf("wait for the STORE task of backup %s", w.backup)
	case w.res.Export != nil:
		return fmt.Sprintf("wait for the backup of export task %s (last seen %s, %.1f%%)",
			w.res.ExportTaskGUID, w.res.Export.State.Name, w.res.Export.Progress)
	}
	return "wait for the backup of export task " + w.res.ExportTaskGUID
}

// finish ends the wait of this VM with err (nil: stored).
func (w *backupWait) finish(err error) {
	w.res.Err, w.done = err, true
}

// perVM ends this VM's wait with err when it is the VM's own (a task or the
// backup gone) and returns nil, or returns err, which ends the whole wait.
func (w *backupWait) perVM(err error) error {
	if errors.Is(err, ErrNotFound) {
		w.finish(err)
		return nil
	}
	return err
}

// report gives t to progress, once per state the round sees.
func (w *backupWait) report(r *round, t *Task) {
	if t != w.reported {
		w.reported = t
		r.progress(t)
	}
}

// advance moves one VM's wait on with what the round has read; it returns
// only the errors that end the whole wait.
func (w *backupWait) advance(r *round) error {
	if w.done {
		return nil
	}
	if !w.exported {
		t := r.task(w.res.ExportTaskGUID)
		if t == nil {
			return w.perVM(r.taskErr(w.res.ExportTaskGUID))
		}
		w.res.Export = t
		if w.res.VM == nil && t.ProtectedEntity != nil {
			pe := *t.ProtectedEntity
			w.res.VM = &pe
		}
		w.report(r, t)
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
		w.exportStart = cmp.Or(t.StartTime.Time, t.WindowStart.Time)
		return nil // its STORE shows in the next poll's lists
	}
	if w.store == "" {
		t := r.store(w.res.ExportTaskGUID, w.backup)
		if t == nil {
			return w.storeNotSeen(r)
		}
		w.store = t.GUID
	}
	t := r.task(w.store)
	if t == nil {
		return w.perVM(r.taskErr(w.store))
	}
	w.res.Store = t
	w.report(r, t)
	if !t.IsTerminal() {
		return nil
	}
	if err := taskOutcome(t); err != nil {
		w.finish(err)
		return nil
	}
	b, err := r.backup(w.backup, w.exportStart)
	switch {
	case err != nil:
		return w.perVM(err)
	case b != nil:
		w.res.Backup = b
		w.finish(nil)
	}
	return nil
}

// storeNotSeen handles a finished export whose STORE none of the round's
// lists showed: it has not been created yet, or the server stored the
// backup without one, which the backup tells (stored, or failed). When the
// list of ended tasks was not read to its end, the STORE is looked up.
func (w *backupWait) storeNotSeen(r *round) error {
	if _, asked := r.wantStores[w.backup]; !asked || !r.finalsRead {
		return nil // the export ended in this round, or the lists are not read yet
	}
	if !r.finalsComplete {
		st, stored, err := r.lookUpStore(w.backup, w.res.ExportTaskGUID)
		switch {
		case err != nil && errors.Is(err, ErrBackupFailed):
			w.finish(err)
			return nil
		case err != nil:
			return w.perVM(err)
		case stored != nil:
			w.res.Backup = stored
			w.finish(nil)
			return nil
		case st != nil:
			return w.advance(r) // r knows it now
		}
		return nil
	}
	b, err := r.backup(w.backup, w.exportStart)
	switch {
	case err != nil:
		return w.perVM(err)
	case b == nil:
	case b.IsSuccessful():
		w.res.Backup = b
		w.finish(nil)
	case b.Status.Name == BackupStatusFailed:
		w.finish(fmt.Errorf("%w: backup %s: %s", ErrBackupFailed, w.backup, b.StatusInfo))
	}
	return nil
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
