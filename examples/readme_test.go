package examples_test

// The README must stay true: every command in its ```sh blocks is run here
// (or appears in .ci/run), its Go programs are built and its test is run in a
// module of their own that gets the SDK with the README's `go get`, and every
// API name it mentions exists.

import (
	"bufio"
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// block is one fenced code block of the README.
type block struct {
	lang, text string
}

func readme(t *testing.T) []block {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "README.md"))
	require.NoError(t, err)
	var blocks []block
	var cur *block
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &block{lang: strings.TrimPrefix(line, "```")}
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	require.Nil(t, cur, "unclosed code block")
	return blocks
}

// commands returns the command lines of the README's sh blocks, a block per
// slice, without comments.
func commands(t *testing.T) [][]string {
	var out [][]string
	for _, b := range readme(t) {
		if b.lang != "sh" {
			continue
		}
		var cmds []string
		for _, line := range strings.Split(b.text, "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				cmds = append(cmds, line)
			}
		}
		out = append(out, cmds)
	}
	return out
}

// TestREADMECommands runs every command of the README, or finds it in
// .ci/run.
func TestREADMECommands(t *testing.T) {
	ci, err := os.ReadFile(filepath.Join(moduleRoot(t), ".ci", "run"))
	require.NoError(t, err)
	inCI := map[string]bool{}
	for _, line := range strings.Split(string(ci), "\n") {
		inCI[strings.TrimSpace(line)] = true
	}

	blocks := commands(t)
	require.NotEmpty(t, blocks)
	var cmds []string // one list: the curl lines after the fake may span blocks
	for _, b := range blocks {
		cmds = append(cmds, b...)
	}
	for i := 0; i < len(cmds); i++ {
		cmd := cmds[i]
		switch {
		case inCI[cmd]:
			t.Logf("in .ci/run: %s", cmd)
		case strings.HasPrefix(cmd, "go mod edit -replace github.com/vprotect-go/vprotect="):
			setup := []string{cmd}
			for i+1 < len(cmds) && strings.HasPrefix(cmds[i+1], "go mod ") {
				setup = append(setup, cmds[i+1])
				i++
			}
			t.Run("depend on the module", func(t *testing.T) { t.Parallel(); consumerModule(t, setup) })
		case cmd == "go test -short ./...":
			t.Run(cmd, func(t *testing.T) { t.Parallel(); shortSkipsSlowTests(t) })
		case strings.HasPrefix(cmd, "go doc "):
			t.Run(cmd, func(t *testing.T) { t.Parallel(); goDoc(t, cmd) })
		case strings.Contains(cmd, "go run ./examples/"):
			t.Run(cmd, func(t *testing.T) { t.Parallel(); runExampleCommand(t, cmd) })
		case strings.HasPrefix(cmd, "go run ./cmd/vprotect-fake "):
			var curls []string
			for i+1 < len(cmds) && strings.Contains(cmds[i+1], "curl ") {
				curls = append(curls, cmds[i+1])
				i++
			}
			t.Run("vprotect-fake", func(t *testing.T) { t.Parallel(); fakeAndCurl(t, cmd, curls) })
		default:
			t.Errorf("the README shows a command no test runs and .ci/run lacks: %s", cmd)
		}
	}
	t.Logf("%d README commands", len(cmds))
}

// slowTests are the tests that take seconds each; -short must skip them
// (the examples' tests skip by themselves: they all build the examples).
var slowTests = map[string][]string{
	".":          {"TestFaultMatrix", "TestLoad", "TestHostileServer"},
	"./examples": {"TestQuickstartEmbedded", "TestTaskMonitor", "TestREADMECommands/depend_on_the_module", "TestREADMECommands/vprotect-fake"},
}

