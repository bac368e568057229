package vprotecttest

import (
	"net/http"
	"slices"
)

// CORS, for browser clients such as the vendor's web UI, which calls the
// API from another origin with credentials (reference 7x section 10). The
// real server's CORS settings are not public; this is what the Fetch rules
// require for those calls (reference 7x section 10.2), and nothing more.
const (
	corsAllowMethods  = "GET, POST, PUT, DELETE"
	corsAllowHeaders  = "content-type, x-csrftoken" // when the preflight names none
	corsExposeHeaders = "X-Total-Count, Content-Disposition"
)

// WithCORS lets browser pages of the given origins (e.g.
// "https://engine.example.com") call the fake with credentials: answers to
// them echo the origin in Access-Control-Allow-Origin (never "*") with
// Access-Control-Allow-Credentials: true, Vary: Origin and
// Access-Control-Expose-Headers: X-Total-Count, Content-Disposition, errors
// included; a preflight (OPTIONS with Access-Control-Request-Method) is
// answered 204 without a session, with Access-Control-Allow-Methods: GET,
// POST, PUT, DELETE and the requested headers allowed. A preflight from an
// origin not listed is a 403. The origin "*" admits every origin (still
// echoed). With WithTLS the session cookie is SameSite=None; Secure, which a
// browser needs to send it cross-site.
func WithCORS(origins ...string) Option {
	return func(c *config) { c.corsOrigins = append(c.corsOrigins, origins...) }
}

// corsAllowed reports whether origin may call the fake.
func (c *config) corsAllowed(origin string) bool {
	return origin != "" && (slices.Contains(c.corsOrigins, origin) || slices.Contains(c.corsOrigins, "*"))
}

// withCORS wraps the fake's handler with the CORS answers of WithCORS.
func (s *Server) withCORS(next http.Handler) http.Handler {
	if len(s.cfg.corsOrigins) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		h := w.Header()
		h.Add("Vary", "Origin")
		if !s.cfg.corsAllowed(origin) {
			if preflight {
				writeError(w, http.StatusForbidden, "CORS: origin "+origin+" is not allowed")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if !preflight {
			next.ServeHTTP(w, r)
			return
		}
		allow := r.Header.Get("Access-Control-Request-Headers")
		if allow == "" {
			allow = corsAllowHeaders
		}
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", allow)
		w.WriteHeader(http.StatusNoContent)
	})
}
