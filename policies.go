package vprotect

// PoliciesService manages VM backup policies.
type PoliciesService service
