package dossier_test

import (
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/dossier/demo"
	"github.com/onestop/onestop/optimize"
)

// TestDemoChain runs the whole chain on the embedded demo province: its
// shipped dossier log must load without a problem, and its measured volumes
// and profile drive the load check.
func TestDemoChain(t *testing.T) {
	ds, err := data.Load(demo.FS(), "dataset.yaml")
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	log, probs, err := dossier.LoadDatasetLog(ds)
	if err != nil || len(probs) != 0 || log == nil {
		t.Fatalf("demo log: err %v, %d problems %v", err, len(probs), probs)
	}
	const demoSample = 0.01 // the demo ships a 1 % sample
	measured, err := log.CommuneRates(demoSample)
	if err != nil {
		t.Fatal(err)
	}
	net := optimize.Phase1(ds)
	pts := dossier.PointsFromCommunes(ds)
	d, err := dossier.ComputeDemand(pts, dossier.DefaultRates(), measured, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The measured yearly volume is the log's rows scaled back.
	wantTotal := 0.0
	for _, c := range ds.Communes {
		if m, ok := measured[c.Code]; ok {
			wantTotal += m.PerYear
		} else {
			r, _ := dossier.DefaultRates().PerCapita(c.Class)
			wantTotal += r * float64(c.Population)
		}
	}
	if math.Abs(float64(d.Total)-wantTotal) > 0.5 {
		t.Errorf("demand %d dossiers, want %v", d.Total, wantTotal)
	}
	od, err := dossier.Assign(ds, net, pts, d)
	if err != nil {
		t.Fatal(err)
	}
	opt := dossier.DefaultOptions(2024)
	if err := opt.UseLog(log); err != nil {
		t.Fatal(err)
	}
	res, err := dossier.CheckLoad(context.Background(), ds, net, od, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	t.Logf("demo: %d offices, %d dossiers (%d counter), %d staff; max occupancy %.2f, mean wait %.2f min, %d overloaded, %d underused, %d staff moves; after: max occupancy %.2f, target met %v",
		s.Offices, s.Dossiers, s.CounterDossiers, s.StaffAvailable, s.MaxPeakOccupancy, s.MeanWaitMin, s.OfficesOverloaded, s.OfficesUnderused, s.StaffMoves, s.MaxPeakOccupancyAfter, s.MeetsWaitTargetAfter)
	if s.Dossiers != d.Total || math.IsInf(s.MeanWaitMin, 0) || s.Offices != len(ds.Offices) {
		t.Errorf("implausible summary %+v", s)
	}
}
