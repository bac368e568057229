package vprotect

import "context"

// ProjectsService lists the projects (OpenStack tenants) of hypervisor
// managers. The 7.x UI no longer calls it (since 2024 the target project of
// a restore comes from the tenant the request is made for); older servers
// took a restore's project from this list.
type ProjectsService service

// ProjectsAPI is the interface of ProjectsService, for mocking.
type ProjectsAPI interface {
	List(ctx context.Context, opts *ProjectListOptions) ([]Project, error)
}

var _ ProjectsAPI = (*ProjectsService)(nil)

// Project is a project (tenant) of a hypervisor manager. A restore names it
// in RestoreRequest.RestoreProject.
type Project struct {
	// GUID is the project's id in vProtect.
	GUID string `json:"guid"`
	// UUID is the project's id in the hypervisor manager (the OpenStack
	// project id, the value tenant filters match).
	UUID string `json:"uuid"`
	// Name is the project's name.
	Name string `json:"name"`
	// HvManager is the hypervisor manager the project belongs to, or nil.
	HvManager *NameAndGuid `json:"hvManager"`
}

// ProjectListOptions filters a project list.
type ProjectListOptions struct {
	// HypervisorManager lists the projects of the manager with this GUID,
	// sent as "hypervisor-manager".
	HypervisorManager string
}

func (o *ProjectListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("hypervisor-manager", o.HypervisorManager)
	}
	return q, nil
}

// List returns the projects that match opts (nil lists all).
//
// vProtect API: GET /projects
func (s *ProjectsService) List(ctx context.Context, opts *ProjectListOptions) ([]Project, error) {
	return listOf[Project](ctx, s.client, "/projects", opts)
}
