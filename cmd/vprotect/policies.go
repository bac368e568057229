package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// policyView is a VM backup policy in -o json and -o yaml.
type policyView struct {
	GUID       string   `json:"guid"`
	Name       string   `json:"name"`
	Active     bool     `json:"active"`
	Priority   int      `json:"priority"`
	VMCount    int      `json:"vmCount"`
	RuleCount  int      `json:"ruleCount"`
	Rules      []string `json:"rules"`
	AutoAssign string   `json:"autoAssign,omitempty"` // DISABLED, ASSIGN_ONLY, ASSIGN_AND_REMOVE, …
	Tenant     string   `json:"tenant,omitempty"`
}

func newPolicyView(p *vprotect.Policy) policyView {
	v := policyView{GUID: p.GUID, Name: p.Name, Active: p.Active, Priority: p.Priority, VMCount: p.VMCount,
		RuleCount: p.RuleCount, Rules: []string{}, AutoAssign: string(p.AutoAssignSettings.Mode.Name), Tenant: p.TenantID}
	for _, r := range p.Rules {
		if !r.MarkedForDeletion {
			v.Rules = append(v.Rules, r.Name)
		}
	}
	return v
}

func (a *app) policiesCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "policies",
		Short: "List the VM backup policies, of the tenant when one is set",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		pols, err := c.Policies.List(cmd.Context(), &vprotect.PolicyListOptions{TenantID: a.cfg.tenant, Extended: true})
		if err != nil {
			return failed("list the policies", err)
		}
		sort.SliceStable(pols, func(i, j int) bool { return pols[i].Name < pols[j].Name })
		views := make([]policyView, len(pols))
		for i := range pols {
			views[i] = newPolicyView(&pols[i])
		}
		return a.render(views, func(w io.Writer) {
			t := newTable(w, "NAME", "ACTIVE", "PRIORITY", "VMS", "RULES", "AUTO-ASSIGN", "TENANT", "GUID")
			for _, v := range views {
				t.row(v.Name, yesNo(v.Active), strconv.Itoa(v.Priority), strconv.Itoa(v.VMCount), strconv.Itoa(v.RuleCount),
					v.AutoAssign, v.Tenant, v.GUID)
			}
			t.flush()
		})
	})
}

// findPolicy returns the policy named or with the GUID arg, of the tenant
// when one is set.
func (a *app) findPolicy(ctx context.Context, c *vprotect.Client, arg string) (*vprotect.Policy, error) {
	p, err := c.Policies.Get(ctx, arg)
	switch {
	case err == nil:
		return p, nil
	case !errors.Is(err, vprotect.ErrNotFound):
		return nil, failed("look up policy "+arg, err)
	}
	pols, err := c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: a.cfg.tenant})
	if err != nil {
		return nil, failed("look up policy "+arg, err)
	}
	for i := range pols {
		if pols[i].Name == arg {
			return &pols[i], nil
		}
	}
	return nil, fmt.Errorf("no policy named or with GUID %q; vprotect policies lists them", arg)
}
