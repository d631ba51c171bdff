package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/onestop/onestop/internal/audit"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/internal/testenv"
)

// requireAudit fails the test on any mismatch off the known list (tests
// always run strict) and returns the classes seen.
func requireAudit(t *testing.T, r *audit.Result, minChecked int) []string {
	t.Helper()
	if r == nil {
		t.Fatal("no audit")
	}
	var classes []string
	for _, m := range r.Mismatches {
		if c := audit.Class(m.File, m.Claim); !slices.Contains(classes, c) {
			classes = append(classes, c)
		}
		if !m.Known {
			t.Errorf("audit: %s", m)
		}
	}
	if !r.OK() || r.Checked < minChecked || r.ResidentsBeyondRule != 0 {
		t.Errorf("audit: %d failures, %d claims checked (want ≥ %d), %d residents beyond the rule", r.Failures, r.Checked, minChecked, r.ResidentsBeyondRule)
	}
	return classes
}

func TestAuditDemoPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan of the demo province")
	}
	dir, out, _ := runPlan(t, example(t, "demo-phase3"))
	// Every cell of both coverage tables, every closure, office and summary figure.
	classes := requireAudit(t, out.Audit, 400_000)
	t.Logf("demo: %d claims checked, known mismatch classes %v", out.Audit.Checked, classes)
	b, err := os.ReadFile(filepath.Join(dir, audit.File))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["mismatches"].([]any); !ok {
		t.Errorf("audit.json mismatches = %v, want a list", doc["mismatches"])
	}
	if doc["residents_beyond_rule"] != 0.0 {
		t.Errorf("audit.json residents_beyond_rule = %v", doc["residents_beyond_rule"])
	}

	// A corrupted figure is reported: the audit can fail.
	edits := []struct {
		file, from, to, claim string
	}{
		{"summary.json", `"mean": 9.633`, `"mean": 9.733`, "after.minutes.mean"},
		{"plan.json", `"mean_minutes_after": 9.633`, `"mean_minutes_after": 9.63`, "mean_minutes_after"},
		{"load.json", `"dossiers": 1035264`, `"dossiers": 1035265`, "summary.dossiers"},
		{"coverage-after/cells.csv", "\n8965b034983ffff,106.785096,11.444676,25870,0,17.19,", "\n8965b034983ffff,106.785096,11.444676,25870,0,17.29,", "row 1 minutes"},
	}
	for _, e := range edits {
		p := filepath.Join(dir, filepath.FromSlash(e.file))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), e.from) {
			t.Fatalf("%s has no %q to corrupt; update the test to the demo's figures", e.file, e.from)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), e.from, e.to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Audit(context.Background(), dir, out.auditRun)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		found := false
		for _, m := range r.Mismatches {
			found = found || m.File == e.file && m.Claim == e.claim && !m.Known
		}
		if !found {
			t.Errorf("corrupted %s %s not reported; mismatches: %v", e.file, e.claim, r.Mismatches)
		}
	}
	if r.OK() || r.Failures < len(edits) {
		t.Errorf("audit of corrupted outputs: %d failures, want ≥ %d", r.Failures, len(edits))
	}
}

// TestAuditDemoPhases12: the networks without the optimizer (no plan.json)
// hold every figure too, the load check's included.
func TestAuditDemoPhases12(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plans of the demo province")
	}
	for _, name := range []string{"demo-phase1", "demo-phase2"} {
		t.Run(name, func(t *testing.T) {
			_, out, _ := runPlan(t, example(t, name))
			if classes := requireAudit(t, out.Audit, 450_000); len(classes) > 0 {
				t.Errorf("mismatch classes %v, want none", classes)
			}
		})
	}
}

// benchAudit times the audit alone on the outputs of a phase-2 plan (no
// optimizer, so the set-up is quick; the audit's cost is cells × points).
func benchAudit(b *testing.B, sc *scenario.Scenario) {
	sc.Phase = 2
	dir := b.TempDir()
	out, err := Plan(context.Background(), sc, dir, PlanOptions{FixedSeconds: true, LoadDataset: loadRef})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		r, err := Audit(context.Background(), dir, out.auditRun)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.Checked), "claims")
	}
	// Wall time on the shared machine mostly measures the queue for the
	// CPU; the process CPU time per audit is the figure to compare.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user + system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkAuditDemo(b *testing.B) {
	sc, _, err := scenario.Example("demo-phase2")
	if err != nil {
		b.Fatal(err)
	}
	benchAudit(b, sc)
}

func BenchmarkAuditBinhDuong(b *testing.B) {
	testenv.SharedData(b)
	sc, err := scenario.Load(filepath.Join(testenv.RepoRoot(b), "testdata", "binhduong", "phase3.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	benchAudit(b, sc)
}
