package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// ruleView is a policy rule in -o json and -o yaml; retention lengths are
// in seconds.
type ruleView struct {
	GUID              string                `json:"guid"`
	Name              string                `json:"name"`
	Policy            string                `json:"policy"`
	PolicyGUID        string                `json:"policyGuid"`
	Active            bool                  `json:"active"`
	MarkedForDeletion bool                  `json:"markedForDeletion"` // deleted, kept while backups made under it exist
	Position          int                   `json:"position"`
	Schedules         []string              `json:"schedules"`
	Destinations      []ruleDestinationView `json:"destinations"`
	BackupCount       int                   `json:"backupCount"`
}

// ruleDestinationView is one backup destination of a rule.
type ruleDestinationView struct {
	Destination                  string `json:"destination"`
	Role                         string `json:"role"` // PRIMARY, SECONDARY, ARCHIVE
	Active                       bool   `json:"active"`
	KeepLastFull                 int    `json:"keepLastFull"`
	KeepFullNewerThanSeconds     int64  `json:"keepFullNewerThanSeconds"`
	KeepLastIncremental          int    `json:"keepLastIncremental"`
	KeepIncrementalNewerThanSecs int64  `json:"keepIncrementalNewerThanSeconds"`
	KeepLastWhileVMExists        bool   `json:"keepLastWhileVmExists"`
	ImmutableDays                int    `json:"immutableDays"`
}

func newRuleView(r *vprotect.Rule) ruleView {
	v := ruleView{GUID: r.GUID, Name: r.Name, Active: r.Active, MarkedForDeletion: r.MarkedForDeletion, Position: r.Position,
		Schedules: []string{}, Destinations: []ruleDestinationView{}, BackupCount: r.BackupCount}
	if r.Policy != nil {
		v.Policy, v.PolicyGUID = r.Policy.Name, r.Policy.GUID
	}
	for i := range r.Schedules {
		v.Schedules = append(v.Schedules, ref(&r.Schedules[i]))
	}
	for _, d := range r.RuleBackupDestinations {
		dest := d.BackupDestination.Ref()
		s := d.BackupRetentionSettings
		v.Destinations = append(v.Destinations, ruleDestinationView{Destination: ref(&dest), Role: string(d.RoleType.Name),
			Active: d.Active, KeepLastFull: s.RetentionKeepLastNFull, KeepFullNewerThanSeconds: seconds(s.RetentionKeepFullNewerThan),
			KeepLastIncremental: s.RetentionKeepLastNIncremental, KeepIncrementalNewerThanSecs: seconds(s.RetentionKeepIncrementalNewerThan),
			KeepLastWhileVMExists: s.KeepLastBackupWhenSourceStillExists, ImmutableDays: d.DaysToKeepRetentionLock})
	}
	return v
}

func seconds(d vprotect.Duration) int64 { return int64(d.Std() / time.Second) }

// ruleState is a rule's state for people.
func ruleState(v *ruleView) string {
	switch {
	case v.MarkedForDeletion:
		return "deleted (backups left)"
	case v.Active:
		return "active"
	}
	return "inactive"
}

// ruleDestinations lists a rule's active destinations: "fs-default (PRIMARY)".
func ruleDestinations(v *ruleView) string {
	var out []string
	for _, d := range v.Destinations {
		if d.Active {
			out = append(out, d.Destination+" ("+d.Role+")")
		}
	}
	return strings.Join(out, ", ")
}

