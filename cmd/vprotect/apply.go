package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect/policyascode"
	"go.yaml.in/yaml/v3"
)

// applyView is the result of apply in -o json and -o yaml.
type applyView struct {
	Tenant  string       `json:"tenant"`
	Prefix  string       `json:"prefix"`
	Changes []changeView `json:"changes"`
	// Applied reports whether the changes were made (false with --dry-run
	// and when there are none).
	Applied bool `json:"applied"`
}

// changeView is one change of a plan.
type changeView struct {
	Op     string `json:"op"` // +, ~ or -
	What   string `json:"what"`
	Detail string `json:"detail,omitempty"`
}

func (a *app) applyCommand() *cobra.Command {
	var (
		file   string
		dryRun bool
	)
	cmd := a.command(&cobra.Command{
		Use:   "apply -f FILE",
		Short: "Make a tenant's schedules, policies and rules match a file (YAML or JSON)",
		Long: `Make a tenant's backup schedules, policies and policy rules match a file,
YAML or JSON (JSON is read as YAML): print the plan (+ create, ~ update,
- delete), then apply it; "No changes" when the server matches. Only the
tenant's schedules and policies whose names start with the file's prefix are
managed; nothing else is touched. VMs and destinations are named; times of day
are UTC. The tenant is the file's, else --tenant (VPROTECT_TENANT).

The file (examples/policy-as-code/desired.json in the repository is one):

  tenant: tenant-a
  prefix: pac-
  schedules:
    - {name: pac-weeknights, at: "22:00", window: 4h, days: [MONDAY, TUESDAY]}
    - {name: pac-daytime, backupType: INCREMENTAL, every: 2h, from: "08:00", to: "18:00", days: [MONDAY]}
  policies:
    - name: pac-silver
      priority: 60
      vms: [a-app-1]
      rules:
        - {name: nightly, schedules: [pac-weeknights], destination: fs-default}

A file that cannot be read or is wrong (bad YAML, with its line; an unknown
field; a name without the prefix) is an error before anything is asked of
the server: exit 1, like every other failure.`,
		Example: "  vprotect apply -f tenant-a.yaml --dry-run\n  vprotect apply -f tenant-a.yaml",
		Args:    cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		d, err := readDesired(a.stdin, file)
		if err != nil {
			return err
		}
		tenant := d.Tenant
		switch {
		case tenant == "":
			tenant = a.cfg.tenant
		case a.cfg.tenant != "" && a.cfg.tenant != tenant:
			return usageErrorf("%s is for tenant %s, not %s (--tenant, VPROTECT_TENANT)", file, tenant, a.cfg.tenant)
		}
		if tenant == "" {
			return usageErrorf("%s names no tenant: add \"tenant:\" to it, or give --tenant (VPROTECT_TENANT)", file)
		}
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		plan, err := policyascode.NewPlan(cmd.Context(), c, d, tenant)
		if err != nil {
			return failed("plan "+file, err)
		}
		v := applyView{Tenant: tenant, Prefix: d.Prefix, Changes: []changeView{}}
		for _, ch := range plan.Changes {
			v.Changes = append(v.Changes, changeView{Op: ch.Op, What: ch.What, Detail: ch.Detail})
		}
		table := a.cfg.output == outputTable
		if table {
			printPlan(a.stdout, file, tenant, d.Prefix, plan)
		}
		if len(plan.Changes) == 0 || dryRun {
			if table && dryRun && len(plan.Changes) > 0 {
				fmt.Fprintln(a.stdout, "Dry run: nothing changed.")
			}
			return a.render(v, func(io.Writer) {})
		}
		if err := plan.Apply(cmd.Context(), nil); err != nil {
			return failed("apply "+file, err)
		}
		v.Applied = true
		return a.render(v, func(w io.Writer) { fmt.Fprintf(w, "Applied %d changes.\n", len(plan.Changes)) })
	})
	cmd.Flags().StringVarP(&file, "file", "f", "", `the desired state, YAML or JSON ("-": standard input)`)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the plan and change nothing")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

func printPlan(w io.Writer, file, tenant, prefix string, plan *policyascode.Plan) {
	if len(plan.Changes) == 0 {
		fmt.Fprintf(w, "No changes: tenant %s matches %s.\n", tenant, file)
		return
	}
	create, update, del := plan.Count()
	fmt.Fprintf(w, "Plan for tenant %s (objects named %s*): %d to create, %d to update, %d to delete\n", tenant, prefix, create, update, del)
	for _, ch := range plan.Changes {
		fmt.Fprintln(w, " ", ch)
	}
}

// readDesired reads and checks the desired state in file ("-" for stdin):
// YAML, or JSON read as YAML, unknown fields refused so that a typo does not
// silently change nothing. Its errors name the file and, for YAML's, the line.
func readDesired(stdin io.Reader, file string) (*policyascode.Desired, error) {
	var (
		b   []byte
		err error
	)
	if file == "-" {
		file = "standard input"
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, unwrapPathError(err))
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var d policyascode.Desired
	if err := dec.Decode(&d); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s is empty", file)
		}
		return nil, fmt.Errorf("%s: %s", file, yamlError(err))
	}
	if err := d.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &d, nil
}

// goTypeName is the Go type yaml.v3 names in its errors, which says
// nothing to the file's author.
var goTypeName = regexp.MustCompile(` (in|into) (type )?[\[\]*]*policyascode\.\w+`)

// yamlError is a YAML error as one line for the file's author: "line 5:
// field bogus not found" rather than "yaml: unmarshal errors:\n  line 5:
// field bogus not found in type policyascode.DesiredSchedule".
func yamlError(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:")
	s = goTypeName.ReplaceAllString(s, "")
	return oneLine(s)
}
