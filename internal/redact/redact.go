// Package redact removes secrets (passwords, session cookies) from text
// before it reaches a log, an error or a recorded request. The SDK and the
// fake server (vprotecttest) both redact through it.
package redact

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Mask replaces every redacted value.
const Mask = "***"

// secretSuffixes end the (case-folded) name of every member that holds a
// secret: password, sshPassword, db_password, storageAuthKey, secret, token.
var secretSuffixes = []string{"password", "authkey", "secret", "token"}

// maxNesting bounds how deep JSON held inside JSON strings is searched.
const maxNesting = 4

// SecretName reports whether a JSON member name holds a secret, in any
// letter case (Unicode case folding, as encoding/json matches names).
func SecretName(name string) bool {
	folded := strings.ToLower(strings.ToUpper(name))
	for _, s := range secretSuffixes {
		if strings.HasSuffix(folded, s) {
			return true
		}
	}
	return false
}

// JSON returns b with the value of every secret member (see SecretName)
// replaced by "***": however often such members appear, however deeply they
// are nested, whatever value they hold (except null), and whether their
// names are written with escapes ("p\u0061ssword") or not. JSON held inside
// a JSON string (a server error that echoes the request back) is redacted
// too. It works on any text, valid JSON or not: an unterminated secret value
// is masked up to the end. It never modifies b.
func JSON(b []byte) []byte {
	out, _ := redactJSON(b, 0, SecretName)
	return out
}

// Request returns the body of a request to path with its secrets masked:
// what JSON masks and, in a body sent to a path whose last segment names a
// password (PUT /users/{id}/password, PUT /virtual-machines/{guid}/ssh-password
// take {"value": "<password>"}), the "value" member. It never modifies b.
func Request(path string, b []byte) []byte {
	last := strings.ToLower(path[strings.LastIndexByte(path, '/')+1:])
	if !strings.Contains(last, "password") {
		return JSON(b)
	}
	out, _ := redactJSON(b, 0, func(name string) bool { return name == "value" || SecretName(name) })
	return out
}

// redactJSON is JSON at a nesting depth, masking the members whose names
// secret accepts; changed reports a masked value.
// Every unescaped quote is tried as the start of a member name, so a
// stray quote (Jackson echoes a body as (String)"{...}") cannot shift the
// pairing of the quotes after it.
func redactJSON(b []byte, depth int, secret func(name string) bool) (out []byte, changed bool) {
	var w []byte // the output, once something changed
	last := 0    // b[last:] is not yet copied to w
	for i := 0; i < len(b); i++ {
		if b[i] != '"' || (i > 0 && b[i-1] == '\\') {
			continue
		}
		end := stringEnd(b, i)
		tok, ok := unquote(b[i:end])
		if !ok && end == len(b) {
			tok, ok = unquoteCut(b[i:end])
		}
		if !ok {
			continue
		}
		if colon := skipSpace(b, end); colon < len(b) && b[colon] == ':' && secret(tok) {
			start := skipSpace(b, colon+1)
			stop := valueEnd(b, start)
			if stop > start && !bytes.Equal(b[start:stop], []byte("null")) {
				w = append(append(w, b[last:start]...), `"`+Mask+`"`...)
				last = stop
			}
			i = max(stop, colon+1) - 1
			continue
		}
		if depth < maxNesting && strings.Contains(tok, `"`) && strings.Contains(tok, ":") {
			if inner, masked := redactJSON([]byte(tok), depth+1, secret); masked {
				w = append(append(w, b[last:i]...), quote(inner)...)
				last = end
				i = end - 1
			}
		}
	}
	if last == 0 {
		return b, false
	}
	return append(w, b[last:]...), true
}

// stringEnd returns the index just after the JSON string that starts at
// b[i] == '"', or len(b) when it is not terminated.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just after the JSON value that starts at b[i]
// (a string, an object or array with everything nested in it, or a bare
// literal), or len(b) when it is not terminated.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		level := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				level++
			case '}', ']':
				if level--; level == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(b[j])) {
		j++
	}
	return j
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// unquoteCut decodes a JSON string token cut off by the end of the text
// (an excerpt), dropping a partial escape at the cut.
func unquoteCut(tok []byte) (string, bool) {
	for cut := 0; cut <= 6 && cut < len(tok); cut++ {
		if s, ok := unquote(append(tok[:len(tok)-cut:len(tok)-cut], '"')); ok {
			return s, true
		}
	}
	return "", false
}

// unquote decodes a complete JSON string token.
func unquote(tok []byte) (string, bool) {
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return "", false
	}
	return s, true
}

// quote encodes s as a JSON string without HTML escaping.
func quote(s []byte) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(string(s))
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Values returns b with every occurrence of each secret replaced by Mask:
// as it is, and in the forms an echo may give it, JSON-escaped once or twice
// (a request body quoted in a JSON message) and URL-escaped. Empty secrets
// are ignored. It never modifies b.
func Values(b []byte, secrets ...string) []byte {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		once := unquoted(quote([]byte(s)))
		for _, form := range [][]byte{unquoted(quote(once)), once, []byte(s), []byte(url.QueryEscape(s)), []byte(url.PathEscape(s))} {
			if bytes.Contains(b, form) {
				b = bytes.ReplaceAll(b, form, []byte(Mask))
			}
		}
	}
	return b
}

// unquoted strips the quotes of a JSON string.
func unquoted(q []byte) []byte { return q[1 : len(q)-1] }

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
