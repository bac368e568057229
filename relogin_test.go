package vprotect

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A replay that meets a session ended again meanwhile (a busy server with
// short sessions) logs in and replays again, bounded by maxReplays; a route
// that refuses a valid session is not (TestUnauthorizedAfterReplay).
func TestReplayAfterSessionEndsAgain(t *testing.T) {
	for _, tc := range []struct {
		expiries int
		ok       bool
	}{{1, true}, {2, true}, {maxReplays, true}, {maxReplays + 1, false}} {
		s := newAuthServer(t)
		var hits atomic.Int64
		s.mux.HandleFunc("GET /api/busy", func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) <= int64(tc.expiries) {
				s.expire() // the session ended just before this request
				writeTestJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
		c := s.client(t)
		ctx := context.Background()
		_, err := c.Login(ctx)
		require.NoError(t, err)
		_, err = c.do(ctx, &request{method: http.MethodGet, path: "/busy"})
		if tc.ok {
			require.NoError(t, err, "%d expiries", tc.expiries)
			assert.EqualValues(t, 1+tc.expiries, s.logins.Load(), "one login per ended session")
		} else {
			assert.ErrorIs(t, err, ErrUnauthorized)
			assert.EqualValues(t, 1+maxReplays, s.logins.Load(), "bounded")
		}
	}
}
