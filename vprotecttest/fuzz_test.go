package vprotecttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// handlerFuzzer drives the fake's request path (serve: recording, session
// check, routing, handlers) in-process with a logged-in session. The server
// is replaced every resetEvery inputs so that state created by earlier
// inputs (schedules that fire, tasks that pile up) stays small.
type handlerFuzzer struct {
	srv    *Server
	clock  *FakeClock
	cookie *http.Cookie
	n      int
}

const resetEvery = 500

func (h *handlerFuzzer) server(t *testing.T) *Server {
	if h.srv != nil && h.n%resetEvery != 0 && h.srv.Sessions() > 0 {
		return h.srv
	}
	if h.srv != nil {
		h.srv.Close()
	}
	h.clock = NewFakeClock(t0)
	h.srv = NewServer(WithClock(h.clock), WithMaxBodyBytes(64<<10))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/session/login",
		strings.NewReader(`{"login":"admin","password":"vPr0tect"}`))
	h.srv.serve(rec, req)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusOK || len(cookies) != 1 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	h.cookie = cookies[0]
	return h.srv
}

var methodToken = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// FuzzHandlers: any method, path, query and body, sent with a valid session,
// gets an answer below 500 whose body (if any) is JSON with a JSON content
// type, and an error answer carries {"message","status"}. A panic fails too.
func FuzzHandlers(f *testing.F) {
	f.Add("GET", "virtual-machines", "tenantid=tenant-a&page=0&size=2&orderBy=name&direction=desc", []byte(nil))
	f.Add("POST", "tasks/export", "", []byte(`{"protectedEntities":["`+DemoVMRHV1GUID+`"],"backupType":"FULL"}`))
	f.Add("PATCH", "nodes", "", []byte(`{}`))
	h := &handlerFuzzer{}
	f.Cleanup(func() {
		if h.srv != nil {
			h.srv.Close()
		}
	})
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, body []byte) {
		if !methodToken.MatchString(method) {
			return // net/http rejects such a request line before any handler
		}
		target := "/api/" + strings.TrimPrefix(path, "/")
		if rawQuery != "" {
			target += "?" + rawQuery
		}
		if strings.ContainsAny(target, " \t\r\n\x00") {
			return // not a valid request line either
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		srv := h.server(t)
		h.n++
		h.clock.Advance(7 * time.Minute)
		req := (&http.Request{
			Method: method, URL: u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Host: "127.0.0.1",
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		}).WithContext(context.Background())
		req.AddCookie(h.cookie)
		rec := httptest.NewRecorder()
		srv.serve(rec, req)

		res := rec.Result()
		raw := rec.Body.Bytes()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, res.StatusCode, raw)
		}
		if len(raw) > 0 {
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("%s %s: %d with Content-Type %q: %.200s", method, target, res.StatusCode, ct, raw)
			}
			if !json.Valid(raw) {
				t.Fatalf("%s %s: %d invalid JSON: %.200s", method, target, res.StatusCode, raw)
			}
		}
		if res.StatusCode >= 300 {
			var e struct {
				Message string `json:"message"`
				Status  int    `json:"status"`
			}
			if json.Unmarshal(raw, &e) != nil || e.Message == "" || e.Status != res.StatusCode {
				t.Fatalf("%s %s: %d without an error body: %.200s", method, target, res.StatusCode, raw)
			}
		}
	})
}
