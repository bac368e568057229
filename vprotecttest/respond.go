package vprotecttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"time"
)

// apiError is an error answered as {"message","status"}.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

// errf builds an apiError.
func errf(status int, format string, args ...any) error {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return errf(http.StatusBadRequest, format, args...)
}

func notFound(kind, guid string) error {
	return errf(http.StatusNotFound, "%s %s not found", kind, guid)
}

// writeJSON is the one way the fake writes a JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"encoding error","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError is the one way the fake writes an error.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "status": status})
}

// call is what a route handler sees: the request, its body and the time.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	body  []byte
	now   time.Time
	login string
}

// reply is a handler result: a status and a body (nil body = no content),
// or a stream: headers and a body written after the state lock is released
// (downloads, which may be large and slow).
type reply struct {
	status int
	body   any
	header http.Header
	stream func(w io.Writer) error
}

func okReply(v any) reply { return reply{status: http.StatusOK, body: v} }
func created(v any) reply { return reply{status: http.StatusCreated, body: v} }
func noContent() reply    { return reply{status: http.StatusNoContent} }

// streamReply answers 200 with header and the body write writes. write
// runs without the state lock, so it must use only what it was given.
func streamReply(header http.Header, write func(w io.Writer) error) reply {
	return reply{status: http.StatusOK, header: header, stream: write}
}

// streamKey carries, in a request context, where a handler leaves the body
// that serve writes once the state lock is released.
type streamKey struct{}

// handle adapts a handler to http.Handler; it runs with s.mu held.
func (s *Server) handle(h func(c *call) (reply, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := readBody(r)
		login, _ := r.Context().Value(loginKey{}).(string)
		rep, err := h(&call{w: w, r: r, body: body, now: s.sim, login: login})
		if err != nil {
			if ae, ok := err.(*apiError); ok {
				writeError(w, ae.status, ae.msg)
				return
			}
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		if rep.stream != nil {
			for k, vs := range rep.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(rep.status)
			if slot, ok := r.Context().Value(streamKey{}).(*func()); ok {
				*slot = func() { _ = rep.stream(w) } // a client gone mid-body ends it
			}
			return
		}
		if rep.body == nil {
			w.WriteHeader(rep.status)
			return
		}
		writeJSON(w, rep.status, rep.body)
	}
}

// decode reads a required JSON body into v, as leniently as the real
// server (lenientJSON); errors name the field.
func (c *call) decode(v any) error {
	if len(c.body) == 0 {
		return badRequest("request body is required")
	}
	body, err := lenientJSON(c.body, reflect.TypeOf(v))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return badRequest("%s: invalid value (%s expected)", te.Field, te.Type)
		}
		return badRequest("invalid JSON body: %v", err)
	}
	return nil
}

// readBody reads a request's body (nil when there is none).
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(r.Body)
}
