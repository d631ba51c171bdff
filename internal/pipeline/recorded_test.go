package pipeline

import (
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/optimize"
)

// loadOf runs demand and the load check of net on ds at H3 resolution 7,
// boundary-free share at its default (0.3), Erlang C only.
func loadOf(t *testing.T, ds *data.Dataset, net optimize.Network) (*Demand, *dossier.Result) {
	t.Helper()
	ctx := context.Background()
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: 7})
	if err != nil {
		t.Fatal(err)
	}
	tm, _, err := TravelModel(ds, coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	cov, err := coverage.Evaluate(ctx, idx, net.Offices, tm, coverage.DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	p := LoadParams{BoundaryFree: -1, SkipSim: true}
	d, err := ComputeDemand(ds, idx, p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := CheckLoad(ctx, ds, d, cov, net, p)
	if err != nil {
		t.Fatal(err)
	}
	return d, res
}

// TestRecordedCountsAreTheLoad: a dataset whose offices all carry dossier
// counts produces, on its own network (phase 1), loads equal to those
// counts, to the dossier — branches and the province center sharing a
// commune with its one-stop department included — and on the phase-2
// network each merged branch carries the sum of both counts.
func TestRecordedCountsAreTheLoad(t *testing.T) {
	ds, err := loadRef(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int64{}
	for i := range ds.Offices {
		n := int64(800 + 37*i) // whole, distinct counts
		ds.Offices[i].DossiersPerYear = float64(n)
		count[ds.Offices[i].ID] = n
	}
	d, res := loadOf(t, ds, optimize.Phase1(ds))
	if len(d.Problems) > 0 {
		t.Errorf("demand problems: %v", d.Problems)
	}
	var sum int64
	for _, l := range res.Offices {
		sum += count[l.ID]
		if l.Dossiers != count[l.ID] || l.LoadSource != dossier.FromRecorded {
			t.Errorf("office %s: load %d dossiers from %s, recorded %d", l.ID, l.Dossiers, l.LoadSource, count[l.ID])
		}
	}
	if res.Summary.Dossiers != sum || res.Summary.OfficesBySource["recorded"] != len(ds.Offices) {
		t.Errorf("summary: %d dossiers, offices by source %v; want %d, all recorded", res.Summary.Dossiers, res.Summary.OfficesBySource, sum)
	}

	p2 := optimize.Phase2(ds)
	_, res2 := loadOf(t, ds, p2)
	merged := map[string]int64{}
	for _, c := range p2.Closed {
		merged[c.AbsorbedBy] += count[c.Office.ID]
	}
	if len(merged) == 0 {
		t.Fatal("phase 2 merged nothing: the test proves nothing")
	}
	for _, l := range res2.Offices {
		if want := count[l.ID] + merged[l.ID]; l.Dossiers != want {
			t.Errorf("phase 2 office %s: load %d, want its count plus the merged ones %d", l.ID, l.Dossiers, want)
		}
	}
}

// TestDemoLoadSources: the shipped demo records counts for three districts'
// offices; those fed by their counts alone carry exactly their count, the
// others come from the log, and offices where both meet say "mixed".
func TestDemoLoadSources(t *testing.T) {
	ds, err := loadRef(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]float64{}
	for _, o := range ds.Offices {
		count[o.ID] = o.DossiersPerYear
	}
	_, res := loadOf(t, ds, optimize.Phase1(ds))
	by := res.Summary.OfficesBySource
	if by["recorded"] == 0 || by["log"] == 0 || by["recorded"]+by["log"]+by["mixed"]+by["none"] != len(ds.Offices) || by["rate"] != 0 {
		t.Errorf("offices by load source %v: want recorded and log offices, no rate ones", by)
	}
	for _, l := range res.Offices {
		if l.LoadSource == dossier.FromRecorded && float64(l.Dossiers) != math.Round(count[l.ID]) {
			t.Errorf("office %s: load %d from its count alone, recorded %v", l.ID, l.Dossiers, count[l.ID])
		}
		if l.LoadSource != dossier.FromRecorded && l.LoadSource&dossier.FromRecorded == 0 && count[l.ID] > 0 {
			t.Errorf("office %s records %v dossiers but its load comes from %s", l.ID, count[l.ID], l.LoadSource)
		}
	}
	t.Logf("offices by load source: %v", by)
}
