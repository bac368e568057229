package vprotect

import (
	"context"
	"iter"
	"net/url"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listCase is one service's list methods, for the table over services. Each
// call takes the paging to send, or nil to pass nil options; with paging the
// service's options also carry the case's filter.
type listCase struct {
	service string
	path    string
	// filter is the query the filter in the case's options sends.
	filter url.Values
	// paged tells whether the options carry ListOptions.
	paged    bool
	list     func(ctx context.Context, c *Client, paging *ListOptions) ([]string, error)
	listPage func(ctx context.Context, c *Client, paging *ListOptions) ([]string, int, error) // nil: no ListPage
	all      func(ctx context.Context, c *Client, paging *ListOptions) ([]string, error)      // nil: no All
}

// guidsOf returns the GUID field of each item.
func guidsOf[T any](items []T, err error) ([]string, error) {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = reflect.ValueOf(it).FieldByName("GUID").String()
	}
	return out, err
}

func pageGUIDs[T any](p Page[T], err error) ([]string, int, error) {
	guids, _ := guidsOf(p.Items, nil)
	return guids, p.Total, err
}

func seqGUIDs[T any](seq iter.Seq2[T, error]) ([]string, error) {
	var items []T
	for it, err := range seq {
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return guidsOf(items, nil)
}

// opt returns nil for nil paging, else the options build makes from it.
func opt[O any](paging *ListOptions, build func(ListOptions) *O) *O {
	if paging == nil {
		return nil
	}
	return build(*paging)
}

var listCases = []listCase{
	{
		service: "BackupDestinations", path: "/backup-destinations", paged: true,
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.BackupDestinations.List(ctx, p))
		},
		listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
			return pageGUIDs(c.BackupDestinations.ListPage(ctx, p))
		},
	},
	func() listCase {
		o := func(p *ListOptions) *BackupListOptions {
			return opt(p, func(l ListOptions) *BackupListOptions {
				return &BackupListOptions{ListOptions: l, ProtectedEntity: "vm-1"}
			})
		}
		return listCase{
			service: "Backups", path: "/backups", paged: true, filter: url.Values{"protected-entity": {"vm-1"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.Backups.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.Backups.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.Backups.All(ctx, o(p)))
			},
		}
	}(),
	{
		service: "BackupLocations", path: "/backup-locations", filter: url.Values{"protected-entity": {"vm-1"}, "location-status": {"PRESENT"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.BackupLocations.List(ctx, opt(p, func(ListOptions) *BackupLocationListOptions {
				return &BackupLocationListOptions{ProtectedEntity: "vm-1", LocationStatus: BackupLocationStatusPresent}
			})))
		},
	},
	func() listCase {
		o := func(p *ListOptions) *MountedBackupListOptions {
			return opt(p, func(l ListOptions) *MountedBackupListOptions {
				return &MountedBackupListOptions{ListOptions: l, Backup: "bk-1", ProtectedEntity: "vm-1",
					ProtectedEntityType: ProtectedEntityTypeVM, Mode: MountModeAuto, Node: "node-1", NameLike: "web",
					ProjectUUID: "tenant-a", FinishedMount: Ptr(false)}
			})
		}
		return listCase{
			service: "MountedBackups", path: "/mounted-backups", paged: true,
			filter: url.Values{"backup": {"bk-1"}, "protected-entity": {"vm-1"}, "protected-entity-type": {"VM"}, "mode": {"AUTO"},
				"node": {"node-1"}, "nameLike": {"web"}, "project-uuid": {"tenant-a"}, "finished-mount": {"false"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.MountedBackups.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.MountedBackups.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.MountedBackups.All(ctx, o(p)))
			},
		}
	}(),
	{
		service: "Hypervisors", path: "/hypervisors", paged: true, filter: url.Values{"backup-to-be-restored": {"bk-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.Hypervisors.List(ctx, opt(p, func(l ListOptions) *HypervisorListOptions {
				return &HypervisorListOptions{ListOptions: l, BackupToBeRestored: "bk-1"}
			})))
		},
	},
	func() listCase {
		o := func(p *ListOptions) *HypervisorManagerListOptions {
			return opt(p, func(l ListOptions) *HypervisorManagerListOptions {
				return &HypervisorManagerListOptions{ListOptions: l, BackupToBeRestored: "bk-1"}
			})
		}
		return listCase{
			service: "HypervisorManagers", path: "/hypervisor-managers", paged: true, filter: url.Values{"backup-to-be-restored": {"bk-1"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.HypervisorManagers.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.HypervisorManagers.ListPage(ctx, o(p)))
			},
		}
	}(),
	{
		service: "HypervisorClusters", path: "/hypervisor-clusters", filter: url.Values{"hypervisor-manager": {"hvm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.HypervisorClusters.List(ctx, opt(p, func(ListOptions) *ClusterListOptions {
				return &ClusterListOptions{HypervisorManager: "hvm-1"}
			})))
		},
	},
	{
		service: "HypervisorStorages", path: "/hypervisor-storages", filter: url.Values{"hypervisor-manager": {"hvm-1"}, "hypervisor": {"hv-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.HypervisorStorages.List(ctx, opt(p, func(ListOptions) *StorageListOptions {
				return &StorageListOptions{HypervisorManager: "hvm-1", Hypervisor: "hv-1"}
			})))
		},
	},
	{
		service: "RestoreJobs", path: "/restore-jobs", filter: url.Values{"protected-entity": {"vm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.RestoreJobs.List(ctx, opt(p, func(ListOptions) *RestoreJobListOptions {
				return &RestoreJobListOptions{ProtectedEntity: "vm-1"}
			})))
		},
	},
	{
		service: "Networks", path: "/network", filter: url.Values{"hypervisor-manager": {"hvm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.Networks.List(ctx, opt(p, func(ListOptions) *NetworkListOptions {
				return &NetworkListOptions{HypervisorManager: "hvm-1"}
			})))
		},
	},
	{
		service: "Networks shared", path: "/network/shared", filter: url.Values{"hypervisor-manager": {"hvm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.Networks.ListShared(ctx, opt(p, func(ListOptions) *NetworkListOptions {
				return &NetworkListOptions{HypervisorManager: "hvm-1"}
			})))
		},
	},
	{
		service: "Credentials", path: "/credential",
		list: func(ctx context.Context, c *Client, _ *ListOptions) ([]string, error) {
			return guidsOf(c.Credentials.List(ctx))
		},
	},
	{
		service: "VMFlavors", path: "/virtual-machine-flavors", filter: url.Values{"hypervisor-manager": {"hvm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.VMFlavors.List(ctx, opt(p, func(ListOptions) *VMFlavorListOptions {
				return &VMFlavorListOptions{HypervisorManager: "hvm-1"}
			})))
		},
	},
	{
		service: "Projects", path: "/projects", filter: url.Values{"hypervisor-manager": {"hvm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.Projects.List(ctx, opt(p, func(ListOptions) *ProjectListOptions {
				return &ProjectListOptions{HypervisorManager: "hvm-1"}
			})))
		},
	},
	{
		service: "Nodes", path: "/nodes", filter: url.Values{"backup-to-be-restored": {"bk-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.Nodes.List(ctx, opt(p, func(ListOptions) *NodeListOptions {
				return &NodeListOptions{BackupToBeRestored: "bk-1"}
			})))
		},
	},
	func() listCase {
		o := func(p *ListOptions) *PolicyListOptions {
			return opt(p, func(l ListOptions) *PolicyListOptions { return &PolicyListOptions{ListOptions: l, TenantID: "t"} })
		}
		return listCase{
			service: "Policies", path: "/policies/vm-backup", paged: true, filter: url.Values{"tenantid": {"t"}, "project-uuid": {"t"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.Policies.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.Policies.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.Policies.All(ctx, o(p)))
			},
		}
	}(),
	func() listCase {
		o := func(p *ListOptions) *RuleListOptions {
			return opt(p, func(l ListOptions) *RuleListOptions { return &RuleListOptions{ListOptions: l, Policy: "p"} })
		}
		return listCase{
			service: "Rules", path: "/rules/vm-backup", paged: true, filter: url.Values{"policy": {"p"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.Rules.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.Rules.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.Rules.All(ctx, o(p)))
			},
		}
	}(),
	func() listCase {
		o := func(p *ListOptions) *TaskListOptions {
			return opt(p, func(l ListOptions) *TaskListOptions { return &TaskListOptions{ListOptions: l, Type: TaskTypeStore} })
		}
		return listCase{
			service: "Tasks", path: "/tasks", paged: true, filter: url.Values{"type": {"STORE"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.Tasks.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.Tasks.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.Tasks.All(ctx, o(p)))
			},
		}
	}(),
	func() listCase {
		o := func(p *ListOptions) *VMListOptions {
			return opt(p, func(l ListOptions) *VMListOptions { return &VMListOptions{ListOptions: l, TenantID: "t"} })
		}
		return listCase{
			service: "VMs", path: "/virtual-machines", paged: true, filter: url.Values{"tenantid": {"t"}, "project-uuid": {"t"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.VMs.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.VMs.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.VMs.All(ctx, o(p)))
			},
		}
	}(),
	{
		service: "MailingLists", path: "/mailing-lists", paged: true,
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.MailingLists.List(ctx, p))
		},
		listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
			return pageGUIDs(c.MailingLists.ListPage(ctx, p))
		},
		all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return seqGUIDs(c.MailingLists.All(ctx, p))
		},
	},
	func() listCase {
		o := func(p *ListOptions) *SnapshotListOptions {
			return opt(p, func(l ListOptions) *SnapshotListOptions {
				return &SnapshotListOptions{ListOptions: l, ProtectedEntities: []string{"vm-1"}, StandAlone: Ptr(true)}
			})
		}
		return listCase{
			service: "Snapshots", path: "/snapshots", paged: true, filter: url.Values{"protected-entity": {"vm-1"}, "stand-alone": {"true"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.Snapshots.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.Snapshots.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.Snapshots.All(ctx, o(p)))
			},
		}
	}(),
	func() listCase {
		o := func(p *ListOptions) *SnapshotPolicyListOptions {
			return opt(p, func(l ListOptions) *SnapshotPolicyListOptions {
				return &SnapshotPolicyListOptions{ListOptions: l, Extended: true}
			})
		}
		return listCase{
			service: "SnapshotPolicies", path: "/policies/vm-snapshot", paged: true, filter: url.Values{"extended": {"true"}},
			list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return guidsOf(c.SnapshotPolicies.List(ctx, o(p)))
			},
			listPage: func(ctx context.Context, c *Client, p *ListOptions) ([]string, int, error) {
				return pageGUIDs(c.SnapshotPolicies.ListPage(ctx, o(p)))
			},
			all: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
				return seqGUIDs(c.SnapshotPolicies.All(ctx, o(p)))
			},
		}
	}(),
	{
		service: "VMDisks", path: "/virtual-machine-disks", paged: true, filter: url.Values{"virtual-machine": {"vm-1"}},
		list: func(ctx context.Context, c *Client, p *ListOptions) ([]string, error) {
			return guidsOf(c.VMDisks.List(ctx, opt(p, func(l ListOptions) *VMDiskListOptions {
				return &VMDiskListOptions{ListOptions: l, VirtualMachine: "vm-1"}
			})))
		},
	},
}

