package exampleutil

import (
	"fmt"
	"os"
	"strings"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// EnvHelp describes the environment the examples read; -h prints it.
const EnvHelp = `Environment:
  VPROTECT_URL        API root of a real server, e.g. https://vprotect.example.com:8181/api;
                      unset: an in-process vprotecttest fake server with demo data
  VPROTECT_USER       login (required with VPROTECT_URL)
  VPROTECT_PASSWORD   password (required with VPROTECT_URL; never printed)
  VPROTECT_CA_FILE    PEM file with the server's certificate (self-signed servers)
  VPROTECT_INSECURE   1 turns certificate verification off (labs only)
  VPROTECT_TENANT     tenant (OpenStack project id) to work in; default tenant-a
  VPROTECT_LOG        1 logs every request to stderr; debug also dumps the wire
  VPROTECT_VM         quickstart only: the VM to back up (name or GUID); default the tenant's first present VM
`

// Config is what the environment says about the server to use.
type Config struct {
	// URL is the API root; empty means the embedded fake server.
	URL string
	// User and Password are the credentials (from the environment, or the
	// fake's defaults on the embedded server).
	User, Password string
	// CAFile is a PEM file to trust instead of the system roots.
	CAFile string
	// Insecure turns certificate verification off.
	Insecure bool
	// Tenant is the tenant the examples work in.
	Tenant string
	// Log is "", "1" (request log) or "debug" (wire dump).
	Log string
}

// ConfigError is a configuration mistake, reported as it is.
type ConfigError struct{ msg string }

// Error returns the message, ready to print.
func (e *ConfigError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return &ConfigError{msg: fmt.Sprintf(format, args...)}
}

// ConfigFromEnv reads the configuration from the environment.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		URL:      strings.TrimSpace(os.Getenv("VPROTECT_URL")),
		User:     os.Getenv("VPROTECT_USER"),
		Password: os.Getenv("VPROTECT_PASSWORD"),
		CAFile:   os.Getenv("VPROTECT_CA_FILE"),
		Tenant:   os.Getenv("VPROTECT_TENANT"),
		Log:      os.Getenv("VPROTECT_LOG"),
	}
	if cfg.Tenant == "" {
		cfg.Tenant = vprotecttest.DemoTenantA
	}
	switch v := os.Getenv("VPROTECT_INSECURE"); v {
	case "", "0", "false":
	case "1", "true":
		cfg.Insecure = true
	default:
		return cfg, configErrorf("VPROTECT_INSECURE must be 1 or unset, not %q", v)
	}
	switch cfg.Log {
	case "", "0", "1", "debug":
	default:
		return cfg, configErrorf("VPROTECT_LOG must be 1, debug or unset, not %q", cfg.Log)
	}
	if cfg.URL == "" {
		if cfg.User != "" || cfg.Password != "" || cfg.CAFile != "" || cfg.Insecure {
			return cfg, configErrorf("VPROTECT_USER, VPROTECT_PASSWORD, VPROTECT_CA_FILE and VPROTECT_INSECURE need VPROTECT_URL (unset them all to use the embedded fake server)")
		}
		cfg.User, cfg.Password = vprotecttest.DefaultLogin, vprotecttest.DefaultPassword
		return cfg, nil
	}
	if cfg.User == "" || cfg.Password == "" {
		return cfg, configErrorf("VPROTECT_URL is set: set VPROTECT_USER and VPROTECT_PASSWORD too")
	}
	if cfg.Insecure && cfg.CAFile != "" {
		return cfg, configErrorf("set VPROTECT_CA_FILE or VPROTECT_INSECURE=1, not both")
	}
	return cfg, nil
}
