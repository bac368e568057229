package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/vprotect-go/vprotect"
)

// snapshot is what one refresh read from the API, the values of a scrape.
type snapshot struct {
	at           time.Time
	vms          []vprotect.VirtualMachine
	tasks        []vprotect.Task
	backups      []vprotect.Backup // the window's, every status
	policies     []vprotect.Policy // extended: with rules
	schedules    []vprotect.Schedule
	nodes        []vprotect.Node
	destinations []vprotect.BackupDestination
	// marks are the latest successful backups per VM GUID.
	marks  map[string]backupMarks
	window time.Duration
}

// backupMarks are the snapshot times of a VM's latest successful backup
// and latest successful full backup.
type backupMarks struct {
	any, full time.Time
}

// fetcher reads snapshots from the API with at most concurrency calls at
// once. It remembers the latest successful backups between refreshes: the
// first refresh lists every successful backup, later ones only the window,
// which is enough while refreshes are less than a window apart.
type fetcher struct {
	client      *vprotect.Client
	window      time.Duration
	concurrency int
	now         func() time.Time

	mu      sync.Mutex
	marks   map[string]backupMarks // nil: the next refresh lists every successful backup
	marksAt time.Time              // when the marks were last brought up to date
}

// fetch reads one snapshot. The lists run concurrently, bounded; the first
// error cancels the rest and fails the refresh.
func (f *fetcher) fetch(ctx context.Context) (*snapshot, error) {
	now := f.now()
	s := &snapshot{at: now, window: f.window}
	f.mu.Lock()
	resync := f.marks == nil || now.Sub(f.marksAt) >= f.window
	f.mu.Unlock()
	var all []vprotect.Backup
	calls := []struct {
		what string
		call func(context.Context) error
	}{
		{"virtual machines", func(ctx context.Context) (err error) { s.vms, err = f.client.VMs.List(ctx, nil); return }},
		{"tasks", func(ctx context.Context) (err error) { s.tasks, err = f.client.Tasks.List(ctx, nil); return }},
		{"backups", func(ctx context.Context) (err error) {
			s.backups, err = f.client.Backups.List(ctx, &vprotect.BackupListOptions{From: now.Add(-f.window)})
			return
		}},
		{"policies", func(ctx context.Context) (err error) {
			s.policies, err = f.client.Policies.List(ctx, &vprotect.PolicyListOptions{Extended: true})
			return
		}},
		{"schedules", func(ctx context.Context) (err error) { s.schedules, err = f.client.Schedules.List(ctx, nil); return }},
		{"nodes", func(ctx context.Context) (err error) { s.nodes, err = f.client.Nodes.List(ctx, nil); return }},
		{"backup destinations", func(ctx context.Context) (err error) {
			s.destinations, err = f.client.BackupDestinations.List(ctx, nil)
			return
		}},
	}
	if resync {
		calls = append(calls, struct {
			what string
			call func(context.Context) error
		}{"successful backups", func(ctx context.Context) (err error) {
			all, err = f.client.Backups.List(ctx, &vprotect.BackupListOptions{
				Statuses: []vprotect.BackupStatus{vprotect.BackupStatusSuccess, vprotect.BackupStatusPartialSuccess},
			})
			return
		}})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, max(f.concurrency, 1))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = fmt.Errorf("%s: %w", c.what, ctx.Err())
				return
			}
			defer func() { <-sem }()
			if err := c.call(ctx); err != nil {
				errs[i] = fmt.Errorf("%s: %w", c.what, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	s.marks = f.updateMarks(now, resync, all, s.backups)
	return s, nil
}

// updateMarks folds the successful backups of lists into the remembered
// marks (anew when resync) and returns a copy for the snapshot.
func (f *fetcher) updateMarks(now time.Time, resync bool, lists ...[]vprotect.Backup) map[string]backupMarks {
	f.mu.Lock()
	defer f.mu.Unlock()
	if resync {
		f.marks = map[string]backupMarks{}
	}
	for _, list := range lists {
		for i := range list {
			b := &list[i]
			if !b.IsSuccessful() {
				continue
			}
			m := f.marks[b.ProtectedEntity.GUID]
			t := b.SnapshotTime.Time
			if t.After(m.any) {
				m.any = t
			}
			if b.Type.Name == vprotect.BackupTypeFull && t.After(m.full) {
				m.full = t
			}
			f.marks[b.ProtectedEntity.GUID] = m
		}
	}
	f.marksAt = now
	out := make(map[string]backupMarks, len(f.marks))
	for k, v := range f.marks {
		out[k] = v
	}
	return out
}
