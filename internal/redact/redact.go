// Package redact removes secrets (passwords, session cookies) from text
// before it reaches a log, an error or a recorded request.
package redact

import (
	"net/http"
	"regexp"
)

// Mask replaces every redacted value.
const Mask = "***"

// passwordField matches a JSON member holding a secret (password,
// storageAuthKey, token, secret, …) with a string value, allowing escaped
// quotes inside the value.
var passwordField = regexp.MustCompile(`("(?i:[a-z]*(?:password|authkey|secret|token))"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// JSON returns b with the value of every secret member ("password",
// "sshPassword", "storageAuthKey", "token", …) replaced by Mask.
// It works on any text, valid JSON or not, and never modifies b.
func JSON(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	return passwordField.ReplaceAll(b, []byte(`${1}"`+Mask+`"`))
}

// sensitiveHeaders are the headers whose values are never shown.
var sensitiveHeaders = []string{"Cookie", "Set-Cookie", "Authorization", "Proxy-Authorization"}

// Header returns a copy of h with the values of Cookie, Set-Cookie,
// Authorization and Proxy-Authorization replaced by Mask.
func Header(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		return http.Header{}
	}
	for _, k := range sensitiveHeaders {
		if vs := out.Values(k); len(vs) > 0 {
			masked := make([]string, len(vs))
			for i := range masked {
				masked[i] = Mask
			}
			out[http.CanonicalHeaderKey(k)] = masked
		}
	}
	return out
}
