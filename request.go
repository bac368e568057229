package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// request is one API call: the single shape every service method goes through.
type request struct {
	method string
	path   string     // relative to the API root, already escaped ("/tasks/" + guidSegment(guid))
	query  url.Values // nil for none
	body   any        // nil, []byte (sent as is) or a value encoded as JSON
	// out receives the decoded JSON of a 2xx answer; nil discards the body.
	out any
	// stream, when set, reads a 2xx body itself instead of out. The reader
	// fails with ErrResponseTooLarge past the limit.
	stream func(io.Reader) error
	// once sends the request a single time although its method is
	// idempotent: DELETE /tasks/{guid}, whose second attempt could delete
	// the task the first only cancelled (see the table in retry.go).
	once bool
	// required says that a 2xx answer must hold a JSON value for out: an
	// empty, blank or null body is an error (a Get of one object).
	required bool
	// maxItems, when set, bounds the elements of a list answer decoded into
	// out: more fail with ErrResponseTooLarge before decoding (see
	// maxListItems).
	maxItems int
	// download, when set, reads a 2xx answer itself, headers and body,
	// without the size limit (WithMaxResponseBytes is for JSON bodies; a
	// download is streamed to the caller). The client's timeout does not
	// apply to such a request: Download bounds the wait for its answer.
	download func(*http.Response) error
	// accept, when set, replaces the client's Accept header (application/json).
	accept string
	// auth says how the request uses the session; the zero value is
	// authSession.
	auth authMode
}

// authMode says how a request uses the session.
type authMode int

const (
	// authSession: with credentials, log in first when no session is held,
	// and after a 401 log in again and replay. Every call but two.
	authSession authMode = iota
	// authAsIs: send as it is, no login before it and no re-login after a
	// 401. Logout, which must not log in to end a session.
	authAsIs
	// authCredentials: the request carries the credentials. No login before
	// it, no re-login after it, and a 400 (what a 7.x server answers) or 401
	// answer means bad credentials (ErrInvalidCredentials). The login call
	// only.
	authCredentials
)

// response is what a caller may want of an answer besides its body.
type response struct {
	status   int
	header   http.Header
	attempts int
}

// totalCount returns the X-Total-Count header, or -1 when absent or invalid.
func (r *response) totalCount() int {
	n, err := strconv.Atoi(r.header.Get("X-Total-Count"))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// do sends r and returns its answer. It reads in the order of a call: the
// session (a lazy login, see session.go), the attempts (send: retries for
// idempotent requests), on a 401 a replay (replayUnauthorized in session.go
// makes every re-login decision), and the answer decoded into r.out or read
// by r.stream. Non-2xx answers become *APIError.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	if ctx == nil {
		return nil, argError("ctx", "must not be nil")
	}
	if c.cfg.timeout > 0 && r.download == nil && !deadlineWithin(ctx, c.cfg.timeout) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
		defer cancel()
	}
	body, err := encodeBody(r.body)
	if err != nil {
		return nil, fmt.Errorf("vprotect: %s %s: encode request: %w", r.method, r.path, err)
	}
	seen, err := c.beginSession(ctx, r)
	if err != nil {
		return nil, err
	}
	hr, attempts, err := c.send(ctx, r, body)
	if err != nil {
		return nil, r.transportError(attempts, err)
	}
	if hr.StatusCode == http.StatusUnauthorized {
		if hr, attempts, err = c.replayUnauthorized(ctx, r, body, seen, hr, attempts); err != nil {
			return nil, err
		}
	}
	return c.decode(ctx, r, hr, attempts)
}

// decode turns the answer to r into the result of do: an *APIError for a
// status of 400 or more, else the body decoded or streamed. It closes the
// body.
func (c *Client) decode(ctx context.Context, r *request, hr *http.Response, attempts int) (*response, error) {
	defer discard(hr)
	resp := &response{status: hr.StatusCode, header: hr.Header, attempts: attempts}
	if hr.StatusCode == http.StatusRequestHeaderFieldsTooLarge {
		c.dropCookies() // or every later request would get the same answer
	}
	if hr.StatusCode >= 400 {
		excerpt, _ := io.ReadAll(io.LimitReader(hr.Body, maxErrorBody))
		apiErr := newAPIError(r.method, r.path, hr.StatusCode, hr.Header.Get("Content-Type"), excerpt, attempts, c.secrets(hr)...)
		apiErr.login = r.auth == authCredentials
		return resp, apiErr
	}
	if err := c.readBody(ctx, hr, r); err != nil {
		hr.Body.Close() // a broken or oversized body: drop the connection, do not drain
		return resp, r.transportError(attempts, err)
	}
	return resp, nil
}

