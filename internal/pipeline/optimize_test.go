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

// The optimizer takes the run's norms (not the pilot's defaults) and sizes
// premises and staff with the load check's queue model: capacity at
// min(counters, staff) and queue_min of the point's counter load.
func TestOptimizeUsesNormsAndPremises(t *testing.T) {
	ctx := context.Background()
	ds := islandProvince()
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	tm, _, err := TravelModel(ds, coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	lp := LoadParams{BoundaryFree: -1, Norms: map[data.AreaClass]float64{data.Urban: 400}, WaitTargetMin: 10}
	demand, err := ComputeDemand(ds, idx, lp)
	if err != nil {
		t.Fatal(err)
	}
	p := OptimizeParams{Model: "consolidate", TargetShare: 1, TimeLimit: 5e9, Uncoverable: "exclude", FixedSeconds: true,
		MaxStaffPerPoint: 3, MaxCountersPerPoint: 2, Load: lp}
	opz, err := Optimize(ctx, ds, idx, tm, coverage.DefaultRule(), optimize.Phase1(ds), demand, p)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := dossierOptions(demand, lp)
	if err != nil {
		t.Fatal(err)
	}
	capAt2, err := dossier.CapacityAt(2, opt) // min(2 counters, 3 staff)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range opz.Instance.Candidates {
		if c.Class == data.Urban && c.Norm != 400 {
			t.Errorf("%s: norm %v, want the run's 400", c.ID, c.Norm)
		}
		if c.Capacity != capAt2 || c.MaxStaff != 3 {
			t.Errorf("%s: capacity %v, staff limit %d; want %v and 3", c.ID, c.Capacity, c.MaxStaff, capAt2)
		}
	}
	if len(opz.Plan.Kept) == 0 {
		t.Fatal("no office kept")
	}
	for _, k := range opz.Plan.Kept {
		q, err := dossier.QueueMinimum(k.CounterLoadAfter, opt)
		if err != nil {
			t.Fatal(err)
		}
		// The plan's loads are rounded to 0.1 dossier: compare a hair above.
		if k.QueueMin != q && k.QueueMin != func() int { v, _ := dossier.QueueMinimum(k.CounterLoadAfter+0.05, opt); return v }() {
			t.Errorf("%s: queue_min %d, QueueMinimum of %v counter dossiers is %d", k.ID, k.QueueMin, k.CounterLoadAfter, q)
		}
		if want := int(math.Floor(k.LoadAfter / 400)); k.StaffStandard != want {
			t.Errorf("%s: staff_standard %d for %v dossiers at 400, want %d", k.ID, k.StaffStandard, k.LoadAfter, want)
		}
		if k.CounterLoadAfter > k.Capacity || k.StaffAfter > 3 && k.StaffAfter > k.StaffFrom {
			t.Errorf("%s: %v counter dossiers for a capacity of %v, %d staff", k.ID, k.CounterLoadAfter, k.Capacity, k.StaffAfter)
		}
	}
}
