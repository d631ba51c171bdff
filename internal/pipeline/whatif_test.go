package pipeline

import (
	"context"
	"github.com/onestop/onestop/optimize"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/scenario"
)

// totalDemand is the demand of every cell of ds with the given growth.
func totalDemand(t *testing.T, ds *data.Dataset, idx *coverage.Index, growth float64) int64 {
	t.Helper()
	d, err := ComputeDemand(ds, idx, LoadParams{BoundaryFree: -1, Growth: growth})
	if err != nil {
		t.Fatalf("growth %v: %v", growth, err)
	}
	var sum int64
	for _, c := range d.Cells.Cells {
		sum += c.Total
	}
	if sum != d.Cells.Total {
		t.Fatalf("growth %v: cells add up to %d, total says %d", growth, sum, d.Cells.Total)
	}
	return sum
}

// dossiers.growth multiplies the yearly demand: the grown total is today's
// volume times the growth, rounded once to whole dossiers, whether demand
// comes from per-capita rates or from a dossier log — and once per commune
// whose offices record counts, since each such commune keeps its own sum.
func TestGrowthScalesDemand(t *testing.T) {
	ctx := context.Background()
	demoDS, err := loadRef(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	logDS := *demoDS
	logDS.Offices = slices.Clone(demoDS.Offices)
	for i := range logDS.Offices {
		logDS.Offices[i].DossiersPerYear = 0 // unknown: the log gives every commune's volume
	}
	tests := []struct {
		name string
		ds   *data.Dataset
		res  int
	}{
		{"per-capita rates", islandProvince(), 9},
		{"dossier log", &logDS, 7},
		{"recorded counts and log", demoDS, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			idx, err := coverage.NewIndex(ctx, tc.ds, coverage.IndexOptions{Resolution: tc.res})
			if err != nil {
				t.Fatal(err)
			}
			base := totalDemand(t, tc.ds, idx, 0) // unset: today's demand
			if base <= 0 {
				t.Fatalf("no demand today (%d): the test would prove nothing", base)
			}
			if one := totalDemand(t, tc.ds, idx, 1); one != base {
				t.Fatalf("growth 1 gives %d dossiers, unset gives %d", one, base)
			}
			roundings := map[string]bool{"": true} // the log and rate cells, rounded together
			for _, o := range tc.ds.Offices {
				if o.DossiersPerYear > 0 {
					roundings[o.Commune] = true
				}
			}
			for _, g := range []float64{1.2, 2, 0.5} {
				got := totalDemand(t, tc.ds, idx, g)
				// Each group is rounded once in both totals: they differ from
				// the exact product by at most half a dossier each (times g
				// for base), per group.
				if diff := math.Abs(float64(got) - g*float64(base)); diff > float64(len(roundings))*(0.5+0.5*g) {
					t.Errorf("growth %v: %d dossiers, want %v × %d = %v", g, got, g, base, g*float64(base))
				}
			}
		})
	}
}

// islandOptimize runs the optimizer on islandProvince with the optimize
// keys of a scenario text (the islet excluded) and a planner's site file.
func islandOptimize(t *testing.T, yaml string) (*Optimized, error) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sites := "id,name,lon,lat\nU1,Market hall,106.52,11.02\n"
	if err := os.WriteFile(filepath.Join(dir, "sites.csv"), []byte(sites), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse([]byte(yaml), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc.Dir = dir
	ds := islandProvince()
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	tm, _, err := TravelModel(ds, coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	p := optimizeParamsOf(sc)
	p.FixedSeconds = true
	return Optimize(ctx, ds, idx, tm, coverage.DefaultRule(), optimize.Phase1(ds), nil, p)
}

func TestScenarioWhatIfOptimize(t *testing.T) {
	const base = "optimize: {uncoverable: exclude, candidates: sites.csv"
	tests := []struct {
		name, yaml string
		check      func(t *testing.T, o *Optimized)
		wantErr    string
	}{
		{"curve", base + ", curve: true, curve_max: 3}", func(t *testing.T, o *Optimized) {
			if len(o.Plan.Curve) == 0 {
				t.Error("curve: true gave no curve in plan.json")
			}
		}, ""},
		{"user site unused", base + "}", func(t *testing.T, o *Optimized) {
			u := o.Plan.UserCandidates
			if len(u) != 1 || u[0].ID != "U1" || u[0].Used || !strings.Contains(u[0].WhyNot, "O1") {
				t.Errorf("user candidates %+v, want U1 unused because O1 covers its residents", u)
			}
		}, ""},
		{"user site forced open", base + ", force_open: [U1]}", func(t *testing.T, o *Optimized) {
			u := o.Plan.UserCandidates
			if len(u) != 1 || !u[0].Used || !u[0].ForcedOpen {
				t.Errorf("user candidates %+v, want U1 forced open", u)
			}
		}, ""},
		{"unknown force_open ids", base + ", force_open: [U1, O9]}", nil, `"O9" is no candidate`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := islandOptimize(t, tc.yaml)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, o)
		})
	}
}
