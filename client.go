package vprotect

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Client talks to one vProtect server. It is safe for concurrent use; create
// one per server and account, and Close it when done.
type Client struct {
	baseURL string
	cfg     config
	hc      *http.Client
	jar     *jar
	header  http.Header // what every request carries; attempt copies it
	sess    session
	log     *logger
	// watch is the one poller of the waits that watch tasks through the
	// list (tasks_watch.go).
	watch *watcher

	common service

	// VMs lists virtual machines and reads their details.
	VMs *VMsService
	// Tasks lists, starts, cancels and waits for tasks (backups, restores).
	Tasks *TasksService
	// Backups lists backups and reads their details.
	Backups *BackupsService
	// BackupLocations lists the copies of backups on their destinations.
	BackupLocations *BackupLocationsService
	// Schedules manages backup schedules.
	Schedules *SchedulesService
	// Policies manages VM backup policies.
	Policies *PoliciesService
	// Rules manages the rules of VM backup policies.
	Rules *RulesService
	// BackupDestinations lists backup destinations.
	BackupDestinations *BackupDestinationsService
	// Hypervisors lists stand-alone hypervisors.
	Hypervisors *HypervisorsService
	// HypervisorManagers lists hypervisor managers (restore targets).
	HypervisorManagers *HypervisorManagersService
	// HypervisorClusters lists clusters of a hypervisor manager.
	HypervisorClusters *HypervisorClustersService
	// HypervisorStorages lists storages of a hypervisor manager.
	HypervisorStorages *HypervisorStoragesService
	// Nodes lists vProtect nodes.
	Nodes *NodesService
	// RestoreJobs lists the history of restores.
	RestoreJobs *RestoreJobsService
	// Retention marks backups expired, to keep, or back under their policy's retention.
	Retention *RetentionService
	// BackupFiles lists the files of backups, as a restore places them.
	BackupFiles *BackupFilesService
	// Credentials lists the OS credentials a VM's settings name.
	Credentials *CredentialsService
	// Networks lists the networks of hypervisor managers (restore targets of NICs).
	Networks *NetworksService
	// VMFlavors lists the VM flavors of hypervisor managers.
	VMFlavors *VMFlavorsService
	// Projects lists the projects (tenants) of hypervisor managers.
	Projects *ProjectsService
	// Snapshots lists the hypervisor snapshots of VMs.
	Snapshots *SnapshotsService
	// SnapshotPolicies manages snapshot management policies and their rules.
	SnapshotPolicies *SnapshotPoliciesService
	// VMDisks lists VM disks and excludes them from backups.
	VMDisks *VMDisksService
	// MailingLists manages the recipients of policies' daily reports.
	MailingLists *MailingListsService
	// MountedBackups lists backups mounted for file-level restore.
	MountedBackups *MountedBackupsService
	// MountedFileSystems browses mounted backups and downloads files from them.
	MountedFileSystems *MountedFileSystemsService
}

// service is what every service holds: the client it calls through.
type service struct{ client *Client }

// New returns a client for the vProtect API at baseURL, the API root as the
// integration guide writes it ("https://host:8181/api"). A URL with an empty
// path gets "/api"; a trailing slash is fine. New sends no request: with
// WithCredentials the first call logs in.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := normalizeBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, argError("Option", "must not be nil")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	j := newCookieJar()
	hc, err := buildHTTPClient(&cfg, j)
	if err != nil {
		return nil, err
	}
	c := &Client{baseURL: base, cfg: cfg, hc: hc, jar: j}
	c.log = newLogger(cfg.logger, cfg.debug, c.secrets)
	c.header = http.Header{"User-Agent": {cfg.userAgent}, "Accept": {"application/json"}}
	c.sess.init()
	c.common.client = c
	c.VMs = (*VMsService)(&c.common)
	c.Tasks = (*TasksService)(&c.common)
	c.watch = newWatcher(c.Tasks)
	c.Backups = (*BackupsService)(&c.common)
	c.BackupLocations = (*BackupLocationsService)(&c.common)
	c.Schedules = (*SchedulesService)(&c.common)
	c.Policies = (*PoliciesService)(&c.common)
	c.Rules = (*RulesService)(&c.common)
	c.BackupDestinations = (*BackupDestinationsService)(&c.common)
	c.Hypervisors = (*HypervisorsService)(&c.common)
	c.HypervisorManagers = (*HypervisorManagersService)(&c.common)
	c.HypervisorClusters = (*HypervisorClustersService)(&c.common)
	c.HypervisorStorages = (*HypervisorStoragesService)(&c.common)
	c.Nodes = (*NodesService)(&c.common)
	c.RestoreJobs = (*RestoreJobsService)(&c.common)
	c.Retention = (*RetentionService)(&c.common)
	c.BackupFiles = (*BackupFilesService)(&c.common)
	c.Credentials = (*CredentialsService)(&c.common)
	c.Networks = (*NetworksService)(&c.common)
	c.VMFlavors = (*VMFlavorsService)(&c.common)
	c.Projects = (*ProjectsService)(&c.common)
	c.Snapshots = (*SnapshotsService)(&c.common)
	c.SnapshotPolicies = (*SnapshotPoliciesService)(&c.common)
	c.VMDisks = (*VMDisksService)(&c.common)
	c.MailingLists = (*MailingListsService)(&c.common)
	c.MountedBackups = (*MountedBackupsService)(&c.common)
	c.MountedFileSystems = (*MountedFileSystemsService)(&c.common)
	return c, nil
}

