package vprotect

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLazyLoginAndPing(t *testing.T) {
	s := newAuthServer(t)
	c := s.client(t)
	require.NoError(t, c.Ping(context.Background()))
	require.NoError(t, c.Ping(context.Background()))
	assert.EqualValues(t, 1, s.logins.Load(), "one lazy login for two calls")
}

func TestLoginReturnsSessionInfo(t *testing.T) {
	s := newAuthServer(t)
	c := s.client(t)
	info, err := c.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "admin", info.Requester.Name)
	require.NoError(t, c.Ping(context.Background()))
	assert.EqualValues(t, 1, s.logins.Load(), "no lazy login after an explicit one")
}

// (a) one 401 → one login → the request is replayed and succeeds.
func TestReloginOn401ReplaysOnce(t *testing.T) {
	s := newAuthServer(t)
	var hits atomic.Int64
	s.handle("PUT /api/things/{id}", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeTestJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	c := s.client(t)
	ctx := context.Background()
	require.NoError(t, c.Ping(ctx))
	s.expire()
	var out struct{ ID string }
	_, err := c.do(ctx, &request{method: http.MethodPut, path: "/things/x", body: map[string]int{"a": 1}, out: &out})
	require.NoError(t, err)
	assert.Equal(t, "x", out.ID)
	assert.EqualValues(t, 2, s.logins.Load(), "lazy login, then one re-login")
	assert.EqualValues(t, 1, hits.Load(), "the 401 came before the handler; the replay reached it once")
}

// (b) 64 goroutines on an expired session → exactly one login, all succeed.
func TestConcurrent401sLogInOnce(t *testing.T) {
	s := newAuthServer(t)
	s.handle("GET /api/things", func(w http.ResponseWriter, r *http.Request) { writeTestJSON(w, http.StatusOK, []int{1}) })
	c := s.client(t)
	ctx := context.Background()
	require.NoError(t, c.Ping(ctx))
	s.expire()
	before := s.logins.Load()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	start := make(chan struct{})
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := list[int](ctx, c, "/things", nil)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, s.logins.Load()-before, "exactly one re-login for 64 callers")
}

// (c) a 401 from the login itself → ErrInvalidCredentials, no loop.
func TestInvalidCredentials(t *testing.T) {
	s := newAuthServer(t)
	c, err := New(s.URL, WithCredentials("admin", "wrong-password"))
	require.NoError(t, err)
	defer c.Close()
	err = c.Ping(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidCredentials)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.EqualValues(t, 1, s.loginHits.Load(), "the login is sent once, never retried")
	assert.NotContains(t, err.Error(), "wrong-password")

	_, err = c.Login(context.Background())
	assert.ErrorIs(t, err, ErrInvalidCredentials)
	assert.EqualValues(t, 2, s.loginHits.Load())
}

// The login's status as servers answer it: a 7.x server answers a good
// login 200 and bad credentials 400 (reference 7x section 1), the older
// documentation says 201 and 401. Any 2xx is a success; 400 and 401 are
// ErrInvalidCredentials (and ErrUnauthorized; a 400 is ErrBadRequest too),
// sent once.
func TestLoginStatuses(t *testing.T) {
	for _, tc := range []struct {
		status  int
		invalid bool
	}{
		{http.StatusOK, false},
		{http.StatusCreated, false},
		{http.StatusNoContent, false},
		{http.StatusBadRequest, true},
		{http.StatusUnauthorized, true},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			c, mt := newTestClient(t, WithCredentials("admin", "vPr0tect"))
			var body any = map[string]any{"requester": map[string]string{"guid": "u-1", "name": "admin"}}
			if tc.status >= 400 {
				body = map[string]any{"message": "Invalid credentials", "status": tc.status}
			}
			if tc.status == http.StatusNoContent {
				body = nil
			}
			logins := respondJSON(mt, http.MethodPost, "/session/login", tc.status, body)
			_, err := c.Login(context.Background())
			assert.Len(t, logins.all(), 1, "the login is sent once")
			if !tc.invalid {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidCredentials)
			assert.ErrorIs(t, err, ErrUnauthorized)
			assert.Equal(t, tc.status == http.StatusBadRequest, errors.Is(err, ErrBadRequest), "a 400 is a bad request too")
			assert.NotErrorIs(t, err, ErrForbidden)
			assert.Contains(t, err.Error(), "(invalid credentials)")
		})
	}
}

