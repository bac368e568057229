// Command policy-as-code keeps a tenant's backup schedules, policies and
// policy rules as code: a JSON file says what the tenant should have, and
// each run compares it with the server, prints a plan (+ create, ~ update,
// - delete) and applies it. A second run finds nothing to do and says so.
//
//	go run ./examples/policy-as-code -file examples/policy-as-code/desired.json
//	go run ./examples/policy-as-code -file my-tenant.json -dry-run   # plan only
//
// The file (see desired.json beside this file) names a tenant and a name
// prefix. Only the tenant's schedules and policies whose names start with the
// prefix are managed: they are created, updated or deleted to match the file,
// and all the rules of a managed policy with them. Nothing else on the server
// is touched. VMs and backup destinations are named, not given by GUID;
// putting a VM in a policy takes it out of its previous one (a VM has one
// policy). Times of day are UTC.
//
// The desired state and the plan are package policyascode's; this program
// reads the file, prints the plan and applies it.
//
// On the embedded fake server every run starts from the demo data, so the
// example plans a second time after applying, to show that the server now
// matches the file. Against VPROTECT_URL, run it twice.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
	"github.com/vprotect-go/vprotect/policyascode"
)

var (
	file   = flag.String("file", filepath.Join("examples", "policy-as-code", "desired.json"), "the desired state (JSON)")
	dryRun = flag.Bool("dry-run", false, "print the plan and change nothing")
)

func main() { exampleutil.Main("policy-as-code", run) }

func run(ctx context.Context, env *exampleutil.Env) error {
	out := env.Out
	desired, err := load(*file)
	if err != nil {
		return err
	}
	tenant := desired.Tenant
	if tenant == "" {
		tenant = env.Tenant
	}
	fmt.Fprintf(out, "Desired state: %s (tenant %s, objects named %s*)\n", filepath.Base(*file), tenant, desired.Prefix)

	plan, err := policyascode.NewPlan(ctx, env.Client, desired, tenant)
	if err != nil {
		return err
	}
	if len(plan.Changes) == 0 {
		fmt.Fprintf(out, "No changes: tenant %s matches %s.\n", tenant, filepath.Base(*file))
		return nil
	}
	create, update, del := plan.Count()
	fmt.Fprintf(out, "Plan: %d to create, %d to update, %d to delete\n", create, update, del)
	for _, c := range plan.Changes {
		fmt.Fprintln(out, " ", c)
	}
	if *dryRun {
		fmt.Fprintln(out, "Dry run: nothing changed.")
		return nil
	}
	if err := plan.Apply(ctx, nil); err != nil {
		return err
	}
	fmt.Fprintf(out, "Applied %d changes.\n", len(plan.Changes))

	if env.Embedded() {
		again, err := policyascode.NewPlan(ctx, env.Client, desired, tenant)
		if err != nil {
			return err
		}
		if len(again.Changes) != 0 {
			return fmt.Errorf("the server still differs from %s after applying: %s", filepath.Base(*file), again.Changes[0])
		}
		fmt.Fprintf(out, "Planned again: no changes, tenant %s matches %s.\n", tenant, filepath.Base(*file))
	}
	return nil
}

// load reads and checks a desired-state file. Unknown members are errors,
// so that a typo does not silently change nothing.
func load(path string) (*policyascode.Desired, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d policyascode.Desired
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := d.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &d, nil
}
