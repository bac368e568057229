// Package vprotecttest is an in-memory, stateful fake of the Storware
// vProtect REST API, for tests, examples and manual use (see also the
// cmd/vprotect-fake binary). It is an independent implementation of the wire
// contract: it does not import the SDK.
//
//	srv := vprotecttest.Start(t)          // or New(...) (an error for a bad option) + defer srv.Close()
//	base := srv.URL()                     // http://127.0.0.1:PORT/api
//	// POST base+"/session/login" {"login":"admin","password":"vPr0tect"}
//
// # Wire format
//
// Every route lives under /api. Responses are JSON with Content-Type
// application/json; enums are always {"name","description"}, references
// {"guid","name"}, times UNIX milliseconds, sizes bytes. Requests may send
// enums as {"name":X} or "X" and references as {"guid":X,...} or a bare
// GUID string. A trailing slash before the query (/backups/?...) is accepted
// on every route.
//
// Request bodies are read as leniently as the real server reads them with
// Jackson's defaults (reference 7x section 0.1): a whole-number field takes
// a JSON float (the fraction truncated: 81000000.9 is 81000000) or a
// numeric string ("60"); a float field a numeric string; a boolean "true"
// or "false"; a string field a number or boolean; "" is null for a number
// or boolean; member names match exactly and unknown members are ignored
// (the vendor UI sends whole objects back, with fields of its own). What is
// still rejected is a 400 naming the field: `rules[1].position: "first" is
// not a whole number`. The table of these choices is jackson in lenient.go.
//
// Errors are {"message":"...","status":N}:
//
//   - 200 a login (POST /session/login, /session/login-with-token), as a 7.x server answers it
//   - 201 POST creations (logout, export, restore-and-import, restore-and-mount, mount, unmount, schedules, policies, rules)
//   - 204 GET /session, PUT /users/{id}/password, every DELETE, POST /retention/mark-backups
//     and the PUTs of a backup's description and warnings-acknowledged and of a VM's ssh-password
//   - 400 a missing or invalid field; the message names it, e.g. "protectedEntities[0]: unknown virtual machine X".
//     An unknown GUID inside a body is a 400. Bad credentials on a login are a 400 "Invalid credentials"
//     (reference 7x section 1.2), the same for an unknown login and a wrong password.
//   - 401 no or expired session (every route but the logins)
//   - 404 an unknown GUID in the path, or a request the fake does not serve ("no route for GET /api/x");
//     a {guid} never stands for one of the API's literal words (POST /policies/vm-backup/list-by-entities
//     is not a policy GUID)
//   - 405 a path served for other methods, with Allow
//   - 409 a duplicate schedule or policy name, cancelling a finished task, browsing a backup that is not
//     MOUNTED, or mounting or unmounting one that is busy
//   - 413 a body over the limit (WithMaxBodyBytes, default 1 MiB)
//
// Lists take page (0-based) and size, orderBy (any top-level field; enums
// and references sort by name), direction (asc|desc) and filter (substring
// of the name), and always set X-Total-Count to the total before paging.
// Without page and size the whole list is returned.
//
// # Sessions
//
// The default account is the product's: admin / vPr0tect (WithUser and
// WithUsers replace it). Accounts have numeric ids, admin first (1, as the
// vendor's Ansible role assumes), then the other logins sorted;
// PUT /users/{id}/password {"value": "<new>"} (id or requester GUID)
// changes a password for the next login and keeps open sessions.
// POST /session/login-with-token {"token"} logs in with a token given to
// WithLoginToken.
//
// Login sets "JSESSIONID=<256 random bits, hex>; Path=/; HttpOnly" (plus
// "Secure; SameSite=None" in TLS mode, so that a browser page of another
// site may use the session). Passwords are compared in constant time. At most
// WithMaxSessions sessions (default DefaultMaxSessions, 10,000) live at once:
// a login beyond that evicts the least recently used session, whose next
// request gets 401. That is the fake's choice: a login flood costs other
// clients a re-login, never the ability to log in, and memory stays bounded.
// WithSessionTTL sets an idle timeout and ExpireSessions ends them all.
//
// # Serving on a shared host
//
// WithTLS generates a fresh key and self-signed certificate at each start,
// for localhost, 127.0.0.1, ::1 and the hosts given (never a key published
// in a library). The HTTP server bounds every connection (DefaultHTTPLimits,
// WithHTTPLimits): headers within 10s, the whole request within 30s, idle
// keep-alive connections closed after 60s, headers up to 64 KiB (431 beyond).
//
// # Browser clients
//
// WithCORS (cmd/vprotect-fake -cors-origin) serves browser pages of other
// origins, such as the vendor UI's oVirt build, exactly as reference 7x
// section 10.2 requires: the origin echoed in Access-Control-Allow-Origin
// (never "*"), Access-Control-Allow-Credentials: true, Vary: Origin and
// Access-Control-Expose-Headers: X-Total-Count, Content-Disposition on every
// answer to a listed origin, errors included; preflights answered 204
// without a session; the session cookie SameSite=None; Secure under TLS.
//
// # Server generations
//
// WithServerVersion (cmd/vprotect-fake -server-version) selects the server
// the fake plays. What differs is one table, generations in generations.go:
//
//   - "7.4", the default: a 7.4 server as the vendor's current UI and its
//     OpenStack proxy meet it (reference 7x). Lists are scoped by the
//     project-uuid parameter or, when it is absent, the 3rd-party-project
//     header (7x 9.1, 9.3). Policies and schedules belong to a project:
//     projectUuid in the body, stored and rendered, and a POST scoped by
//     project-uuid or the header creates the object in that project (the
//     scope wins over the body), and a scoped POST
//     /tasks/restore-and-import restores into that project (over
//     restoreProject, which the UI no longer sends, 7x 7.1). A policy list
//     scoped to a project also holds the policies visible for all projects
//     or that list the project in projects. A policy POST or PUT without rules, or with none, is a
//     400 naming rules (the 7.4 VmBackupPolicyRequest, the body of both);
//     rules come inside the policy; a rule without a backup destination is
//     a 400 naming ruleBackupDestinations. Policy details carry projects,
//     visibleForAllProjects, mailingList and the VMs as VM list records.
//     Every route is served. tenantid and tenantId are not read (the 7.4
//     apidocs have no such parameter or field).
//   - "4.0": the integration guide (reference vprotect-api.md). Lists are
//     scoped by tenantid (tenantId, tenant-id; case-insensitive); policies
//     and schedules carry tenantId. Policies are made in two steps: the
//     policy without rules, then POST /rules/vm-backup (rules in a policy
//     body are ignored, on create and update); a rule without a destination
//     gets the default one. Policy details have the VMs as references and
//     no 7.x fields. project-uuid, projectUuid and the 3rd-party-project
//     header are not read. The routes only 7.x sources show answer 404 like
//     any unknown route (routes74Only in generations.go, with the reason
//     for each group): the session's login-with-token and password change;
//     the VM page and backup dialog calls (VM settings, ssh-password,
//     credentials, disks, detailed, incremental-not-possible,
//     all-non-present, list-by-entities, auto-assignment previews,
//     inventory-sync); POST /tasks/delete, backup descriptions and
//     warnings, backup locations, restore jobs and retention marks; the
//     restore dialog's for-restore files, networks, flavors and projects;
//     file-level restore (restore-and-mount, mount, unmount, mounted
//     backups, file systems, files, listing, download); snapshots and
//     snapshot policies; mailing lists.
//
// # Tenants
//
// The tenant filter (above, by generation) applies to /virtual-machines,
// /tasks, /schedules, /policies/vm-backup, /mounted-backups and /snapshots.
// A VM's tenant is its OpenStack project: the filter matches the project's
// uuid (the OpenStack project id) or its guid. A task belongs to the tenant of
// its VM. Schedules and policies match the tenant they were created with. A
// seed's Policy.TenantID and Schedule.TenantID (tenantId in a seed file)
// are that tenant on both generations. RHV VMs have no tenant.
//
// # Tasks
//
// Task state is never advanced in the background: before serving a request
// the fake simulates, in time order, everything that happened up to the
// clock's now (WithClock; the real clock by default). Each node runs at most
// WithConcurrentTasksPerNode tasks (default 2); the rest wait QUEUED and
// start highest priority first, then oldest first. A task is not started
// before windowStart, and a task still QUEUED at windowEnd becomes FAILED
// ("... window expired"). Chains: a finished EXPORT creates a STORE
// (parentTask = the export, same backup); a finished STORE makes the backup
// SUCCESS with a deterministic size and a PRESENT location and updates the
// VM's lastBackup, lastSuccessfulBackupSize, lastSuccessfulFullBackupSize and
// backupUpToDate, and makes it restorable (a VM is restorable while it has a
// SUCCESS or PARTIAL_SUCCESS backup, seeded ones included). A RESTORE creates an IMPORT; a finished IMPORT adds the
// restored VM (its GUID is already in the tasks' dstProtectedEntity).
// Cancelling (PUT /tasks/{guid}/state or DELETE of an unfinished task) an
// EXPORT or STORE fails its backup. TaskModel selects Timed (run times from
// WithTaskDurations, defaults EXPORT 3s, STORE 2s, RESTORE 3s, IMPORT 2s,
// others 1s), Instant or StepPerPoll. FailNextTask forces an outcome.
//
// POST /tasks/export chooses the destination from backupDestination, else the
// first listed rule's primary destination, else the VM's policy's first
// active rule, else the default destination. priority defaults to 50,
// windowStart to now, windowEnd to windowStart+6h. INCREMENTAL falls back to
// a FULL backup when the VM has none yet.
//
// # Backup lifecycle
//
// A backup's details (GET /backups/{guid}) add the VM's NICs at backup time
// and iscsiMountable; taskTimeStats is never null and a finished backup's
// comes from its EXPORT and STORE tasks. Each VM has one disk "disk1" on its
// manager's first storage (unless its seed lists its disks) and one NIC
// "eth0" on its manager's first network; a backup records them (its files in
// /backup-files/detailed/for-restore, its networkInterfaceCards). Retention
// marks (POST /retention/mark-backups[/preview], by backup guid and
// optionally destination) take effect at the next cleanup run, at the daily
// old-backups removal time (WithBackupCleanupTime, default 00:00 UTC): a
// BACKUP_CLEANUP task (origin SYSTEM_SCHEDULE) that removes every present
// copy marked TO_REMOVE, or ARCHIVE whose archiveExpire has passed; a backup
// with no copy left is SUCCESS_REMOVED and stays in the history. The same
// run applies the rules' retention to copies marked STANDARD_RETENTION (the
// mark a backup gets): per VM, destination and backup type, a copy beyond
// the last N kept goes once it is older than the "newer than" period. Only
// days with something to remove get a task. POST /tasks/delete starts one DELETE task per destination
// holding the VM's backups (they remove those copies, the last one the VM),
// or removes a VM without backups at once and answers []. DELETE
// /tasks/all-finished removes FINISHED, FAILED and CANCELLED tasks,
// /tasks/all-finished-and-queued QUEUED ones too (cancelled first),
// /tasks/all-running cancels RUNNING ones.
//
// # Restores
//
// POST /tasks/restore-and-import takes the 7.x dialog's payload: backup null
// with backupLocation {guid, backup}; taskFiles (each a disk file of the
// backup; excludedFromRestore leaves it out; without
// restoreToOriginalVolumeType true, a disk goes to its storageId, else
// restoreStorageId, named diskName); restoredNetworks (a NIC of the backup
// onto a network of the target manager, /network or /network/shared); and
// restoreVmFlavor (a flavor of the target manager). The IMPORT gives the new
// VM those disks (their size counts on their storages), NICs and vmFlavor.
// Each restore is a restore job (GET /restore-jobs, newest first; the
// restore-job filter of /tasks finds its tasks).
//
// # Schedules
//
// An active VM_BACKUP schedule fires at hour (TIME; milliseconds after UTC
// midnight) or at each interval tick (INTERVAL: startHour, +frequency, ...,
// up to endHour) on matching UTC days: daysOfWeek (empty = every day),
// months (empty = all) and dayOfWeekOccurrences (empty = every week;
// LAST_IN_MONTH = the last seven days). Each run creates one EXPORT per
// present VM of every active policy whose active rules hold the schedule,
// with originEntity {type SCHEDULE}, windowStart = the fire time and
// windowEnd = fire time + startWindowLength (INTERVAL without it: +frequency).
// Only fire times after the schedule's creation or last update count. An
// active VM_SNAPSHOT schedule fires the same way and creates one SNAPSHOT
// task per present VM of every active snapshot policy whose active rules
// hold it. A schedule's rules must be of its kind (snapshot rules for
// VM_SNAPSHOT, VM backup rules otherwise).
//
// # The 7.x UI's surface
//
// Snapshot management (/policies/vm-snapshot, POST /rules/vm-snapshot, PUT
// /rules/vm-backup/{guid} with a snapshot rule's GUID, POST
// /tasks/vm-snapshot, /snapshots): a SNAPSHOT task fills a snapshot record
// (QUEUED, CREATING, then PRESENT or FAILED); when one becomes PRESENT the
// rule keeps, per VM, the newest snapshot and every one that is among the
// last retentionVersions or younger than retentionDays, and marks the
// others REMOVED. A successful backup leaves a snapshot that is not
// stand-alone and becomes the VM's lastStoredSnapshot (the previous one is
// REMOVED). /tasks/vm-snapshot needs VMs with a snapshot policy.
//
// VM disks (/virtual-machine-disks?virtual-machine=, PUT .../{guid}/settings
// with excludedFromBackup) are the VM's parts above (a seed may list them,
// as the demo does for rhv-vm-1 and rhv-vm-2): a new backup of a VM is as
// large as its present, supported, not excluded disks (an incremental a
// tenth of that). PUT /virtual-machines/{guid}/settings applies the settings present
// in the body (vmBackupPolicy and snapshotMgmtPolicy move the VM, null
// removes it). DELETE /virtual-machines/all-non-present removes VMs that are
// not present and have no backups. POST /tasks/inventory-sync makes an
// INVENTORY_SYNC task per manager.
//
// POST /policies/vm-backup/list-by-entities answers the policies of the VMs
// that have rules. POST /virtual-machines/incremental-not-possible answers
// the VMs that cannot have an incremental backup, with the reasons
// MISSING_INCREMENTAL_SCHEDULER (no active INCREMENTAL schedule on an active
// rule of the policy) and MISSING_SNAPSHOT (the fake's name: no backup and
// no snapshot yet). A rule that is deleted, or left out of a policy PUT,
// while backups were made under it stays marked for deletion (inactive, off
// its schedules). The auto-assignment preview applies autoAssignSettings to
// the present VMs (exclusions first, inclusions ORed, moves out of another
// policy or out of this one only in ASSIGN_AND_REMOVE); its changeType
// (ASSIGN, UNASSIGN) and changeReason values are the fake's own. Mailing
// lists have unique names and well-formed recipient addresses; a policy's
// mailingList must name one, and a list a policy names cannot be deleted
// (409).
//
// # Demo data
//
// The default seed (DemoSeedAt(clock.Now()); WithSeed, WithSeedFile and
// WithEmptySeed replace it) has fixed GUIDs, listed as the Demo* constants:
// GUIDs are "00000000-0000-4000-8000-0000000000NN" and objects created at run
// time get NN from 1001 upwards, so output is stable across runs.
//
//   - node "node-1" (…01); destinations "fs-default" FILESYSTEM, the default
//     (…02), and "s3-offsite" S3 (…03)
//   - OPENSTACK manager "openstack" (…04) with projects "tenant-a" (…06,
//     tenant id "tenant-a") and "tenant-b" (…07, tenant id "tenant-b");
//     RHV manager "rhv" (…05); hypervisors, clusters "nova" and "Default",
//     storages "ceph-volumes" and "data-domain-1" (restore targets by uuid)
//   - VMs a-web-1, a-db-1, a-app-1 (tenant-a, …14-16), b-web-1, b-db-1,
//     b-app-1 (tenant-b, …17-19), rhv-vm-1..3 (…20-22) and a-old-1
//     (tenant-a, present:false, …23)
//   - policy "gold" (…25, tenantId tenant-a; a-web-1 and a-db-1) with rule
//     "Default" (…26, primary fs-default) holding the inactive schedule
//     "daily-2200" (…24, tenantId tenant-a)
//   - networks "private" (…60) and "public" (…61) and the shared "ext-shared"
//     (…62) of openstack, "ovirtmgmt" (…63) of rhv; flavors "m1.small" (…64)
//     and "m1.large" (…65) of openstack; OS credentials "linux-root" (…66,
//     user root) and "windows-admin" (…67, user Administrator), no password
//   - disks of rhv-vm-1: "rhv-vm-1-os" 10 GiB (…101) and "rhv-vm-1-data"
//     40 GiB (…102); of rhv-vm-2: "rhv-vm-2-os" 10 GiB (…103) and the direct
//     LUN "rhv-vm-2-lun" 100 GiB, not supported (…104)
//   - SUCCESS backups of a-web-1 (FULL 3 days old …28, INCREMENTAL 1 day old
//     …30), b-web-1 (…32), rhv-vm-1 (on S3, …34) and a-old-1 (…36), each with
//     one PRESENT location (the next GUID); FAILED backups of a-db-1 (its
//     STORE failed on a full destination, 2 days old, …38) and b-db-1 (its
//     EXPORT was cancelled, 1 day old, …40)
//   - task history (…42 to …56, oldest first): a FINISHED EXPORT and STORE
//     for every successful backup, the FAILED STORE and CANCELLED EXPORT of
//     the failed ones, a FINISHED RESTORE of rhv-vm-1 and a FAILED
//     RESTORE_AND_IMPORT of a-web-1, each with its reason in statusInfo, so a
//     monitoring client sees tasks at start. WithoutTaskHistory leaves the
//     history out, for tests that count the tasks they create; a seed may
//     carry history of its own (Seed.Tasks)
//   - a-web-1's FULL backup MOUNTED in AUTO mode on node-1 (…90), with its
//     file systems /dev/sda1 (…91) and /dev/vg_sda/lv_root (…92), to be
//     unmounted 24 h after the start
//
// # What the fake is faithful to, and what it does not model
//
// The fake follows the 7.x server as the vendor's clients meet it (the API
// references' 7x file wins where the two disagree): logins answered 200 /
// 400 with the default admin / vPr0tect, password changes and token logins;
// request bodies read with Jackson's leniency (lenient.go); JSON errors
// naming the field; 404 and 405 for what it does not serve; CORS for a
// browser page of another origin; a demo installation with task history.
// By generation (Server generations), 7.4: the 7.x tenancy (project-uuid,
// the 3rd-party-project header, projectUuid, project-scoped creates), the
// policy flow with its rules inside and the 7.4 request constraints; 4.0:
// the guide's tenant spellings, tenantId fields and two-step policy flow.
// Where the sources leave a fact open, the fake's choice is stated where it
// is made: the generations table in generations.go, the jackson table in
// lenient.go, literalSegments in server.go, the CORS constants in cors.go,
// user ids in users.go, the mount states and file trees in mounts.go and
// filetree.go (see File-level restore).
//
// Not modelled: the 4.x forms of the calls the fake serves only as 7.4
// (4.0 answers them 404); scopes on other creates than policies, schedules
// and restores (snapshot policies, mounts); GET, PUT and DELETE of an object
// of another project (the fake serves them: 403 or 404 is unknown, 7x
// 13.13); GET /projects on 7.4 (removed from the UI
// in 2024, 7x 12; the fake still serves it); roles and privileges (every
// user may do everything); the Horizon proxy's rewriting (parameters
// containing "project" stripped, 204 turned into 200); session cookie names other than
// JSESSIONID; the real CORS allow-list; creation answers other than 201
// (the real status of a POST that creates is not public); case-insensitive
// member names inside enums and references, which their own decoders read.
//
// # File-level restore
//
// POST /tasks/restore-and-mount creates the mounted backup (state RESTORING)
// and a RESTORE task (restoreType RESTORE_AND_MOUNT); a finished RESTORE
// creates a MOUNT task (parentTask = the RESTORE), which makes it MOUNTED.
// Every one of these tasks names the mounted backup in mountedBackup; the
// answer is the RESTORE task. POST /tasks/unmount runs an UNMOUNT task
// (UNMOUNTING) after which the mounted backup is gone; POST /tasks/mount
// mounts it again (MOUNTING, then MOUNTED). A failed RESTORE or MOUNT leaves
// it FAILED. unmountTime is a duration in ms (default 24 h, at most a
// year): at that time after the request an UNMOUNT task starts by itself
// (originEntity type SYSTEM_SCHEDULE). The node is the request's, else the
// VM's. State names, the answers and the auto-unmount are the fake's choices
// where the reference leaves them open (reference 7x 13.5).
//
// Modes: AUTO mounts every file system of the backup under the one
// mountPath given (default /mnt/vprotect/<vm>/<YYYYMMDD_HHmmss of the
// snapshot, UTC>), each at <path>/<base name of its volume>; MANUAL mounts
// the listed (and not "selected":false) file systems at their mountPath;
// ISCSI mounts none, and needs mountedDisks naming iscsiMountable files of
// the backup (GET /backup-files: its disks) and allowedClients (iqn., eui.
// or naa. names).
//
// File systems follow the VM (its name, for the fake has no guest OS): a
// VM whose name contains "win" has one NTFS volume /dev/sda2 ("Windows",
// 60 GiB); any other VM /dev/sda1 (ext4, "boot", 1 GiB) and an LVM root
// /dev/vg_sda/lv_root (xfs, "root", 19 GiB). GET /backup-files lists a
// backup's files (its disks and VM configuration, as for a restore); GET
// /mounted-files the disks of a mounted backup.
//
// Each kind of file system has a fixed tree: directories, regular files,
// symlinks (SYMLINK) and a broken one (BROKEN_SYMLINK), owners, groups and
// permissions; the Linux root holds /etc, /home/alice (with notes.txt,
// projects/, the link latest-report and the broken old-draft), /usr/bin,
// /var/log and the 4 GiB sparse /var/lib/images/disk-4g.img; Windows holds
// /Users/Administrator/Documents, /Windows/System32 and a 2 GiB sparse
// /pagefile.sys. A file's bytes depend only on its path: line n is the path,
// a space, n in 8 digits and a newline, cut at the file's size; a sparse
// file has those bytes only in the first 64 KiB of every 256 MiB and zeros
// elsewhere. Modification times are 1 h to 31 days before the snapshot,
// derived from the path. FileReader gives the bytes of any file.
//
// POST /mounted-file-systems/{guid}/listing {"path"} lists one directory
// (sorted by name, unpaged): path absolute and clean, the trailing slash
// optional, symlinks not followed. A missing path is a 404, a file (or a
// symlink) a 400, both with a JSON message. POST .../download {"paths"}:
// one regular file (or a symlink to one) comes back as its bytes,
// Content-Type application/octet-stream, Content-Disposition attachment;
// filename="<base name>" and Content-Length; several paths, a directory or
// anything else as one uncompressed tar archive (the fake's choice;
// application/x-tar, no Content-Length, filename "<dir>.tar" for one
// directory, else "download.tar") with owners, modes, times and symlinks as
// links. Bodies are streamed, never built in memory.
//
// # Test hooks
//
// InjectFault (status, Retry-After, delay, dropped connection, truncated or
// HTML body, N times; patterns in Go 1.22 ServeMux syntax without /api),
// FailNextTask, ExpireSessions, Requests (the request log: bodies only of
// logins and of requests with a valid session, every password masked;
// bounded by WithMaxRecordedRequests and WithMaxRecordedBytes, 16 MiB by
// default), Calls, Logins, and copies of the state: Tasks, Task, Backups, VMs, Schedules,
// Policies, Rules, Snapshots, SnapshotPolicies, VMDisks, MailingLists,
// MountedBackups; FileReader.
package vprotecttest
