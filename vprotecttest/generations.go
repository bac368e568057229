package vprotecttest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Server generations: what differs between the vProtect versions the fake
// plays (WithServerVersion). Every version-dependent behaviour is a field of
// generation, set in the generations table below; the handlers ask the
// generation and never compare version strings.

// The server versions WithServerVersion accepts.
const (
	// ServerVersion74 is a 7.4 server, as the vendor's current UI and
	// OpenStack proxy meet it (the API references' 7x file). The default.
	ServerVersion74 = "7.4"
	// ServerVersion40 is a 4.0 server, as the vendor's integration guide
	// describes it (the API reference's guide file, vprotect-api.md).
	ServerVersion40 = "4.0"
	// DefaultServerVersion is the version a Server plays without
	// WithServerVersion.
	DefaultServerVersion = ServerVersion74
)

// generation is one server version's behaviour.
type generation struct {
	version string

	// tenantParams are the query parameters that scope a list to one
	// tenant (a 4.x tenantId, a 7.x project uuid); case-insensitive.
	// 7.4: project-uuid, the only tenant parameter of the 7.4 apidocs and
	// what the Horizon proxy appends to every call (reference 7x 9.1,
	// 9.2). 4.0: the guide's tenantid (tenantId on /tasks) and the
	// tenant-id of the 2019-2020 Horizon plugin (reference 6.1).
	tenantParams []string
	// scopeHeader, when set, is a request header that scopes like the
	// tenant parameters: the proxy's 3rd-party-project (7x 9.1, added to
	// the proxy in 2023-09, so never seen by a 4.0 server).
	scopeHeader string
	// scopesCreates makes the tenant of a POST (parameter or header) the
	// project of the policy or schedule it creates, over any body field,
	// and the target project of a restore, over restoreProject: "creates
	// that carry it (policies, schedules, restores) belong to that
	// project" (7x 9.3, 7.1).
	scopesCreates bool

	// tenantField is the body field that names the tenant of a policy or
	// schedule, stored and rendered: projectUuid on 7.4 (the 7.4
	// VmBackupPolicyRequest, reference 3.10), tenantId on 4.0 (3.9,
	// 3.10). The other spelling is ignored, as Jackson ignores an unknown
	// property.
	tenantField string

	// policyRulesRequired answers a policy POST or PUT without rules, or
	// with an empty list, 400 naming rules: the 7.4 VmBackupPolicyRequest
	// has rules "required, not empty", and that type is the body of both
	// POST and PUT (reference 3.10, 7x 8.1).
	policyRulesRequired bool
	// policyRulesEmbedded takes rules inside a policy body (the 7.x
	// single-request flow, 7x 8.2). Without it a policy's rules come
	// only from POST /rules/vm-backup (the guide's two-step flow,
	// reference 4.5), and rules in a policy body are ignored: the guide's
	// policy has no rules field (the fake's choice; what a 4.x server did
	// with one is not known).
	policyRulesEmbedded bool
	// ruleNeedsDestination answers a rule without a backup destination
	// 400 naming ruleBackupDestinations (7.4: "required, not empty",
	// reference 3.11). Without it such a rule gets the default
	// destination (the guide's rule has no destination field).
	ruleNeedsDestination bool
	// policyProjectFields renders a policy's 7.x fields: projects,
	// visibleForAllProjects, mailingList, and vms as VM list records (the
	// 7.4 VmBackupPolicyDetails, reference 3.10). Without it vms are
	// name-and-GUID references and the 7.x fields are left out.
	policyProjectFields bool
	// visibleForAllProjects lets a policy list scoped to a project also
	// show the policies visible for all projects (7x 9.3).
	visibleForAllProjects bool

	// unserved are the routes of routeTable this version does not serve:
	// they answer 404 like any unknown route.
	unserved map[string]bool
}

