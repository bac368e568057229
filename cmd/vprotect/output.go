package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vprotect-go/vprotect"
	"go.yaml.in/yaml/v3"
)

// outputFormat is the value of -o.
type outputFormat string

const (
	outputTable outputFormat = "table"
	outputJSON  outputFormat = "json"
	outputYAML  outputFormat = "yaml"
)

func parseOutputFormat(s string) (outputFormat, error) {
	switch f := outputFormat(strings.ToLower(s)); f {
	case outputTable, outputJSON, outputYAML:
		return f, nil
	}
	return "", usageErrorf("-o %q: the output format is table, json or yaml", s)
}

// render prints v, a command's view of its result: with -o json as one
// JSON document, with -o yaml as one YAML document with the same field
// names, else through table, for people.
//
// The view types are the CLI's own, with stable JSON field names and raw
// values (times in RFC 3339 UTC, sizes in bytes), so that a script does not
// depend on how the server spells its fields.
func (a *app) render(v any, table func(w io.Writer)) error {
	switch a.cfg.output {
	case outputJSON:
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case outputYAML:
		return writeYAML(a.stdout, v)
	}
	table(a.stdout)
	return nil
}

// writeYAML prints v as YAML with its JSON field names and order: v goes
// through encoding/json, and the JSON is read back as a YAML node (JSON is
// YAML) and printed in block style.
func writeYAML(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return err
	}
	blockStyle(&doc)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	return enc.Close()
}

// blockStyle clears the flow and quoting styles that the JSON gave the
// nodes, so that the encoder picks YAML's plain styles (and quotes only
// what needs it).
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// table prints aligned columns: the header in capitals, two spaces between
// columns, "-" for an empty cell.
type table struct {
	tw *tabwriter.Writer
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) {
	var b bytes.Buffer
	for i, c := range cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		if c == "" {
			c = "-"
		}
		b.WriteString(strings.ReplaceAll(c, "\t", " "))
	}
	b.WriteByte('\n')
	t.tw.Write(b.Bytes())
}

func (t *table) flush() { t.tw.Flush() }

// fields prints name-value pairs, one a line, the values aligned, "-" for
// an empty value.
func fields(w io.Writer, pairs ...string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(tw, "%s:\t%s\n", pairs[i], v)
	}
	tw.Flush()
}

// size formats a byte count for people: "12.0 GiB", "512.0 MiB", "-" for 0.
func size(bytes int64) string {
	const (
		kib = 1 << 10
		mib = 1 << 20
		gib = 1 << 30
		tib = 1 << 40
	)
	switch {
	case bytes <= 0:
		return "-"
	case bytes >= tib:
		return fmt.Sprintf("%.1f TiB", float64(bytes)/tib)
	case bytes >= gib:
		return fmt.Sprintf("%.1f GiB", float64(bytes)/gib)
	case bytes >= mib:
		return fmt.Sprintf("%.1f MiB", float64(bytes)/mib)
	case bytes >= kib:
		return fmt.Sprintf("%.1f KiB", float64(bytes)/kib)
	}
	return fmt.Sprintf("%d B", bytes)
}

// timeLayout is the layout of times in tables: to the second, with the zone.
const timeLayout = "2006-01-02 15:04:05 MST"

// when formats a server time for a table in the zone of the run, "-" when
// unset.
func (a *app) when(t vprotect.Timestamp) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(a.loc).Format(timeLayout)
}

// rawTime is a server time in a view: RFC 3339 in UTC, null when unset.
func rawTime(t vprotect.Timestamp) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// ref is a reference's name, else its GUID, "" when unset.
func ref(r *vprotect.NameAndGuid) string {
	switch {
	case r == nil:
		return ""
	case r.Name != "":
		return r.Name
	}
	return r.GUID
}

// yesNo formats a flag for people.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
