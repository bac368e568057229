package vprotect

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewNormalizesBaseURL(t *testing.T) {
	cases := map[string]string{
		"https://h:8181":          "https://h:8181/api",
		"https://h:8181/":         "https://h:8181/api",
		"https://h:8181/api":      "https://h:8181/api",
		"https://h:8181/api/":     "https://h:8181/api",
		"http://h:8080/proxy/api": "http://h:8080/proxy/api",
		" https://h ":             "https://h/api",
	}
	for in, want := range cases {
		c, err := New(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, in := range []string{"", "h:8181", "ftp://h/api", "https://", "https://:8181/api", "https://h/api?x=1", "https://h/api?", "https://u:p@h/api", "https://h/api#frag", "://bad"} {
		_, err := New(in)
		var ae *ArgumentError
		require.True(t, errors.As(err, &ae), "%q: %v", in, err)
		assert.Equal(t, "baseURL", ae.Field, in)
	}
}

func TestOptionsRejectBadInput(t *testing.T) {
	cases := []struct {
		name  string
		opt   Option
		field string
	}{
		{"empty login", WithCredentials("", "pw"), "WithCredentials login"},
		{"blank login", WithCredentials("  ", "pw"), "WithCredentials login"},
		{"empty password", WithCredentials("admin", ""), "WithCredentials password"},
		{"nil http client", WithHTTPClient(nil), "WithHTTPClient"},
		{"negative timeout", WithTimeout(-time.Second), "WithTimeout"},
		{"nil tls config", WithTLSConfig(nil), "WithTLSConfig"},
		{"nil root CAs", WithRootCAs(nil), "WithRootCAs"},
		{"empty user agent", WithUserAgent(""), "WithUserAgent"},
		{"user agent with newline", WithUserAgent("a\r\nX-Evil: 1"), "WithUserAgent"},
		{"zero attempts", WithRetry(RetryPolicy{}), "RetryPolicy.MaxAttempts"},
		{"negative backoff", WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: -1}), "RetryPolicy.MinBackoff"},
		{"max below min", WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Second, MaxBackoff: time.Millisecond}), "RetryPolicy.MaxBackoff"},
		{"negative retry-after cap", WithRetry(RetryPolicy{MaxAttempts: 2, MaxRetryAfter: -1}), "RetryPolicy.MaxRetryAfter"},
		{"nil logger", WithLogger(nil), "WithLogger"},
		{"negative poll interval", WithPollInterval(-time.Second), "WithPollInterval"},
		{"zero max response", WithMaxResponseBytes(0), "WithMaxResponseBytes"},
		{"zero rate", WithRateLimit(0, 1), "WithRateLimit requestsPerSecond"},
		{"zero burst", WithRateLimit(10, 0), "WithRateLimit burst"},
		{"nil option", nil, "Option"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New("https://h:8181", tc.opt)
			assert.Nil(t, c)
			var ae *ArgumentError
			require.True(t, errors.As(err, &ae), "got %v", err)
			assert.Equal(t, tc.field, ae.Field)
		})
	}
}

func TestTLSOptionsNeedAnHTTPTransport(t *testing.T) {
	hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("x") })}
	_, err := New("https://h", WithHTTPClient(hc), WithInsecureSkipVerify())
	assert.ErrorContains(t, err, "*http.Transport")
}

func TestTLSOptionsApply(t *testing.T) {
	pool := x509.NewCertPool()
	c, err := New("https://h", WithTLSConfig(&tls.Config{ServerName: "vprotect.local"}), WithRootCAs(pool))
	require.NoError(t, err)
	tc := c.hc.Transport.(*http.Transport).TLSClientConfig
	assert.Equal(t, "vprotect.local", tc.ServerName)
	assert.Same(t, pool, tc.RootCAs)
	assert.False(t, tc.InsecureSkipVerify)

	user := &http.Transport{}
	c, err = New("https://h", WithHTTPClient(&http.Client{Transport: user}), WithInsecureSkipVerify())
	require.NoError(t, err)
	assert.True(t, c.hc.Transport.(*http.Transport).TLSClientConfig.InsecureSkipVerify)
	if user.TLSClientConfig != nil { // http.Transport.Clone sets up HTTP/2 on the original
		assert.False(t, user.TLSClientConfig.InsecureSkipVerify, "the caller's transport is cloned, not changed")
	}
}

func TestDefaults(t *testing.T) {
	c, err := New("https://h")
	require.NoError(t, err)
	assert.Equal(t, 60*time.Second, c.cfg.timeout)
	assert.Equal(t, int64(64<<20), c.cfg.maxResponse)
	assert.Equal(t, "vprotect-go/"+Version, c.cfg.userAgent)
	assert.Equal(t, DefaultRetryPolicy(), c.cfg.retry)
	assert.NotNil(t, c.hc.Jar)
	assert.Nil(t, c.log, "silent without WithLogger")
	_, err = New("https://h", WithLogger(slog.Default()), WithDebug(), WithTimeout(0), WithPollInterval(0), WithUserAgent("portal/1"))
	assert.NoError(t, err)
}

func TestCertPoolFromPEM(t *testing.T) {
	_, err := CertPoolFromPEM([]byte("not a certificate"))
	assert.Error(t, err)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