// routes74Only are the routes a 4.0 server does not serve: what only the
// 7.x sources show (the reference's 7x file, and the rows of its guide
// file that only the 2021+ UI calls), or what the fake models only in its
// 7.x form. The guide's calls (source G), those of the 2019-2020 Horizon
// plugin and the task console's (UI since 2019) are served by both.
var routes74Only = set(
	"POST /session/login-with-token", // D74 only (7x 1.1)
	"PUT /users/{id}/password",       // the Ansible role, 5.x to 7.x (7x 1.1, 1.2)

	// The VM page and the backup dialog (7x 5.1): UI calls since 2021-09.
	"GET /virtual-machines/detailed",
	"PUT /virtual-machines/{guid}/settings",
	"PUT /virtual-machines/{guid}/ssh-password",
	"GET /credential",
	"POST /virtual-machines/incremental-not-possible",
	"DELETE /virtual-machines/all-non-present",
	"GET /virtual-machine-disks",
	"PUT /virtual-machine-disks/{guid}/settings",
	"POST /policies/vm-backup/list-by-entities",
	"POST /policies/vm-backup/auto-assignment-preview", // 7x 8.4
	"POST /policies/vm-backup/{guid}/auto-assignment-preview",
	"POST /tasks/inventory-sync",

	// Backup lifecycle (7x 3.1): delete tasks since 2021-08, descriptions
	// and warnings since 2022, backup locations since 2021-11, retention
	// marks since 2022-06, restore jobs (7x 3.4).
	"POST /tasks/delete",
	"PUT /backups/{guid}/description",
	"PUT /backups/{guid}/warnings-acknowledged",
	"GET /backup-locations",
	"GET /restore-jobs",
	"POST /retention/mark-backups",
	"POST /retention/mark-backups/preview",

	// The restore dialog extras (7x 7.1): for-restore since 2025-02,
	// networks and flavors of the current dialog.
	"GET /backup-files/detailed/for-restore",
	"GET /network",
	"GET /network/shared",
	"GET /virtual-machine-flavors",
	"GET /projects", // the UI's history 2022-2024 (7x 12)

	// File-level restore (7x 2): modelled in its 7.x form only
	// (backupLocation since 2022-03, unmountTime a duration since 2023-04).
	"POST /tasks/restore-and-mount",
	"POST /tasks/mount",
	"POST /tasks/unmount",
	"GET /mounted-backups",
	"GET /mounted-backups/{guid}",
	"GET /mounted-file-systems/detailed",
	"GET /mounted-files",
	"POST /mounted-file-systems/{guid}/listing",
	"POST /mounted-file-systems/{guid}/download",
	"GET /file-systems",
	"GET /backup-files",

	// Snapshots (7x 4.1): /tasks/vm-snapshot since 2021-03, snapshot
	// lists since 2022-01, snapshot policies in their 7.x form.
	"POST /tasks/vm-snapshot",
	"GET /policies/vm-snapshot",
	"POST /policies/vm-snapshot",
	"GET /policies/vm-snapshot/{guid}",
	"PUT /policies/vm-snapshot/{guid}",
	"DELETE /policies/vm-snapshot/{guid}",
	"POST /policies/vm-snapshot/auto-assignment-preview",
	"POST /policies/vm-snapshot/{guid}/auto-assignment-preview",
	"POST /rules/vm-snapshot",
	"GET /snapshots",
	"GET /snapshots/{guid}",
	"PUT /snapshots/warnings-acknowledged",

	// Mailing lists (7x 8.3): since 2022-06.
	"GET /mailing-lists",
	"POST /mailing-lists",
	"GET /mailing-lists/{guid}",
	"PUT /mailing-lists/{guid}",
	"DELETE /mailing-lists/{guid}",
)

// generations is the table of the versions the fake plays.
var generations = map[string]*generation{
	ServerVersion74: {
		version:               ServerVersion74,
		tenantParams:          []string{"project-uuid"},
		scopeHeader:           "3rd-party-project",
		scopesCreates:         true,
		tenantField:           "projectUuid",
		policyRulesRequired:   true,
		policyRulesEmbedded:   true,
		ruleNeedsDestination:  true,
		policyProjectFields:   true,
		visibleForAllProjects: true,
		unserved:              map[string]bool{},
	},
	ServerVersion40: {
		version:      ServerVersion40,
		tenantParams: []string{"tenantid", "tenant-id"}, // matched case-insensitively: tenantId too
		tenantField:  "tenantId",
		unserved:     routes74Only,
	},
}

// generationOf returns the generation of a version, or an error naming the
// versions there are.
func generationOf(version string) (*generation, error) {
	if g, ok := generations[version]; ok {
		return g, nil
	}
	versions := make([]string, 0, len(generations))
	for v := range generations {
		versions = append(versions, v)
	}
	slices.Sort(versions)
	return nil, fmt.Errorf("WithServerVersion: %q is not a server version the fake plays (%s)", version, strings.Join(versions, ", "))
}