// statusOf returns the status of hr, 0 for no answer.
func statusOf(hr *http.Response) int {
	if hr == nil {
		return 0
	}
	return hr.StatusCode
}

// deadlineWithin reports whether ctx ends within d already: then the
// per-call timeout would change nothing, and its context and timer are
// not made.
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) <= d
}

// readAll reads r to its end, into a buffer of the size the answer says
// (its Content-Length, n; -1 when unknown), from bodyPool when it is
// small. The decoders copy what they keep, so the buffer goes back to the
// pool after decoding (putBodyBuffer).
func readAll(r io.Reader, n int64) ([]byte, error) {
	var b []byte
	switch {
	case n < 0:
		return io.ReadAll(r)
	case n < pooledBody:
		b = (*bodyPool.Get().(*[]byte))[:0]
	default:
		b = make([]byte, 0, n+1) // +1: the read that sees the end
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // longer than it said
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// pooledBody is the size below which answer bodies are read into pooled
// buffers (a Get is a few KB; a list of thousands would hold megabytes in
// the pool).
const pooledBody = 64 << 10

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, pooledBody); return &b }}

// putBodyBuffer gives a buffer of readAll back to the pool, if it came from it.
func putBodyBuffer(b []byte) {
	if cap(b) == pooledBody {
		b = b[:0]
		bodyPool.Put(&b)
	}
}

// transportError reports that r got no usable answer after attempts attempts.
// A request sent once (not retried) that may have reached the server
// matches ErrMaybeApplied.
func (r *request) transportError(attempts int, err error) error {
	once := !idempotent(r.method) || r.once
	return &TransportError{Method: r.method, Path: r.path, Attempts: attempts, Err: err,
		maybeApplied: once && attempts > 0 && !neverSent(err)}
}

// getJSON decodes the answer of GET path into a new T. An answer without
// a JSON value (empty, blank or null) is ErrEmptyResponse.
func getJSON[T any](ctx context.Context, c *Client, path string, q query) (*T, error) {
	v := new(T)
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: path, query: url.Values(q), out: v, required: true}); err != nil {
		return nil, err
	}
	return v, nil
}

// sendOrSent sends body as sendJSON does; when the answer holds no object
// (answered reports false, as for an empty 200 or a 204), it returns the
// object as sent instead.
func sendOrSent[T any](ctx context.Context, c *Client, method, path string, body interface{ sent() *T }, answered func(*T) bool) (*T, error) {
	out, err := sendJSON[T](ctx, c, method, path, nil, body)
	if err != nil {
		return nil, err
	}
	if !answered(out) {
		return body.sent(), nil
	}
	return out, nil
}

// sendJSON sends body with method to path and decodes the answer into a new T.
func sendJSON[T any](ctx context.Context, c *Client, method, path string, q query, body any) (*T, error) {
	v := new(T)
	if _, err := c.do(ctx, &request{method: method, path: path, query: url.Values(q), body: body, out: v}); err != nil {
		return nil, err
	}
	return v, nil
}

