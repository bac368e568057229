package vprotect

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedTasks answers the shared poller's lists from the number of polls
// made so far: at the first poll every export is RUNNING; from the second
// the exports have FINISHED and their STORE tasks run; from the third the
// STOREs have FINISHED and the backups are stored. The first poll waits
// until `waits` waits have registered, so that they all share it.
type scriptedTasks struct {
	exports []string
	c       *Client
	waits   int
	// atPoll, if set, runs at the start of poll n (never assert in it).
	atPoll func(n int)

	mu    sync.Mutex
	polls int
}

func (s *scriptedTasks) export(g string, state TaskState) string {
	return fmt.Sprintf(`{"guid":%q,"type":{"name":"EXPORT"},"state":{"name":%q},"protectedEntity":{"guid":"vm-%s"},"backup":{"guid":"b-%s"},"startTime":1700000000000}`,
		g, state, g, g)
}

func (s *scriptedTasks) store(g string, state TaskState) string {
	return fmt.Sprintf(`{"guid":"s-%s","type":{"name":"STORE"},"state":{"name":%q},"parentTask":{"guid":%q},"backup":{"guid":"b-%s"}}`,
		g, state, g, g)
}

func (s *scriptedTasks) list(poll bool) string {
	s.mu.Lock()
	if poll {
		s.polls++
	}
	n := s.polls
	s.mu.Unlock()
	var items []string
	for _, g := range s.exports {
		switch {
		case poll && n == 1:
			items = append(items, s.export(g, TaskStateRunning))
		case poll && n == 2:
			items = append(items, s.store(g, TaskStateRunning))
		case !poll && n >= 2:
			items = append(items, s.export(g, TaskStateFinished))
			if n >= 3 {
				items = append(items, s.store(g, TaskStateFinished))
			}
		}
	}
	return "[" + strings.Join(items, ",") + "]"
}

func (s *scriptedTasks) registered() int {
	s.c.watch.mu.Lock()
	defer s.c.watch.mu.Unlock()
	return len(s.c.watch.watches)
}

func (s *scriptedTasks) pollerRunning() bool {
	s.c.watch.mu.Lock()
	defer s.c.watch.mu.Unlock()
	return s.c.watch.stop != nil
}

