package vprotect

import (
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Bounds of the cookie jar. A server (or a proxy in front of it) that sets
// dozens of large cookies would otherwise make every later request too big
// for the server to accept (431), forever.
const (
	// maxCookieBytes bounds one cookie, name and value; a larger one is dropped.
	maxCookieBytes = 4096
	// maxOriginCookies and maxOriginCookieBytes bound the cookies kept for
	// one origin; past them the oldest are evicted.
	maxOriginCookies     = 16
	maxOriginCookieBytes = 8192
	// maxJarOrigins bounds the origins the jar keeps cookies for (redirects
	// can lead to others than the API's); past it the least recently set is
	// forgotten.
	maxJarOrigins = 8
)

// jar is the client's cookie jar. It keeps every cookie for the origin that
// set it (scheme, host and port) and sends it back to that origin only:
// never over plain http when it came over https, never to another port, and
// never to another host whatever its Domain attribute says. It is bounded
// in the number and size of cookies.
type jar struct {
	mu      sync.Mutex
	origins map[string]*originCookies
	seq     uint64 // orders cookies and origins by when they were last set
	now     func() time.Time
}

// originCookies are the cookies of one origin, keyed by name and path.
type originCookies struct {
	cookies map[cookieKey]*jarCookie
	bytes   int
	lastSet uint64
}

type cookieKey struct{ name, path string }

type jarCookie struct {
	name, value, path string
	expires           time.Time // zero: a session cookie
	set               uint64
}

func newCookieJar() *jar {
	return &jar{origins: map[string]*originCookies{}, now: time.Now}
}

// origin returns the key of u's origin ("https://host:443"), or "" when u
// has no usable scheme or host.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Hostname() == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if scheme == "https" {
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// SetCookies stores the cookies of an answer from u, within the bounds.
func (j *jar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	key := origin(u)
	if key == "" || len(cookies) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	oc := j.origins[key]
	if oc == nil {
		oc = &originCookies{cookies: map[cookieKey]*jarCookie{}}
		j.origins[key] = oc
	}
	for _, c := range cookies {
		if c == nil || c.Name == "" || len(c.Name)+len(c.Value) > maxCookieBytes {
			continue
		}
		if c.Secure && u.Scheme != "https" {
			continue // a Secure cookie offered over http is not one to keep
		}
		path := c.Path
		if path == "" || path[0] != '/' {
			path = defaultCookiePath(u.Path)
		}
		k := cookieKey{c.Name, path}
		if old := oc.cookies[k]; old != nil {
			oc.bytes -= len(old.name) + len(old.value)
			delete(oc.cookies, k)
		}
		var expires time.Time
		switch {
		case c.MaxAge < 0:
			continue // deleted
		case c.MaxAge > 0:
			expires = now.Add(time.Duration(c.MaxAge) * time.Second)
		case !c.Expires.IsZero():
			if !c.Expires.After(now) {
				continue // expired: deleted
			}
			expires = c.Expires
		}
		j.seq++
		oc.cookies[k] = &jarCookie{name: c.Name, value: c.Value, path: path, expires: expires, set: j.seq}
		oc.bytes += len(c.Name) + len(c.Value)
	}
	oc.evict()
	if len(oc.cookies) == 0 {
		delete(j.origins, key)
		return
	}
	oc.lastSet = j.seq
	j.evictOrigins()
}

// evict drops the oldest cookies until the origin is within its bounds.
func (oc *originCookies) evict() {
	for len(oc.cookies) > maxOriginCookies || oc.bytes > maxOriginCookieBytes {
		var oldest *jarCookie
		for _, c := range oc.cookies {
			if oldest == nil || c.set < oldest.set {
				oldest = c
			}
		}
		delete(oc.cookies, cookieKey{oldest.name, oldest.path})
		oc.bytes -= len(oldest.name) + len(oldest.value)
	}
}

// evictOrigins forgets the least recently set origins past maxJarOrigins.
func (j *jar) evictOrigins() {
	for len(j.origins) > maxJarOrigins {
		oldestKey, oldest := "", uint64(0)
		for k, oc := range j.origins {
			if oldestKey == "" || oc.lastSet < oldest {
				oldestKey, oldest = k, oc.lastSet
			}
		}
		delete(j.origins, oldestKey)
	}
}

// Cookies returns the cookies to send to u: those its origin set for a
// path that u's path is within, longest path first.
func (j *jar) Cookies(u *url.URL) []*http.Cookie {
	key := origin(u)
	if key == "" {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	oc := j.origins[key]
	if oc == nil {
		return nil
	}
	now := j.now()
	path := u.Path
	if path == "" {
		path = "/"
	}
	var match []*jarCookie
	for k, c := range oc.cookies {
		if !c.expires.IsZero() && !c.expires.After(now) {
			delete(oc.cookies, k)
			oc.bytes -= len(c.name) + len(c.value)
			continue
		}
		if pathMatch(path, c.path) {
			match = append(match, c)
		}
	}
	sort.Slice(match, func(a, b int) bool {
		if len(match[a].path) != len(match[b].path) {
			return len(match[a].path) > len(match[b].path)
		}
		return match[a].set < match[b].set
	})
	out := make([]*http.Cookie, len(match))
	for i, c := range match {
		out[i] = &http.Cookie{Name: c.name, Value: c.value}
	}
	return out
}

// reset forgets every cookie.
func (j *jar) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.origins)
}

// dropCookies forgets every cookie, and so the session: after a 431 answer
// (request headers too large) the next call logs in afresh with none,
// instead of meeting the same answer forever.
func (c *Client) dropCookies() {
	c.jar.reset()
	c.sess.valid.Store(false)
}

// values returns the value of every cookie the jar holds.
func (j *jar) values() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for _, oc := range j.origins {
		for _, c := range oc.cookies {
			out = append(out, c.value)
		}
	}
	return out
}

// defaultCookiePath is the path of a cookie set without one (RFC 6265 5.1.4):
// the request path up to its last slash.
func defaultCookiePath(p string) string {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// pathMatch reports whether a request path is within a cookie path (RFC 6265 5.1.4).
func pathMatch(reqPath, cookiePath string) bool {
	if reqPath == cookiePath {
		return true
	}
	if !strings.HasPrefix(reqPath, cookiePath) {
		return false
	}
	return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
}
