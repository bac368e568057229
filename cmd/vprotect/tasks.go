package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// taskView is a task in -o json and -o yaml.
type taskView struct {
	GUID        string     `json:"guid"`
	Type        string     `json:"type"`  // EXPORT, STORE, RESTORE, IMPORT, …
	State       string     `json:"state"` // QUEUED, RUNNING, FINISHED, FAILED, CANCELLED
	Progress    float64    `json:"progress"`
	VM          string     `json:"vm,omitempty"`
	VMGUID      string     `json:"vmGuid,omitempty"`
	BackupType  string     `json:"backupType,omitempty"`
	Node        string     `json:"node,omitempty"`
	Priority    int        `json:"priority"`
	StatusInfo  string     `json:"statusInfo,omitempty"`
	WindowStart *time.Time `json:"windowStart"`
	StartTime   *time.Time `json:"startTime"`
	FinishTime  *time.Time `json:"finishTime"`
}

func newTaskView(t *vprotect.Task) taskView {
	v := taskView{GUID: t.GUID, Type: string(t.Type.Name), State: string(t.State.Name), Progress: t.Progress,
		VM: taskVM(t), BackupType: string(t.BackupType.Name), Node: ref(t.Node), Priority: t.Priority,
		StatusInfo: t.StatusInfo, WindowStart: rawTime(t.WindowStart), StartTime: rawTime(t.StartTime), FinishTime: rawTime(t.FinishTime)}
	if t.ProtectedEntity != nil {
		v.VMGUID = t.ProtectedEntity.GUID
	}
	return v
}

// taskVM is the name of the VM a task is about, "" for none.
func taskVM(t *vprotect.Task) string {
	switch {
	case t.ProtectedEntity != nil && t.ProtectedEntity.Name != "":
		return t.ProtectedEntity.Name
	case t.ProtectedEntityDisplayName != "":
		return t.ProtectedEntityDisplayName
	case t.ProtectedEntity != nil:
		return t.ProtectedEntity.GUID
	}
	return ""
}

// percent formats a task's progress: "40%", "-" before it runs.
func percent(t *vprotect.Task) string {
	if t.State.Name == vprotect.TaskStateQueued && t.Progress == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", t.Progress)
}

// taskTime is when a task started, else when it was queued.
func taskTime(t *vprotect.Task) vprotect.Timestamp {
	if !t.StartTime.IsZero() {
		return t.StartTime
	}
	return t.WindowStart
}

// sortTasks orders tasks newest first (start, else window start), then by GUID.
func sortTasks(tasks []vprotect.Task) {
	sort.SliceStable(tasks, func(i, j int) bool {
		ti, tj := taskTime(&tasks[i]), taskTime(&tasks[j])
		if !ti.Equal(tj.Time) {
			return ti.After(tj.Time)
		}
		return tasks[i].GUID < tasks[j].GUID
	})
}

var taskStates = []vprotect.TaskState{vprotect.TaskStateQueued, vprotect.TaskStateRunning, vprotect.TaskStateFinished,
	vprotect.TaskStateFailed, vprotect.TaskStateCancelled}