// respond registers the lists; it returns the captors of the polls, of the
// lists of ended tasks and of the lists of backups.
func (s *scriptedTasks) respond(t *testing.T, mt *httpmock.MockTransport) (polls, ended, backups *requestCaptor) {
	polls, ended, backups = &requestCaptor{}, &requestCaptor{}, &requestCaptor{}
	answer := func(body string) *http.Response {
		resp := httpmock.NewStringResponse(http.StatusOK, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp
	}
	mt.RegisterResponder(http.MethodGet, mockURL(pollQuery), func(r *http.Request) (*http.Response, error) {
		polls.add(r)
		if len(polls.all()) == 1 {
			deadline := time.Now().Add(5 * time.Second)
			s.mu.Lock()
			waits := s.waits
			s.mu.Unlock()
			for s.registered() < waits && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
		}
		if s.atPoll != nil {
			s.atPoll(len(polls.all()))
		}
		return answer(s.list(true)), nil
	})
	mt.RegisterResponder(http.MethodGet, mockURL(endedQuery), func(r *http.Request) (*http.Response, error) {
		ended.add(r)
		return answer(s.list(false)), nil
	})
	mt.RegisterResponder(http.MethodGet, mockURL("/backups"), func(r *http.Request) (*http.Response, error) {
		backups.add(r)
		var items []string
		for _, g := range s.exports {
			items = append(items, fmt.Sprintf(`{"guid":"b-%s","status":{"name":"SUCCESS"},"protectedEntity":{"guid":"vm-%s"}}`, g, g))
		}
		return answer("[" + strings.Join(items, ",") + "]"), nil
	})
	return polls, ended, backups
}

// Waits at the same time share the client's one poller: five
// WaitForBackup, a WaitForBackups and a WaitAll cost what one of them
// does, and the poller ends with the last of them.
func TestWaitsShareOnePoller(t *testing.T) {
	c, mt := newTestClient(t)
	exports := []string{"e1", "e2", "e3", "e4", "e5"}
	s := &scriptedTasks{exports: exports, c: c, waits: len(exports) + 2}
	polls, ended, backups := s.respond(t, mt)
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make(chan error, len(exports)+2)
	for _, e := range exports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := c.Tasks.WaitForBackup(ctx, e)
			if err == nil && b.GUID != "b-"+e {
				err = fmt.Errorf("%s: backup %s", e, b.GUID)
			}
			errs <- err
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		results, err := c.Tasks.WaitForBackups(ctx, "e1", "e2")
		if err == nil && (len(results) != 2 || results[1].Store.GUID != "s-e2" || results[1].Backup.GUID != "b-e2") {
			err = fmt.Errorf("results %+v", results)
		}
		errs <- err
	}()
	go func() {
		defer wg.Done()
		tasks, err := c.Tasks.WaitAll(ctx, exports...)
		if err == nil && (len(tasks) != len(exports) || tasks[4].GUID != "e5" || tasks[4].State.Name != TaskStateFinished) {
			err = fmt.Errorf("tasks %+v", tasks)
		}
		errs <- err
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, polls.all(), 3, "one list request per poll for all the waits")
	assert.Len(t, ended.all(), 2, "the final states of the EXPORTs, then of the STOREs, each in one list")
	assert.Len(t, backups.all(), 1, "every backup in one list")
	assert.Eventually(t, func() bool { return !s.pollerRunning() }, 5*time.Second, time.Millisecond,
		"the poller ends with the last wait")

	// A new wait starts a new poller.
	s.mu.Lock()
	s.waits, s.polls = 1, 0
	s.mu.Unlock()
	_, err := c.Tasks.WaitForBackup(ctx, "e3")
	require.NoError(t, err)
	assert.Len(t, polls.all(), 6)
}

// Each wait keeps its own context and its own errors: a wait given up
// during a poll leaves the others polling, an export gone fails its own
// wait only.
func TestWaitsKeepTheirOwnContextAndErrors(t *testing.T) {
	c, mt := newTestClient(t)
	s := &scriptedTasks{exports: []string{"e1", "e2"}, c: c, waits: 4}
	short, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.atPoll = func(n int) {
		if n == 2 {
			cancel() // while the second poll is under way
		}
	}
	polls, _, _ := s.respond(t, mt)
	gone := respondJSON(mt, http.MethodGet, "/tasks/gone", http.StatusNotFound, `{"message":"task gone not found"}`)
	ctx := context.Background()

	type result struct {
		name string
		err  error
	}
	results := make(chan result, 4)
	wait := func(name string, ctx context.Context, export string) {
		_, err := c.Tasks.WaitForBackup(ctx, export)
		results <- result{name, err}
	}
	go wait("e1", ctx, "e1")
	go wait("gone", ctx, "gone")
	go wait("given up", short, "e2")
	go func() {
		_, err := c.Tasks.WaitAll(ctx, "e1", "e2")
		results <- result{"WaitAll", err}
	}()
	got := map[string]error{}
	for range 4 {
		r := <-results
		got[r.name] = r.err
	}
	assert.NoError(t, got["e1"])
	assert.NoError(t, got["WaitAll"])
	assert.ErrorIs(t, got["gone"], ErrNotFound)
	assert.ErrorIs(t, got["given up"], context.Canceled)
	assert.ErrorContains(t, got["given up"], "wait for the backup of export task e2 (last seen RUNNING")
	assert.Len(t, gone.all(), 1)
	assert.Len(t, polls.all(), 3, "the others polled on")
}

