package vprotect

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetRetriedOn503ThenSucceeds(t *testing.T) {
	srv, hits := countingServer(t, func(hit int64, w http.ResponseWriter, r *http.Request) {
		if hit < 3 {
			writeTestJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "busy"})
			return
		}
		writeTestJSON(w, http.StatusOK, map[string]string{"guid": "g"})
	})
	c := plainClient(t, srv.URL)
	got, err := getJSON[NameAndGuid](context.Background(), c, "/things/g", nil)
	require.NoError(t, err)
	assert.Equal(t, "g", got.GUID)
	assert.EqualValues(t, 3, hits.Load())
}

func TestRetriesExhaustedGiveAPIErrorWithAttempts(t *testing.T) {
	srv, hits := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, http.StatusBadGateway, map[string]string{"message": "proxy down"})
	})
	c := plainClient(t, srv.URL)
	_, err := getJSON[NameAndGuid](context.Background(), c, "/things/g", nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.ErrorIs(t, err, ErrServer)
	assert.Contains(t, err.Error(), "after 3 attempts")
	assert.EqualValues(t, 3, hits.Load())
}

func TestPostNeverRetried(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		srv, hits := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			writeTestJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "busy"})
		})
		c := plainClient(t, srv.URL)
		_, err := sendJSON[NameAndGuid](context.Background(), c, http.MethodPost, "/tasks/export", nil, map[string]string{"a": "b"})
		assert.ErrorIs(t, err, ErrServer)
		assert.EqualValues(t, 1, hits.Load(), "a POST is sent once")
	})
	t.Run("dropped connection", func(t *testing.T) {
		srv, hits := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		c := plainClient(t, srv.URL)
		_, err := sendJSON[NameAndGuid](context.Background(), c, http.MethodPost, "/tasks/export", nil, map[string]string{"a": "b"})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.EqualValues(t, 1, hits.Load(), "a POST is sent once, even on a dropped connection")
	})
}

func TestDroppedConnectionRetriedForGet(t *testing.T) {
	srv, hits := countingServer(t, func(hit int64, w http.ResponseWriter, r *http.Request) {
		if hit == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		writeTestJSON(w, http.StatusOK, map[string]string{"guid": "g"})
	})
	c := plainClient(t, srv.URL)
	_, err := getJSON[NameAndGuid](context.Background(), c, "/things/g", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, hits.Load())
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var first time.Time
	var gap time.Duration
	srv, _ := countingServer(t, func(hit int64, w http.ResponseWriter, r *http.Request) {
		if hit == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			writeTestJSON(w, http.StatusTooManyRequests, map[string]string{"message": "slow down"})
			return
		}
		gap = time.Since(first)
		writeTestJSON(w, http.StatusOK, map[string]string{"guid": "g"})
	})
	c := plainClient(t, srv.URL)
	_, err := getJSON[NameAndGuid](context.Background(), c, "/things/g", nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, gap, 900*time.Millisecond)
	assert.Less(t, gap, 5*time.Second)
}

func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	srv, hits := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		writeTestJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "busy"})
	})
	c := plainClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := getJSON[NameAndGuid](ctx, c, "/things/g", nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.EqualValues(t, 1, hits.Load())
}

func TestTimeoutIsDeadlineExceeded(t *testing.T) {
	srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := plainClient(t, srv.URL, WithTimeout(100*time.Millisecond))
	start := time.Now()
	_, err := getJSON[NameAndGuid](context.Background(), c, "/slow", nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestResponseLargerThanLimit(t *testing.T) {
	const size = 8 << 20
	t.Run("streamed without length", func(t *testing.T) {
		var written atomic.Int64
		srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			chunk := []byte("[" + strings.Repeat(`"xxxxxxxxxxxxxxx",`, 1000))
			for written.Load() < size {
				n, err := w.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		})
		c := plainClient(t, srv.URL, WithMaxResponseBytes(64<<10))
		_, err := list[string](context.Background(), c, "/big", nil)
		assert.ErrorIs(t, err, ErrResponseTooLarge)
	})
	t.Run("declared length", func(t *testing.T) {
		srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "9999999")
			w.WriteHeader(http.StatusOK)
		})
		c := plainClient(t, srv.URL, WithMaxResponseBytes(1024))
		_, err := list[string](context.Background(), c, "/big", nil)
		assert.ErrorIs(t, err, ErrResponseTooLarge)
	})
	t.Run("exactly the limit is fine", func(t *testing.T) {
		body := `["abc"]`
		srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, body)
		})
		c := plainClient(t, srv.URL, WithMaxResponseBytes(int64(len(body))))
		got, err := list[string](context.Background(), c, "/small", nil)
		require.NoError(t, err)
		assert.Equal(t, []string{"abc"}, got)
	})
}

func TestCertificateErrorNotRetried(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c := plainClient(t, srv.URL)
	_, err := getJSON[NameAndGuid](context.Background(), c, "/x", nil)
	require.Error(t, err)
	var te *TransportError
	require.True(t, errors.As(err, &te))
	assert.Equal(t, 1, te.Attempts, "a certificate error is not retried")
}

