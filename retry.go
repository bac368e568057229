package vprotect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how the client retries a request that failed in a way
// that may pass on a second try: only on a transport error (never a
// certificate error, a refused redirect or an ended context), 429, 502, 503
// or 504, and only for the requests below that are retried. A POST is never
// sent twice: a second POST /tasks/export would be a second backup.
//
// Every request the SDK sends, and whether it is retried:
//
//	Request                              Retried  Why
//	GET (every list, Get, Ping, waits)   yes      reads change nothing
//	PUT /schedules/{guid}                yes      sets the whole object: twice is once
//	PUT /policies/vm-backup/{guid}       yes      sets the whole object: twice is once
//	PUT /rules/vm-backup/{guid}          yes      sets the whole object: twice is once
//	PUT /tasks/{guid}/state (Cancel)     yes      a retry that meets the task CANCELLED
//	                                              (409) is a success: the lost first
//	                                              attempt did it
//	DELETE /schedules/{guid}             yes      the object is gone either way (a retry
//	DELETE /policies/vm-backup/{guid}    yes      may answer ErrNotFound when the first
//	DELETE /rules/vm-backup/{guid}       yes      attempt went through)
//	DELETE /tasks/{guid} (Delete)        no       it cancels a queued task and deletes a
//	                                              finished one: a retry would delete what
//	                                              the first attempt only cancelled
//	POST /tasks/export                   no       a second backup
//	POST /tasks/restore-and-import       no       a second restore
//	POST /schedules, /policies/vm-backup,
//	     /rules/vm-backup (Create)       no       a second object, or a 409 for the first
//	POST /backup-destinations/usable-for-vms
//	                                     no       a POST (it only reads)
//	POST /session/login                  no       bad credentials stay bad; a 401 re-login
//	                                              happens once per session generation
//	POST /session/logout                 no       a POST
//
// A 401 is not retried but replayed after a re-login, POST included: the
// server did nothing.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts in all, the first included (1 turns retries off).
	MaxAttempts int
	// MinBackoff is the wait before the first retry. Later waits double, up to
	// MaxBackoff; each is jittered between half and all of its value.
	MinBackoff time.Duration
	// MaxBackoff caps the wait between attempts.
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the client honours; an answer
	// asking for longer is returned as an error at once. Zero means 1 minute.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is 3 attempts, 200 ms doubling to at most 5 s, and
// Retry-After honoured up to 1 minute.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, MinBackoff: 200 * time.Millisecond, MaxBackoff: 5 * time.Second, MaxRetryAfter: time.Minute}
}

// NoRetry sends every request once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1:
		return argError("RetryPolicy.MaxAttempts", "must be at least 1, got %d", p.MaxAttempts)
	case p.MinBackoff < 0:
		return argError("RetryPolicy.MinBackoff", "must not be negative")
	case p.MaxBackoff < p.MinBackoff:
		return argError("RetryPolicy.MaxBackoff", "must not be below MinBackoff")
	case p.MaxRetryAfter < 0:
		return argError("RetryPolicy.MaxRetryAfter", "must not be negative")
	}
	return nil
}

// backoff returns the wait after the given failed attempt (1-based).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.MinBackoff
	for i := 1; i < attempt && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

func (p RetryPolicy) maxRetryAfter() time.Duration {
	if p.MaxRetryAfter == 0 {
		return time.Minute
	}
	return p.MaxRetryAfter
}

// idempotent reports whether a request with this method may be sent again.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// A transient answer is one that may pass when the same request is sent
// again. Request retries (send) and task polling (poll) both go by the
// definition below. They differ in one intended way, in transientPollError:
// a poll also takes every other 5xx answer (500 included) for transient,
// because it only reads a state the wait reads again anyway, and a wait of
// minutes should not end on one error of a busy server; a request is sent
// again only on the answers that say "later", since a 500 to anything else
// is more likely to come back the same.

// transientStatus reports whether an answer with this status is transient:
// 429 and the gateway errors 502, 503 and 504.
func transientStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transientTransportError reports whether a transport error is transient:
// not when the context ended, not a certificate error (a second try meets the
// same certificate), not an oversized body.
func transientTransportError(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verification) {
		return false
	}
	return !errors.Is(err, ErrResponseTooLarge) && !errors.Is(err, ErrRedirectRefused)
}

// transientPollError reports whether a failed poll may be tried again: a
// transient transport error or answer, or any other 5xx (the one difference
// from request retries, see above).
func transientPollError(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return transientStatus(apiErr.StatusCode) || apiErr.StatusCode >= 500
	}
	var te *TransportError
	if errors.As(err, &te) {
		return transientTransportError(ctx, te.Err)
	}
	return false
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date. A
// delay too long for a time.Duration (however many digits) is the longest
// Duration, so that it is longer than any cap: never zero, never wrapped.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if digits(v) {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil || s > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// digits reports whether s is made of ASCII digits only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	return sleepOrWake(ctx, d, nil)
}

// sleepOrWake waits for d, until ctx ends, or until wake fires (the shared
// poller's wake when a new watch joins; a nil wake never fires).
func sleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	case <-wake:
	}
	return nil
}
