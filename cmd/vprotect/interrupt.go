package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/vprotect-go/vprotect"
)

// This file holds what happens when Ctrl-C stops a wait for tasks: on a
// terminal the command asks whether to cancel the tasks on the server or
// leave them running; off a terminal (a script, a pipe, CI) it leaves them
// running and says how to cancel them, since nobody is there to answer
// and cancelling a backup is not undone.

// interrupted reports whether err ended a wait because the run's context
// was cancelled: Ctrl-C (SIGINT) or SIGTERM, not a failure of the server.
func interrupted(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled)
}

// leftTask is a task that an interrupted wait leaves behind, queued or
// running on the server.
type leftTask struct {
	guid  string
	typ   vprotect.TaskType
	label string // the VM or what the task works for
}

func (t leftTask) String() string { return fmt.Sprintf("%s task %s (%s)", t.typ, t.guid, t.label) }

// afterInterrupt settles the tasks an interrupted wait leaves: what ("the
// backups", "the restore") names them in messages. On a terminal (stdin
// and stderr) it asks whether to cancel them or leave them running, and
// cancels them if told to; elsewhere it leaves them. It returns the error
// the command ends with (exit status 1), which says what became of them.
func (a *app) afterInterrupt(ctx context.Context, c *vprotect.Client, what string, tasks []leftTask) error {
	if len(tasks) == 0 {
		return fmt.Errorf("interrupted; %s had ended already", what)
	}
	names := make([]string, len(tasks))
	guids := make([]string, len(tasks))
	for i, t := range tasks {
		names[i], guids[i] = t.String(), t.guid
	}
	leave := fmt.Errorf("interrupted; still running on the server: %s; follow with vprotect tasks --watch, cancel with vprotect task cancel %s",
		joinNames(names), strings.Join(guids, " "))
	if !isTerminal(a.stdin) || !isTerminal(a.stderr) {
		return leave
	}
	if !a.askCancel(what, len(tasks)) {
		return leave
	}
	// The run's context has ended: the cancellations get their own.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callTimeout)
	defer cancel()
	var failed []string
	for _, t := range tasks {
		if err := c.Tasks.Cancel(cctx, t.guid); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %s", t, describe(err)))
			continue
		}
		fmt.Fprintf(a.stderr, "Cancelled %s\n", t)
	}
	if len(failed) > 0 {
		return fmt.Errorf("interrupted; cannot cancel %s", strings.Join(failed, "; "))
	}
	return fmt.Errorf("interrupted; cancelled %s", joinNames(names))
}

// askCancel asks on the terminal whether to cancel n tasks: true for
// cancel, false for leave. A second Ctrl-C, or the end of input, leaves
// them running.
func (a *app) askCancel(what string, n int) bool {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	// The reader goes on until the program ends: a read of a terminal
	// cannot be called off.
	answers := make(chan string, 1)
	in := bufio.NewReader(a.stdin)
	go func() {
		defer close(answers)
		for {
			line, err := in.ReadString('\n')
			if line != "" || err == nil {
				answers <- strings.ToLower(strings.TrimSpace(line))
			}
			if err != nil {
				return
			}
		}
	}()
	tasks := "task"
	if n > 1 {
		tasks = "tasks"
	}
	fmt.Fprintf(a.stderr, "\nInterrupted: %s (%d %s) still run on the server.\n", what, n, tasks)
	for {
		fmt.Fprint(a.stderr, "Cancel them, or leave them running? [cancel/leave]: ")
		select {
		case <-sigs:
			fmt.Fprintln(a.stderr)
			return false
		case answer, ok := <-answers:
			switch {
			case !ok:
				fmt.Fprintln(a.stderr)
				return false
			case answer == "c" || answer == "cancel":
				return true
			case answer == "l" || answer == "leave":
				return false
			}
		}
	}
}
