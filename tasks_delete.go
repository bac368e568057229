package vprotect

import (
	"context"
	"net/http"
)

// This file holds the task calls that remove things: a VM from vProtect,
// and the task console's bulk removals.

// DeleteVM removes the VM vmGUID from vProtect. The server answers with the
// DELETE tasks it started (they remove the VM's backups from the backup
// destinations, then the VM), or with none when the VM went at once (it had
// no backups). Wait for the tasks with WaitAll. The call is never re-sent.
//
// vProtect API: POST /tasks/delete
func (s *TasksService) DeleteVM(ctx context.Context, vmGUID string) ([]Task, error) {
	if err := requireGUID("vmGUID", vmGUID); err != nil {
		return nil, err
	}
	tasks, err := sendJSON[[]Task](ctx, s.client, http.MethodPost, "/tasks/delete", nil, newValueBody(vmGUID))
	if err != nil {
		return nil, err
	}
	if *tasks == nil {
		return []Task{}, nil
	}
	return *tasks, nil
}

// DeleteAllFinished removes every finished task (FINISHED, FAILED and
// CANCELLED) from the task list, as "Remove all finished tasks" does.
//
// vProtect API: DELETE /tasks/all-finished
func (s *TasksService) DeleteAllFinished(ctx context.Context) error {
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: "/tasks/all-finished"})
	return err
}

// DeleteAllFinishedAndQueued removes every finished task and every queued
// one, which therefore never runs (a queued export's backup is marked
// failed), as "Delete all finished and queued tasks" does. Running tasks go
// on.
//
// vProtect API: DELETE /tasks/all-finished-and-queued
func (s *TasksService) DeleteAllFinishedAndQueued(ctx context.Context) error {
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: "/tasks/all-finished-and-queued"})
	return err
}

// CancelAllRunning cancels every running task, as "Cancel all running
// tasks" does; they stay in the list as CANCELLED. Queued tasks then start
// as usual.
//
// vProtect API: DELETE /tasks/all-running
func (s *TasksService) CancelAllRunning(ctx context.Context) error {
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: "/tasks/all-running"})
	return err
}
