package vprotect

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// A hostile or broken server must end each call with a clear error, in
// bounded memory and time.
func TestHostileServer(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: feeds megabyte bodies and slow answers (seconds)")
	}
	const limit = 1 << 20
	cases := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		check   func(t *testing.T, err error)
	}{
		{
			name: "far larger than the limit",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "["+strings.Repeat(`"0123456789",`, 1_000_000)+`"x"]`)
			},
			check: func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrResponseTooLarge) },
		},
		{
			name: "endless body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				chunk := []byte(strings.Repeat(`"endless",`, 1000))
				_, _ = w.Write([]byte("["))
				for r.Context().Err() == nil {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			},
			check: func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrResponseTooLarge) },
		},
		{
			name: "slow trickle",
			handler: func(w http.ResponseWriter, r *http.Request) {
				for r.Context().Err() == nil {
					if _, err := w.Write([]byte(" ")); err != nil {
						return
					}
					w.(http.Flusher).Flush()
					time.Sleep(50 * time.Millisecond)
				}
			},
			check: func(t *testing.T, err error) { assert.ErrorIs(t, err, context.DeadlineExceeded) },
		},
		{
			name: "deeply nested JSON",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, strings.Repeat("[", 200_000)+strings.Repeat("]", 200_000))
			},
			check: func(t *testing.T, err error) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "depth")
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) { tc.handler(w, r) })
			// The trickle must meet its deadline; the others must end on
			// their own well before a loaded machine's slowest read.
			timeout := 10 * time.Second
			if tc.name == "slow trickle" {
				timeout = time.Second
			}
			c := plainClient(t, srv.URL, WithMaxResponseBytes(limit), WithTimeout(timeout), WithRetry(NoRetry()))
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := list[[]any](context.Background(), c, "/hostile", nil)
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			tc.check(t, err)
			assert.Less(t, elapsed, timeout+time.Second, "bounded time")
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64*limit), "bounded memory")
			assert.Less(t, len(err.Error()), 1024)
		})
	}
}

func TestRateLimitHolds(t *testing.T) {
	srv, hits := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	// 20 requests per second with a burst of 2: 12 calls take at least
	// (12-2)/20 s = 500 ms, whatever the goroutines do.
	c := plainClient(t, srv.URL, WithRateLimit(20, 2))
	start := time.Now()
	done := make(chan error, 12)
	for range 12 {
		go func() { done <- c.Ping(context.Background()) }()
	}
	for range 12 {
		require.NoError(t, <-done)
	}
	assert.GreaterOrEqual(t, time.Since(start), 450*time.Millisecond)
	assert.EqualValues(t, 12, hits.Load())
}

func TestRateLimitCoversRetries(t *testing.T) {
	var n atomic.Int64
	srv, _ := countingServer(t, func(hit int64, w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if hit < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c := plainClient(t, srv.URL, WithRateLimit(10, 1), WithRetry(RetryPolicy{MaxAttempts: 3}))
	start := time.Now()
	require.NoError(t, c.Ping(context.Background()))
	// Three attempts at 10 per second with a burst of 1: at least 200 ms.
	assert.GreaterOrEqual(t, time.Since(start), 180*time.Millisecond)
	assert.EqualValues(t, 3, n.Load())
	assert.Equal(t, rate.Limit(10), c.cfg.rateLimit.l.Limit())
}