// BaseURL returns the API root the client talks to, ending in /api.
func (c *Client) BaseURL() string { return c.baseURL }

// Close releases idle connections. It does not log out; call Logout first to
// end the session on the server. The client must not be used afterwards.
func (c *Client) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// normalizeBaseURL checks baseURL and adds /api to an empty path.
func normalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", argError("baseURL", "%v", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", argError("baseURL", "scheme must be http or https, got %q", u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return "", argError("baseURL", "host must not be empty")
	case u.RawQuery != "" || u.ForceQuery:
		return "", argError("baseURL", "must not have a query string")
	case u.Fragment != "":
		return "", argError("baseURL", "must not have a fragment")
	case u.User != nil:
		return "", argError("baseURL", "must not carry credentials; use WithCredentials")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if u.Path == "" {
		u.Path = "/api"
	}
	return u.String(), nil
}

// buildHTTPClient returns the http.Client the client sends through: a copy of
// the user's (or a new one) with the client's cookie jar, its redirect
// policy (before the user's own) and the TLS settings.
func buildHTTPClient(cfg *config, j *jar) (*http.Client, error) {
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	}
	hc.Jar = j
	hc.CheckRedirect = checkRedirect(hc.CheckRedirect)
	// The timeout applies per call through the context (see Client.do), so
	// that it covers retries and always unwraps to context.DeadlineExceeded.
	wantTLS := cfg.tlsConfig != nil || cfg.rootCAs != nil || cfg.insecure
	switch t := hc.Transport.(type) {
	case nil:
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = http.ProxyFromEnvironment
		// One client talks to one host: keep as many idle connections for it
		// as the pool allows (net/http keeps 2 per host by default), so that
		// concurrent callers do not open and close a connection per call.
		tr.MaxIdleConnsPerHost = tr.MaxIdleConns
		hc.Transport = tr
	case *http.Transport:
		if wantTLS {
			hc.Transport = t.Clone()
		}
	default:
		if wantTLS {
			return nil, errors.New("vprotect: WithTLSConfig, WithRootCAs and WithInsecureSkipVerify need the HTTP client's transport to be an *http.Transport; to wrap the transport, use WithTransport")
		}
	}
	if tr, ok := hc.Transport.(*http.Transport); ok && wantTLS {
		tc := cfg.tlsConfig
		if tc == nil {
			if tr.TLSClientConfig != nil {
				tc = tr.TLSClientConfig.Clone()
			} else {
				tc = &tls.Config{MinVersion: tls.VersionTLS12}
			}
		}
		if cfg.rootCAs != nil {
			tc.RootCAs = cfg.rootCAs
		}
		if cfg.insecure {
			tc.InsecureSkipVerify = true // asked for explicitly
		}
		tr.TLSClientConfig = tc
	}
	if len(cfg.wrapTransport) > 0 {
		w := &wrappedTransport{inner: hc.Transport, outer: hc.Transport}
		for _, wrap := range cfg.wrapTransport {
			if w.outer = wrap(w.outer); w.outer == nil {
				return nil, argError("WithTransport", "the wrapper returned a nil RoundTripper")
			}
		}
		hc.Transport = w
	}
	return &hc, nil
}

// wrappedTransport is the transport of WithTransport: requests go through
// the caller's wrappers (outer), and Close still releases the idle
// connections of the SDK's transport underneath (inner), which a wrapper
// need not pass on.
type wrappedTransport struct {
	inner, outer http.RoundTripper
}

func (w *wrappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return w.outer.RoundTrip(r)
}

// CloseIdleConnections closes the idle connections of both transports.
func (w *wrappedTransport) CloseIdleConnections() {
	type idleCloser interface{ CloseIdleConnections() }
	if c, ok := w.outer.(idleCloser); ok {
		c.CloseIdleConnections()
	}
	if c, ok := w.inner.(idleCloser); ok {
		c.CloseIdleConnections()
	}
}
