package vprotecttest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// certValidity is how long a generated certificate is valid (from an hour
// before the start, for clocks that lag).
const certValidity = 90 * 24 * time.Hour

// defaultCertHosts are the names every generated certificate holds.
var defaultCertHosts = []string{"localhost", "127.0.0.1", "::1"}

// newCertificate generates a fresh ECDSA P-256 key and a self-signed
// certificate for localhost, 127.0.0.1, ::1 and hosts (DNS names or IP
// addresses). The key never leaves the process.
func newCertificate(hosts []string, now time.Time) (tls.Certificate, error) {
	var dns []string
	var ips []net.IP
	for _, h := range append(append([]string(nil), defaultCertHosts...), hosts...) {
		if err := checkCertHost(h); err != nil {
			return tls.Certificate{}, err
		}
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
		} else {
			dns = append(dns, h)
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("vprotecttest: TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("vprotecttest: TLS serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"vprotecttest"}, CommonName: "vprotect-fake"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // its own root, so clients can trust the one PEM
		DNSNames:              dns,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("vprotecttest: TLS certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// checkCertHost rejects a name no certificate can hold.
func checkCertHost(h string) error {
	switch {
	case h == "":
		return errors.New("vprotecttest: WithTLS: empty host name")
	case strings.ContainsAny(h, " \t\r\n/,:") && net.ParseIP(h) == nil:
		return fmt.Errorf("vprotecttest: WithTLS: %q is not a host name or IP address", h)
	}
	return nil
}
