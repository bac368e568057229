package vprotect

import (
	"strings"
	"time"
)

// Observer receives an event for each request attempt and each login of a
// client, for metrics (WithObserver). Either function may be nil. They are
// called synchronously on the goroutine that makes the call, possibly from
// many goroutines at once: they must be quick and safe for concurrent use.
// Events carry no secret: no body, header, cookie or query.
type Observer struct {
	// Request is called once per attempt of every request, retries,
	// replays after a 401 and login calls included, when the attempt has
	// its answer's status or has failed without one.
	Request func(RequestEvent)
	// Login is called after every login call the client makes: the first,
	// every re-login (after a 401 or an ended session), and Login.
	Login func(LoginEvent)
}

// RequestEvent describes one attempt of a request.
type RequestEvent struct {
	// Method is the HTTP method.
	Method string
	// Route is the path below the API root with its identifiers replaced,
	// a bounded set fit for a metric label: a segment of digits becomes
	// {id} and any other segment that is not an API word (letters and
	// hyphens) becomes {guid}, as in "/tasks/{guid}" or
	// "/users/{id}/password". It has no query.
	Route string
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
	// Err is why an attempt without an answer failed, else nil.
	Err error
	// Attempt counts the attempts of the request from 1; a replay after a
	// 401 counts again from 1.
	Attempt int
	// Duration is the time from sending to the answer's headers (or the
	// failure).
	Duration time.Duration
}

// LoginEvent describes one login call.
type LoginEvent struct {
	// Relogin reports that the login replaces a session the client held:
	// after a 401, an ended session or Logout. It is false for the
	// client's first login.
	Relogin bool
	// Err is the login's error, nil when it succeeded.
	Err error
	// Duration is the time the login call took, its retries included.
	Duration time.Duration
}

// WithObserver reports every request attempt and every login of the client
// to o, for metrics: requests by route and status, their durations, and
// re-logins. Unlike a WithTransport wrapper it sees the route without its
// identifiers and tells a re-login from the first login. Given more than
// once, the last one counts.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		c.observer = o
		return nil
	}
}

// observeRequest reports one attempt of r to the observer, if any.
func (c *Client) observeRequest(r *request, status int, err error, attempt int, d time.Duration) {
	if c.cfg.observer.Request == nil {
		return
	}
	c.cfg.observer.Request(RequestEvent{Method: r.method, Route: route(r.path), Status: status, Err: err, Attempt: attempt, Duration: d})
}

// observeLogin reports a login that started at start, in a client that had
// logged in before when relogin is set, to the observer, if any.
func (c *Client) observeLogin(relogin bool, err error, start time.Time) {
	if c.cfg.observer.Login == nil {
		return
	}
	c.cfg.observer.Login(LoginEvent{Relogin: relogin, Err: err, Duration: time.Since(start)})
}

// route returns path with each identifier segment replaced (see
// RequestEvent.Route).
func route(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case s == "" || apiWord(s):
		case strings.Trim(s, "0123456789") == "":
			segs[i] = "{id}"
		default:
			segs[i] = "{guid}"
		}
	}
	return strings.Join(segs, "/")
}

// apiWord reports whether s is made of letters and hyphens only, as the
// literal segments of the API's paths are ("virtual-machines", "vm-backup").
func apiWord(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && r != '-' {
			return false
		}
	}
	return true
}