// readBody decodes or streams a 2xx body, bounded by the size limit and by
// ctx: the body is read in pieces, and ctx is checked before each.
func (c *Client) readBody(ctx context.Context, hr *http.Response, r *request) error {
	if r.download != nil {
		return r.download(hr)
	}
	if hr.ContentLength > c.cfg.maxResponse {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrResponseTooLarge, hr.ContentLength, c.cfg.maxResponse)
	}
	lr := &limitReader{r: ctxReader{ctx: ctx, r: hr.Body}, n: c.cfg.maxResponse, limit: c.cfg.maxResponse}
	switch {
	case r.stream != nil:
		return r.stream(lr)
	case r.out == nil:
		return nil
	}
	b, err := readAll(lr, hr.ContentLength)
	defer putBodyBuffer(b)
	if err != nil {
		return err
	}
	// Read to its end: the connection is back in the pool and there is
	// nothing left to drain.
	hr.Body.Close()
	hr.Body = http.NoBody
	if t := bytes.TrimSpace(b); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		if r.required {
			return fmt.Errorf("%w: status %d with no JSON object", ErrEmptyResponse, hr.StatusCode)
		}
		return nil // 204 or an empty 200: nothing to decode
	}
	// A comma count bounds the elements from above, cheaply; only a body
	// with more commas than allowed elements is counted exactly.
	if r.maxItems > 0 && bytes.Count(b, []byte(",")) >= r.maxItems && arrayLen(b) > r.maxItems {
		return tooManyItems(r.maxItems)
	}
	if err := decodeJSON(ctx, b, r.out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// ctxReader fails with ctx's error once ctx has ended, checked before every
// read: a server that sends a body faster than it is decoded (megabytes of
// whitespace) cannot keep a call past its deadline.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// send makes the attempts of one request: it retries idempotent requests on
// transport errors and retryable statuses, with backoff, while ctx lasts.
// It returns the last answer with its body open, or the last error.
func (c *Client) send(ctx context.Context, r *request, body []byte) (*http.Response, int, error) {
	policy := c.cfg.retry
	for attempt := 1; ; attempt++ {
		if err := c.cfg.rateLimit.wait(ctx); err != nil {
			return nil, attempt - 1, err
		}
		start := time.Now()
		hr, err := c.attempt(ctx, r, body)
		d := time.Since(start)
		c.log.attempt(ctx, r, hr, err, attempt, d)
		c.observeRequest(r, statusOf(hr), err, attempt, d)
		if attempt >= policy.MaxAttempts || !idempotent(r.method) || r.once {
			return hr, attempt, err
		}
		var wait time.Duration
		switch {
		case err != nil:
			if !transientTransportError(ctx, err) {
				return nil, attempt, err
			}
			wait = policy.backoff(attempt)
		case transientStatus(hr.StatusCode):
			wait = policy.backoff(attempt)
			if d, ok := retryAfter(hr.Header, time.Now()); ok {
				if d > policy.maxRetryAfter() {
					return hr, attempt, nil
				}
				wait = d
			}
		default:
			return hr, attempt, nil
		}
		if hr != nil {
			discard(hr)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, attempt, err
		}
	}
}

// attempt sends the request once, with net/http: a request built here,
// sent by the client's http.Client (its jar, redirect policy and
// transport). The SDK used resty for this step; built by hand, a request
// costs only what net/http needs (resty cloned the headers, parsed the URL
// twice and ran its middleware on every call: about 15 allocations).
func (c *Client) attempt(ctx context.Context, r *request, body []byte) (*http.Response, error) {
	u := c.baseURL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header = c.requestHeader(r, body != nil)
	c.log.dumpRequest(ctx, r, body)
	hr, err := c.hc.Do(req)
	if err != nil {
		if hr != nil { // a refused redirect: its body is closed already
			hr.Body.Close()
		}
		return nil, err
	}
	c.log.dumpResponse(ctx, r, hr)
	return hr, nil
}

// jsonContentType is the Content-Type of a request body.
var jsonContentType = []string{"application/json"}

// requestHeader returns the header of one attempt of r: the client's
// (User-Agent, Accept), Accept replaced by r.accept, and Content-Type
// with a body. The values are shared, not copied: net/http only reads
// them, and as their capacity is their length, a wrapper's Add appends to
// a copy (TestRequestHeadersAreNotShared).
func (c *Client) requestHeader(r *request, withBody bool) http.Header {
	h := make(http.Header, len(c.header)+2) // + Content-Type and the jar's Cookie
	for k, v := range c.header {
		h[k] = v
	}
	if r.accept != "" {
		h["Accept"] = []string{r.accept}
	}
	if withBody {
		h["Content-Type"] = jsonContentType
	}
	return h
}

// encodeBody turns a request body into bytes once, so every attempt sends
// the same bytes.
func encodeBody(v any) ([]byte, error) {
	switch b := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	}
	return json.Marshal(v)
}

// Draining what is left of a body lets its keep-alive connection be reused,
// which saves a new connection (and TLS handshake) on the next call: the
// usual case is an All loop the caller broke out of in the middle of a page.
// Reading on costs time, though, so discard reads at most drainLimit bytes
// (a default page of the largest objects, 500 VMs with every field, is
// about 1.3 MB) for at most drainTimeout, and otherwise drops the connection.
const (
	drainLimit   = 4 << 20
	drainTimeout = 250 * time.Millisecond
)

// discard drains the rest of the body within drainLimit and drainTimeout, so
// the connection can be reused, and closes it. A body longer or slower than
// that is closed where it is, which closes its connection.
func discard(hr *http.Response) {
	if hr == nil || hr.Body == nil || hr.Body == http.NoBody {
		return
	}
	body := hr.Body
	var once sync.Once
	closeBody := func() { once.Do(func() { body.Close() }) }
	// Closing the body from the timer ends a read blocked on a slow server.
	t := time.AfterFunc(drainTimeout, closeBody)
	_, _ = io.CopyN(io.Discard, body, drainLimit+1)
	t.Stop()
	closeBody()
}

// limitReader reads at most n bytes and then fails with ErrResponseTooLarge
// (unlike io.LimitReader, which would end in a silent EOF).
type limitReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		if n, err := l.r.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, l.limit)
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
