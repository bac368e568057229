package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"github.com/vprotect-go/vprotect"
	"golang.org/x/term"
)

// This file holds the progress of the commands that wait for tasks (backup
// --wait, restore --wait, the mount of files): on a terminal one live bar
// per job, redrawn in place (github.com/vbauerster/mpb/v8); elsewhere (a
// pipe, a log, a test) one line per state change. Progress goes to stderr,
// so that stdout holds only the result, a table or one JSON document.

// isTerminal reports whether v is a file on a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// jobProgress shows jobs, each a chain of tasks (EXPORT then STORE, RESTORE
// then IMPORT, RESTORE then MOUNT) working for one thing, a VM or a mount.
type jobProgress struct {
	w    io.Writer
	bars *mpb.Progress // nil: lines

	mu      sync.Mutex
	jobs    map[string]*job
	stopped bool
}

// job is one job of a jobProgress.
type job struct {
	label  string
	phases []vprotect.TaskType

	// Under the jobProgress's mutex:
	phase   int    // index in phases of the task seen last
	task    string // GUID of the task seen last
	state   vprotect.TaskState
	percent float64 // of the task seen last
	note    string  // how the job ended, once it has
	ended   bool

	bar *mpb.Bar
}

// newJobProgress returns a display on w: bars when w is a terminal, else
// lines.
func newJobProgress(w io.Writer) *jobProgress {
	p := &jobProgress{w: w, jobs: map[string]*job{}}
	if isTerminal(w) {
		p.bars = mpb.New(mpb.WithOutput(w), mpb.WithWidth(64))
	}
	return p
}

// add adds the job key, shown as label, going through phases.
func (p *jobProgress) add(key, label string, labelWidth int, phases ...vprotect.TaskType) {
	j := &job{label: label, phases: phases}
	p.mu.Lock()
	p.jobs[key] = j
	p.mu.Unlock()
	if p.bars == nil {
		return
	}
	total := int64(100 * len(phases))
	j.bar = p.bars.New(total, mpb.BarStyle().Lbound("[").Filler("=").Tip(">").Padding(" ").Rbound("]"),
		mpb.PrependDecorators(
			decor.Name(label, decor.WC{W: labelWidth + 2, C: decor.DindentRight}),
			decor.Any(func(decor.Statistics) string { return p.phaseText(j) }, decor.WC{W: 18, C: decor.DindentRight}),
		),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return p.endText(j) }, decor.WC{C: decor.DextraSpace})),
	)
}

// phaseText is "EXPORT RUNNING" for a bar.
func (p *jobProgress) phaseText(j *job) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if j.task == "" {
		return "starting"
	}
	return string(j.phases[j.phase]) + " " + string(j.state)
}

// endText is the percentage of the task, or how the job ended, for a bar.
func (p *jobProgress) endText(j *job) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if j.ended {
		return j.note
	}
	return fmt.Sprintf("%3.0f%%", j.percent)
}

// show records a poll of t, a task of the job key: a bar moves; a line is
// printed when the task or its state is new.
func (p *jobProgress) show(key string, t *vprotect.Task) {
	p.mu.Lock()
	j := p.jobs[key]
	if j == nil || j.ended {
		p.mu.Unlock()
		return
	}
	phase := j.phase
	for i, ph := range j.phases {
		if ph == t.Type.Name {
			phase = i
		}
	}
	if phase < j.phase {
		p.mu.Unlock()
		return // a late look at an earlier task
	}
	changed := t.GUID != j.task || t.State.Name != j.state
	j.phase, j.task, j.state, j.percent = phase, t.GUID, t.State.Name, t.Progress
	if t.State.Name == vprotect.TaskStateFinished {
		j.percent = 100
	}
	lines := p.bars == nil && !p.stopped
	p.mu.Unlock()

	if j.bar != nil {
		current := int64(100*phase) + int64(j.percent)
		j.bar.SetCurrent(min(current, int64(100*len(j.phases))-1)) // the bar completes in end
	}
	if lines && changed {
		fmt.Fprintf(p.w, "%s: %s task %s %s\n", j.label, t.Type.Name, t.GUID, t.State.Name)
	}
}

// end records how the job key ended: ok, or not; note says how ("stored,
// 4.0 GiB", "FAILED: disk full").
func (p *jobProgress) end(key string, ok bool, note string) {
	p.mu.Lock()
	j := p.jobs[key]
	if j == nil || j.ended {
		p.mu.Unlock()
		return
	}
	j.ended, j.note = true, note
	lines := p.bars == nil && !p.stopped
	p.mu.Unlock()

	switch {
	case j.bar != nil && ok:
		j.bar.SetTotal(-1, true)
	case j.bar != nil:
		j.bar.Abort(false)
	case lines:
		fmt.Fprintf(p.w, "%s: %s\n", j.label, note)
	}
}

// stop ends the display: bars stay as they were drawn last. Call it before
// printing anything else on the terminal, and at the end.
func (p *jobProgress) stop() {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return
	}
	p.stopped = true
	var bars []*mpb.Bar
	for _, j := range p.jobs {
		if j.bar != nil {
			bars = append(bars, j.bar)
		}
	}
	p.mu.Unlock()
	if p.bars == nil {
		return
	}
	for _, b := range bars {
		b.Abort(false) // no-op for a completed bar
	}
	p.bars.Wait()
}

// byteProgress shows a download: on a terminal a bar of bytes, with the
// size when the server announces it; elsewhere nothing (the command prints
// a line once the file is saved).
type byteProgress struct {
	w     io.Writer
	label string

	bars *mpb.Progress
	bar  *mpb.Bar
}

// newByteProgress returns the display of the download label on w.
func newByteProgress(w io.Writer, label string) *byteProgress {
	p := &byteProgress{w: w, label: label}
	if isTerminal(w) {
		p.bars = mpb.New(mpb.WithOutput(w), mpb.WithWidth(64))
	}
	return p
}

// show is the download's progress callback (vprotect.DownloadOptions).
func (p *byteProgress) show(written, total int64) {
	if p.bars == nil {
		return
	}
	if p.bar == nil {
		style := mpb.BarStyle().Lbound("[").Filler("=").Tip(">").Padding(" ").Rbound("]")
		counter := decor.Any(func(s decor.Statistics) string {
			return size(s.Current) + " / " + size(s.Total)
		}, decor.WC{C: decor.DextraSpace})
		var filler mpb.BarFillerBuilder = style
		if total <= 0 { // an archive made as it is sent: no size to fill up to
			filler = mpb.SpinnerStyle()
			counter = decor.Any(func(s decor.Statistics) string { return size(s.Current) }, decor.WC{C: decor.DextraSpace})
			total = 0
		}
		p.bar = p.bars.New(total, filler,
			mpb.PrependDecorators(decor.Name(p.label, decor.WC{C: decor.DindentRight | decor.DextraSpace})),
			mpb.AppendDecorators(counter))
	}
	if total <= 0 {
		p.bar.SetTotal(written, false) // for the counter; the spinner turns until done
	}
	p.bar.SetCurrent(written)
}

// done ends the bar: full when the download finished, else left where it
// stopped.
func (p *byteProgress) done(ok bool) {
	if p.bars == nil {
		return
	}
	if p.bar != nil && ok {
		p.bar.SetTotal(-1, true)
	} else if p.bar != nil {
		p.bar.Abort(false)
	}
	p.bars.Wait()
}

// labelWidth is the width of the widest label, for aligned bars.
func labelWidth(labels ...string) int {
	w := 0
	for _, l := range labels {
		w = max(w, len(l))
	}
	return w
}

// joinNames joins names for a message: "a, b and c".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
