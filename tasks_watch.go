package vprotect

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// The waits that watch tasks through the list (WaitAll, WaitForBackup,
// WaitForBackups) share one poller per client: N waits at the same time
// cost one list request per poll, not N. The poller runs while at least one
// of them waits: it starts with the first and ends with the last. A wait
// registers a watch, which the poller moves on after every poll, and waits
// on its own goroutine for what the poller delivers (progress, the end), so
// each wait keeps its own context, deadline and errors.
//
// A poll (a round) reads, in turn, only what its watches need:
//
//  1. GET /tasks?states=QUEUED&states=RUNNING, always: the tasks still
//     queued or running, STORE tasks as soon as the server starts them;
//  2. GET /tasks?states=FINISHED&states=FAILED&states=CANCELLED, in pages
//     of DefaultPageSize, when a watched task has left that list: the final
//     states of every task that has, in one request (a task the pages do
//     not show, or pages that would cost more requests than the tasks
//     still missing, are read with GET /tasks/{guid});
//  3. GET /backups?from={earliest export start}, in the same pages, when a
//     backup has been stored (a backup the list does not show is read with
//     GET /backups/{guid}).

// watch is one wait's state, moved on by the poller's rounds.
type watch interface {
	// advance moves the wait on with what the round has read so far, and
	// asks the round for what it still needs read (a task's final state,
	// the STORE of a backup, a backup). It is called after each read of
	// the round; it returns the errors that end the wait.
	advance(r *round) error
	// finished reports whether the wait has its answer.
	finished() bool
	// describe names the wait, with what it still waits for, for the
	// error when the wait's context ends.
	describe() string
}

// watcher is a client's one poller.
type watcher struct {
	s *TasksService
	// now and pause are the clock of the poll schedule (tests replace them).
	now   func() time.Time
	pause func(ctx context.Context, d time.Duration, wake <-chan struct{}) error

	mu      sync.Mutex
	watches map[*watchReg]struct{}
	wake    chan struct{}
	whole   bool               // the next poll reads the whole task list (see round.whole)
	stop    context.CancelFunc // the running poller's, nil when none runs
	done    chan struct{}      // closed when the running poller has ended
}

func newWatcher(s *TasksService) *watcher {
	return &watcher{s: s, now: time.Now, pause: sleepOrWake, watches: map[*watchReg]struct{}{}, wake: make(chan struct{}, 1)}
}

// watchReg is a registered watch: its poll schedule, its transient errors
// in a row, and what the poller has delivered for the waiting goroutine.
type watchReg struct {
	w        watch
	next     time.Time // when it wants its next poll
	bo       *pollBackoff
	failures int

	mu     sync.Mutex
	events []*Task // progress not yet taken by the waiter
	desc   string  // w.describe() after the last round
	end    bool
	err    error
	ready  chan struct{} // signalled after each round that delivered something
}

// deliver hands the waiter a round's progress and, when the wait has
// ended, its error.
func (g *watchReg) deliver(events []*Task, end bool, err error) {
	g.mu.Lock()
	g.events = append(g.events, events...)
	g.desc = g.w.describe()
	g.end, g.err = end, err
	g.mu.Unlock()
	select {
	case g.ready <- struct{}{}:
	default:
	}
}

// take returns what has been delivered since the last take.
func (g *watchReg) take() (events []*Task, end bool, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	events, g.events = g.events, nil
	return events, g.end, g.err
}

func (g *watchReg) description() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.desc
}

// wait registers w with the client's poller and waits until it is
// finished, its ctx ends, or an error ends it; progress (if not nil) is
// called on this goroutine with the tasks each round reports.
func (s *TasksService) wait(ctx context.Context, w watch, progress func(*Task)) error {
	p := s.client.watch
	g := &watchReg{w: w, desc: w.describe(), ready: make(chan struct{}, 1)}
	p.add(g)
	for {
		select {
		case <-ctx.Done():
			p.remove(g)
			return fmt.Errorf("vprotect: %s: %w", g.description(), ctx.Err())
		case <-g.ready:
			events, end, err := g.take()
			if progress != nil {
				for _, t := range events {
					progress(t)
				}
			}
			if end {
				return err
			}
		}
	}
}