// shortSkipsSlowTests checks the README's fast loop: with -short each slow
// test is skipped.
func shortSkipsSlowTests(t *testing.T) {
	if testing.Short() {
		t.Skip("this is the -short run")
	}
	for pkg, tests := range slowTests {
		top := map[string]bool{}
		for _, name := range tests {
			top[strings.Split(name, "/")[0]] = true
		}
		var names []string
		for name := range top {
			names = append(names, name)
		}
		c := exec.Command("go", "test", "-short", "-count=1", "-v", "-run", "^("+strings.Join(names, "|")+")$", pkg)
		c.Dir = moduleRoot(t)
		out, err := c.CombinedOutput()
		require.NoError(t, err, "%s", out)
		var results []string // the PASS and SKIP lines, for the message
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "--- ") {
				results = append(results, l)
			}
		}
		for _, name := range tests {
			assert.Contains(t, string(out), "--- SKIP: "+name+" ", "go test -short runs %s in %s:\n%s", name, pkg, strings.Join(results, "\n"))
		}
	}
}

// runExampleCommand runs "[VAR=value ...] go run ./examples/NAME [args]"
// with the built example. The placeholders of a real server (the URL, the
// CA file) are replaced by a TLS fake server the test starts, with the
// README's user and password.
func runExampleCommand(t *testing.T, cmd string) {
	fields := strings.Fields(cmd)
	env := map[string]string{}
	for len(fields) > 0 && strings.Contains(fields[0], "=") {
		k, v, _ := strings.Cut(fields[0], "=")
		env[k] = v
		fields = fields[1:]
	}
	require.GreaterOrEqual(t, len(fields), 3)
	require.Equal(t, []string{"go", "run"}, fields[:2], cmd)
	name := strings.TrimPrefix(fields[2], "./examples/")
	args := fields[3:]
	if url, ok := env["VPROTECT_URL"]; ok {
		require.Contains(t, url, "vprotect.example.com", "only the README's placeholder server is replaced")
		srv := vprotecttest.Start(t, vprotecttest.WithTLS(), vprotecttest.WithUser(env["VPROTECT_USER"], env["VPROTECT_PASSWORD"]), fastTasks())
		env["VPROTECT_URL"] = srv.URL()
		if ca, ok := env["VPROTECT_CA_FILE"]; ok {
			path := filepath.Join(t.TempDir(), filepath.Base(ca))
			require.NoError(t, os.WriteFile(path, srv.CertificatePEM(), 0o600))
			env["VPROTECT_CA_FILE"] = path
		}
	}
	r := run(t, 60*time.Second, env, name, args...)
	ok(t, r)
	if _, real := env["VPROTECT_URL"]; real {
		assert.Contains(t, r.lines()[0], "Using the vProtect server at")
	} else {
		assert.Contains(t, r.lines()[0], "started the embedded vProtect fake server")
	}
}

// goDoc runs a README "go doc" command.
func goDoc(t *testing.T, cmd string) {
	c := exec.Command("sh", "-c", cmd)
	c.Dir = moduleRoot(t)
	out, err := c.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.NotEmpty(t, out)
}