func (a *app) rulesCommand() *cobra.Command {
	var policy string
	cmd := a.command(&cobra.Command{
		Use:     "rules",
		Short:   "List the policies' rules (--policy for one policy's)",
		Example: "  vprotect rules --policy gold",
		Args:    cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		opts := &vprotect.RuleListOptions{}
		if policy != "" {
			p, err := a.findPolicy(cmd.Context(), c, policy)
			if err != nil {
				return err
			}
			opts.Policy = p.GUID
		}
		rules, err := c.Rules.List(cmd.Context(), opts)
		if err != nil {
			return failed("list the rules", err)
		}
		views := make([]ruleView, len(rules))
		for i := range rules {
			views[i] = newRuleView(&rules[i])
		}
		sort.SliceStable(views, func(i, j int) bool {
			if views[i].Policy != views[j].Policy {
				return views[i].Policy < views[j].Policy
			}
			return views[i].Position < views[j].Position
		})
		return a.render(views, func(w io.Writer) {
			t := newTable(w, "POLICY", "NAME", "STATE", "SCHEDULES", "DESTINATIONS", "BACKUPS", "GUID")
			for i := range views {
				v := &views[i]
				t.row(v.Policy, v.Name, ruleState(v), strings.Join(v.Schedules, ","), ruleDestinations(v), strconv.Itoa(v.BackupCount), v.GUID)
			}
			t.flush()
		})
	})
	cmd.Flags().StringVar(&policy, "policy", "", "list the rules of this policy (name or GUID)")
	return cmd
}

func (a *app) ruleCommand() *cobra.Command {
	cmd := a.group(&cobra.Command{
		Use:   "rule",
		Short: "Show or delete a policy rule",
	})
	cmd.AddCommand(a.command(&cobra.Command{
		Use:     "show GUID",
		Short:   "Show a rule: its schedules, destinations and retention",
		Example: "  vprotect rule show 00000000-0000-4000-8000-000000000026",
		Args:    cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		r, err := c.Rules.Get(cmd.Context(), args[0])
		if err != nil {
			return failed("read rule "+args[0], err)
		}
		v := newRuleView(r)
		return a.render(v, func(w io.Writer) {
			fields(w,
				"Name", v.Name,
				"GUID", v.GUID,
				"Policy", v.Policy,
				"State", ruleState(&v),
				"Position", strconv.Itoa(v.Position),
				"Schedules", strings.Join(v.Schedules, ", "),
				"Backups made", strconv.Itoa(v.BackupCount),
			)
			fmt.Fprintln(w)
			t := newTable(w, "DESTINATION", "ROLE", "ACTIVE", "KEEP FULL", "KEEP INCREMENTAL", "IMMUTABLE")
			for _, d := range v.Destinations {
				immutable := ""
				if d.ImmutableDays > 0 {
					immutable = strconv.Itoa(d.ImmutableDays) + " days"
				}
				t.row(d.Destination, d.Role, yesNo(d.Active), keep(d.KeepLastFull, d.KeepFullNewerThanSeconds),
					keep(d.KeepLastIncremental, d.KeepIncrementalNewerThanSecs), immutable)
			}
			t.flush()
		})
	}))
	cmd.AddCommand(a.command(&cobra.Command{
		Use:   "delete GUID",
		Short: "Delete a rule (kept, marked deleted, while backups made under it exist)",
		Args:  cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		r, err := c.Rules.Get(cmd.Context(), args[0])
		if err != nil {
			return failed("read rule "+args[0], err)
		}
		if err := c.Rules.Delete(cmd.Context(), r.GUID); err != nil {
			return failed("delete rule "+r.Name+" ("+r.GUID+")", err)
		}
		v := newRuleView(r)
		v.MarkedForDeletion, v.Active = false, false
		if after, err := c.Rules.Get(cmd.Context(), r.GUID); err == nil {
			v = newRuleView(after) // kept: backups were made under it
		}
		return a.render(v, func(w io.Writer) {
			if v.MarkedForDeletion {
				fmt.Fprintf(w, "Rule %s of policy %s is deleted: the server keeps it, inactive, while %d backups made under it exist.\n", v.Name, v.Policy, v.BackupCount)
				return
			}
			fmt.Fprintf(w, "Rule %s of policy %s is deleted.\n", v.Name, v.Policy)
		})
	}))
	return cmd
}

// keep describes a retention: "last 4, 30 days".
func keep(last int, newerThanSeconds int64) string {
	var parts []string
	if last > 0 {
		parts = append(parts, "last "+strconv.Itoa(last))
	}
	if newerThanSeconds > 0 {
		d := time.Duration(newerThanSeconds) * time.Second
		if d%(24*time.Hour) == 0 {
			parts = append(parts, strconv.Itoa(int(d/(24*time.Hour)))+" days")
		} else {
			parts = append(parts, duration(d))
		}
	}
	return strings.Join(parts, ", ")
}