// A transient error of the poll is tolerated as in WaitFunc, by every wait
// it hits; a permanent one ends each of them with it.
func TestWaitsSharePollErrors(t *testing.T) {
	c, mt := newTestClient(t)
	boom := step{http.StatusInternalServerError, `{"message":"boom"}`}
	respondSeq(mt, http.MethodGet, pollQuery, nil, boom, boom, boom, okStep(`[]`), step{http.StatusForbidden, `{"message":"no"}`})
	respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[`+taskJSON("t1", TaskStateFinished, 100, "").body+`]`))
	tasks, err := c.Tasks.WaitAll(context.Background(), "t1")
	require.NoError(t, err, "three transient errors in a row are tolerated")
	assert.Equal(t, TaskStateFinished, tasks[0].State.Name)

	_, err = c.Tasks.WaitAll(context.Background(), "t2")
	assert.ErrorIs(t, err, ErrForbidden)
	_, err = c.Tasks.WaitForBackup(context.Background(), "e1")
	assert.ErrorIs(t, err, ErrForbidden)
}

// After a poll in which watched tasks ended, a task list that fits in a
// page is read whole by the next poll, which then needs no list of ended
// tasks.
func TestWaitPollReadsTheWholeListWhileTasksEnd(t *testing.T) {
	c, mt := newTestClient(t)
	store := `{"guid":"st-1","type":{"name":"STORE"},"state":{"name":"%s"},"parentTask":{"guid":"exp-1"},"backup":{"guid":"bk-1"}}`
	export := taskJSON("exp-1", TaskStateFinished, 100, `,"backup":{"guid":"bk-1"},"startTime":1700000000000`).body
	polls := respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[]`))
	ended := respondPage(mt, "/tasks?page=0&size=500&states=FINISHED&states=FAILED&states=CANCELLED", `[`+export+`]`)
	whole := respondSeq(mt, http.MethodGet, "/tasks?page=0&size=500", nil,
		okStep(`[`+export+`,`+fmt.Sprintf(store, "FINISHED")+`]`))
	respondSeq(mt, http.MethodGet, "/backups", nil, okStep(`[{"guid":"bk-1","status":{"name":"SUCCESS"}}]`))
	b, err := c.Tasks.WaitForBackup(context.Background(), "exp-1")
	require.NoError(t, err)
	assert.Equal(t, "bk-1", b.GUID)
	assert.Len(t, polls.all(), 1)
	assert.Len(t, ended.all(), 1)
	assert.Len(t, whole.all(), 1, "then the whole list, with the STORE ended")
}

// respondPage answers path with body and its X-Total-Count (the number of
// its items), and captures the requests.
func respondPage(mt *httpmock.MockTransport, path, body string) *requestCaptor {
	c := &requestCaptor{}
	mt.RegisterResponder(http.MethodGet, mockURL(path), func(r *http.Request) (*http.Response, error) {
		c.add(r)
		resp := httpmock.NewStringResponse(http.StatusOK, body)
		resp.Header.Set("Content-Type", "application/json")
		resp.Header.Set("X-Total-Count", fmt.Sprint(strings.Count(body, `"guid"`)))
		return resp, nil
	})
	return c
}

// readPages reads on while what it looks for is missing, never more pages
// than the items missing would cost to read one by one.
func TestReadPages(t *testing.T) {
	const size = 500
	tests := []struct {
		name     string
		total    int // the list's length
		noTotal  bool
		want     []int // the items looked for
		pages    int
		complete bool
	}{
		{"found on the first page", 1200, false, []int{3}, 1, false},
		{"a short list", 300, false, []int{1000}, 1, true},
		{"two pages left for one missing: read it on its own", 1200, false, []int{1100}, 1, false},
		{"two pages left for two missing", 1200, false, []int{700, 1100}, 3, true},
		{"found on the second page", 1200, false, []int{700, 701}, 2, false},
		{"no total: a page more per item missing", 5000, true, []int{4000, 4001}, 3, false},
		{"no total, a list that ends", 700, true, []int{4000, 4001}, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := &ListOptions{Size: size}
			calls := 0
			list := func(_ context.Context, o *ListOptions) (Page[int], error) {
				calls++
				var items []int
				for i := o.Page * o.Size; i < min((o.Page+1)*o.Size, tt.total); i++ {
					items = append(items, i)
				}
				total := tt.total
				if tt.noTotal {
					total = -1
				}
				return Page[int]{Items: items, Total: total}, nil
			}
			found := map[int]bool{}
			complete, err := readPages(context.Background(), opts, opts, list, func(items []int, _ int) int {
				for _, i := range items {
					found[i] = true
				}
				missing := 0
				for _, w := range tt.want {
					if !found[w] {
						missing++
					}
				}
				return missing
			})
			require.NoError(t, err)
			assert.Equal(t, tt.pages, calls)
			assert.Equal(t, tt.complete, complete)
		})
	}
}

