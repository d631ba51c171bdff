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

// requireAudit runs the audit strictly with an empty allow-list: any
// mismatch fails the test, so do fewer claims than minChecked or a resident
// beyond the rule; it returns the classes seen.
func requireAudit(t *testing.T, r *audit.Result, minChecked int) []string {
	t.Helper()
	if r == nil {
		t.Fatal("no audit")
	}
	if k := KnownAuditMismatches(); len(k) != 0 {
		t.Errorf("KnownAuditMismatches() = %v, want empty: every stated figure must hold", k)
	}
	var classes []string
	for _, m := range r.Mismatches {
		if c := audit.Class(m.File, m.Claim); !slices.Contains(classes, c) {
			classes = append(classes, c)
		}
		t.Errorf("audit: %s", m)
	}
	if r.MismatchCount != 0 || r.Checked < minChecked || r.ResidentsBeyondRule != 0 {
		t.Errorf("audit: %d mismatches, %d claims checked (want ≥ %d), %d residents beyond the rule", r.MismatchCount, r.Checked, minChecked, r.ResidentsBeyondRule)
	}
	return classes
}

// requirePlanWithinCaps checks plan.json of dir against the Done-when of
// issue 12: no point above max_staff_per_point, residents_beyond_rule 0,
// and (bind) that the caps did bind (staff listed for redeployment).
func requirePlanWithinCaps(t *testing.T, dir string, maxStaff int, bind bool) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pl map[string]any
	if err := json.Unmarshal(b, &pl); err != nil {
		t.Fatal(err)
	}
	if v := pl["residents_beyond_rule"]; v != 0.0 {
		t.Errorf("plan.json residents_beyond_rule = %v, want 0", v)
	}
	kept, _ := pl["kept"].([]any)
	newPoints, _ := pl["new_points"].([]any) // null when the plan opens none
	for _, k := range kept {
		if s := k.(map[string]any)["staff_after"].(float64); int(s) > maxStaff {
			t.Errorf("kept %v: %v staff above the cap %d", k.(map[string]any)["id"], s, maxStaff)
		}
	}
	for _, n := range newPoints {
		if s := n.(map[string]any)["staff"].(float64); int(s) > maxStaff {
			t.Errorf("new point %v: %v staff above the cap %d", n.(map[string]any)["id"], s, maxStaff)
		}
	}
	if bind && pl["staff_to_redeploy_total"].(float64) <= 0 {
		t.Errorf("staff_to_redeploy_total = %v: the caps do not bind in this case", pl["staff_to_redeploy_total"])
	}
	return pl
}

func TestAuditDemoPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan of the demo province")
	}
	dir, out, _ := runPlan(t, example(t, "demo-phase3"))
	// Every cell of both coverage tables, every closure, office and summary
	// figure. The demo is capped (max_staff_per_point 40) and the caps bind.
	requireAudit(t, out.Audit, 450_000)
	t.Logf("demo: %d claims checked", out.Audit.Checked)
	pl := requirePlanWithinCaps(t, dir, 40, true)
	// One meaning per key across files: the staff at the points and the
	// staffing targets of plan.json are load.json's.
	b0, err := os.ReadFile(filepath.Join(dir, "load.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ld struct{ Summary map[string]any }
	if err := json.Unmarshal(b0, &ld); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"staff_available", "staff_needed", "staff_justified"} {
		if pl[k] != ld.Summary[k] {
			t.Errorf("%s: plan.json %v, load.json %v", k, pl[k], ld.Summary[k])
		}
	}
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
		{"load.json", `"dossiers": 1081617`, `"dossiers": 1081618`, "summary.dossiers"},
		{"coverage-after/cells.csv", "\n8965b034983ffff,106.785096,11.444676,25870,0,17.19,", "\n8965b034983ffff,106.785096,11.444676,25870,0,17.29,", "row 1 minutes"},
		// A missing row (the audit reads cells.csv row by row and counts them).
		{"coverage-before/cells.csv", "\n8965b034987ffff,106.781785,11.443931,25870,0,12.85,2.870,MC-25870,MC-25870,true,both\n", "\n", "rows"},
		// The plan's own claims: staffing total, a point's load, a
		// closure's figures and its why.
		{"plan.json", `"staff_justified": 717`, `"staff_justified": 718`, "staff_justified"},
		{"plan.json", `"load_after": 6427`, `"load_after": 6527`, "kept[0 MC-25786].load_after"},
		{"plan.json", `"mean_minutes_assigned": 9.635`, `"mean_minutes_assigned": 9.6`, "mean_minutes_assigned"},
		{"plan.json", `(24384 of them)`, `(24484 of them)`, "closed[0 MC-25741].why: absorbed_residents"},
		{"plan.json", `every one within the access rule; MC-25930`, `every one within the access rule; MC-25930`, ""},
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
		if e.claim == "" {
			continue
		}
		found := false
		for _, m := range r.Mismatches {
			found = found || m.File == e.file && m.Claim == e.claim && !m.Known
		}
		if !found {
			t.Errorf("corrupted %s %s not reported; mismatches: %v", e.file, e.claim, r.Mismatches)
		}
	}
	if r.OK() || r.Failures < len(edits)-1 {
		t.Errorf("audit of corrupted outputs: %d failures, want ≥ %d", r.Failures, len(edits)-1)
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

// TestAuditDemoCountersFixed: the demo with premises that cannot be
// extended (optimize.counters_fixed) holds every figure, each point's own
// capacity included, and keeps the caps.
func TestAuditDemoCountersFixed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan of the demo province")
	}
	sc := example(t, "demo-phase3")
	sc.Optimize.CountersFixed = true
	dir, out, _ := runPlan(t, sc)
	requireAudit(t, out.Audit, 450_000)
	requirePlanWithinCaps(t, dir, 40, true)
	checkPlanTruth(t, dir, 40, 30)
}

// TestAuditBinhDuongPhase3: the shipped real scenario (91 communes, 2.4 M
// residents, capped at 40 staff and 30 counters a point) holds every
// figure, no point is above its caps and every resident is within the rule.
func TestAuditBinhDuongPhase3(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan of real Binh Duong (about 30 s)")
	}
	testenv.SharedData(t)
	sc, err := scenario.Load(filepath.Join(testenv.RepoRoot(t), "testdata", "binhduong", "phase3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir, out, _ := runPlan(t, sc)
	requireAudit(t, out.Audit, 450_000)
	requirePlanWithinCaps(t, dir, 40, true)
	t.Logf("Binh Duong phase 3: %d claims checked", out.Audit.Checked)
}

// TestAuditHCMCPhase3: Hồ Chí Minh City after July 2025 (168 units, 14 M
// residents) as a phase-3 scenario whose premises bind
// (testdata/vn2025/hcmc-phase3.yaml): the same Done-when.
func TestAuditHCMCPhase3(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan of Ho Chi Minh City")
	}
	testenv.SharedData(t)
	sc, err := scenario.Load(filepath.Join(testenv.RepoRoot(t), "testdata", "vn2025", "hcmc-phase3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir, out, _ := runPlan(t, sc)
	requireAudit(t, out.Audit, 1_000_000)
	requirePlanWithinCaps(t, dir, 40, true)
	t.Logf("HCMC phase 3: %d claims checked", out.Audit.Checked)
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