// fakeAndCurl starts cmd/vprotect-fake as the README does (on a free port
// instead of 8181) and runs the README's curl commands against it.
func fakeAndCurl(t *testing.T, cmd string, curls []string) {
	if testing.Short() {
		t.Skip("builds and runs cmd/vprotect-fake")
	}
	if _, err := exec.LookPath("curl"); err != nil && len(curls) > 0 {
		t.Skip("curl is not installed")
	}
	const readmeAddr = "127.0.0.1:8181"
	require.Contains(t, cmd, readmeAddr)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	dir := t.TempDir()
	bin := filepath.Join(dir, "vprotect-fake")
	build := exec.Command("go", "build", "-o", bin, "./cmd/vprotect-fake")
	build.Dir = moduleRoot(t)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	args := strings.Fields(strings.ReplaceAll(strings.TrimPrefix(cmd, "go run ./cmd/vprotect-fake "), readmeAddr, addr))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fake := exec.CommandContext(ctx, bin, args...)
	stdout, err := fake.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, fake.Start())
	defer func() {
		_ = fake.Process.Signal(os.Interrupt)
		_ = fake.Wait()
	}()
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "vprotect-fake printed nothing")
	assert.Equal(t, "vprotect-fake listening on http://"+addr+"/api", lines.Text())
	go func() { // drain until the process ends
		for lines.Scan() {
		}
	}()

	var answers strings.Builder
	for _, c := range curls {
		line := strings.ReplaceAll(c, readmeAddr, addr)
		sh := exec.CommandContext(ctx, "sh", "-c", line)
		sh.Dir = dir
		var out, errOut bytes.Buffer
		sh.Stdout, sh.Stderr = &out, &errOut
		require.NoError(t, sh.Run(), "%s\n%s", c, errOut.String())
		t.Logf("%s\n%s", c, out.String())
		answers.WriteString(out.String())
		switch {
		case strings.HasPrefix(c, "until "):
			assert.Empty(t, out.String(), "a poll loop prints nothing")
		case strings.Contains(c, "/session/login"):
			assert.Contains(t, out.String(), `"admin"`, "the login answers with the user")
		case strings.Contains(c, "/virtual-machines"):
			assert.Contains(t, out.String(), `"a-web-1"`)
			assert.NotContains(t, out.String(), `"b-web-1"`, "the tenant filter")
		case strings.Contains(c, "/tasks/export"):
			assert.Contains(t, out.String(), `[{"guid":"00000000-0000-4000-8000-000000001003","type":{"name":"EXPORT"`, "the export task the README polls")
			assert.Contains(t, out.String(), `"backup":{"guid":"00000000-0000-4000-8000-000000001001"`, "the backup the README reads")
		case strings.Contains(c, "parent-task="):
			assert.Contains(t, out.String(), `[{"guid":"00000000-0000-4000-8000-000000001004","type":{"name":"STORE"`, "the STORE task the README polls")
			assert.Contains(t, out.String(), `"parentTask":{"guid":"00000000-0000-4000-8000-000000001003"`)
		case strings.Contains(c, "/backups/"):
			assert.Contains(t, out.String(), `"status":{"name":"SUCCESS"`, "the stored backup")
		}
	}
	if len(curls) > 0 {
		readmeAnswersAreTrue(t, answers.String())
	}
}

// jsonFragment is one field of an answer the README shows: a string, a
// number, null, an enum or a reference.
var jsonFragment = regexp.MustCompile(`"(\w+)":("[^"]*"|-?\d+|null|\{"name":"[^"]*","description":"[^"]*"\}|\{"guid":"[^"]*"(,"name":"[^"]*")?)`)

// readmeAnswersAreTrue checks the README's json blocks against what the
// fake answered to the README's curl commands: every field they show is in
// an answer, but for the values that change from run to run (times,
// progress, names holding a time).
func readmeAnswersAreTrue(t *testing.T, answers string) {
	t.Helper()
	volatile := map[string]bool{"snapshotTime": true, "backupTime": true, "progress": true, "windowStart": true, "windowEnd": true,
		"startTime": true, "finishTime": true}
	checked := 0
	for _, b := range readme(t) {
		if b.lang != "json" {
			continue
		}
		for _, m := range jsonFragment.FindAllStringSubmatch(b.text, -1) {
			frag := m[0]
			switch {
			case volatile[m[1]]:
				continue
			case m[3] != "": // a reference: its name may hold a time
				frag = strings.TrimSuffix(frag, m[3])
			}
			checked++
			assert.Contains(t, answers, frag, "the README shows %s, which the fake does not answer", frag)
		}
	}
	assert.Greater(t, checked, 20, "the README shows the answers")
	t.Logf("%d fields of the README's answers checked", checked)
}

