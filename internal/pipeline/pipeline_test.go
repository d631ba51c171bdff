package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier/demo"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
)

func loadRef(ctx context.Context, ref string) (*data.Dataset, error) {
	if ref == "demo" {
		return data.LoadContext(ctx, demo.FS(), demo.DatasetFile)
	}
	return data.LoadFileContext(ctx, ref)
}

func runPlan(t *testing.T, sc *scenario.Scenario) (string, *Outcome, map[string]any) {
	t.Helper()
	dir := t.TempDir()
	out, err := Plan(context.Background(), sc, dir, PlanOptions{FixedSeconds: true, LoadDataset: loadRef})
	if err != nil {
		t.Fatalf("plan %s: %v", sc.Name, err)
	}
	var sum map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	return dir, out, sum
}

func example(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	sc, _, err := scenario.Example(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

var externalSrc = regexp.MustCompile(`(?i)<(script|link|img)[^>]+(src|href)\s*=\s*["']?https?://`)

func TestPlanDemoPhases(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan runs take seconds")
	}
	tests := []struct {
		example       string
		officesAfter  func(int) bool
		wantOptimizer bool
	}{
		{"demo-phase1", func(n int) bool { return n == 101 }, false},
		// 9 branches absorb the department of their commune: 101 − 9.
		{"demo-phase2", func(n int) bool { return n == 92 }, false},
		{"demo-phase3", func(n int) bool { return n < 92 && n > 9 }, true},
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			dir, out, sum := runPlan(t, example(t, tc.example))
			if out.Population != 2426561 {
				t.Errorf("population %d, want the demo's 2,426,561", out.Population)
			}
			if out.OfficesBefore != 101 || !tc.officesAfter(out.OfficesAfter) {
				t.Errorf("offices %d → %d", out.OfficesBefore, out.OfficesAfter)
			}
			// Every scenario must keep the access rule for everyone.
			if out.CoveredAfter < 100 {
				t.Errorf("covered after %.4f%%, want 100%%", out.CoveredAfter)
			}
			if got := sum["offices_after"].(float64); int(got) != out.OfficesAfter {
				t.Errorf("summary.json offices_after %v, outcome %d", got, out.OfficesAfter)
			}
			_, hasOpt := sum["optimize"]
			if hasOpt != tc.wantOptimizer {
				t.Errorf("summary.json optimize section present=%v", hasOpt)
			}
			if tc.wantOptimizer {
				o := sum["optimize"].(map[string]any)
				for _, k := range []string{"offices_before", "offices_after", "objective", "lower_bound", "gap_pct", "seconds"} {
					if _, ok := o[k]; !ok {
						t.Errorf("summary.json optimize lacks %q", k)
					}
				}
				if gap := o["gap_pct"].(float64); gap > 1 {
					t.Errorf("optimizer gap %.3f%% > 1%%", gap)
				}
				if lb, obj := o["lower_bound"].(float64), o["objective"].(float64); lb > obj*(1+1e-9) {
					t.Errorf("lower bound %g above objective %g", lb, obj)
				}
				checkPlanTruth(t, dir, example(t, tc.example).Optimize.MaxStaffPerPoint, example(t, tc.example).Optimize.MaxCountersPerPoint)
			}
			for _, f := range []string{"report.html", "summary.json", "load.csv", "load.json", "run.json", "export.gpkg", "catchments.geojson",
				"coverage-before/cells.csv", "coverage-after/summary.json"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("missing output %s", f)
				}
			}
			if tc.wantOptimizer {
				for _, f := range []string{"plan.json", "plan.csv"} {
					if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
						t.Errorf("missing output %s", f)
					}
				}
			}
			html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
			if m := externalSrc.Find(html); m != nil {
				t.Errorf("report.html loads from the network: %s", m)
			}
			run, err := ReadRun(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := run.Validate(); err != nil {
				t.Errorf("run.json does not round-trip: %v", err)
			}
			if run.After.Offices != out.OfficesAfter {
				t.Errorf("report shows %d offices after, run has %d", run.After.Offices, out.OfficesAfter)
			}
		})
	}
}

// Same scenario and seed give byte-identical files.
func TestPlanDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a plan twice")
	}
	sc := example(t, "demo-phase2")
	a, _, _ := runPlan(t, sc)
	b, _, _ := runPlan(t, sc)
	n := 0
	filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", rel)
		}
		n++
		return nil
	})
	if n < 10 {
		t.Fatalf("compared only %d files", n)
	}
}

func TestPhase2MergesBranchesWithTheirCommuneOffice(t *testing.T) {
	ds, err := loadRef(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := optimize.Phase1(ds), optimize.Phase2(ds)
	if p1.Staff() != p2.Staff() {
		t.Errorf("staff %d → %d: merges must keep every staff member", p1.Staff(), p2.Staff())
	}
	if len(p2.Closed) != 9 || len(p2.Offices) != len(p1.Offices)-9 {
		t.Fatalf("phase 2 closed %d offices, %d open", len(p2.Closed), len(p2.Offices))
	}
	open := map[string]data.Office{}
	for _, o := range p2.Offices {
		open[o.ID] = o
	}
	for _, c := range p2.Closed {
		b, ok := open[c.AbsorbedBy]
		if !ok || b.Kind != data.Branch || b.Commune != c.Office.Commune || c.Office.Kind != data.OneStop {
			t.Errorf("%s (%s in %s) absorbed by %s (%v)", c.Office.ID, c.Office.Kind, c.Office.Commune, c.AbsorbedBy, b)
		}
	}
	serves, err := p2.Serves(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ds.Communes {
		i, ok := serves[c.Code]
		if !ok {
			t.Fatalf("commune %s is served by no office", c.Code)
		}
		if o := p2.Offices[i]; o.Commune != c.Code {
			t.Errorf("commune %s served by %s in %s, but every demo commune keeps an office in it", c.Code, o.ID, o.Commune)
		}
	}
}

func TestPlanBinhDuongPhase3(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan on the real communes")
	}
	testenv.SharedData(t)
	path := filepath.Join(testenv.RepoRoot(t), "testdata", "binhduong", "phase3.yaml")
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	dir, out, sum := runPlan(t, sc)
	checkPlanTruth(t, dir, sc.Optimize.MaxStaffPerPoint, sc.Optimize.MaxCountersPerPoint)
	if out.Population != 2426561 || out.OfficesBefore != 91 {
		t.Fatalf("population %d, offices before %d", out.Population, out.OfficesBefore)
	}
	if out.CoveredAfter < 100 {
		t.Errorf("covered after %.4f%%", out.CoveredAfter)
	}
	if out.OfficesAfter >= 91 || out.OfficesAfter < 11 {
		t.Errorf("offices after %d: the 30-min-or-5-km rule needs at least 11 points and urban wards must merge", out.OfficesAfter)
	}
	// The audit (issue 12): every stated figure recomputed, none off the known list.
	classes := requireAudit(t, out.Audit, 400_000)
	t.Logf("audit: %d claims checked, known mismatch classes %v", out.Audit.Checked, classes)
	o := sum["optimize"].(map[string]any)
	t.Logf("real Binh Duong phase 3: %d → %d offices, gap %.3f%%, mean minutes %.1f → %.1f",
		out.OfficesBefore, out.OfficesAfter, o["gap_pct"], out.MeanMinBefore, out.MeanMinAfter)
}
