package pipeline

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
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
	capAt2 = math.Floor(capAt2) // whole dossiers (premisesCapacity)
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

// checkPlanTruth reads plan.json and summary.json of a phase-3 run and
// checks the claims the issue found false: one "after" travel (plan.json's
// mean_minutes_after is summary.json's after.minutes.mean), nobody assigned
// beyond the rule, and no open point above its premises (capacity and
// staff limit, unless the office had more staff on its own).
func checkPlanTruth(t *testing.T, dir string, maxStaff, maxCounters int) {
	t.Helper()
	var plan optimize.Plan
	var sum struct {
		After struct {
			Minutes struct{ Mean float64 } `json:"minutes"`
		} `json:"after"`
	}
	for name, v := range map[string]any{"plan.json": &plan, "summary.json": &sum} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if math.Abs(plan.MinutesAfter-sum.After.Minutes.Mean) > 0.0005 {
		t.Errorf("plan.json mean_minutes_after %v, summary.json after %v", plan.MinutesAfter, sum.After.Minutes.Mean)
	}
	if plan.ResidentsBeyondRule != 0 {
		t.Errorf("%d residents beyond the rule", plan.ResidentsBeyondRule)
	}
	servers := 0 // min of the caps set
	for _, v := range []int{maxStaff, maxCounters} {
		if v > 0 && (servers == 0 || v < servers) {
			servers = v
		}
	}
	check := func(id string, before, after int, counter, capacity float64, queueMin int) {
		// The capacity is whole dossiers and the loads are rounded
		// once: no margin.
		if capacity > 0 && counter > capacity {
			t.Errorf("%s: %v counter dossiers/year over its capacity %v", id, counter, capacity)
		}
		if capacity != math.Floor(capacity) {
			t.Errorf("%s: capacity %v, want whole dossiers", id, capacity)
		}
		// Within its capacity, a point's load needs no more counters
		// than the premises hold (the demo's CN-718 had 31 of 30).
		if servers > 0 && counter <= capacity && queueMin > servers {
			t.Errorf("%s: queue_min %d for %v counter dossiers within the capacity %v, above min(max_counters, max_staff) = %d", id, queueMin, counter, capacity, servers)
		}
		// The cap holds on every point, one over it today included.
		if maxStaff > 0 && after > maxStaff {
			t.Errorf("%s: %d staff over the premises' %d", id, after, maxStaff)
		}
	}
	for _, k := range plan.Kept {
		check(k.ID, k.StaffFrom, k.StaffAfter, k.CounterLoadAfter, k.Capacity, k.QueueMin)
	}
	for _, n := range plan.New {
		check(n.ID, 0, n.Staff, n.CounterLoad, n.Capacity, n.QueueMin)
	}
	for _, c := range plan.Closed {
		if c.BeyondRule != 0 || !strings.Contains(c.Why, "every one within the access rule") {
			t.Errorf("%s: %d beyond the rule: %s", c.ID, c.BeyondRule, c.Why)
		}
	}
	// The load check's rebalancing keeps the premises too (the demo's
	// CN-718 had 96 staff and servers after it under a cap of 40), and
	// loses or invents no staff member.
	b, err := os.ReadFile(filepath.Join(dir, "load.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ld struct {
		Summary struct {
			StaffAvailable int `json:"staff_available"`
			StaffUnplaced  int `json:"staff_unplaced"`
		}
		Offices []struct {
			Office       string
			StaffAfter   int `json:"staff_after"`
			ServersAfter int `json:"servers_after"`
		}
	}
	if err := json.Unmarshal(b, &ld); err != nil {
		t.Fatalf("load.json: %v", err)
	}
	placed := 0
	for _, o := range ld.Offices {
		placed += o.StaffAfter
		if maxStaff > 0 && o.StaffAfter > maxStaff || maxCounters > 0 && o.ServersAfter > maxCounters {
			t.Errorf("load.json %s: staff_after %d, servers_after %d; caps %d staff, %d counters", o.Office, o.StaffAfter, o.ServersAfter, maxStaff, maxCounters)
		}
	}
	if placed+ld.Summary.StaffUnplaced != ld.Summary.StaffAvailable {
		t.Errorf("load.json: Σ staff_after %d + staff_unplaced %d, staff_available %d", placed, ld.Summary.StaffUnplaced, ld.Summary.StaffAvailable)
	}
}

// With optimize.counters_fixed an existing office's own counters, fewer
// than the premises cap, bound its capacity and stay its counters; the
// other candidates keep the cap's capacity, and without the key every
// candidate has it.
func TestOptimizeCountersFixed(t *testing.T) {
	ctx := context.Background()
	ds := islandProvince()
	ds.Offices[0].Counters = 1 // O1: one counter today, premises of 2 allowed
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	tm, _, err := TravelModel(ds, coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	lp := LoadParams{BoundaryFree: -1, WaitTargetMin: 10}
	demand, err := ComputeDemand(ds, idx, lp)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := dossierOptions(demand, lp)
	if err != nil {
		t.Fatal(err)
	}
	capAt := func(s int) float64 {
		c, err := dossier.CapacityAt(s, opt)
		if err != nil {
			t.Fatal(err)
		}
		return math.Floor(c)
	}
	for _, fixed := range []bool{false, true} {
		p := OptimizeParams{Model: "consolidate", TargetShare: 1, TimeLimit: 5e9, Uncoverable: "exclude", FixedSeconds: true,
			MaxStaffPerPoint: 3, MaxCountersPerPoint: 2, CountersFixed: fixed, Load: lp, ForceOpen: []string{"O1"}}
		opz, err := Optimize(ctx, ds, idx, tm, coverage.DefaultRule(), optimize.Phase1(ds), demand, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range opz.Instance.Candidates {
			want := capAt(2)
			if fixed && c.ID == "O1" {
				want = capAt(1)
			}
			if c.Capacity != want {
				t.Errorf("counters_fixed %v: %s capacity %v, want %v", fixed, c.ID, c.Capacity, want)
			}
		}
		kept := false
		for _, k := range opz.Plan.Kept {
			if k.ID != "O1" {
				continue
			}
			kept = true
			if fixed && (k.Capacity != capAt(1) || k.CounterLoadAfter <= k.Capacity && k.QueueMin > 1) {
				t.Errorf("counters_fixed: O1 capacity %v, %v counter dossiers, queue_min %d; want ⌊CapacityAt(1)⌋ = %v and at most 1 counter", k.Capacity, k.CounterLoadAfter, k.QueueMin, capAt(1))
			}
		}
		if !kept {
			t.Fatalf("counters_fixed %v: O1 closed; the case checks a kept office", fixed)
		}
		for _, o := range opz.Network.Offices {
			if fixed && o.ID == "O1" && o.Counters != 1 {
				t.Errorf("counters_fixed: O1 has %d counters after the plan, want its 1", o.Counters)
			}
		}
	}
	if capAt(1) >= capAt(2) {
		t.Fatalf("CapacityAt(1) %v ≥ CapacityAt(2) %v: the case cannot tell them apart", capAt(1), capAt(2))
	}
}
