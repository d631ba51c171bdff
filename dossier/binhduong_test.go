package dossier

import (
	"context"
	"io"
	"math"
	"testing"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// TestBinhDuong runs demand, assignment and the load check on the real 91
// Binh Duong communes (2019 census) with one office per commune, as in
// phase 1 of the pilot.
func TestBinhDuong(t *testing.T) {
	ds, err := data.LoadFile(testenv.BinhDuongYAML(t))
	if err != nil {
		t.Fatalf("load Binh Duong: %v", err)
	}
	if len(ds.Communes) != 91 {
		t.Fatalf("%d communes, want 91", len(ds.Communes))
	}
	net := optimize.Phase1(ds)
	pts := PointsFromCommunes(ds)
	var pop int64
	var want float64
	rates := DefaultRates()
	for _, c := range ds.Communes {
		pop += c.Population
		r, err := rates.PerCapita(c.Class)
		if err != nil {
			t.Fatal(err)
		}
		want += r * float64(c.Population)
	}
	if pop != 2426561 {
		t.Errorf("population %d, want 2,426,561 (2019 census)", pop)
	}
	d, err := ComputeDemand(pts, rates, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != int64(math.Round(want)) {
		t.Errorf("%d dossiers a year, want %v", d.Total, math.Round(want))
	}
	od, err := Assign(ds, net, pts, d)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, o := range od {
		sum += o.Total
	}
	if sum != d.Total {
		t.Fatalf("offices received %d of %d dossiers", sum, d.Total)
	}
	res, err := CheckLoad(context.Background(), ds, net, od, DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	t.Logf("Binh Duong: %d offices, %d dossiers (%d counter), %d staff; max occupancy %.2f, mean wait %.2f min, %d overloaded, %d underused, %d staff moves, after: max occupancy %.2f, target met %v",
		s.Offices, s.Dossiers, s.CounterDossiers, s.StaffAvailable, s.MaxPeakOccupancy, s.MeanWaitMin, s.OfficesOverloaded, s.OfficesUnderused, s.StaffMoves, s.MaxPeakOccupancyAfter, s.MeetsWaitTargetAfter)
	if s.Dossiers != d.Total || s.Offices != len(ds.Offices) || math.IsInf(s.MeanWaitMin, 0) || s.MeanWaitMin < 0 {
		t.Errorf("implausible summary %+v", s)
	}
	for name, write := range res.Files() {
		if err := write(io.Discard); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
