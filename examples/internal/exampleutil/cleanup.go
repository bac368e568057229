package exampleutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vprotect-go/vprotect"
)

// Cleanup removes what an example created, last created first. Run it
// deferred so that it also runs when a step fails or the user presses
// Ctrl-C, and explicitly as the example's last step; it runs each removal
// once.
type Cleanup struct {
	steps []cleanupStep
}

type cleanupStep struct {
	what   string
	remove func(ctx context.Context) error
}

// Add registers the removal of what (e.g. "schedule nightly").
func (c *Cleanup) Add(what string, remove func(ctx context.Context) error) {
	c.steps = append(c.steps, cleanupStep{what, remove})
}

// Forget drops a registered removal, for an object removed in another way
// (the rules of a deleted policy, for example).
func (c *Cleanup) Forget(what string) {
	for i := range c.steps {
		if c.steps[i].what == what {
			c.steps = append(c.steps[:i], c.steps[i+1:]...)
			return
		}
	}
}

// Run removes everything registered, newest first, printing "removed <what>"
// for each on w. It works on a context of its own (30 s) so that it runs
// after a cancelled ctx too. An object already gone counts as removed.
func (c *Cleanup) Run(ctx context.Context, w io.Writer) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var errs []error
	for len(c.steps) > 0 {
		s := c.steps[len(c.steps)-1]
		c.steps = c.steps[:len(c.steps)-1]
		if err := s.remove(ctx); err != nil && !errors.Is(err, vprotect.ErrNotFound) {
			errs = append(errs, fmt.Errorf("remove %s: %w", s.what, err))
			continue
		}
		fmt.Fprintf(w, "  removed %s\n", s.what)
	}
	return errors.Join(errs...)
}
