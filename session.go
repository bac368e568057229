package vprotect

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"
)

// session tracks the login state shared by all calls of a client.
//
// A re-login happens at most once per session generation: every call notes
// the generation before it is sent, and a 401 leads to a login only if no
// other call has logged in since. So N goroutines that meet the same expired
// session cause one login, and a late 401 from an old session causes none.
type session struct {
	sem   chan struct{} // a one-slot semaphore: a mutex that honours ctx
	gen   atomic.Uint64 // bumped after every successful login
	valid atomic.Bool   // a login succeeded and no logout followed
	info  atomic.Pointer[SessionInfo]
}

func (s *session) init() { s.sem = make(chan struct{}, 1) }

func (s *session) generation() uint64 { return s.gen.Load() }

// ensure logs in unless a session is already held.
func (s *session) ensure(ctx context.Context, login func(context.Context) error) error {
	if s.valid.Load() {
		return nil
	}
	return s.refresh(ctx, s.gen.Load(), login)
}

// refresh logs in, unless another call has logged in since generation seen.
func (s *session) refresh(ctx context.Context, seen uint64, login func(context.Context) error) error {
	return s.locked(ctx, func() error {
		if s.gen.Load() != seen && s.valid.Load() {
			return nil
		}
		return s.loginLocked(ctx, login)
	})
}

func (s *session) loginLocked(ctx context.Context, login func(context.Context) error) error {
	if err := login(ctx); err != nil {
		s.valid.Store(false)
		return err
	}
	s.gen.Add(1)
	s.valid.Store(true)
	return nil
}

// locked runs fn holding the semaphore, or returns ctx's error while waiting.
func (s *session) locked(ctx context.Context, fn func() error) error {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.sem }()
	return fn()
}

// maxReplays bounds how many times one call is replayed after a 401.
const maxReplays = 5

// usesSession reports whether the client logs in for r and again after a
// 401 to it: it has credentials and r is neither the login call nor logout.
func (c *Client) usesSession(r *request) bool {
	return c.cfg.hasCredentials && r.auth == authSession
}

// beginSession logs in before r when r uses the session and none is held,
// and returns the session generation r is sent in.
func (c *Client) beginSession(ctx context.Context, r *request) (uint64, error) {
	if c.usesSession(r) {
		if err := c.sess.ensure(ctx, c.loginCall); err != nil {
			return 0, err
		}
	}
	return c.sess.generation(), nil
}

// replayUnauthorized handles the 401 answer hr to r, sent in session
// generation seen after attempts attempts, and makes every re-login
// decision of the client:
//
//   - a request that does not use the session keeps its 401;
//   - after the first 401 the client logs in again, unless another call has
//     since (one login per generation), and replays r;
//   - a 401 to a replay stands (ErrUnauthorized) unless the session has
//     ended again meanwhile, as on a busy server with short sessions
//     (reloginIfEnded): then it logs in and replays again, up to maxReplays
//     times.
//
// It returns the last answer with its body open, or an error: the login's,
// or a *TransportError when a replay got no answer.
func (c *Client) replayUnauthorized(ctx context.Context, r *request, body []byte, seen uint64, hr *http.Response, attempts int) (*http.Response, int, error) {
	if !c.usesSession(r) {
		return hr, attempts, nil
	}
	for replays := 0; hr.StatusCode == http.StatusUnauthorized && replays < maxReplays; replays++ {
		if replays > 0 {
			again, err := c.reloginIfEnded(ctx, seen)
			if err != nil {
				discard(hr)
				return nil, attempts, err
			}
			if !again {
				break
			}
		}
		discard(hr)
		if replays == 0 {
			if err := c.sess.refresh(ctx, seen, c.loginCall); err != nil {
				return nil, attempts, err
			}
		}
		seen = c.sess.generation()
		next, more, err := c.send(ctx, r, body)
		attempts += more
		if err != nil {
			return nil, attempts, r.transportError(attempts, err)
		}
		hr = next
	}
	return hr, attempts, nil
}

// reloginIfEnded handles a 401 answer to a replay, sent with session
// generation seen. It reports whether to replay again: yes when another call
// has logged in since, or when GET /session answers 401 too (the session has
// ended again; it logs in first). No when the session is valid: the route
// itself refuses. One check runs at a time, so N calls that meet the same
// ended session cause one GET /session and one login.
func (c *Client) reloginIfEnded(ctx context.Context, seen uint64) (bool, error) {
	again := false
	err := c.sess.locked(ctx, func() error {
		if c.sess.gen.Load() != seen && c.sess.valid.Load() {
			again = true
			return nil
		}
		hr, _, err := c.send(ctx, &request{method: http.MethodGet, path: "/session"}, nil)
		if err != nil {
			return nil // cannot tell: the 401 stands
		}
		status := hr.StatusCode
		discard(hr)
		if status != http.StatusUnauthorized {
			return nil
		}
		again = true
		return c.sess.loginLocked(ctx, c.loginCall)
	})
	return again, err
}

