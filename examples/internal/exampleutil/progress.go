package exampleutil

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vprotect-go/vprotect"
)

// Progress prints the progress of the tasks a wait reports, for a
// TasksService.Wait...Func callback:
//
//	p := exampleutil.NewProgress(os.Stdout)
//	backup, err := c.Tasks.WaitForBackupFunc(ctx, guid, p.Update)
//	p.Done()
//
// On a terminal it keeps one live line per task, rewritten with a carriage
// return; otherwise (a pipe, a file, a test) it prints a line each time a
// task's type, state or whole percentage changes.
type Progress struct {
	w    io.Writer
	tty  bool
	last string // the last line printed
	guid string // the task of the open line
	open bool   // a live line is open (terminal only)
}

// NewProgress returns a Progress that writes to f.
func NewProgress(f *os.File) *Progress {
	return &Progress{w: f, tty: IsTerminal(f)}
}

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Update shows t; use it as the progress callback.
func (p *Progress) Update(t *vprotect.Task) {
	line := ProgressLine(t)
	if line == p.last {
		return
	}
	if p.tty {
		if p.open && t.GUID != p.guid {
			fmt.Fprintln(p.w)
		}
		fmt.Fprintf(p.w, "\r%s", line)
		p.open = true
	} else {
		fmt.Fprintln(p.w, line)
	}
	p.last, p.guid = line, t.GUID
}

// Done ends the live line, if any.
func (p *Progress) Done() {
	if p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
	p.last, p.guid = "", ""
}

// ProgressLine is one task as a progress line:
// "  EXPORT   RUNNING     45% [#########-----------]  a-web-1". A task
// that makes a new VM (RESTORE, IMPORT) names both, the source and the VM
// it makes: "a-web-1 -> a-web-1-copy".
func ProgressLine(t *vprotect.Task) string {
	pct := int(t.Progress)
	if t.State.Name == vprotect.TaskStateFinished {
		pct = 100
	}
	pct = max(0, min(100, pct))
	bar := strings.Repeat("#", pct/5) + strings.Repeat("-", 20-pct/5)
	vm := t.ProtectedEntityDisplayName
	if t.ProtectedEntity != nil && t.ProtectedEntity.Name != "" {
		vm = t.ProtectedEntity.Name
	}
	if d := t.DstProtectedEntity; d != nil && d.Name != "" && d.Name != vm {
		vm += " -> " + d.Name
	}
	return strings.TrimRight(fmt.Sprintf("  %-8s %-9s %3d%% [%s]  %s", t.Type.Name, t.State.Name, pct, bar, vm), " ")
}
