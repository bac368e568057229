package vprotect

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ErrRedirectRefused is matched (through a *TransportError) by a call whose
// answer was a redirect the client does not follow:
//
//   - any redirect from https to plain http;
//   - a 301, 302 or 303 answer to a request other than GET (a POST, PUT or
//     DELETE): following it would send a GET in its place and decode that
//     answer as the result;
//   - a 307 or 308 answer to such a request that points to another origin
//     (scheme, host or port): it would re-send the body, the login's
//     password included, to a server the client was not given;
//   - more than 10 redirects.
//
// A GET may be redirected to another origin; the session cookie stays with
// the origin that set it (see the jar). A refused redirect is not retried.
var ErrRedirectRefused = errors.New("vprotect: redirect refused")

// maxRedirects is how many redirects one request may follow, as net/http's default.
const maxRedirects = 10

// checkRedirect returns the client's redirect policy, which runs before the
// caller's own (next, from WithHTTPClient), if any.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		refuse := func(reason string) error {
			return fmt.Errorf("%w: %d %s from %s %s to %s: %s", ErrRedirectRefused,
				status, http.StatusText(status), first.Method, safeURL(via[len(via)-1].URL), safeURL(req.URL), reason)
		}
		if len(via) >= maxRedirects {
			return refuse(fmt.Sprintf("more than %d redirects", maxRedirects))
		}
		if req.URL.Scheme != "https" {
			for _, v := range via {
				if v.URL.Scheme == "https" {
					return refuse("from https to plain http")
				}
			}
		}
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			if req.Method != first.Method {
				return refuse(fmt.Sprintf("it would turn the %s into a %s", first.Method, req.Method))
			}
			if origin(req.URL) != origin(first.URL) {
				return refuse(fmt.Sprintf("a %s is not re-sent to another origin", first.Method))
			}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// safeURL prints u without user info, query or fragment.
func safeURL(u *url.URL) string {
	v := *u
	v.User, v.RawQuery, v.ForceQuery, v.Fragment, v.RawFragment = nil, "", false, "", ""
	return v.String()
}
