package pipeline

import (
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
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
// comes from per-capita rates or from a dossier log.
func TestGrowthScalesDemand(t *testing.T) {
	ctx := context.Background()
	demoDS, err := loadRef(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ds   *data.Dataset
		res  int
	}{
		{"per-capita rates", islandProvince(), 9},
		{"dossier log", demoDS, 7},
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
			for _, g := range []float64{1.2, 2, 0.5} {
				got := totalDemand(t, tc.ds, idx, g)
				// Both totals are rounded once: they differ from the exact
				// product by at most half a dossier each (times g for base).
				if diff := math.Abs(float64(got) - g*float64(base)); diff > 0.5+0.5*g {
					t.Errorf("growth %v: %d dossiers, want %v × %d = %v", g, got, g, base, g*float64(base))
				}
			}
		})
	}
}