func (a *app) tasksCommand() *cobra.Command {
	var (
		state, typ string
		watch      bool
		interval   time.Duration
	)
	cmd := a.command(&cobra.Command{
		Use:   "tasks",
		Short: "List the tasks, newest first; --watch follows them",
		Long: `List the server's tasks, newest first, of the tenant when one is set
(--tenant, VPROTECT_TENANT). --state and --type keep one state or type.
--watch prints the list, then one line each time a task appears or changes
state or progress, until Ctrl-C.`,
		Example: "  vprotect tasks --state RUNNING\n  vprotect tasks --type EXPORT -o json\n  vprotect tasks --watch",
		Args:    cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		opts := &vprotect.TaskListOptions{TenantID: a.cfg.tenant}
		if state != "" {
			opts.State = vprotect.TaskState(strings.ToUpper(state))
			if !opts.State.IsKnown() {
				return usageErrorf("--state %q: the state is one of %s", state, joinStrings(taskStates))
			}
		}
		// A type this version does not know may be a newer server's: it goes as given.
		opts.Type = vprotect.TaskType(strings.ToUpper(typ))
		if watch && a.cfg.output != outputTable {
			return usageErrorf("--watch prints lines for people; -o %s prints one document: give one of them", a.cfg.output)
		}
		if interval <= 0 {
			return usageErrorf("--interval must be above zero")
		}
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		tasks, err := c.Tasks.List(cmd.Context(), opts)
		if err != nil {
			return failed("list the tasks", err)
		}
		sortTasks(tasks)
		views := make([]taskView, len(tasks))
		for i := range tasks {
			views[i] = newTaskView(&tasks[i])
		}
		if err := a.render(views, func(w io.Writer) {
			t := newTable(w, "STARTED", "TYPE", "STATE", "PROGRESS", "VM", "NODE", "GUID")
			for i := range tasks {
				tk := &tasks[i]
				t.row(a.when(taskTime(tk)), string(tk.Type.Name), string(tk.State.Name), percent(tk), taskVM(tk), ref(tk.Node), tk.GUID)
			}
			t.flush()
		}); err != nil || !watch {
			return err
		}
		return a.watchTasks(cmd, c, opts, tasks, interval)
	})
	cmd.Flags().StringVar(&state, "state", "", "keep the tasks in this state: "+joinStrings(taskStates))
	cmd.Flags().StringVar(&typ, "type", "", "keep the tasks of this type: EXPORT, STORE, RESTORE, IMPORT, MOUNT, …")
	cmd.Flags().BoolVarP(&watch, "watch", "w", false, "after the list, print a line for each change until Ctrl-C")
	cmd.Flags().DurationVar(&interval, "interval", 2*time.Second, "with --watch, the time between two looks at the tasks")
	return cmd
}

// watchTasks lists the tasks every interval and prints one line for each
// task that is new or changed state or progress, until the command's
// context ends (Ctrl-C), which is success.
func (a *app) watchTasks(cmd *cobra.Command, c *vprotect.Client, opts *vprotect.TaskListOptions, seen []vprotect.Task, interval time.Duration) error {
	ctx := cmd.Context()
	last := map[string]vprotect.Task{}
	for _, t := range seen {
		last[t.GUID] = t
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		tasks, err := c.Tasks.List(ctx, opts)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return failed("list the tasks", err)
		}
		sortTasks(tasks)
		for i := len(tasks) - 1; i >= 0; i-- { // oldest first, as they happened
			t := &tasks[i]
			before, ok := last[t.GUID]
			if ok && before.State.Name == t.State.Name && before.Progress == t.Progress {
				continue
			}
			last[t.GUID] = *t
			line := fmt.Sprintf("%s  %s  %s %s  %s  %s", a.now().In(a.loc).Format("15:04:05 MST"), t.Type.Name, t.State.Name, percent(t), dash(taskVM(t)), t.GUID)
			if t.StatusInfo != "" && t.State.Name != before.State.Name && (t.State.Name == vprotect.TaskStateFailed || t.State.Name == vprotect.TaskStateCancelled) {
				line += ": " + oneLine(t.StatusInfo)
			}
			fmt.Fprintln(a.stdout, line)
		}
	}
}

func (a *app) taskCommand() *cobra.Command {
	cmd := a.group(&cobra.Command{
		Use:   "task",
		Short: "Cancel a task",
	})
	cmd.AddCommand(a.command(&cobra.Command{
		Use:     "cancel GUID",
		Short:   "Cancel a running task (a cancelled export marks its backup failed)",
		Example: "  vprotect task cancel 00000000-0000-4000-8000-000000000050",
		Args:    cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		before, err := c.Tasks.Get(cmd.Context(), args[0])
		if err != nil {
			return failed("read task "+args[0], err)
		}
		if err := c.Tasks.Cancel(cmd.Context(), before.GUID); err != nil {
			return failed(fmt.Sprintf("cancel task %s (%s, %s)", before.GUID, before.Type.Name, before.State.Name), err)
		}
		after, err := c.Tasks.Get(cmd.Context(), before.GUID)
		if err != nil {
			return failed("read task "+before.GUID, err)
		}
		return a.render(newTaskView(after), func(w io.Writer) {
			of := ""
			if vm := taskVM(after); vm != "" {
				of = " of " + vm
			}
			fmt.Fprintf(w, "Task %s (%s%s) was %s and is now %s.\n", after.GUID, after.Type.Name, of, before.State.Name, after.State.Name)
		})
	}))
	return cmd
}

// joinStrings joins enum values with commas.
func joinStrings[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// dash is s, or "-" when it is empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
