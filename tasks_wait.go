package vprotect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Sentinels for failed work. A *TaskFailedError matches ErrTaskFailed or
// ErrTaskCancelled with errors.Is, by the task's state.
var (
	// ErrTaskFailed matches a *TaskFailedError for a FAILED task.
	ErrTaskFailed = errors.New("vprotect: task failed")
	// ErrTaskCancelled matches a *TaskFailedError for a CANCELLED task.
	ErrTaskCancelled = errors.New("vprotect: task cancelled")
	// ErrBackupFailed is returned by WaitForBackup when the backup record
	// itself reports FAILED before its STORE task could be found.
	ErrBackupFailed = errors.New("vprotect: backup failed")
)

// TaskFailedError is returned when a waited-for task ends FAILED or CANCELLED.
// Use errors.As to get the task and the server's reason.
type TaskFailedError struct {
	// Task is the task in its final state.
	Task *Task
	// State is FAILED or CANCELLED.
	State TaskState
	// StatusInfo is the server's reason (the task's statusInfo).
	StatusInfo string
}

// Error describes the task, its state and the server's reason.
func (e *TaskFailedError) Error() string {
	s := fmt.Sprintf("vprotect: %s task %s %s", e.Task.Type.Name, e.Task.GUID, e.State)
	if e.Task.Type.Name == "" {
		s = fmt.Sprintf("vprotect: task %s %s", e.Task.GUID, e.State)
	}
	if pe := e.Task.ProtectedEntity; pe != nil && pe.Name != "" {
		s += " (" + pe.Name + ")"
	}
	if e.StatusInfo != "" {
		s += ": " + e.StatusInfo
	}
	return truncate(s, maxErrorText)
}

// Is matches ErrTaskFailed for FAILED and ErrTaskCancelled for CANCELLED.
func (e *TaskFailedError) Is(target error) bool {
	switch target {
	case ErrTaskFailed:
		return e.State == TaskStateFailed
	case ErrTaskCancelled:
		return e.State == TaskStateCancelled
	}
	return false
}

// taskOutcome returns a *TaskFailedError for a FAILED or CANCELLED task, else nil.
func taskOutcome(t *Task) error {
	switch t.State.Name {
	case TaskStateFailed, TaskStateCancelled:
		return &TaskFailedError{Task: t, State: t.State.Name, StatusInfo: t.StatusInfo}
	}
	return nil
}

// Polling limits.
const (
	// maxPollGrowth bounds the poll interval at this many times the first one…
	maxPollGrowth = 8
	// maxPollCap …and at this, unless the first interval is longer still.
	maxPollCap = 30 * time.Second
	// maxTransientPollErrors is how many transient errors in a row a wait tolerates.
	maxTransientPollErrors = 3
)

// pollBackoff is the pause between polls: it starts at the client's poll
// interval and grows ×1.5 up to min(8 × interval, 30 s), never below the
// interval itself.
type pollBackoff struct{ next, max time.Duration }

func newPollBackoff(interval time.Duration) *pollBackoff {
	limit := min(interval*maxPollGrowth, maxPollCap)
	return &pollBackoff{next: interval, max: max(limit, interval)}
}

// wait sleeps for the current interval and grows it.
func (b *pollBackoff) wait(ctx context.Context) error {
	d := b.next
	b.grow()
	return sleep(ctx, d)
}

// grow moves the interval on to the next one.
func (b *pollBackoff) grow() { b.next = min(b.next+b.next/2, b.max) }

