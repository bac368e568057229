package vprotect

import "context"

// NodesService lists vProtect nodes.
type NodesService service

// NodesAPI is the set of methods of NodesService, for mocking.
type NodesAPI interface {
	List(ctx context.Context, opts *NodeListOptions) ([]Node, error)
}

var _ NodesAPI = (*NodesService)(nil)

// Node is a vProtect node, the worker that runs backup and restore tasks.
type Node struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// LastSeen is when the node last reported to the server.
	LastSeen Timestamp `json:"lastSeen"`
	NodeIP   string    `json:"nodeIP"`
	Version  string    `json:"version"`
	// State is the node's state (e.g. RUNNING).
	State EnumNameAndDescription `json:"state"`
	// StagingSpace is the node's staging space.
	StagingSpace NodeStagingSpace `json:"stagingSpace"`
}

// NodeStagingSpace is a node's staging space in bytes.
type NodeStagingSpace struct {
	TotalSpace int64 `json:"totalSpace"`
	UsedSpace  int64 `json:"usedSpace"`
}

// NodeListOptions filters a node list.
type NodeListOptions struct {
	// BackupToBeRestored lists the nodes that can restore the backup with
	// this GUID (older servers).
	BackupToBeRestored string
}

// List returns the nodes that match opts (nil lists all).
//
// vProtect API: GET /nodes
func (s *NodesService) List(ctx context.Context, opts *NodeListOptions) ([]Node, error) {
	return listOf[Node](ctx, s.client, "/nodes", opts)
}

func (o *NodeListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("backup-to-be-restored", o.BackupToBeRestored)
	}
	return q, nil
}