func TestUserAgentAndAcceptHeaders(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, "GET", "/session", 204, nil)
	require.NoError(t, c.Ping(context.Background()))
	h := captor.only(t).Header
	assert.Equal(t, "vprotect-go/"+Version, h.Get("User-Agent"))
	assert.Equal(t, "application/json", h.Get("Accept"))
}

// TestRequestHeadersAreNotShared: a transport wrapper that adds to the
// headers of a request changes that request only; the next one carries
// the client's headers as they were, with Content-Type only with a body.
// Under -race, concurrent calls show that no write reaches the values
// the requests share.
func TestRequestHeadersAreNotShared(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		writeTestJSON(w, http.StatusOK, map[string]string{"guid": "g"})
	})
	c := plainClient(t, srv.URL, WithTransport(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r.Header.Add("Accept", "text/plain")
			return next.RoundTrip(r)
		})
	}))
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := getJSON[NameAndGuid](ctx, c, "/things/g", nil)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	_, err := sendJSON[NameAndGuid](ctx, c, http.MethodPost, "/things", nil, map[string]string{"name": "n"})
	require.NoError(t, err)
	require.Len(t, seen, 4)
	for i, h := range seen {
		assert.Equal(t, []string{"application/json", "text/plain"}, h.Values("Accept"), i)
		assert.Equal(t, []string{"vprotect-go/" + Version}, h.Values("User-Agent"), i)
		if i < 3 {
			assert.Empty(t, h.Values("Content-Type"), i)
		} else {
			assert.Equal(t, []string{"application/json"}, h.Values("Content-Type"), i)
		}
	}
}

// squeezeSpace keeps whitespace inside strings, escaped quotes included.
func TestSqueezeSpace(t *testing.T) {
	got, err := squeezeSpace(context.Background(), []byte(" [ {\"a b\" : \"c \\\" d\\\\\" } ,\n\t1 ] "))
	require.NoError(t, err)
	assert.Equal(t, `[{"a b":"c \" d\\"},1]`, string(got))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = squeezeSpace(ctx, []byte("  "))
	assert.ErrorIs(t, err, context.Canceled)
}

// TestLargeFallbackHonoursContext: a large body the decoder refuses goes
// to json.Unmarshal without its whitespace, and not at all once ctx has
// ended; a large value handed to json.Unmarshal (a map) decodes as
// json.Unmarshal decodes it.
func TestLargeFallbackHonoursContext(t *testing.T) {
	spaces := strings.Repeat(" ", squeezeFrom)
	bad := []byte("[" + spaces + "1," + spaces + "]")
	var v []int
	var syntax *json.SyntaxError
	require.ErrorAs(t, decodeJSON(context.Background(), bad, &v), &syntax)
	assert.Equal(t, "["+spaces+"1,"+spaces+"]", string(bad), "the caller's bytes are left alone")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, decodeJSON(ctx, bad, &v), context.Canceled)

	good := []byte(`{"status":"a","entries":{"k":` + spaces + `[1, 2]` + spaces + `},"name":"n"}`)
	var want, got struct {
		Entries map[string][]int `json:"entries"`
		Name    string           `json:"name"`
	}
	require.NoError(t, json.Unmarshal(good, &want))
	require.NoError(t, decodeValue(context.Background(), good, reflect.ValueOf(&got).Elem()))
	assert.Equal(t, want, got)
	assert.Equal(t, []int{1, 2}, got.Entries["k"])
}

// TestReadAllSizesFromContentLength: the body is read whole whatever the
// Content-Length says (right, too small, too large, unknown), and a pooled
// buffer reused by the next answer leaves the values decoded before alone.
func TestReadAllSizesFromContentLength(t *testing.T) {
	body := `{"guid":"g-1","name":"first"}`
	for _, n := range []int64{int64(len(body)), 3, 1 << 20, -1, 0} {
		b, err := readAll(iotest.HalfReader(strings.NewReader(body)), n)
		require.NoError(t, err, n)
		assert.Equal(t, body, string(b), n)
		putBodyBuffer(b)
	}
	b, err := readAll(strings.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	var first NameAndGuid
	require.NoError(t, decodeJSON(context.Background(), b, &first))
	putBodyBuffer(b)
	b, err = readAll(strings.NewReader(`{"guid":"XXXXXXXXXXXXXXXXXXXXXX"}`), 32)
	require.NoError(t, err)
	putBodyBuffer(b)
	assert.Equal(t, NameAndGuid{GUID: "g-1", Name: "first"}, first)
	_, err = readAll(iotest.ErrReader(io.ErrUnexpectedEOF), 10)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// TestDeadlineWithin: the per-call timeout is skipped only when the
// caller's deadline comes first.
func TestDeadlineWithin(t *testing.T) {
	assert.False(t, deadlineWithin(context.Background(), time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	assert.True(t, deadlineWithin(ctx, time.Minute))
	assert.False(t, deadlineWithin(ctx, time.Millisecond))
}