// poll calls step until it reports done, pausing with backoff between calls.
// Up to maxTransientPollErrors transient errors in a row are tolerated; any
// other error is returned as it is. When ctx ends, poll returns ctx's error
// wrapped with describe().
func (s *TasksService) poll(ctx context.Context, describe func() string, step func(context.Context) (bool, error)) error {
	bo := newPollBackoff(s.client.cfg.pollInterval)
	failures := 0
	for {
		done, err := step(ctx)
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("vprotect: %s: %w", describe(), ctx.Err())
		case err == nil && done:
			return nil
		case err == nil:
			failures = 0
		case transientPollError(ctx, err) && failures < maxTransientPollErrors:
			failures++
			if lg := s.client.log; lg != nil {
				lg.l.LogAttrs(ctx, slog.LevelWarn, "vprotect poll failed, polling again",
					slog.String("wait", describe()), slog.String("error", err.Error()), slog.Int("failures", failures))
			}
		default:
			return err
		}
		if err := bo.wait(ctx); err != nil {
			return fmt.Errorf("vprotect: %s: %w", describe(), err)
		}
	}
}

// describeWait names a wait for error messages, with the last state seen.
func describeWait(guid string, last *Task) string {
	if last == nil {
		return "wait for task " + guid
	}
	return fmt.Sprintf("wait for task %s (last seen %s, %.1f%%)", guid, last.State.Name, last.Progress)
}

// Wait polls the task guid until it ends and returns it. A FINISHED task is
// returned with a nil error; a FAILED or CANCELLED one is returned together
// with a *TaskFailedError. See WaitFunc for the polling rules.
//
// vProtect API: GET /tasks/{guid}
func (s *TasksService) Wait(ctx context.Context, guid string) (*Task, error) {
	return s.WaitFunc(ctx, guid, nil)
}

// WaitFunc is Wait with a progress callback: progress (if not nil) is called
// with the task after every successful poll, the last call being with the
// final task, on the caller's goroutine.
//
// Polling: one GET /tasks/{guid} per poll. The pause between polls starts
// at the client's poll interval (WithPollInterval, 2 s by default) and grows
// ×1.5 per poll up to min(8 × interval, 30 s): with the default interval the
// pauses are 2, 3, 4.5, 6.75, 10.1, 15.2 s and then 16 s, so a wait makes
// at most 6 + D/16 s polls over a duration D (about 4 a minute once settled).
// Up to 3 transient errors in a row (transport errors, 5xx, 429; each poll
// has also had the client's own retries) are tolerated; any other error
// (404, 401, 403, …) ends the wait at once. There is no timeout of its own:
// the deadline comes from ctx, and when ctx ends the error wraps ctx's
// error (errors.Is(err, context.DeadlineExceeded) works).
//
// vProtect API: GET /tasks/{guid}
func (s *TasksService) WaitFunc(ctx context.Context, guid string, progress func(*Task)) (*Task, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	var last *Task
	err := s.poll(ctx, func() string { return describeWait(guid, last) }, func(ctx context.Context) (bool, error) {
		t, err := s.Get(ctx, guid)
		if err != nil {
			return false, err
		}
		last = t
		if progress != nil {
			progress(t)
		}
		return t.IsTerminal(), nil
	})
	if err != nil {
		return nil, err
	}
	return last, taskOutcome(last)
}