// A 400 to any other call is ErrBadRequest, never ErrInvalidCredentials.
func TestBadRequestIsNotInvalidCredentials(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodGet, "/session", http.StatusBadRequest, map[string]any{"message": "bad", "status": 400})
	err := c.Ping(context.Background())
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrInvalidCredentials)
	assert.NotErrorIs(t, err, ErrUnauthorized)
}

// (d) a 401 on the replay → ErrUnauthorized, one login only.
func TestUnauthorizedAfterReplay(t *testing.T) {
	s := newAuthServer(t)
	s.mux.HandleFunc("GET /api/always-401", func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, http.StatusUnauthorized, map[string]string{"message": "no"})
	})
	c := s.client(t)
	ctx := context.Background()
	require.NoError(t, c.Ping(ctx))
	_, err := c.do(ctx, &request{method: http.MethodGet, path: "/always-401"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.NotErrorIs(t, err, ErrInvalidCredentials)
	assert.EqualValues(t, 2, s.logins.Load(), "the first login, then one re-login")
}

// (e) WithHTTPClient with a client that has no jar still keeps the cookie.
func TestWithHTTPClientWithoutJarKeepsCookie(t *testing.T) {
	s := newAuthServer(t)
	hc := &http.Client{}
	c := s.client(t, WithHTTPClient(hc))
	ctx := context.Background()
	require.NoError(t, c.Ping(ctx))
	require.NoError(t, c.Ping(ctx))
	assert.EqualValues(t, 1, s.logins.Load())
	assert.Nil(t, hc.Jar, "the caller's client is not modified")
}

func TestLogoutThenLazyLoginAgain(t *testing.T) {
	s := newAuthServer(t)
	c := s.client(t)
	ctx := context.Background()
	require.NoError(t, c.Ping(ctx))
	require.NoError(t, c.Logout(ctx))
	require.NoError(t, c.Ping(ctx))
	assert.EqualValues(t, 2, s.logins.Load())
}

func TestCurrentUser(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, "GET", "/session/user", 200, `{"requester":{"guid":"u1","name":"admin"},
		"privileges":[{"name":"NODE_READ","description":"Node read"},"VE_BACKUP_SLA_READ"],
		"language":"EN","uiTimeZone":"UTC","uiConsoleMode":"WORKFLOW","infoTourEnabled":true,
		"lastSuccessfulLogin":1717000000000,"lastFailedLogin":null,"lastFailedLoginIp":"10.0.0.1",
		"appUserSettings":{"pageSize":25,"timeFormat":24,"unmountPeriodForMountedBackups":3600000}}`)
	info, err := c.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "admin", info.Requester.Name)
	require.Len(t, info.Privileges, 2)
	assert.Equal(t, "NODE_READ", info.Privileges[0].Name)
	assert.Equal(t, "VE_BACKUP_SLA_READ", info.Privileges[1].Name)
	assert.Equal(t, "EN", info.Language.Name)
	assert.Equal(t, int64(1717000000000), info.LastSuccessfulLogin.UnixMilli())
	assert.True(t, info.LastFailedLogin.IsZero())
	assert.Equal(t, 25, info.AppUserSettings.PageSize)
	assert.Equal(t, "1h0m0s", info.AppUserSettings.UnmountPeriodForMountedBackups.String())
}

func TestLoginWithoutCredentials(t *testing.T) {
	c, _ := newTestClient(t)
	_, err := c.Login(context.Background())
	var argErr *ArgumentError
	require.True(t, errors.As(err, &argErr))
	assert.Equal(t, "credentials", argErr.Field)
}
