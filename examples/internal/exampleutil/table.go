package exampleutil

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Table prints aligned columns, indented by two spaces, under a header.
//
//	t := exampleutil.NewTable(os.Stdout, "NAME", "SIZE")
//	t.Row("a-web-1", "12.0 GiB")
//	t.Flush()
type Table struct {
	w    io.Writer
	tw   *tabwriter.Writer
	rows int
}

// NewTable starts a table with the given column headers.
func NewTable(w io.Writer, headers ...string) *Table {
	t := &Table{w: w, tw: tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)}
	fmt.Fprintf(t.tw, "  %s\n", strings.Join(headers, "\t"))
	return t
}

// Row adds a row; each value is printed with %v.
func (t *Table) Row(values ...any) {
	cells := make([]string, len(values))
	for i, v := range values {
		cells[i] = fmt.Sprint(v)
	}
	fmt.Fprintf(t.tw, "  %s\n", strings.Join(cells, "\t"))
	t.rows++
}

// Flush prints the table ("(none)" under the header when it has no rows).
func (t *Table) Flush() {
	_ = t.tw.Flush()
	if t.rows == 0 {
		fmt.Fprintln(t.w, "  (none)")
	}
}

// Fields prints name: value pairs, aligned, indented by two spaces.
func Fields(w io.Writer, pairs ...string) {
	tw := tabwriter.NewWriter(w, 0, 8, 1, ' ', 0)
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(tw, "  %s:\t%s\n", pairs[i], pairs[i+1])
	}
	_ = tw.Flush()
}
