// Package vprotect is a typed Go client for the REST API of Storware vProtect
// (Storware Backup & Recovery), for programs that put VM backup and restore
// in front of their own users: self-service portals, multi-tenant clouds,
// automation and monitoring.
//
// # Creating a client
//
// New takes the API root as the vendor's integration guide writes it
// (https://HOST:8181/api; a URL with an empty path gets /api) and options:
//
//	c, err := vprotect.New("https://vprotect.example.com:8181",
//		vprotect.WithCredentials("portal", password),
//		vprotect.WithTimeout(30*time.Second),
//	)
//	if err != nil {
//		return err // a bad URL or option, named in the error
//	}
//	defer c.Close()
//
//	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: projectID})
//
// A Client is safe for concurrent use. Create one per server and account.
// New never reads the environment, never logs and never panics.
//
// # Sessions and re-login
//
// vProtect keeps a session in a cookie. With WithCredentials the client logs
// in on its first call (or when you call Login) and keeps the cookie in a jar
// of its own, even when you pass your own http.Client with WithHTTPClient.
// When the session expires the server answers 401: the client logs in again
// and replays the request. Many goroutines that meet the same expired
// session cause a single login, because every call remembers the session
// generation it was sent with and only a call from the current generation
// may log in again. If the replay gets a 401 too, the client asks
// GET /session: a valid session means the route refuses this user, and the
// call fails with ErrUnauthorized; a session that has ended again (a busy
// server with short sessions) means one more login and replay, at most 5
// per call. Bad credentials (a 400 from a 7.x server, or a 401, to the
// login call) give an error matching ErrInvalidCredentials (and
// ErrUnauthorized) and are never retried; any 2xx answer to the login is a
// success. Logout ends the session;
// Ping checks it; CurrentUser tells who is logged in.
//
// # Errors
//
// Every answer with a status of 400 or more is an *APIError holding the
// status, method, path, the server's message, a short excerpt of the body
// and the number of attempts. It matches the sentinel errors with errors.Is:
//
//	vm, err := c.VMs.Get(ctx, guid)
//	switch {
//	case errors.Is(err, vprotect.ErrNotFound):
//		// no such VM
//	case errors.Is(err, context.DeadlineExceeded):
//		// the call ran out of time
//	case err != nil:
//		var apiErr *vprotect.APIError
//		if errors.As(err, &apiErr) {
//			log.Printf("vProtect said %d: %s", apiErr.StatusCode, apiErr.Message)
//		}
//	}
//
// Bad arguments (an empty GUID, a priority of 101, a schedule without days)
// fail before any request with an *ArgumentError naming the field. When no
// answer came at all, the error is a *TransportError that wraps the cause,
// so errors.Is(err, context.Canceled) and the like work.
//
// # Retries
//
// Idempotent requests (GET, PUT, DELETE) are retried on transport errors and
// on 429, 502, 503 and 504, three attempts in all by default, with capped
// exponential backoff and jitter, honouring Retry-After, and stopping at once
// when the context ends. A POST is never sent twice: a second
// POST /tasks/export would start a second backup. WithRetry changes the
// policy; NoRetry turns retries off. WithTimeout (60 s by default) bounds
// each call with its retries; the caller's context can only shorten it.
//
// # TLS with self-signed certificates
//
// vProtect ships a self-signed certificate. Trust it rather than turning
// verification off:
//
//	pem, err := os.ReadFile("vprotect.pem")
//	pool, err := vprotect.CertPoolFromPEM(pem)
//	c, err := vprotect.New(url, vprotect.WithRootCAs(pool), vprotect.WithCredentials(user, pw))
//
// WithInsecureSkipVerify exists for labs; WithTLSConfig takes a whole
// *tls.Config. To trace, measure or count requests, wrap the SDK's own
// transport with WithTransport: the TLS options still apply underneath
// (a wrapping RoundTripper given through WithHTTPClient cannot take them).
// For metrics by route, WithObserver reports each attempt with its route
// ("/tasks/{guid}"), status and duration, and each login, telling a
// re-login from the first.
//
// # Restoring a backup
//
// Backups.RestoreTargets lists where a backup can be restored to, best
// first (the VM's own hypervisor manager, with the storage and cluster it
// uses), each ready to become a RestoreRequest; Backups.RestoreAs does the
// whole restore next to the source under a new name and waits for it:
//
//	imported, err := c.Backups.RestoreAs(ctx, backupGUID, "web-1-restored", nil)
//	// imported.DstProtectedEntity is the new VM
//
// A RestoreRequest takes GUIDs for the backup and the target, UUIDs for the
// storage and the cluster, and names for the project and the data center,
// as each field's doc says. The new VM's name is required: a server given
// none reuses the source's, and two VMs would share it.
//
// # File-level restore
//
// To give back a few files instead of a whole VM, mount a backup, browse
// it, download, and unmount:
//
//	backups, err := c.Backups.ListMountable(ctx, vmGUID) // which backups can be mounted
//	b, err := c.Backups.Get(ctx, backups[0].GUID)       // with its copies (BackupLocations)
//	task, err := c.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{
//		BackupLocation: b.BackupLocations[0].GUID, // a PRESENT copy
//		Mode:           vprotect.MountModeAuto,
//		MountPath:      vprotect.DefaultMountPath(b.ProtectedEntity.Name, b.SnapshotTime.Time),
//		UnmountAfter:   4 * time.Hour,
//	})
//	mb, err := c.Tasks.WaitForMount(ctx, task.GUID) // RESTORE, then MOUNT
//	fss, err := c.MountedFileSystems.List(ctx, mb.GUID)
//	for e, err := range c.MountedFileSystems.Walk(ctx, fss[0].GUID, "/home") {
//		// e.Path, e.Mode() ("-rw-r-----"), e.Size, e.Modified; break to stop
//	}
//	f, err := os.Create("notes.txt")
//	d, err := c.MountedFileSystems.Download(ctx, fss[0].GUID, []string{"/home/alice/notes.txt"}, f, nil)
//	un, err := c.Tasks.Unmount(ctx, mb.GUID)
//	_, err = c.Tasks.WaitForUnmount(ctx, un.GUID) // the mounted backup is gone
//
// MANUAL mounts chosen file systems (Backups.FileSystems) at paths of your
// own; ISCSI shares disk images (BackupFiles.List, Backup.IscsiMountable) with
// initiators instead. The request is checked for its mode before it is
// sent. ListDir lists one directory; Walk goes depth-first through a
// subtree, one listing per directory, and stops when the loop breaks.
// Download streams the answer to an io.Writer as it arrives, so a
// multi-GiB file takes no memory; it is not bounded by WithMaxResponseBytes,
// and WithTimeout bounds only the wait for its first byte (the context
// bounds the rest). It reports the server's file name (Content-Disposition)
// and the size, calls a progress callback, and fails with ErrNotFileContent
// when the server answers JSON instead. One file comes back as its bytes,
// several paths or a directory as one archive. The server unmounts a
// backup by itself UnmountAfter after the mount (24 h by default).
//
// # Logging
//
// The client is silent by default. WithLogger writes one structured line per
// request attempt (method, path, status, duration, attempt); WithDebug adds a
// dump of bodies and headers at debug level. The password and the session
// cookie never appear in a log or an error (not even when a server echoes
// the request back in its message), nor when a Client is printed.
//
// # Redirects
//
// The client refuses a redirect from https to plain http, a 301, 302 or 303
// answer to anything but a GET (it would turn a POST into a GET and take
// that answer for the result), and a 307 or 308 that would re-send a body,
// the login's password included, to another origin. Such a call fails with
// an error matching ErrRedirectRefused. Cookies go back only to the origin
// that set them, and the jar is bounded.
//
// # Mocking a service
//
// Every service has an interface (VMsAPI, TasksAPI, BackupsAPI,
// SchedulesAPI, PoliciesAPI, RulesAPI, …) that its type satisfies. Let your
// code depend on the interface, and give it a stand-in in unit tests;
// embedding the interface implements what you do not override (calling one
// of those panics, which shows what the test forgot):
//
//	type portal struct{ vms vprotect.VMsAPI } // portal{vms: client.VMs} in production
//
//	type stubVMs struct{ vprotect.VMsAPI }
//
//	func (stubVMs) List(ctx context.Context, o *vprotect.VMListOptions) ([]vprotect.VirtualMachine, error) {
//		return []vprotect.VirtualMachine{{GUID: "g-1", Name: "web-1"}}, nil
//	}
//
//	p := portal{vms: stubVMs{}} // in the test
//
// The interfaces may gain methods in minor releases; embedding keeps such
// stand-ins compiling. For tests that should exercise the wire, sessions
// and task progress, run the SDK against the fake server in package
// vprotecttest instead.
package vprotect