// The shared poller keeps WaitFunc's schedule: the pause starts at the
// poll interval and grows ×1.5.
func TestWaitSharedPollSchedule(t *testing.T) {
	c, mt := newTestClient(t, WithPollInterval(2*time.Second))
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := t0
	c.watch.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c.watch.pause = func(ctx context.Context, d time.Duration, _ <-chan struct{}) error {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
		return ctx.Err()
	}
	var at []time.Duration
	respondSeq(mt, http.MethodGet, pollQuery, func(int) {
		mu.Lock()
		at = append(at, now.Sub(t0))
		mu.Unlock()
	}, okStep(`[`+taskJSON("t1", TaskStateRunning, 1, "").body+`]`), okStep(`[`+taskJSON("t1", TaskStateRunning, 1, "").body+`]`),
		okStep(`[`+taskJSON("t1", TaskStateRunning, 1, "").body+`]`), okStep(`[`+taskJSON("t1", TaskStateRunning, 1, "").body+`]`),
		okStep(`[`+taskJSON("t1", TaskStateRunning, 1, "").body+`]`), okStep(`[]`))
	respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[`+taskJSON("t1", TaskStateFinished, 100, "").body+`]`))
	_, err := c.Tasks.WaitAll(context.Background(), "t1")
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []time.Duration{0, 2 * time.Second, 5 * time.Second, 9500 * time.Millisecond,
		16250 * time.Millisecond, 26375 * time.Millisecond}, at)
}

// A wait that begins while another waits out a long pause is polled at
// once. The pause is the poller's own but for its timer, which never fires
// here: only the new wait's wake ends it. The second wait begins once the
// first wait's poll is over and the poller pauses, so it cannot join that
// poll, however the goroutines run.
func TestWaitJoiningIsPolledAtOnce(t *testing.T) {
	c, mt := newTestClient(t, WithPollInterval(time.Hour))
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c.watch.now = func() time.Time { return t0 }
	paused := make(chan time.Duration, 4)
	c.watch.pause = func(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
		select {
		case paused <- d:
		default:
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
			return nil
		}
	}
	polls := respondSeq(mt, http.MethodGet, pollQuery, nil, okStep(`[`+taskJSON("t1", TaskStateRunning, 1, "").body+`]`))
	respondSeq(mt, http.MethodGet, endedQuery, nil, okStep(`[`+taskJSON("t2", TaskStateFinished, 100, "").body+`]`))
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.Tasks.WaitAll(ctx, "t1")
		first <- err
	}()
	select {
	case d := <-paused:
		require.Equal(t, time.Hour, d, "the first wait's pause")
	case <-time.After(time.Minute):
		t.Fatal("the poller never paused")
	}
	require.Len(t, polls.all(), 1)
	// A minute stands for the hour that never passes: the wait fails
	// rather than hangs if only the pause's end would poll it.
	second, cancelSecond := context.WithTimeout(context.Background(), time.Minute)
	defer cancelSecond()
	tasks, err := c.Tasks.WaitAll(second, "t2")
	require.NoError(t, err, "polled during the first wait's pause")
	assert.Equal(t, TaskStateFinished, tasks[0].State.Name)
	assert.Len(t, polls.all(), 2, "a poll of its own")
	cancel()
	assert.ErrorIs(t, <-first, context.Canceled)
}