// consumerModule plays a new user: a module of its own that holds the
// README's program and test, depends on the SDK with the README's commands
// (a replace directive to this checkout, then go mod tidy; no network), and
// builds and tests them.
func consumerModule(t *testing.T, setup []string) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir := t.TempDir()
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off", "GOTOOLCHAIN=local")
	sh := func(dir, cmd string) string {
		t.Helper()
		c := exec.Command("sh", "-c", cmd)
		c.Dir, c.Env = dir, env
		out, err := c.CombinedOutput()
		require.NoError(t, err, "%s: %s", cmd, out)
		return string(out)
	}
	sh(dir, "go mod init example.com/consumer")

	programs, tests := 0, 0
	for _, b := range readme(t) {
		if b.lang != "go" || !strings.HasPrefix(b.text, "package ") {
			continue // fragments are checked by TestREADMENames
		}
		pkg := strings.Fields(b.text)[1]
		switch {
		case pkg == "main":
			programs++
			sub := filepath.Join(dir, "cmd", "program"+string(rune('0'+programs)))
			require.NoError(t, os.MkdirAll(sub, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(sub, "main.go"), []byte(b.text), 0o600))
		case strings.HasSuffix(pkg, "_test"):
			tests++
			base := strings.TrimSuffix(pkg, "_test")
			sub := filepath.Join(dir, base)
			require.NoError(t, os.MkdirAll(sub, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(sub, "doc.go"), []byte("package "+base+"\n"), 0o600))
			require.NoError(t, os.WriteFile(filepath.Join(sub, "readme_test.go"), []byte(b.text), 0o600))
		default:
			t.Errorf("a README Go block in package %s: neither a program nor a test", pkg)
		}
	}
	require.Positive(t, programs, "the README shows a program")
	require.Positive(t, tests, "the README shows a test")

	const readmeCheckout = "=../vprotect" // where the README puts the clone
	require.True(t, strings.HasSuffix(setup[0], readmeCheckout), "the README's replace points at %s: %s", readmeCheckout, setup[0])
	for _, cmd := range setup {
		sh(dir, strings.Replace(cmd, readmeCheckout, "="+moduleRoot(t), 1))
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(mod), "github.com/vprotect-go/vprotect v0.0.0-00010101000000-000000000000",
		"go mod tidy adds the require line the README promises")
	sh(dir, "go vet ./...")
	sh(dir, "go build ./...")
	out := sh(dir, "go test -count=1 ./...")
	t.Logf("consumer module: %s", out)
}

