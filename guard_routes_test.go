package vprotect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestGuardSDKRoutesServedByFake fails when a "vProtect API:" line of the
// SDK names an endpoint that vprotecttest does not route, so that every call
// the SDK documents can be exercised against the fake.
func TestGuardSDKRoutesServedByFake(t *testing.T) {
	sdk := sdkEndpoints(t, ".")
	fake := fakeRoutes(t, filepath.Join("vprotecttest", "routes.go"))
	if len(sdk) < 30 || len(fake) < 30 {
		t.Fatalf("parsed %d SDK endpoints and %d fake routes: the parsers no longer see the sources", len(sdk), len(fake))
	}
	for _, e := range unrouted(sdk, fake) {
		t.Errorf("%s (%s): the SDK calls it, vprotecttest does not route it", e.endpoint, e.where)
	}
}

// The matcher reports exactly the endpoints without a route, whatever the
// names of their path wildcards.
func TestGuardSDKRoutesMatcher(t *testing.T) {
	fake := []string{"GET /tasks/{guid}", "POST /tasks/export", "GET /nodes"}
	sdk := []sdkEndpoint{
		{endpoint: "GET /tasks/{id}", where: "a.go:1"},
		{endpoint: "POST /tasks/export", where: "a.go:2"},
		{endpoint: "DELETE /tasks/{guid}", where: "a.go:3"},
		{endpoint: "GET /nodes/{guid}", where: "a.go:4"},
		{endpoint: "GET /tasks", where: "a.go:5"},
	}
	var got []string
	for _, e := range unrouted(sdk, fake) {
		got = append(got, e.endpoint)
	}
	want := []string{"DELETE /tasks/{guid}", "GET /nodes/{guid}", "GET /tasks"}
	if !slices.Equal(got, want) {
		t.Fatalf("unrouted = %q, want %q", got, want)
	}

	lines := parseAPILine("GET /tasks/{guid}, GET /tasks, GET /backups?protected-entity={guid} (204 when valid)")
	if want := []string{"GET /tasks/{guid}", "GET /tasks", "GET /backups"}; !slices.Equal(lines, want) {
		t.Fatalf("parseAPILine = %q, want %q", lines, want)
	}
}

// sdkEndpoint is one endpoint named by a "vProtect API:" line.
type sdkEndpoint struct {
	endpoint string // "METHOD /path", the query dropped
	where    string // file:line
}

// apiEndpoint matches one "METHOD /path" of a "vProtect API:" line.
var apiEndpoint = regexp.MustCompile(`\b(GET|POST|PUT|DELETE|PATCH|HEAD)\s+(/[^\s,?()]*)`)

// parseAPILine returns the endpoints of the text after "vProtect API:".
func parseAPILine(s string) []string {
	var out []string
	for _, m := range apiEndpoint.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1]+" "+strings.TrimRight(m[2], ".;:"))
	}
	return out
}

// sdkEndpoints reads every "vProtect API:" comment line of the non-test Go
// files in dir.
func sdkEndpoints(t *testing.T, dir string) []sdkEndpoint {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []sdkEndpoint
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range f.Comments {
			for _, c := range g.List {
				_, rest, ok := strings.Cut(c.Text, "vProtect API:")
				if !ok {
					continue
				}
				pos := fset.Position(c.Pos())
				for _, e := range parseAPILine(rest) {
					out = append(out, sdkEndpoint{endpoint: e, where: filepath.Base(pos.Filename) + ":" + strconv.Itoa(pos.Line)})
				}
			}
		}
	}
	return out
}

// fakeRoutes reads the ServeMux patterns ("METHOD /path") registered in the
// fake's route table: every string literal in file that is a pattern.
func fakeRoutes(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err == nil && apiEndpoint.MatchString(s) && len(parseAPILine(s)) == 1 && parseAPILine(s)[0] == s {
			out = append(out, s)
		}
		return true
	})
	return out
}

// wildcard is a ServeMux path wildcard such as {guid}.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// unrouted returns the SDK endpoints that no fake route serves: the same
// method and path, wildcards matching wildcards of any name.
func unrouted(sdk []sdkEndpoint, fake []string) []sdkEndpoint {
	routed := map[string]bool{}
	for _, p := range fake {
		routed[wildcard.ReplaceAllString(p, "{}")] = true
	}
	var out []sdkEndpoint
	seen := map[string]bool{}
	for _, e := range sdk {
		key := wildcard.ReplaceAllString(e.endpoint, "{}")
		if !routed[key] && !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out
}
