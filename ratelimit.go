package vprotect

import (
	"context"
	"fmt"
	"math"

	"golang.org/x/time/rate"
)

// rateLimit paces every request the client sends: calls, retries, re-logins and polls.
type rateLimit struct{ l *rate.Limiter }

// WithRateLimit makes the client send at most requestsPerSecond requests per
// second on average, with bursts of up to burst requests. The limit is shared
// by all calls of the client, their retries, re-logins and task polls.
func WithRateLimit(requestsPerSecond float64, burst int) Option {
	return func(c *config) error {
		if !(requestsPerSecond > 0) || math.IsInf(requestsPerSecond, 0) {
			return argError("WithRateLimit requestsPerSecond", "must be a positive number, got %v", requestsPerSecond)
		}
		if burst < 1 {
			return argError("WithRateLimit burst", "must be at least 1, got %d", burst)
		}
		c.rateLimit = &rateLimit{l: rate.NewLimiter(rate.Limit(requestsPerSecond), burst)}
		return nil
	}
}

// wait blocks until the next request may go, or ctx ends. A nil limit never
// waits. When the wait would outlast ctx's deadline it fails at once, with
// an error matching context.DeadlineExceeded.
func (r *rateLimit) wait(ctx context.Context) error {
	if r == nil {
		return nil
	}
	if err := r.l.Wait(ctx); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("rate limit: the next request may go only after the deadline: %w", context.DeadlineExceeded)
	}
	return nil
}
