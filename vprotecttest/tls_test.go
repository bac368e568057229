package vprotecttest

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseCertPEM(t *testing.T, b []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(b)
	require.NotNil(t, block, "a PEM block")
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return cert
}

// Each start makes its own key and certificate: never the key that ships
// in net/http/httptest (anyone can read it, so anyone could impersonate the
// fake), never the same key twice.
func TestTLSCertificateIsFreshPerStart(t *testing.T) {
	a := parseCertPEM(t, Start(t, WithTLS()).CertificatePEM())
	b := parseCertPEM(t, Start(t, WithTLS("fake.example", "10.1.2.3")).CertificatePEM())
	public := httptest.NewTLSServer(http.NotFoundHandler())
	builtin := public.Certificate()
	public.Close()

	assert.NotEqual(t, a.RawSubjectPublicKeyInfo, b.RawSubjectPublicKeyInfo, "two starts, two keys")
	assert.NotEqual(t, a.SerialNumber, b.SerialNumber)
	for name, c := range map[string]*x509.Certificate{"a": a, "b": b} {
		assert.False(t, bytes.Equal(c.RawSubjectPublicKeyInfo, builtin.RawSubjectPublicKeyInfo), "%s: not httptest's public key", name)
		assert.Subset(t, c.DNSNames, []string{"localhost"}, name)
		for _, ip := range []string{"127.0.0.1", "::1"} {
			assert.Condition(t, func() bool { return hasIP(c, ip) }, "%s: %s in the certificate", name, ip)
		}
	}
	assert.Equal(t, []string{"localhost"}, a.DNSNames)
	assert.Equal(t, []string{"localhost", "fake.example"}, b.DNSNames)
	assert.True(t, hasIP(b, "10.1.2.3"))

	// The certificate is its own root: a client that trusts the PEM verifies every name in it, and only those.
	roots := x509.NewCertPool()
	roots.AddCert(b)
	for _, name := range []string{"localhost", "127.0.0.1", "::1", "fake.example", "10.1.2.3"} {
		_, err := b.Verify(x509.VerifyOptions{Roots: roots, DNSName: name})
		assert.NoError(t, err, name)
	}
	_, err := b.Verify(x509.VerifyOptions{Roots: roots, DNSName: "other.example"})
	assert.Error(t, err)
}

func hasIP(c *x509.Certificate, ip string) bool {
	for _, got := range c.IPAddresses {
		if got.Equal(net.ParseIP(ip)) {
			return true
		}
	}
	return false
}

func TestTLSBadHost(t *testing.T) {
	for _, h := range []string{"", "two words", "host:443", "a/b"} {
		_, err := newServer(WithTLS(h))
		assert.ErrorContains(t, err, "WithTLS", "%q", h)
	}
}
