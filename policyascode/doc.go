// Package policyascode keeps a tenant's backup schedules, policies and
// policy rules as code: a Desired state, read from a file (JSON or YAML;
// the field tags serve both), is compared with the server, and the
// differences become a Plan of changes (+ create, ~ update, - delete) that
// Apply carries out. A second plan after applying is empty.
//
// Only the tenant's schedules and policies whose names start with the
// Desired state's Prefix are managed: they are created, updated or deleted
// to match it, and all the rules of a managed policy with them. Nothing
// else on the server is touched. VMs and backup destinations are named, not
// given by GUID; putting a VM in a policy takes it out of its previous one
// (a VM has one policy). Times of day are UTC, as the server keeps them.
//
//	var d policyascode.Desired
//	if err := json.Unmarshal(file, &d); err != nil { ... }
//	if err := d.Check(); err != nil { ... }
//	plan, err := policyascode.NewPlan(ctx, client, &d, d.Tenant)
//	for _, c := range plan.Changes {
//		fmt.Println(c)
//	}
//	err = plan.Apply(ctx)
//
// The example examples/policy-as-code and the vprotect command's apply use
// it.
package policyascode
