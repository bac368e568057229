package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// InventorySync asks the given hypervisor managers to synchronise their
// inventory (the vendor UI's "Synchronize inventory"): an INVENTORY_SYNC
// task per manager finds hypervisors and VMs and updates where they are.
// It returns the tasks when the server names them (an empty slice when it
// answers without a body). A POST, never re-sent.
//
// vProtect API: POST /tasks/inventory-sync
func (s *TasksService) InventorySync(ctx context.Context, managerGUIDs ...string) ([]Task, error) {
	body, err := newInventorySyncBody(managerGUIDs)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[taskArray](ctx, s.client, http.MethodPost, "/tasks/inventory-sync", nil, body)
	if err != nil {
		return nil, err
	}
	return out.tasks(), nil
}

// inventorySyncBody is the body of an inventory sync: the managers.
type inventorySyncBody struct {
	HypervisorManagers []NameAndGuid `json:"hypervisorManagers"`
}

// newInventorySyncBody checks that managerGUIDs names at least one manager.
func newInventorySyncBody(managerGUIDs []string) (*inventorySyncBody, error) {
	if len(managerGUIDs) == 0 {
		return nil, argError("managerGUIDs", "must hold at least one hypervisor manager GUID")
	}
	if err := checkGUIDs("managerGUIDs", managerGUIDs); err != nil {
		return nil, err
	}
	return &inventorySyncBody{HypervisorManagers: Refs(managerGUIDs...)}, nil
}

// taskArray decodes the answer of a call that starts tasks: an array of
// tasks, a single task, or nothing.
type taskArray []Task

// UnmarshalJSON accepts an array of tasks, a single task or null.
func (a *taskArray) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var t Task
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		*a = taskArray{t}
		return nil
	}
	return json.Unmarshal(b, (*[]Task)(a))
}

// tasks returns the tasks, never nil.
func (a *taskArray) tasks() []Task {
	if *a == nil {
		return []Task{}
	}
	return *a
}
