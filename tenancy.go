package vprotect

// Tenancy across server generations. A 4.x server (the integration guide)
// tags policies and schedules with a tenantId body field and filters lists
// by tenantid (tenantId on /tasks); a 7.x server has projectUuid in its
// policy and schedule bodies and filters by project-uuid, and ignores the
// 4.x names. Both name the same thing, an OpenStack project id. The SDK
// sends a tenant in the spellings of both generations, so one program
// works against either, and fills TenantID and ProjectUUID alike from
// whichever the server answered.

// oneTenant returns the tenant named by a TenantID and a ProjectUUID field
// (the 4.x and the 7.x name of the same tenant): the one that is set, or
// an *ArgumentError naming the ProjectUUID field when both are set and
// differ. owner prefixes the field names ("Policy", "VMListOptions").
func oneTenant(owner, tenantID, projectUUID string) (string, error) {
	switch {
	case tenantID == "":
		return projectUUID, nil
	case projectUUID == "" || projectUUID == tenantID:
		return tenantID, nil
	default:
		return "", argError(owner+".ProjectUUID", "must equal %s.TenantID when both are set (%q and %q name the same tenant in two server generations)",
			owner, projectUUID, tenantID)
	}
}

// setTenant adds a tenant filter in the spellings of both generations:
// guideName (tenantid, or tenantId on /tasks) and project-uuid.
func (q query) setTenant(owner, guideName, tenantID, projectUUID string) error {
	t, err := oneTenant(owner, tenantID, projectUUID)
	if err != nil {
		return err
	}
	q.set(guideName, t)
	q.set("project-uuid", t)
	return nil
}

// createScope is the query of a create or update that carries a tenant
// (an export, a restore, a policy, a schedule): project-uuid, the scope
// the vendor's OpenStack proxy puts on every call, from which a 7.x server
// takes the project the created object belongs to (it ignores the 4.x
// tenantId body field; a 4.x server ignores project-uuid). nil without a
// tenant.
func createScope(tenantID string) query {
	if tenantID == "" {
		return nil
	}
	q := query{}
	q.set("project-uuid", tenantID)
	return q
}

// completeTenant fills the empty one of a decoded TenantID / ProjectUUID
// pair from the other, whichever spelling the server answered with.
func completeTenant(tenantID, projectUUID *string) {
	if *tenantID == "" {
		*tenantID = *projectUUID
	}
	if *projectUUID == "" {
		*projectUUID = *tenantID
	}
}