// serves reports whether the version serves a route of routeTable.
func (g *generation) serves(pattern string) bool { return !g.unserved[pattern] }

// tenantOf is the tenant a request is scoped to: a tenant parameter in any
// of the version's spellings, else its scope header; "" for none.
func (g *generation) tenantOf(r *http.Request) string {
	if t := param(r.URL.Query(), g.tenantParams...); t != "" {
		return t
	}
	if g.scopeHeader != "" {
		return r.Header.Get(g.scopeHeader)
	}
	return ""
}

// tenantRequest holds both spellings of the tenant field of a policy or
// schedule body; the generation reads one.
type tenantRequest struct {
	TenantID    *string `json:"tenantId"`
	ProjectUUID *string `json:"projectUuid"`
}

// bodyTenant returns the tenant a request body names in the version's
// spelling, nil when it names none.
func (g *generation) bodyTenant(t tenantRequest) *string {
	if g.tenantField == "projectUuid" {
		return t.ProjectUUID
	}
	return t.TenantID
}

// createScope is the project a POST creates in where the version scopes
// creates ("" for none).
func (g *generation) createScope(r *http.Request) string {
	if !g.scopesCreates {
		return ""
	}
	return g.tenantOf(r)
}

// createTenant is the tenant of an object a POST creates: the request's
// scope where the version scopes creates, else the body's field, else "".
func (g *generation) createTenant(r *http.Request, t tenantRequest) string {
	if scope := g.createScope(r); scope != "" {
		return scope
	}
	if v := g.bodyTenant(t); v != nil {
		return *v
	}
	return ""
}

// policyVisible reports whether a policy belongs in a list scoped to
// tenant ("" = unscoped).
func (g *generation) policyVisible(p *Policy, tenant string) bool {
	if tenant == "" || p.TenantID == tenant {
		return true
	}
	if !g.visibleForAllProjects {
		return false
	}
	if p.VisibleForAllProjects {
		return true
	}
	return slices.ContainsFunc(p.Projects, func(ref NameAndGuid) bool { return ref.GUID == tenant })
}

// policyWire74 is a policy as a 7.4 server renders it: the tenant as
// projectUuid, the VMs as VM list records.
type policyWire74 struct {
	Policy
	ProjectUUID string  `json:"projectUuid,omitempty"`
	TenantID    *string `json:"tenantId,omitempty"` // never set: 7.4 has no tenantId
	VMs         []VM    `json:"vms"`
}

// policyWire40 is a policy as a 4.0 server renders it: the tenant as
// tenantId, none of the 7.x fields.
type policyWire40 struct {
	Policy
	Projects              *[]NameAndGuid `json:"projects,omitempty"`              // never set
	VisibleForAllProjects *bool          `json:"visibleForAllProjects,omitempty"` // never set
	MailingList           *NameAndGuid   `json:"mailingList,omitempty"`           // never set
}

// policyWire renders a policy in the version's wire form.
func (s *Server) policyWire(p *Policy, extended bool) any {
	c := s.st.renderPolicy(p, extended)
	if !s.gen.policyProjectFields {
		return policyWire40{Policy: c}
	}
	w := policyWire74{Policy: c, ProjectUUID: c.TenantID, VMs: []VM{}}
	w.Policy.TenantID = ""
	w.Policy.Projects = append([]NameAndGuid{}, p.Projects...)
	for _, v := range s.st.vmsOfPolicy(p.GUID) {
		w.VMs = append(w.VMs, s.st.renderVM(v))
	}
	return w
}

// scheduleWire74 is a schedule as a 7.4 server renders it: the tenant as
// projectUuid.
type scheduleWire74 struct {
	Schedule
	ProjectUUID string  `json:"projectUuid,omitempty"`
	TenantID    *string `json:"tenantId,omitempty"` // never set: 7.4 has no tenantId
}

// scheduleWire renders a schedule in the version's wire form.
func (s *Server) scheduleWire(sc *Schedule) any {
	c := s.st.renderSchedule(sc)
	if s.gen.tenantField != "projectUuid" {
		return c
	}
	w := scheduleWire74{Schedule: c, ProjectUUID: c.TenantID}
	w.Schedule.TenantID = ""
	return w
}
