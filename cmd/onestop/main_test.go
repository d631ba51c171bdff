package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop/onestop/internal/testenv"
)

func repoRoot(t *testing.T) string { return testenv.RepoRoot(t) }

func realBinhDuong(t *testing.T) string { return testenv.BinhDuongYAML(t) }

func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateExitStatus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "dataset.yaml")
	os.WriteFile(bad, []byte("name: broken\ncommunes:\n  file: communes.geojson\n  id: code\n  name: name\n  district: district\n  population: pop\n  kind: kind\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "communes.geojson"), []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1","name":"A","district":"9","pop":-5,"kind":"ward"},"geometry":{"type":"Polygon","coordinates":[[[106.6,10.9],[106.7,10.9],[106.7,11.0],[106.6,10.9]]]}}]`), 0o644)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   []string
		needReal bool
	}{
		{name: "demo", args: []string{"validate"}, code: 0, stdout: []string{"communes:    91", "2,426,561"}},
		{name: "real Binh Duong", args: []string{"validate", "--dataset", "REAL"}, code: 0, stdout: []string{"communes:    91", "2,426,561", "districts:   9"}, needReal: true},
		{name: "truncated GeoJSON and negative population", args: []string{"validate", "--dataset", bad}, code: 1, stderr: []string{"communes.geojson"}},
		{name: "missing dataset file", args: []string{"validate", "--dataset", filepath.Join(dir, "nope.yaml")}, code: 1, stderr: []string{"nope.yaml", "does not exist"}},
		{name: "unknown flag", args: []string{"validate", "--bogus"}, code: 2, stderr: []string{"bogus"}},
		{name: "dataset as the argument", args: []string{"validate", "demo"}, code: 0, stdout: []string{"communes:    91"}},
		{name: "two arguments", args: []string{"validate", "demo", "extra"}, code: 2},
		{name: "argument and flag", args: []string{"validate", "--dataset", "demo", "demo"}, code: 2, stderr: []string{"not both"}},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2},
		{name: "coverage without --out", args: []string{"coverage"}, code: 2, stderr: []string{"--out"}},
		{name: "bad rule", args: []string{"coverage", "--rule", "some", "--out", filepath.Join(dir, "x")}, code: 2, stderr: []string{"--rule"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.needReal {
				real := realBinhDuong(t)
				args = append([]string(nil), args...)
				for i, a := range args {
					if a == "REAL" {
						args[i] = real
					}
				}
			}
			code, out, errs := runCLI(t, context.Background(), args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

// An interrupted run must leave the previous output directory as it was and
// no staging directory behind.
func TestInterruptedRunKeepsPreviousOutput(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	out := filepath.Join(parent, "run")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, ".onestop-run"), []byte(`{"tool":"onestop"}`), 0o644) // an earlier run's output
	marker := filepath.Join(out, "report.html")
	os.WriteFile(marker, []byte("previous report"), 0o644)
	for _, args := range [][]string{
		{"plan", "--quiet", "--out", out},
		{"coverage", "--quiet", "--out", out},
		{"simulate", "--quiet", "--out", out},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // as if Ctrl-C arrived during the run
		code, _, errs := runCLI(t, ctx, args...)
		if code == 0 {
			t.Fatalf("%v: interrupted run exited 0", args)
		}
		if !strings.Contains(errs, "context canceled") {
			t.Errorf("%v: stderr does not say the run was cancelled: %s", args, errs)
		}
		b, err := os.ReadFile(marker)
		if err != nil || string(b) != "previous report" {
			t.Fatalf("%v: previous output changed: %q, %v", args, b, err)
		}
		ents, _ := os.ReadDir(parent)
		if len(ents) != 1 {
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Fatalf("%v: leftovers beside the output: %v", args, names)
		}
	}
}

func TestDataDemoWritesLoadableFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, errs := runCLI(t, context.Background(), "data", "demo", "--out", dir); code != 0 {
		t.Fatalf("data demo: exit %d: %s", code, errs)
	}
	for _, f := range []string{"dataset.yaml", "communes.geojson", "offices.csv", "roads.geojson", "dossiers.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	code, out, errs := runCLI(t, context.Background(), "validate", "--dataset", filepath.Join(dir, "dataset.yaml"))
	if code != 0 || !strings.Contains(out, "communes:    91") {
		t.Fatalf("validate written demo: exit %d\n%s\n%s", code, out, errs)
	}
	edges := filepath.Join(t.TempDir(), "edges.csv")
	if code, _, errs := runCLI(t, context.Background(), "graph", "export", "--dataset", filepath.Join(dir, "dataset.yaml"), "--out", edges); code != 0 {
		t.Fatalf("graph export: exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(edges)
	if !strings.HasPrefix(string(b), "from,to,seconds,meters,from_lon,from_lat,to_lon,to_lat\n") {
		t.Fatalf("edges.csv header: %.80q", b)
	}
	if n := strings.Count(string(b), "\n"); n < 1000 {
		t.Fatalf("edges.csv has %d lines, want a real road graph", n)
	}
}

func TestCoverageAndOptimizeOutputs(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs coverage and the optimizer on the demo")
	}
	ctx := context.Background()
	cov := filepath.Join(t.TempDir(), "cov")
	if code, _, errs := runCLI(t, ctx, "coverage", "--quiet", "--out", cov); code != 0 {
		t.Fatalf("coverage: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(cov, "cells.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "h3,lon,lat,commune,population,minutes,km,office_by_time,office_by_distance,covered,rule\n") {
		t.Errorf("cells.csv header: %.120q", b)
	}
	var sum map[string]any
	sb, _ := os.ReadFile(filepath.Join(cov, "summary.json"))
	if err := json.Unmarshal(sb, &sum); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"population", "covered_population", "covered_pct", "within_time_pct", "within_distance_pct", "minutes", "km", "cells", "h3_resolution"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	if sum["population"].(float64) != 2426561 {
		t.Errorf("population %v", sum["population"])
	}

	opt := filepath.Join(t.TempDir(), "opt")
	lp := filepath.Join(t.TempDir(), "model.lp")
	code, out, errs := runCLI(t, ctx, "optimize", "--quiet", "--model", "lscp", "--export-lp", lp, "--out", opt)
	if code != 0 {
		t.Fatalf("optimize: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "gap") {
		t.Errorf("optimize output does not report the gap: %s", out)
	}
	var s map[string]any
	sb, _ = os.ReadFile(filepath.Join(opt, "summary.json"))
	if err := json.Unmarshal(sb, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"offices_before", "offices_after", "objective", "lower_bound", "gap_pct", "seconds"} {
		if _, ok := s[k]; !ok {
			t.Errorf("optimize summary.json lacks %q", k)
		}
	}
	// lscp's objective is the number of open points.
	if s["objective"].(float64) != s["offices_after"].(float64) {
		t.Errorf("lscp objective %v, offices after %v", s["objective"], s["offices_after"])
	}
	lpText, err := os.ReadFile(lp)
	if err != nil || !strings.Contains(string(lpText), "Subject To") && !strings.Contains(string(lpText), "subject to") {
		t.Errorf("LP file missing or without constraints: %v", err)
	}
	for _, f := range []string{"plan.json", "plan.csv"} {
		if _, err := os.Stat(filepath.Join(opt, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	sim := filepath.Join(t.TempDir(), "sim")
	if code, _, errs := runCLI(t, ctx, "simulate", "--quiet", "--plan", filepath.Join(opt, "plan.json"), "--out", sim); code != 0 {
		t.Fatalf("simulate --plan: exit %d: %s", code, errs)
	}
	lb, _ := os.ReadFile(filepath.Join(sim, "load.csv"))
	if !strings.HasPrefix(string(lb), "office,dossiers,staff,per_staff,norm,productivity_vs_norm,peak_occupancy,wait_min,wait_sim_mean_min,wait_sim_p90_min,flag") {
		t.Errorf("load.csv header: %.120q", lb)
	}
	if n := strings.Count(string(lb), "\n") - 1; n != int(s["offices_after"].(float64)) {
		t.Errorf("load.csv has %d offices, the plan keeps %v", n, s["offices_after"])
	}
}