// add registers g, due for a poll now, and starts the poller if none runs.
func (p *watcher) add(g *watchReg) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g.next = p.now()
	g.bo = newPollBackoff(p.s.client.cfg.pollInterval)
	p.watches[g] = struct{}{}
	if p.stop == nil {
		ctx, cancel := context.WithCancel(context.Background())
		p.stop, p.done = cancel, make(chan struct{})
		go p.run(ctx, p.done)
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// remove unregisters g (its wait has given up); the last one stops the
// poller and waits for it to end, so that no goroutine outlives the waits.
func (p *watcher) remove(g *watchReg) {
	p.mu.Lock()
	delete(p.watches, g)
	if len(p.watches) > 0 || p.stop == nil {
		p.mu.Unlock()
		return
	}
	p.stop()
	done := p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	<-done
}

// run polls until no watch is left or ctx (the poller's own) ends.
func (p *watcher) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	for {
		p.mu.Lock()
		if ctx.Err() != nil {
			p.mu.Unlock()
			return
		}
		if len(p.watches) == 0 {
			p.stop()
			p.stop, p.done = nil, nil
			p.mu.Unlock()
			return
		}
		now := p.now()
		var next time.Time
		for g := range p.watches {
			if next.IsZero() || g.next.Before(next) {
				next = g.next
			}
		}
		p.mu.Unlock()
		if !next.After(now) {
			p.round(ctx, now)
			continue
		}
		if err := p.pause(ctx, next.Sub(now), p.wake); err != nil {
			return
		}
	}
}

