package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// cache makes scrapes cheap and bounded. A scrape within ttl of the latest
// refresh attempt gets its values without calling the API, so any number of
// Prometheus servers cost one round of calls per ttl; scrapes that arrive
// while a refresh runs wait for that one. A refresh has timeout to finish:
// a scrape never waits longer, and after a failed or late refresh it gets
// the last good values, marked stale, with vprotect_up 0.
type cache struct {
	fetch     func(context.Context) (*snapshot, error)
	ttl       time.Duration
	timeout   time.Duration
	now       func() time.Time
	log       *slog.Logger
	refreshed func(error) // counts refreshes

	mu       sync.Mutex
	good     *snapshot     // the latest good values, nil before the first
	lastErr  error         // of the latest refresh that ended
	tried    time.Time     // when the latest refresh started
	took     time.Duration // how long the latest refresh that ended took
	inflight chan struct{} // closed when the running refresh ends; nil when none runs
}

// view is what a scrape shows.
type view struct {
	snap  *snapshot // nil when no refresh has succeeded yet
	up    bool
	stale bool
	took  time.Duration
}

// get returns the values for a scrape, starting a refresh when the latest
// attempt is older than ttl, and waiting for a running one at most until
// its deadline.
func (c *cache) get() view {
	c.mu.Lock()
	now := c.now()
	if c.inflight == nil && (c.tried.IsZero() || now.Sub(c.tried) >= c.ttl) {
		c.inflight = make(chan struct{})
		c.tried = now
		go c.refresh(c.inflight)
	}
	wait, deadline := c.inflight, c.tried.Add(c.timeout)
	c.mu.Unlock()

	late := false
	if wait != nil {
		t := time.NewTimer(max(deadline.Sub(c.now()), 0))
		select {
		case <-wait:
		case <-t.C:
			late = true
		}
		t.Stop()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	up := !late && c.lastErr == nil && c.good != nil
	return view{snap: c.good, up: up, stale: c.good != nil && !up, took: c.took}
}

// refresh reads a snapshot within timeout and keeps it if it is good.
func (c *cache) refresh(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	start := c.now()
	snap, err := c.fetch(ctx)
	took := c.now().Sub(start)
	if err != nil {
		c.log.Warn("refresh from the vProtect API failed; serving the last good values", "error", err, "duration", took)
	}
	c.refreshed(err)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastErr, c.took = err, took
	if err == nil {
		c.good = snap
	}
	c.inflight = nil
	close(done)
}
