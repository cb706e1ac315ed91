package cli

import (
	"strings"
	"testing"
)

// What export writes, plan finds in the org as it is: no change, exit 0,
// and neither command writes. A changed copy plans as exactly that change.
func TestAPlanOfAnExportSaysNoChange(t *testing.T) {
	org := newExportOrg(t)
	dir := t.TempDir()
	if code, _, stderr := runExportCLI("--org-url", org.url, "--allow-insecure-http", "--api-token-file", org.tokenFile, "-o", dir); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	code, out, stderr := runCLI("plan", "-f", dir, "--org-url", org.url, "--allow-insecure-http", "--api-token-file", org.tokenFile)
	if code != ExitOK || strings.Contains(out, ": create") || strings.Contains(out, ": update") {
		t.Fatalf("plan of the export: exit %d, want 0\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(out, "to create, 0 to update") || !strings.Contains(out, "0 to create") {
		t.Errorf("summary:\n%s", out)
	}
	if w := org.writes(); len(w) > 0 {
		t.Fatalf("export and plan sent %v", w)
	}
}
