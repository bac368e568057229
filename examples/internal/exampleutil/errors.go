package exampleutil

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"

	"github.com/vprotect-go/vprotect"
)

// Describe turns an error into the one line an example prints before it
// exits 1: what went wrong, in the user's terms, and no stack or body dump.
func Describe(err error) string {
	var (
		cfgErr   *ConfigError
		apiErr   *vprotect.APIError
		trErr    *vprotect.TransportError
		taskErr  *vprotect.TaskFailedError
		argErr   *vprotect.ArgumentError
		verifyEr *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		recHdr   tls.RecordHeaderError
		opErr    *net.OpError
	)
	switch {
	case errors.As(err, &cfgErr):
		return cfgErr.Error()
	case errors.Is(err, vprotect.ErrInvalidCredentials):
		return "login failed: wrong user or password"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.As(err, &taskErr):
		return oneLine(taskErr.Error())
	case errors.As(err, &argErr):
		return oneLine(argErr.Error())
	case errors.As(err, &verifyEr), errors.As(err, &unknown), errors.As(err, &hostErr), errors.As(err, &invalid):
		return "TLS: the server's certificate is not trusted (" + oneLine(innermost(err)) +
			"); set VPROTECT_CA_FILE to its certificate, or VPROTECT_INSECURE=1 in a lab"
	case errors.As(err, &recHdr):
		return "TLS: the server does not speak HTTPS; use an http:// VPROTECT_URL"
	case errors.As(err, &apiErr):
		return oneLine(apiErr.Error())
	case errors.As(err, &trErr) && errors.Is(err, context.DeadlineExceeded):
		return "no answer from vProtect within " + CallTimeout.String() + " (" + trErr.Method + " " + trErr.Path + "): check VPROTECT_URL"
	case errors.As(err, &trErr) && errors.As(err, &opErr):
		return "cannot reach vProtect: " + oneLine(opErr.Error())
	case errors.As(err, &trErr):
		return "cannot reach vProtect: " + oneLine(innermost(err))
	}
	return oneLine(err.Error())
}

// innermost returns the message of the deepest wrapped error.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