// SessionInfo describes the logged-in user, as the login call and
// GET /session/user return it.
type SessionInfo struct {
	// Requester is the logged-in user.
	Requester NameAndGuid `json:"requester"`
	// Privileges lists what the user may do (e.g. NODE_READ).
	Privileges []EnumNameAndDescription `json:"privileges"`
	// Language is the user's UI language (e.g. "EN", "PL").
	Language EnumNameAndDescription `json:"language"`
	// UITimeZone is the user's time zone name (e.g. "UTC").
	UITimeZone string `json:"uiTimeZone"`
	// UIConsoleMode is the user's console mode (e.g. "WORKFLOW").
	UIConsoleMode string `json:"uiConsoleMode"`
	// InfoTourEnabled tells whether the UI tour is on.
	InfoTourEnabled bool `json:"infoTourEnabled"`
	// LastSuccessfulLogin and LastFailedLogin are the times of the user's last logins.
	LastSuccessfulLogin Timestamp `json:"lastSuccessfulLogin"`
	LastFailedLogin     Timestamp `json:"lastFailedLogin"`
	// LastFailedLoginIP is the address of the last failed login.
	LastFailedLoginIP string `json:"lastFailedLoginIp"`
	// AppUserSettings holds the user's UI settings.
	AppUserSettings AppUserSettings `json:"appUserSettings"`
}

// AppUserSettings are a user's UI settings.
type AppUserSettings struct {
	PageSize                       int      `json:"pageSize"`
	TimeFormat                     int      `json:"timeFormat"`
	UnmountPeriodForMountedBackups Duration `json:"unmountPeriodForMountedBackups"`
}

// loginBody is the body of the login call.
type loginBody struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// newLoginBody builds the body of the login call from the credentials,
// which WithCredentials has checked.
func newLoginBody(cfg *config) *loginBody {
	return &loginBody{Login: cfg.login, Password: cfg.password}
}

// loginCall sends the login request. Any 2xx answer is a success (a 7.x
// server answers 200, older documentation says 201); a 400 (what a 7.x server
// answers for bad credentials) or 401 is ErrInvalidCredentials.
func (c *Client) loginCall(ctx context.Context) (err error) {
	relogin, start := c.sess.generation() > 0, time.Now()
	defer func() { c.observeLogin(relogin, err, start) }()
	var info SessionInfo
	_, err = c.do(ctx, &request{
		method: http.MethodPost,
		path:   "/session/login",
		body:   newLoginBody(&c.cfg),
		out:    &info,
		auth:   authCredentials,
	})
	if err != nil {
		return err
	}
	c.sess.info.Store(&info)
	return nil
}

// Login logs in with the credentials given to WithCredentials and returns
// who is logged in. Calling it is optional: the client logs in by itself on
// first use and again after a 401. Bad credentials give an error matching
// ErrInvalidCredentials (and ErrUnauthorized); they are never retried.
//
// vProtect API: POST /session/login
func (c *Client) Login(ctx context.Context) (*SessionInfo, error) {
	if !c.cfg.hasCredentials {
		return nil, argError("credentials", "Login needs WithCredentials")
	}
	if ctx == nil {
		return nil, argError("ctx", "must not be nil")
	}
	err := c.sess.locked(ctx, func() error { return c.sess.loginLocked(ctx, c.loginCall) })
	if err != nil {
		return nil, err
	}
	return c.sess.info.Load(), nil
}

// Logout ends the session on the server. The next call logs in again when
// credentials are set. A session that had already expired is not an error.
//
// vProtect API: POST /session/logout
func (c *Client) Logout(ctx context.Context) error {
	if ctx == nil {
		return argError("ctx", "must not be nil")
	}
	return c.sess.locked(ctx, func() error {
		_, err := c.do(ctx, &request{method: http.MethodPost, path: "/session/logout", auth: authAsIs})
		c.sess.valid.Store(false)
		if err != nil && !isStatus(err, http.StatusUnauthorized) {
			return err
		}
		return nil
	})
}

// Ping checks that the server answers and the session is valid (logging in
// first when credentials are set).
//
// vProtect API: GET /session (204 when the session is valid)
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.do(ctx, &request{method: http.MethodGet, path: "/session"})
	return err
}

// CurrentUser returns the logged-in user and its settings.
//
// vProtect API: GET /session/user
func (c *Client) CurrentUser(ctx context.Context) (*SessionInfo, error) {
	var info SessionInfo
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "/session/user", out: &info, required: true}); err != nil {
		return nil, err
	}
	return &info, nil
}