// WaitAll waits until every task in guids has ended and returns them in the
// order of guids. If some ended FAILED or CANCELLED, the tasks are returned
// together with an error joining their *TaskFailedErrors (errors.As finds
// the first; errors.Is(err, ErrTaskFailed) works).
//
// It watches the tasks through the list endpoint, not one GET per task and
// poll: each poll is a single GET /tasks?states=QUEUED&states=RUNNING. A
// watched task that is no longer in that list has ended; once none of them
// is, their final states are read together from the list of ended tasks
// (GET /tasks?states=FINISHED&states=FAILED&states=CANCELLED, in pages of
// DefaultPageSize; a task found in a final state in the first list, from a
// server that ignores the filter, is taken as it is). A task the pages do
// not show (or when the pages left would cost more requests than the tasks
// still missing) is read with GET /tasks/{guid}. A wait for N tasks thus
// costs one request per poll and one or a few more at the end, whatever N.
// The poll is shared with the client's other WaitAll, WaitForBackup and
// WaitForBackups calls running at the same time (see WaitForBackups).
// Pauses, transient errors and the deadline work as in WaitFunc.
//
// vProtect API: GET /tasks
func (s *TasksService) WaitAll(ctx context.Context, guids ...string) ([]Task, error) {
	for i, g := range guids {
		if err := requireGUID(fmt.Sprintf("guids[%d]", i), g); err != nil {
			return nil, err
		}
	}
	if len(guids) == 0 {
		return []Task{}, nil
	}
	w := &tasksWait{pending: make(map[string]bool, len(guids)), final: make(map[string]*Task, len(guids))}
	for _, g := range guids {
		w.pending[g] = true
	}
	if err := s.wait(ctx, w, nil); err != nil {
		return nil, err
	}
	out := make([]Task, len(guids))
	var errs []error
	for i, g := range guids {
		out[i] = *w.final[g]
		if err := taskOutcome(&out[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// tasksWait is the watch of WaitAll: the tasks not ended yet, and the
// final states of the others.
type tasksWait struct {
	pending map[string]bool
	final   map[string]*Task
}

func (w *tasksWait) finished() bool { return len(w.pending) == 0 }

func (w *tasksWait) describe() string {
	return fmt.Sprintf("wait for %d tasks (%d still running)", len(w.final)+len(w.pending), len(w.pending))
}

// advance takes the final states the round has seen; once no pending task
// is queued or running any more, it asks for all their final states at
// once (a task that has ended has no state to report before).
func (w *tasksWait) advance(r *round) error {
	running := 0
	for g := range w.pending {
		t := r.seen[g]
		switch {
		case t != nil && t.IsTerminal():
			w.final[g] = t
			delete(w.pending, g)
		case t != nil:
			running++
		case r.finalsRead:
			if err := r.taskErr(g); err != nil {
				return err
			}
		}
	}
	if running == 0 && !r.finalsRead {
		for g := range w.pending {
			r.task(g)
		}
	}
	return nil
}

// WaitForBackup waits for the whole backup an EXPORT task makes and returns
// the finished backup. It waits for the export (a FAILED or CANCELLED export
// gives its *TaskFailedError), then for the STORE task the server creates
// for the export's backup (again a *TaskFailedError if it fails), and reads
// the backup. While no STORE task is visible it also reads the backup each
// poll, and returns it as soon as it reports success (ErrBackupFailed if it
// reports FAILED). The export task must name its backup (Task.Backup), which
// the servers this SDK targets do.
//
// It is WaitForBackups for one export, and shares its poller with the
// client's other WaitAll, WaitForBackup and WaitForBackups calls: 100
// WaitForBackup calls at the same time cost what one WaitForBackups for
// 100 exports does. The backup is the record GET /backups lists (read once
// for all the backups stored in the same poll), so it has no
// NetworkInterfaceCards and IscsiMountable is false unless the server
// lists them: Backups.Get reads those. Polling, transient errors and the
// deadline work as in WaitFunc.
//
// vProtect API: GET /tasks, GET /tasks/{guid}, GET /backups, GET /backups/{guid}
func (s *TasksService) WaitForBackup(ctx context.Context, exportTaskGUID string) (*Backup, error) {
	return s.WaitForBackupFunc(ctx, exportTaskGUID, nil)
}

// WaitForBackupFunc is WaitForBackup with a progress callback: progress (if
// not nil) is called with the EXPORT task after every poll that sees it,
// then with the STORE task after every poll that sees that, on the
// caller's goroutine.
//
// vProtect API: GET /tasks, GET /tasks/{guid}, GET /backups, GET /backups/{guid}
func (s *TasksService) WaitForBackupFunc(ctx context.Context, exportTaskGUID string, progress func(*Task)) (*Backup, error) {
	if err := requireGUID("exportTaskGUID", exportTaskGUID); err != nil {
		return nil, err
	}
	w := &backupWait{res: BackupResult{ExportTaskGUID: exportTaskGUID}}
	if err := s.wait(ctx, w, progress); err != nil {
		return nil, err
	}
	if w.res.Err != nil {
		return nil, w.res.Err
	}
	return w.res.Backup, nil
}

// WaitForRestore waits for a whole restore-and-import: the RESTORE task
// that RestoreAndImport returned, then the IMPORT task the server creates
// after it (found with GET /tasks?parent-task={restore}&type=IMPORT), and
// returns the finished IMPORT task. A FAILED or CANCELLED task gives its
// *TaskFailedError. Polling, transient errors and the deadline work as in
// WaitFunc.
//
// vProtect API: GET /tasks/{guid}, GET /tasks
func (s *TasksService) WaitForRestore(ctx context.Context, restoreTaskGUID string) (*Task, error) {
	return s.WaitForRestoreFunc(ctx, restoreTaskGUID, nil)
}

// WaitForRestoreFunc is WaitForRestore with a progress callback, called
// with the RESTORE task after every poll of it, then with the IMPORT task.
//
// vProtect API: GET /tasks/{guid}, GET /tasks
func (s *TasksService) WaitForRestoreFunc(ctx context.Context, restoreTaskGUID string, progress func(*Task)) (*Task, error) {
	if err := requireGUID("restoreTaskGUID", restoreTaskGUID); err != nil {
		return nil, err
	}
	restore, err := s.WaitFunc(ctx, restoreTaskGUID, progress)
	if err != nil {
		return nil, err
	}
	imp, err := s.findChild(ctx, restore, TaskTypeImport)
	if err != nil {
		return nil, err
	}
	return s.WaitFunc(ctx, imp.GUID, progress)
}

// findChild polls for the task of type typ the server creates after parent
// (GET /tasks?parent-task={parent}&type={typ}).
func (s *TasksService) findChild(ctx context.Context, parent *Task, typ TaskType) (*Task, error) {
	var child *Task
	kind := cmp.Or(strings.ToLower(string(parent.Type.Name)), "task")
	describe := func() string { return fmt.Sprintf("wait for the %s task of %s %s", typ, kind, parent.GUID) }
	err := s.poll(ctx, describe, func(ctx context.Context) (bool, error) {
		tasks, err := s.List(ctx, &TaskListOptions{ParentTask: parent.GUID, Type: typ})
		if err != nil {
			return false, err
		}
		for i := range tasks {
			t := &tasks[i]
			if (t.Type.Name == "" || t.Type.Name == typ) && (t.ParentTask == nil || t.ParentTask.GUID == "" || t.ParentTask.GUID == parent.GUID) {
				child = t
				return true, nil
			}
		}
		return false, nil
	})
	return child, err
}

// pickStoreTask chooses the STORE task of a backup from a list answer: only
// STORE tasks that name the backup or the export (or name neither, trusting
// the server's filter), preferring one still queued or running, then a
// finished one, then any.
func pickStoreTask(tasks []Task, backupGUID, exportGUID string) *Task {
	var candidates []*Task
	for i := range tasks {
		t := &tasks[i]
		if t.Type.Name != "" && t.Type.Name != TaskTypeStore {
			continue
		}
		linked := (t.Backup != nil && t.Backup.GUID == backupGUID) ||
			(t.ParentTask != nil && t.ParentTask.GUID == exportGUID)
		unlinked := (t.Backup == nil || t.Backup.GUID == "") && (t.ParentTask == nil || t.ParentTask.GUID == "")
		if linked || unlinked {
			candidates = append(candidates, t)
		}
	}
	for _, t := range candidates {
		if !t.IsTerminal() {
			return t
		}
	}
	for _, t := range candidates {
		if t.State.Name == TaskStateFinished {
			return t
		}
	}
	if len(candidates) > 0 {
		return candidates[0]
	}
	return nil
}