// withQuery returns the filter plus the given parameters.
func withQuery(filter url.Values, kv ...string) url.Values {
	q := url.Values{}
	for k, v := range filter {
		q[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// TestListEveryService runs List, ListPage and All of every service against
// one paged list of three: nil options send no query, a filter is sent as
// its parameters, ListPage sends paging and returns the total, and All
// pages through the whole list.
func TestListEveryService(t *testing.T) {
	ctx := context.Background()
	items := []map[string]any{{"guid": "x-1"}, {"guid": "x-2"}, {"guid": "x-3"}}
	everything := []string{"x-1", "x-2", "x-3"}
	for _, tc := range listCases {
		t.Run(tc.service+"/List nil", func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondPaged(mt, tc.path, items)
			got, err := tc.list(ctx, c, nil)
			require.NoError(t, err)
			assert.Equal(t, everything, got)
			assert.Empty(t, captor.only(t).Query)
		})
		t.Run(tc.service+"/List", func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondPaged(mt, tc.path, items)
			got, err := tc.list(ctx, c, &ListOptions{})
			require.NoError(t, err)
			assert.Equal(t, everything, got)
			want := withQuery(tc.filter)
			if len(want) == 0 {
				assert.Empty(t, captor.only(t).Query)
			} else {
				assert.Equal(t, want, captor.only(t).Query)
			}
		})
		if tc.paged {
			t.Run(tc.service+"/List paged", func(t *testing.T) {
				c, mt := newTestClient(t)
				captor := respondPaged(mt, tc.path, items)
				got, err := tc.list(ctx, c, &ListOptions{Page: 1, Size: 2, OrderBy: "name", Direction: SortDescending, Filter: "web"})
				require.NoError(t, err)
				assert.Equal(t, []string{"x-3"}, got)
				assert.Equal(t, withQuery(tc.filter, "page", "1", "size", "2", "orderBy", "name", "direction", "desc", "filter", "web"), captor.only(t).Query)
			})
		}
		if tc.listPage != nil {
			t.Run(tc.service+"/ListPage", func(t *testing.T) {
				c, mt := newTestClient(t)
				captor := respondPaged(mt, tc.path, items)
				got, total, err := tc.listPage(ctx, c, &ListOptions{Page: 1, Size: 2})
				require.NoError(t, err)
				assert.Equal(t, []string{"x-3"}, got)
				assert.Equal(t, 3, total)
				assert.Equal(t, withQuery(tc.filter, "page", "1", "size", "2"), captor.only(t).Query)
			})
		}
		if tc.all != nil {
			t.Run(tc.service+"/All", func(t *testing.T) {
				c, mt := newTestClient(t)
				captor := respondPaged(mt, tc.path, items)
				got, err := tc.all(ctx, c, &ListOptions{Page: 7, Size: 2})
				require.NoError(t, err)
				assert.Equal(t, everything, got)
				reqs := captor.all()
				require.Len(t, reqs, 2)
				assert.Equal(t, withQuery(tc.filter, "page", "0", "size", "2"), reqs[0].Query)
				assert.Equal(t, withQuery(tc.filter, "page", "1", "size", "2"), reqs[1].Query)
			})
		}
	}
}
