package coverage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier/demo"
)

// loadDemo loads the embedded demo province, which has offices and roads.
func loadDemo(t testing.TB) *data.Dataset {
	t.Helper()
	ds, err := data.Load(demo.FS(), demo.DatasetFile)
	if err != nil {
		t.Fatalf("load demo province: %v", err)
	}
	if ds.Roads == nil || len(ds.Offices) == 0 {
		t.Fatalf("demo province without roads (%v) or offices (%d)", ds.Roads == nil, len(ds.Offices))
	}
	return ds
}

func TestEvaluateDemoRoadModel(t *testing.T) {
	ds := loadDemo(t)
	idx := coverage.MustIndex(t, ds, 8)
	coverage.CheckIndex(t, ds, idx)
	road, err := coverage.NewRoad(route.New(ds.Roads), coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	res, err := coverage.Evaluate(context.Background(), idx, ds.Offices, road, coverage.DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	straight, _ := coverage.NewStraightLine(coverage.DefaultTravel())
	res2, err := coverage.Evaluate(context.Background(), idx, ds.Offices, straight, coverage.DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	p := res.Province
	t.Logf("demo res 8: %d cells, road: covered %.2f%% (time %.2f%%, distance %.2f%%), minutes %+v, unreachable cells %d (unplaced %d); straight line: covered %.2f%%, minutes %+v",
		len(idx.Cells), p.CoveredPct, p.WithinTimePct, p.WithinDistancePct, p.Minutes, res.UnreachableCells, res.UnplacedCells,
		res2.Province.CoveredPct, res2.Province.Minutes)
	if p.Population != idx.Population() || p.Covered == 0 {
		t.Fatalf("road province aggregate %+v", p)
	}
	// Distances do not depend on the travel model.
	for i := range res.Km {
		if res.Km[i] != res2.Km[i] || res.OfficeByDistance[i] != res2.OfficeByDistance[i] {
			t.Fatalf("cell %d: distance differs between models", i)
		}
	}
}

// BenchmarkEvaluateDemoRoad: road-model coverage of the demo province at
// res 9 with its own offices (snapping, one reverse multi-source Dijkstra).
func BenchmarkEvaluateDemoRoad(b *testing.B) {
	ds := loadDemo(b)
	idx := coverage.MustIndex(b, ds, 9)
	road, err := coverage.NewRoad(route.New(ds.Roads), coverage.DefaultTravel())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := coverage.Evaluate(context.Background(), idx, ds.Offices, road, coverage.DefaultRule()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(idx.Cells)), "cells")
	b.ReportMetric(float64(len(ds.Roads.Arcs)), "arcs")
}

// BenchmarkCandidateSetsDemoRoad: 2,000 candidates on the demo province's
// roads (bounded reverse searches, one Searcher per goroutine).
func BenchmarkCandidateSetsDemoRoad(b *testing.B) {
	ds := loadDemo(b)
	idx := coverage.MustIndex(b, ds, 9)
	road, err := coverage.NewRoad(route.New(ds.Roads), coverage.DefaultTravel())
	if err != nil {
		b.Fatal(err)
	}
	bound := ds.Communes[0].Geometry.Bound()
	for _, c := range ds.Communes {
		bound = bound.Union(c.Geometry.Bound())
	}
	cands := coverage.CandidateGrid(2000, bound.Min[0], bound.Min[1], bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1])
	b.ReportAllocs()
	b.ResetTimer()
	var s *coverage.CandidateSets
	for range b.N {
		if s, err = coverage.NewCandidateSets(context.Background(), idx, cands, road, coverage.CandidateOptions{Rule: coverage.DefaultRule()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(s.Cell)), "entries")
}

func TestEvaluateCancelled(t *testing.T) {
	ds := loadDemo(t)
	idx := coverage.MustIndex(t, ds, 7)
	road, err := coverage.NewRoad(route.New(ds.Roads), coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := coverage.Evaluate(ctx, idx, ds.Offices, road, coverage.DefaultRule()); err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled evaluation: err = %v, want context.Canceled", err)
	}
}
