package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop/onestop/internal/audit"
)

// TestReportStatesItsAudit: the report's audit section states the audit of
// the same run — the count of recomputed claims in report.html and run.json
// is audit.json's, not a figure of its own.
func TestReportStatesItsAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("an end-to-end plan of the demo province")
	}
	dir, out, _ := runPlan(t, example(t, "demo-phase2"))
	if out.Audit == nil || out.Audit.Checked == 0 {
		t.Fatalf("no audit: %+v", out.Audit)
	}
	r, err := ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Audit == nil || r.Audit.Checked != out.Audit.Checked || r.Audit.ResidentsBeyondRule != out.Audit.ResidentsBeyondRule {
		t.Fatalf("run.json audit %+v, audit.json checked %d beyond %d", r.Audit, out.Audit.Checked, out.Audit.ResidentsBeyondRule)
	}
	b, err := os.ReadFile(filepath.Join(dir, audit.File))
	if err != nil || !strings.Contains(string(b), fmt.Sprintf(`"checked": %d`, out.Audit.Checked)) {
		t.Fatalf("audit.json does not state checked %d (%v)", out.Audit.Checked, err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The report's default language is Vietnamese (reports' AuditOK line).
	want := fmt.Sprintf("Kiểm tra: %d số liệu được tính lại, 0 sai lệch.", out.Audit.Checked)
	if !strings.Contains(string(page), want) {
		t.Errorf("report.html does not say %q", want)
	}
}
