package vprotect

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
)

// A Client holds the password and, in its jar, the session cookie. However
// it is printed (fmt's verbs, %#v included, or slog.Any), it shows only its
// API root and login.

// String returns "vprotect.Client(https://host/api, login portal)".
func (c *Client) String() string {
	if c == nil {
		return "vprotect.Client(nil)"
	}
	return "vprotect.Client(" + c.baseURL + ", " + c.cfg.String() + ")"
}

// GoString returns the same as String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints the client as String does, for every verb, so that no verb
// reaches its fields.
func (c *Client) Format(f fmt.State, verb rune) { formatSafe(f, verb, c.String()) }

// LogValue gives slog the API root and the login.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("vprotect.Client(nil)")
	}
	return slog.GroupValue(slog.String("baseURL", c.baseURL), slog.String("login", c.cfg.login))
}

// String names the login, never the password.
func (cfg config) String() string {
	if !cfg.hasCredentials {
		return "no credentials"
	}
	return "login " + strconv.Quote(cfg.login)
}

// GoString is String, for %#v.
func (cfg config) GoString() string { return cfg.String() }

// Format prints the config as String does, for every verb.
func (cfg config) Format(f fmt.State, verb rune) { formatSafe(f, verb, cfg.String()) }

// LogValue gives slog the login alone.
func (cfg config) LogValue() slog.Value { return slog.StringValue(cfg.String()) }

// formatSafe prints s for verb with f's flags: %#v prints s as it is, other
// verbs format s as a string (%q quotes it, %10v pads it).
func formatSafe(f fmt.State, verb rune, s string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), s)
}

// secrets returns what must never leave the client in an error or a log
// line: the password and the session cookie values, those the jar holds and
// those an answer set or its request carried.
func (c *Client) secrets(hr *http.Response) []string {
	out := c.jar.values()
	if c.cfg.password != "" {
		out = append(out, c.cfg.password)
	}
	if hr == nil {
		return out
	}
	for _, ck := range hr.Cookies() {
		out = append(out, ck.Value)
	}
	if hr.Request != nil {
		for _, ck := range hr.Request.Cookies() {
			out = append(out, ck.Value)
		}
	}
	return out
}
