package vprotecttest

import (
	"sync"
	"time"
)

// Clock is the fake's source of time. Task states, session expiry and
// schedule runs are all derived from it when a request arrives.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a Clock that moves only when told. It is safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock set to t0.
func NewFakeClock(t0 time.Time) *FakeClock {
	return &FakeClock{now: t0}
}

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set sets the clock to t. Moving it backwards does not undo anything the
// fake has already simulated.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