// TestREADMENames checks that every API name the README mentions exists:
// vprotect.X and vprotecttest.X, the services and methods called on c, the
// test hooks called on srv, and Type.Member references.
func TestREADMENames(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "README.md"))
	require.NoError(t, err)
	text := string(b)
	root := moduleRoot(t)
	sdk := declared(t, root)
	fake := declared(t, filepath.Join(root, "vprotecttest"))

	checked := 0
	for _, m := range regexp.MustCompile(`\bvprotect\.([A-Z]\w*)(?:\.([A-Z]\w*))?`).FindAllStringSubmatch(text, -1) {
		checked++
		assert.True(t, sdk[m[1]], "README names vprotect.%s, which does not exist", m[1])
		if m[2] != "" {
			assert.True(t, sdk[m[1]+"."+m[2]], "README names vprotect.%s.%s, which does not exist", m[1], m[2])
		}
	}
	for _, m := range regexp.MustCompile(`\bvprotecttest\.([A-Z]\w*)(\*?)`).FindAllStringSubmatch(text, -1) {
		checked++
		if m[2] == "*" { // a family of names, e.g. vprotecttest.Demo*
			found := false
			for name := range fake {
				found = found || strings.HasPrefix(name, m[1])
			}
			assert.True(t, found, "README names vprotecttest.%s*, and no name starts so", m[1])
			continue
		}
		assert.True(t, fake[m[1]], "README names vprotecttest.%s, which does not exist", m[1])
	}
	client := reflect.TypeOf(&vprotect.Client{})
	for _, m := range regexp.MustCompile(`\bc\.([A-Z]\w*)(?:\.([A-Z]\w*))?`).FindAllStringSubmatch(text, -1) {
		checked++
		if m[2] == "" {
			_, ok := client.MethodByName(m[1])
			assert.True(t, ok, "README calls c.%s, which *vprotect.Client lacks", m[1])
			continue
		}
		f, ok := client.Elem().FieldByName(m[1])
		if !assert.True(t, ok, "README names the service c.%s, which does not exist", m[1]) {
			continue
		}
		_, ok = f.Type.MethodByName(m[2])
		assert.True(t, ok, "README calls c.%s.%s, which does not exist", m[1], m[2])
	}
	server := reflect.TypeOf(&vprotecttest.Server{})
	for _, m := range regexp.MustCompile("`srv\\.([A-Z]\\w*)`").FindAllStringSubmatch(text, -1) {
		checked++
		_, ok := server.MethodByName(m[1])
		assert.True(t, ok, "README names srv.%s, which *vprotecttest.Server lacks", m[1])
	}
	for _, m := range regexp.MustCompile("`([A-Z]\\w*)\\.([A-Z]\\w*)`").FindAllStringSubmatch(text, -1) {
		checked++
		assert.True(t, sdk[m[1]+"."+m[2]], "README names %s.%s, which does not exist", m[1], m[2])
	}
	for _, m := range regexp.MustCompile("`(With[A-Z]\\w*)`").FindAllStringSubmatch(text, -1) {
		checked++
		assert.True(t, sdk[m[1]] || fake[m[1]], "README names %s, which does not exist", m[1])
	}
	t.Logf("%d names checked", checked)
}

// declared returns the exported names of the package in dir (tests left
// out): top-level names, and "Type.Member" for methods and struct fields.
func declared(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	names := map[string]bool{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil {
						names[d.Name.Name] = true
						continue
					}
					recv := d.Recv.List[0].Type
					if star, ok := recv.(*ast.StarExpr); ok {
						recv = star.X
					}
					if idx, ok := recv.(*ast.IndexExpr); ok {
						recv = idx.X
					}
					if id, ok := recv.(*ast.Ident); ok {
						names[id.Name+"."+d.Name.Name] = true
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							names[s.Name.Name] = true
							if st, ok := s.Type.(*ast.StructType); ok {
								for _, fld := range st.Fields.List {
									for _, n := range fld.Names {
										names[s.Name.Name+"."+n.Name] = true
									}
								}
							}
						case *ast.ValueSpec:
							for _, n := range s.Names {
								names[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return names
}

// TestREADMEOptionsTable checks that the README's options table names
// every option the SDK has (every exported function that returns an
// Option), and nothing else.
func TestREADMEOptionsTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "README.md"))
	require.NoError(t, err)
	text := string(b)
	start := strings.Index(text, "### Options")
	require.GreaterOrEqual(t, start, 0, "the README has an options section")
	table := text[start:]
	table = table[strings.Index(table, "| Concern"):]
	table = table[:strings.Index(table, "\n\n")]

	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, moduleRoot(t), func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	options := map[string]bool{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Recv != nil || !fn.Name.IsExported() || fn.Type.Results == nil || len(fn.Type.Results.List) != 1 {
					continue
				}
				if id, ok := fn.Type.Results.List[0].Type.(*ast.Ident); ok && id.Name == "Option" {
					options[fn.Name.Name] = true
				}
			}
		}
	}
	require.NotEmpty(t, options)
	for name := range options {
		assert.Contains(t, table, "`vprotect."+name+"(", "the README's options table lacks vprotect.%s", name)
	}
	for _, m := range regexp.MustCompile("`vprotect\\.(With\\w+)\\(").FindAllStringSubmatch(table, -1) {
		assert.True(t, options[m[1]], "the options table names vprotect.%s, which is no Option", m[1])
	}
	t.Logf("%d options in the table", len(options))
}
