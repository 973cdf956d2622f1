// Package archtest enforces the import rules of docs/architecture.md: the
// libraries form one chain, safefile <- keys <- certs <- pki <- cmd, and
// pkg/echo stands apart.
package archtest

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/tlskit/tlskit/"

// allowed lists, for each package, the tlskit packages its code may import.
// Tests may also import internal/testkit and their own package.
var allowed = map[string][]string{
	"pkg/safefile":      {},
	"pkg/keys":          {"pkg/safefile"},
	"pkg/certs":         {"pkg/keys", "pkg/safefile"},
	"pkg/pki":           {"pkg/certs", "pkg/keys", "pkg/safefile"},
	"pkg/echo":          {},
	"internal/testkit":  {},
	"internal/archtest": {},
	"cmd/tlskit":        {"pkg/safefile", "pkg/keys", "pkg/certs", "pkg/pki", "pkg/echo"},
	"scripts/baseline":  {},
	"scripts/benchload": {"scripts/loadkit"},
	"scripts/hostile":   {"scripts/loadkit"},
	"scripts/loadkit":   {},
}

type goPackage struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "../../...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []goPackage
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// own returns the tlskit packages among imports, without the module prefix.
func own(imports []string) []string {
	var out []string
	for _, imp := range imports {
		if rel, ok := strings.CutPrefix(imp, module); ok {
			out = append(out, rel)
		}
	}
	return out
}

// violations returns one line per import that the rules forbid, and per
// package the rules do not know.
func violations(pkgs []goPackage) []string {
	var bad []string
	for _, p := range pkgs {
		name := strings.TrimPrefix(p.ImportPath, module)
		rules, ok := allowed[name]
		if !ok {
			bad = append(bad, name+": not in the import rules: add it to docs/architecture.md and this test")
			continue
		}
		for _, imp := range own(p.Imports) {
			if !slices.Contains(rules, imp) {
				bad = append(bad, name+" imports "+imp)
			}
		}
		testRules := append([]string{name, "internal/testkit"}, rules...)
		for _, imp := range own(append(p.TestImports, p.XTestImports...)) {
			if !slices.Contains(testRules, imp) {
				bad = append(bad, name+" tests import "+imp)
			}
		}
	}
	return bad
}

func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < len(allowed) {
		t.Fatalf("go list found %d packages, want at least %d", len(pkgs), len(allowed))
	}
	for _, v := range violations(pkgs) {
		t.Errorf("%s (docs/architecture.md forbids it)", v)
	}
}

// TestViolationsFound checks the checker: each forbidden edge is reported.
func TestViolationsFound(t *testing.T) {
	pkgs := []goPackage{
		{ImportPath: module + "pkg/keys", Imports: []string{"fmt", module + "pkg/certs"}},
		{ImportPath: module + "pkg/echo", TestImports: []string{module + "pkg/keys"}},
		{ImportPath: module + "pkg/certs", XTestImports: []string{module + "pkg/pki"}},
		{ImportPath: module + "pkg/newthing"},
		{ImportPath: module + "pkg/pki", Imports: []string{module + "pkg/certs"}, TestImports: []string{module + "internal/testkit"}},
	}
	want := []string{
		"pkg/keys imports pkg/certs",
		"pkg/echo tests import pkg/keys",
		"pkg/certs tests import pkg/pki",
		"pkg/newthing: not in the import rules: add it to docs/architecture.md and this test",
	}
	if got := violations(pkgs); !slices.Equal(got, want) {
		t.Fatalf("violations =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