// round makes one poll and delivers to each watch what it found. Every
// watch takes part in the poll one of them is due for (it costs them
// nothing more, and their schedules align), and so does every watch
// registered while the poll's first list was under way.
func (p *watcher) round(ctx context.Context, start time.Time) {
	p.mu.Lock()
	r := newRound(ctx, p.s)
	r.whole = p.whole
	p.mu.Unlock()
	shared := r.poll()
	p.mu.Lock()
	regs := make([]*watchReg, 0, len(p.watches))
	for g := range p.watches {
		regs = append(regs, g)
	}
	p.mu.Unlock()
	ws := make([]watch, len(regs))
	for i, g := range regs {
		ws[i] = g.w
	}
	errs := make([]error, len(ws))
	if shared == nil {
		errs, shared = r.run(ws)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if ctx.Err() != nil {
		return // the last wait has given up: nothing to deliver
	}
	// While watched tasks end, and the whole task list fits in a page, the
	// next poll reads it whole: the final states come with the poll.
	p.whole = shared == nil && r.ended && r.size <= DefaultPageSize
	for i, g := range regs {
		if _, ok := p.watches[g]; !ok {
			continue // given up during the round
		}
		err := cmp.Or(errs[i], shared)
		g.next = start.Add(g.bo.next)
		g.bo.grow()
		switch {
		case err == nil:
			g.failures = 0
		case transientPollError(ctx, err) && g.failures < maxTransientPollErrors:
			g.failures++
			if lg := p.s.client.log; lg != nil {
				lg.l.LogAttrs(ctx, slog.LevelWarn, "vprotect poll failed, polling again",
					slog.String("wait", g.w.describe()), slog.String("error", err.Error()), slog.Int("failures", g.failures))
			}
			err = nil
		default:
			delete(p.watches, g)
			g.deliver(r.events[g.w], true, err)
			continue
		}
		end := g.w.finished()
		if end {
			delete(p.watches, g)
		}
		if ev := r.events[g.w]; len(ev) > 0 || end {
			g.deliver(ev, end, nil)
		}
	}
}

// round is one poll: what it has read, and what its watches still need.
type round struct {
	ctx context.Context
	s   *TasksService

	// seen holds every task the round has read, by GUID: the queued and
	// running ones, then the final states read after them.
	seen map[string]*Task
	// storeByParent and storeByBackup index the STORE tasks seen.
	storeByParent, storeByBackup map[string]*Task
	// whole: the poll reads the whole task list, not only the tasks still
	// queued or running; wholeRead: it did, to its end.
	whole, wholeRead bool
	// ended: watched tasks were seen ended; size: the size of the whole task
	// list as far as the round knows it, for the next poll's choice.
	ended bool
	size  int
	// finalsRead: the final states have been read (or were not needed);
	// finalsComplete: and the list was read to its end, so a STORE that
	// none of the lists showed has not been created yet.
	finalsRead, finalsComplete bool
	// taskErrs are the errors of reading single tasks.
	taskErrs map[string]error
	// backupsRead: the backups asked for have been read.
	backupsRead bool
	backups     map[string]*Backup
	backupErrs  map[string]error
	// lookups are the STORE look-ups made (lookUpStore), by backup GUID.
	lookups map[string]storeLookup

	// What the watches ask for.
	wantTasks   map[string]bool
	wantStores  map[string]string    // backup GUID → export GUID
	wantBackups map[string]time.Time // backup GUID → its export's start (zero: unknown)

	// events are the tasks to report to each watch's progress.
	events map[watch][]*Task
	cur    watch
}

// storeLookup is what lookUpStore found.
type storeLookup struct {
	store  *Task
	stored *Backup
	err    error
}

func newRound(ctx context.Context, s *TasksService) *round {
	return &round{ctx: ctx, s: s, lookups: map[string]storeLookup{}, seen: map[string]*Task{}, storeByParent: map[string]*Task{}, storeByBackup: map[string]*Task{},
		taskErrs: map[string]error{}, backups: map[string]*Backup{}, backupErrs: map[string]error{},
		wantTasks: map[string]bool{}, wantStores: map[string]string{}, wantBackups: map[string]time.Time{},
		events: map[watch][]*Task{}}
}

// Task states a poll lists.
var (
	activeTaskStates = []TaskState{TaskStateQueued, TaskStateRunning}
	finalTaskStates  = []TaskState{TaskStateFinished, TaskStateFailed, TaskStateCancelled}
)

// poll reads the round's first list: the tasks still queued or running,
// or the whole list.
func (r *round) poll() error {
	ctx := r.ctx
	if r.whole {
		// Tasks ended in the last poll and the whole list fits in a page:
		// one request shows the tasks still running and the ended ones.
		p, err := r.s.ListPage(ctx, &TaskListOptions{ListOptions: ListOptions{Size: DefaultPageSize}})
		if err != nil {
			return err
		}
		r.wholeRead = len(p.Items) < DefaultPageSize || (p.Total >= 0 && p.Total <= DefaultPageSize)
		r.size = len(p.Items)
		r.add(p.Items, !r.wholeRead)
	}
	if !r.wholeRead {
		active, err := r.s.List(ctx, &TaskListOptions{States: activeTaskStates})
		if err != nil {
			return err
		}
		r.size = len(active)
		r.add(active, false)
	}
	return nil
}

// run moves every watch on after the poll and after each further read
// they ask for; it returns each watch's own error and the error of a
// shared read (which every watch shares).
func (r *round) run(ws []watch) (errs []error, shared error) {
	ctx := r.ctx
	errs = make([]error, len(ws))
	advance := func() {
		for i, w := range ws {
			if errs[i] == nil && !w.finished() {
				r.cur = w
				errs[i] = w.advance(r)
			}
		}
		r.cur = nil
	}
	advance()
	if len(r.wantTasks)+len(r.wantStores) > 0 {
		if err := r.readFinals(ctx); err != nil {
			return errs, err
		}
	}
	r.finalsRead = true
	advance()
	if len(r.wantBackups) > 0 {
		if err := r.readBackups(ctx); err != nil {
			return errs, err
		}
		r.backupsRead = true
		advance()
	}
	return errs, nil
}

// add takes tasks a list returned into seen; final ones only (a server
// that ignores the states filter lists every task) when finalOnly.
func (r *round) add(tasks []Task, finalOnly bool) {
	for i := range tasks {
		t := &tasks[i]
		if finalOnly && !t.IsTerminal() {
			continue
		}
		if old, ok := r.seen[t.GUID]; ok && old.IsTerminal() {
			continue
		}
		r.seen[t.GUID] = t
		if t.Type.Name != TaskTypeStore {
			continue
		}
		if t.ParentTask != nil && t.ParentTask.GUID != "" {
			r.storeByParent[t.ParentTask.GUID] = t
		}
		if t.Backup != nil && t.Backup.GUID != "" {
			r.storeByBackup[t.Backup.GUID] = t
		}
	}
}

// task returns the task guid as the round knows it, or nil; while the
// round has not read final states yet, a task it has not seen is asked for.
func (r *round) task(guid string) *Task {
	t := r.seen[guid]
	switch {
	case t == nil && !r.finalsRead:
		r.wantTasks[guid] = true
	case t != nil && t.IsTerminal():
		r.ended = true
	}
	return t
}

// taskErr is the error of reading the task guid on its own, if any.
func (r *round) taskErr(guid string) error { return r.taskErrs[guid] }

// store returns the STORE task of an export or of its backup as the round
// knows it, or nil; while the round has not read final states yet, it is
// asked for.
func (r *round) store(exportGUID, backupGUID string) *Task {
	if t := r.storeByParent[exportGUID]; t != nil {
		return t
	}
	if t := r.storeByBackup[backupGUID]; t != nil {
		return t
	}
	if !r.finalsRead {
		r.wantStores[backupGUID] = exportGUID
	}
	return nil
}

// backup returns the backup guid as the round read it, with the error of
// reading it; nil and nil while the round has not read backups yet (it is
// asked for, with the start of its export, which the backup cannot be
// older than).
func (r *round) backup(guid string, exportStart time.Time) (*Backup, error) {
	if !r.backupsRead {
		if old, ok := r.wantBackups[guid]; !ok || (!exportStart.IsZero() && exportStart.Before(old)) {
			r.wantBackups[guid] = exportStart
		}
		return nil, nil
	}
	if err := r.backupErrs[guid]; err != nil {
		return nil, err
	}
	return r.backups[guid], nil
}

// lookUpStore looks up the STORE of a backup that the round's lists did not
// show, once per round (see TasksService.lookUpStore); a STORE found is
// the round's from then on.
func (r *round) lookUpStore(backupGUID, exportGUID string) (*Task, *Backup, error) {
	l, ok := r.lookups[backupGUID]
	if !ok {
		l.store, l.stored, l.err = r.s.lookUpStore(r.ctx, backupGUID, exportGUID)
		r.lookups[backupGUID] = l
		if l.store != nil {
			r.add([]Task{*l.store}, false)
			r.storeByBackup[backupGUID] = r.seen[l.store.GUID]
		}
	}
	return l.store, l.stored, l.err
}

// progress reports t to the current watch's progress callback.
func (r *round) progress(t *Task) {
	r.events[r.cur] = append(r.events[r.cur], t)
}

// missingFinals counts the tasks and STOREs asked for that the round has
// not seen in a final state.
func (r *round) missingFinals() int {
	n := 0
	for g := range r.wantTasks {
		if t := r.seen[g]; t == nil || !t.IsTerminal() {
			n++
		}
	}
	for b, e := range r.wantStores {
		if r.storeByParent[e] == nil && r.storeByBackup[b] == nil {
			n++
		}
	}
	return n
}

// readFinals reads the final states of the tasks asked for, from the list
// of ended tasks; the tasks it does not show are read one by one.
func (r *round) readFinals(ctx context.Context) error {
	complete := r.wholeRead
	if !complete {
		opts := &TaskListOptions{States: finalTaskStates, ListOptions: ListOptions{Size: DefaultPageSize}}
		var err error
		first := true
		complete, err = readPages(ctx, opts, &opts.ListOptions, r.s.ListPage, func(p []Task, total int) int {
			if first {
				first = false
				r.size += total
				if total < 0 {
					r.size = DefaultPageSize + 1 // unknown: more than a page, say
				}
			}
			r.add(p, true)
			return r.missingFinals()
		})
		if err != nil {
			return err
		}
	}
	r.finalsComplete = complete
	for g := range r.wantTasks {
		if t := r.seen[g]; t != nil && t.IsTerminal() {
			continue
		}
		t, err := r.s.Get(ctx, g)
		switch {
		case err != nil && ctx.Err() != nil:
			return err
		case err != nil:
			r.taskErrs[g] = err
		default:
			r.seen[g] = t // still queued or running: it has only just moved
		}
	}
	return nil
}

// readBackups reads the backups asked for: from the list of the backups
// taken since the earliest of their exports started, and one by one those
// the list does not show (or whose export's start is unknown).
func (r *round) readBackups(ctx context.Context) error {
	var from time.Time
	listed := 0
	for _, start := range r.wantBackups {
		if start.IsZero() {
			continue
		}
		listed++
		if from.IsZero() || start.Before(from) {
			from = start
		}
	}
	missing := func() int {
		n := 0
		for g, start := range r.wantBackups {
			if r.backups[g] == nil && !start.IsZero() {
				n++
			}
		}
		return n
	}
	if listed > 0 {
		// A minute earlier: the server's times are in milliseconds, and
		// which time "from" compares is not documented.
		opts := &BackupListOptions{From: from.Add(-time.Minute), ListOptions: ListOptions{Size: DefaultPageSize}}
		_, err := readPages(ctx, opts, &opts.ListOptions, (*BackupsService)(r.s).ListPage, func(p []Backup, _ int) int {
			for i := range p {
				if _, ok := r.wantBackups[p[i].GUID]; ok {
					r.backups[p[i].GUID] = &p[i]
				}
			}
			return missing()
		})
		if err != nil {
			return err
		}
	}
	for g := range r.wantBackups {
		if r.backups[g] != nil {
			continue
		}
		b, err := (*BackupsService)(r.s).Get(ctx, g)
		switch {
		case err != nil && ctx.Err() != nil:
			return err
		case err != nil:
			r.backupErrs[g] = err
		default:
			r.backups[g] = b
		}
	}
	return nil
}

// readPages reads the pages of a list (opts' page is set through page) and
// hands each to take, with the total count the server gives (-1 when it
// does not), which returns how many of the items it looks for
// are still missing. It stops when none is, at the end of the list, or
// when the pages left would cost more requests than reading the missing
// items one by one; complete reports that it read the whole list.
func readPages[T any, O any](ctx context.Context, opts O, page *ListOptions, list func(context.Context, O) (Page[T], error), take func(items []T, total int) int) (complete bool, err error) {
	for n := 0; ; n++ {
		page.Page = n
		p, err := list(ctx, opts)
		if err != nil {
			return false, err
		}
		missing := take(p.Items, p.Total)
		read := (n + 1) * page.Size
		switch {
		case len(p.Items) < page.Size || (p.Total >= 0 && read >= p.Total):
			return true, nil
		case missing == 0:
			return false, nil
		case p.Total >= 0 && (p.Total-read+page.Size-1)/page.Size > missing:
			return false, nil
		case p.Total < 0 && n+1 > missing:
			return false, nil
		}
	}
}
