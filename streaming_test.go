package vprotect

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedServer serves GET /api/items as pages of size objects of about
// itemBytes bytes each (total items in all), GET /api/ping as {}, and counts
// the TCP connections it accepts.
func pagedServer(t *testing.T, total, itemBytes int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	pad := strings.Repeat("x", itemBytes)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/ping" {
			_, _ = w.Write([]byte(`{"guid":"ping"}`))
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("size"))
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
		var b strings.Builder
		b.WriteByte('[')
		for i := page * size; i < min((page+1)*size, total); i++ {
			if i > page*size {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"guid":"g-%d","name":"%s"}`, i, pad)
		}
		b.WriteByte(']')
		w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
		_, _ = w.Write([]byte(b.String()))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// Breaking out of All in the middle of a page that is far larger than what
// the decoder has read (500 × 1 KiB) drains the rest, and the next call
// reuses the connection.
func TestAllBreakReusesConnection(t *testing.T) {
	srv, conns := pagedServer(t, 1500, 1024)
	c := plainClient(t, srv.URL)
	ctx := context.Background()
	n := 0
	for v, err := range all[NameAndGuid](ctx, c, "/items", query{}, 500) {
		require.NoError(t, err)
		require.Equal(t, "g-"+strconv.Itoa(n), v.GUID)
		if n++; n == 3 {
			break
		}
	}
	got, err := getJSON[NameAndGuid](ctx, c, "/ping", nil)
	require.NoError(t, err)
	assert.Equal(t, "ping", got.GUID)
	assert.EqualValues(t, 1, conns.Load(), "the connection of the broken-off page is reused")

	// A whole listing over several pages also runs on one connection.
	n = 0
	for _, err := range all[NameAndGuid](ctx, c, "/items", query{}, 500) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1500, n)
	assert.EqualValues(t, 1, conns.Load())
}

// A page with more left than drainLimit is not read to its end: the body is
// closed, which drops the connection, and the next call opens a new one.
func TestAllBreakDropsConnectionPastDrainLimit(t *testing.T) {
	const itemBytes = 1024
	size := drainLimit/itemBytes + 1000
	srv, conns := pagedServer(t, size, itemBytes)
	c := plainClient(t, srv.URL)
	ctx := context.Background()
	for _, err := range all[NameAndGuid](ctx, c, "/items", query{}, size) {
		require.NoError(t, err)
		break
	}
	_, err := getJSON[NameAndGuid](ctx, c, "/ping", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, conns.Load())
}

// All decodes elements as they arrive: the first element is yielded while
// the server still holds back the rest of the page.
func TestAllStreamsElements(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"guid":"first"},`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		case <-time.After(5 * time.Second):
		}
		_, _ = w.Write([]byte(`{"guid":"second"}]`))
	}))
	t.Cleanup(srv.Close)
	c := plainClient(t, srv.URL)
	var got []string
	for v, err := range all[NameAndGuid](context.Background(), c, "/items", query{}, 10) {
		require.NoError(t, err)
		got = append(got, v.GUID)
		if v.GUID == "first" {
			close(release) // the server sends the rest only now
		}
	}
	assert.Equal(t, []string{"first", "second"}, got)
}

// A server that trickles the rest of a broken-off page does not hold the
// caller: after drainTimeout the body is closed and the server sees its
// connection go before it has sent the whole page.
func TestAllBreakSlowRestIsDropped(t *testing.T) {
	cut := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"guid":"first"},`))
		w.(http.Flusher).Flush()
		for i := 0; i < 100; i++ { // 100 × 50 ms, far longer than drainTimeout
			if r.Context().Err() != nil {
				cut <- true
				return
			}
			if _, err := w.Write([]byte(" ")); err != nil {
				cut <- true
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
		cut <- false
	}))
	t.Cleanup(srv.Close)
	c := plainClient(t, srv.URL)
	for _, err := range all[NameAndGuid](context.Background(), c, "/items", query{}, 10) {
		require.NoError(t, err)
		break
	}
	assert.True(t, <-cut, "the connection is dropped before the server has trickled the whole page")
}
