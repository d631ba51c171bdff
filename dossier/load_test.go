package dossier

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onestop/onestop/data"
)

// flagDemand gives testNetwork one office of each verdict.
var flagDemand = []OfficeDemand{
	{Total: 6800, Counter: 4000},   // o0: 4 urban staff, 1700 each, light queue -> ok
	{Total: 60000, Counter: 50000}, // o1: 2 urban staff for ~6.7 erlangs at the peak -> overloaded
	{Total: 1000, Counter: 600},    // o2: 3 rural staff, 333 each -> underused
}

func TestCheckLoadFlags(t *testing.T) {
	opt := DefaultOptions(2025)
	res, err := checkLoad(context.Background(), testNetwork(), flagDemand, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := []Flag{OK, Overloaded, Underused}
	for i, l := range res.Offices {
		if l.Flag != want[i] {
			t.Errorf("office %s: flag %s, want %s (%+v)", l.ID, l.Flag, want[i], l)
		}
	}
	o1 := res.Offices[1]
	if !math.IsInf(o1.WaitMin, 1) || o1.PeakOccupancy <= 1 {
		t.Errorf("o1 should be unstable at the peak: %+v", o1)
	}
	s := res.Summary
	if s.OfficesOverloaded != 1 || s.OfficesUnderused != 1 || s.Dossiers != 67800 || s.CounterDossiers != 54600 || s.StaffAvailable != 9 {
		t.Errorf("summary %+v", s)
	}
	if s.MeetsWaitTargetAfter {
		t.Error("9 staff cannot meet the target for o1, plan says it does")
	}
	// With enough staff the plan meets the target everywhere and moves none away from needs.
	opt.TotalStaff = 20
	res, err = checkLoad(context.Background(), testNetwork(), flagDemand, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Summary.MeetsWaitTargetAfter {
		t.Errorf("20 staff should meet the target: %+v", res.Offices)
	}
	sum := 0
	for _, l := range res.Offices {
		sum += l.StaffAfter
		if l.WaitAfterMin > opt.WaitTargetMin || l.StaffAfter < l.MinStaff {
			t.Errorf("office %s after rebalancing: %d staff (min %d), wait %v", l.ID, l.StaffAfter, l.MinStaff, l.WaitAfterMin)
		}
	}
	if sum != 20 {
		t.Errorf("allocated %d staff, want 20", sum)
	}
}

func TestCheckLoadEstimatesStaff(t *testing.T) {
	net := testNetwork()
	for i := range net.Offices {
		net.Offices[i].Staff = 0
	}
	res, err := checkLoad(context.Background(), net, flagDemand, DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	want := []int{4, 37, 1} // floor(dossiers / norm), at least 1
	for i, l := range res.Offices {
		if l.Staff != want[i] || !l.StaffEstimated {
			t.Errorf("office %s: staff %d estimated %v, want %d", l.ID, l.Staff, l.StaffEstimated, want[i])
		}
	}
	opt := DefaultOptions(2025)
	opt.EstimateMissingStaff = false
	opt.TotalStaff = 10
	res, err = checkLoad(context.Background(), net, flagDemand, opt)
	if err != nil {
		t.Fatal(err)
	}
	if l := res.Offices[0]; l.Flag != Overloaded || !math.IsInf(l.WaitSimMeanMin, 1) {
		t.Errorf("office without staff: %+v", l)
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatalf("infinite waits must still encode: %v", err)
	}
	if !strings.Contains(b.String(), `"wait_min": null`) {
		t.Error("infinite wait not written as null")
	}
}

func TestCheckLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		demand []OfficeDemand
		opt    func(*Options)
		want   string
		net    func(*network) // nil keeps testNetwork
	}{
		{"demand length", flagDemand[:2], nil, "demand for 2 offices, network has 3", nil},
		{"counter above total", []OfficeDemand{{Total: 1, Counter: 2}, {}, {}}, nil, "of which 2 at the counter", nil},
		{"bad year", flagDemand, func(o *Options) { o.Queue.Year = 0 }, "year 0", nil},
		{"bad service", flagDemand, func(o *Options) { o.Queue.ServiceMeanMin = -1 }, "mean service time", nil},
		{"bad target", flagDemand, func(o *Options) { o.WaitTargetMin = 0 }, "wait_target_min 0", nil},
		{"negative target", flagDemand, func(o *Options) { o.WaitTargetMin = -1 }, "wait_target_min -1", nil},
		{"NaN target", flagDemand, func(o *Options) { o.WaitTargetMin = math.NaN() }, "wait_target_min NaN", nil},
		{"infinite target", flagDemand, func(o *Options) { o.WaitTargetMin = math.Inf(1) }, "wait_target_min +Inf", nil},
		{"year 300000", flagDemand, func(o *Options) { o.Queue.Year = 300000 }, "year 300000", nil},
		{"year 1999", flagDemand, func(o *Options) { o.Queue.Year = 1999 }, "year 1999", nil},
		{"NaN occupancy", flagDemand, func(o *Options) { o.MaxOccupancy = math.NaN() }, "occupancy threshold NaN", nil},
		{"occupancy above 1", flagDemand, func(o *Options) { o.MaxOccupancy = 2 }, "occupancy threshold 2", nil},
		{"occupancy 1e-300", flagDemand, func(o *Options) { o.MaxOccupancy = 1e-300 }, "occupancy threshold 1e-300", nil},
		{"NaN norm", flagDemand, func(o *Options) { o.Norms = map[data.AreaClass]float64{data.Urban: math.NaN()} }, "norm NaN", nil},
		{"negative norm", flagDemand, func(o *Options) { o.Norms = map[data.AreaClass]float64{data.Rural: -5} }, "norm -5", nil},
		{"total staff 2e9", flagDemand, func(o *Options) { o.TotalStaff = 2e9 }, "total staff 2000000000 for 3 offices", nil},
		{"negative total staff", flagDemand, func(o *Options) { o.TotalStaff = -1 }, "total staff -1", nil},
		{"staff 2e9", flagDemand, nil, `office "o1" has 2000000000 staff; fix: give a count in [0, 10000]`, func(n *network) { n.Offices[1].Staff = 2e9 }},
		{"counters 2e9", flagDemand, nil, `office "o1" has 2000000000 counters`, func(n *network) { n.Offices[1].Counters = 2e9 }},
		{"dossiers above the cap", []OfficeDemand{{Total: 2e10, Counter: 1e10}, {}, {}}, nil, `office "o0" receives 20000000000 dossiers a year`, nil},
		{"closed offices", flagDemand, func(o *Options) { o.Queue.Hours = Schedule{} }, "never open", nil},
		{"bad hours", flagDemand, func(o *Options) { o.Queue.Hours.Days[1] = []Interval{{600, 500}} }, "Monday interval 1 (10:00–08:20)", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := DefaultOptions(2025)
			if tc.opt != nil {
				tc.opt(&opt)
			}
			net := testNetwork()
			if tc.net != nil {
				tc.net(&net)
			}
			_, err := checkLoad(context.Background(), net, tc.demand, opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestOutputsDeterministic runs the whole chain twice with one seed and
// compares the files byte for byte, then once with another seed.
func TestOutputsDeterministic(t *testing.T) {
	run := func(seed int64) (string, string) {
		pts := randomPoints(9, 400)
		d, err := ComputeDemand(pts, DefaultRates(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		od, err := assign(testNetwork(), pts, d)
		if err != nil {
			t.Fatal(err)
		}
		opt := DefaultOptions(2025)
		opt.Queue.Seed = seed
		res, err := checkLoad(context.Background(), testNetwork(), od, opt)
		if err != nil {
			t.Fatal(err)
		}
		var j, c strings.Builder
		if err := res.WriteJSON(&j); err != nil {
			t.Fatal(err)
		}
		if err := res.WriteCSV(&c); err != nil {
			t.Fatal(err)
		}
		return j.String(), c.String()
	}
	j1, c1 := run(5)
	j2, c2 := run(5)
	j3, _ := run(6)
	if j1 != j2 || c1 != c2 {
		t.Error("same seed, different outputs")
	}
	if j1 == j3 {
		t.Error("another seed gave the same simulated waits")
	}
	recs, err := csv.NewReader(strings.NewReader(c1)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "office,dossiers,staff,per_staff,norm,productivity_vs_norm,peak_occupancy,wait_min,wait_sim_mean_min,wait_sim_p90_min,flag"
	if got := strings.Join(recs[0][:11], ","); got != wantHeader {
		t.Errorf("header %s, want %s", got, wantHeader)
	}
	if len(recs) != 4 {
		t.Errorf("%d CSV rows, want header + 3 offices", len(recs))
	}
	var doc struct {
		Summary map[string]any   `json:"summary"`
		Offices []map[string]any `json:"offices"`
	}
	if err := json.Unmarshal([]byte(j1), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"max_peak_occupancy", "mean_wait_min", "offices_overloaded", "offices_underused", "staff_moves", "staff_needed", "staff_justified", "staff_available", "offices_by_source"} {
		if _, ok := doc.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if len(doc.Offices) != 3 {
		t.Errorf("%d offices in load.json", len(doc.Offices))
	}
}

func TestCheckLoadCountersCapServers(t *testing.T) {
	net := testNetwork()
	net.Offices[0].Counters = 1 // 4 staff but one counter
	res, err := checkLoad(context.Background(), net, flagDemand, DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	l := res.Offices[0]
	if l.Servers != 1 || l.PeakOccupancy != l.Load || l.WaitMin != ErlangWait(1, l.Load, 12) {
		t.Errorf("one counter: servers %d, occupancy %v for load %v, wait %v", l.Servers, l.PeakOccupancy, l.Load, l.WaitMin)
	}
	if l.CountersNeeded != l.StaffAfter-1 || l.ServersAfter != l.StaffAfter {
		t.Errorf("counters follow staff: %d counters needed, %d staff and %d servers after", l.CountersNeeded, l.StaffAfter, l.ServersAfter)
	}
	opt := DefaultOptions(2025)
	opt.FixedCounters = true
	res, err = checkLoad(context.Background(), net, flagDemand, opt)
	if err != nil {
		t.Fatal(err)
	}
	l = res.Offices[0]
	if l.CountersNeeded != max(0, l.MinStaff-1) || l.ServersAfter != 1 {
		t.Errorf("fixed counters: %d counters needed for a minimum of %d, %d servers after", l.CountersNeeded, l.MinStaff, l.ServersAfter)
	}
	if res.Offices[1].Servers != res.Offices[1].Staff {
		t.Errorf("unknown counters must not cap: %+v", res.Offices[1])
	}
}

func TestUseLogProfile(t *testing.T) {
	// Every counter dossier on Tuesday at 14h: the peak moves there.
	content := header + "1,p,2025-01-07 14:10,,,o1,A,counter\n2,p,2025-01-07 14:20,,,o1,A,counter\n"
	log := scanTestLog(t, content)
	opt := DefaultOptions(2025)
	if err := opt.UseLog(log); err != nil {
		t.Fatal(err)
	}
	if d, h, ok := opt.Queue.Profile.Peak(opt.Queue.Hours); !ok || d != time.Tuesday || h != 14 {
		t.Errorf("peak %s %d (%v), want Tuesday 14h", d, h, ok)
	}
	online := header + "1,p,2025-01-07 14:10,,,o1,A,online\n"
	if err := opt.UseLog(scanTestLog(t, online)); err == nil {
		t.Error("a log without counter dossiers gave a profile")
	}
}

// TestCheckLoadPremisesCaps: the rebalancing keeps every office within the
// premises (staff_after within MaxStaffPerPoint, servers_after within
// MaxCountersPerPoint) and reports the staff it cannot place
// (staff_unplaced), so Σ staff_after + staff_unplaced is the total.
func TestCheckLoadPremisesCaps(t *testing.T) {
	// Uncapped, the overloaded o1 draws staff well above 4: the caps bind.
	free, err := checkLoad(context.Background(), testNetwork(), flagDemand, DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	if free.Offices[1].StaffAfter <= 4 {
		t.Fatalf("uncapped o1 gets %d staff: the case does not bind a cap of 4", free.Offices[1].StaffAfter)
	}
	tests := []struct {
		name                    string
		maxStaff, maxCounters   int
		totalStaff              int
		wantUnplaced, wantTotal int
	}{
		{"staff and counters caps, today's 9 staff", 4, 3, 0, 0, 9},
		{"staff cap below the total: 20 staff, room for 12", 4, 0, 20, 8, 20},
		{"counters cap alone: staff beyond it stay but do not serve", 0, 3, 20, 0, 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := DefaultOptions(2025)
			opt.MaxStaffPerPoint, opt.MaxCountersPerPoint, opt.TotalStaff = tc.maxStaff, tc.maxCounters, tc.totalStaff
			res, err := checkLoad(context.Background(), testNetwork(), flagDemand, opt)
			if err != nil {
				t.Fatal(err)
			}
			placed := 0
			for _, l := range res.Offices {
				placed += l.StaffAfter
				if tc.maxStaff > 0 && l.StaffAfter > tc.maxStaff {
					t.Errorf("%s: staff_after %d above max_staff_per_point %d", l.ID, l.StaffAfter, tc.maxStaff)
				}
				if tc.maxCounters > 0 && l.ServersAfter > tc.maxCounters {
					t.Errorf("%s: servers_after %d above max_counters_per_point %d", l.ID, l.ServersAfter, tc.maxCounters)
				}
				if l.ServersAfter > l.StaffAfter || l.WaitAfterMin != ErlangWait(l.ServersAfter, l.Load, 12) {
					t.Errorf("%s: %d servers of %d staff, wait after %v", l.ID, l.ServersAfter, l.StaffAfter, l.WaitAfterMin)
				}
			}
			if s := res.Summary; s.StaffUnplaced != tc.wantUnplaced || placed+s.StaffUnplaced != tc.wantTotal {
				t.Errorf("%d staff placed, %d unplaced; want %d unplaced of %d", placed, s.StaffUnplaced, tc.wantUnplaced, tc.wantTotal)
			}
			b, err := json.Marshal(res.Summary)
			if err != nil {
				t.Fatal(err)
			}
			if want := `"staff_unplaced":` + strconv.Itoa(tc.wantUnplaced); !strings.Contains(string(b), want) {
				t.Errorf("summary JSON %s lacks %s", b, want)
			}
		})
	}
	opt := DefaultOptions(2025)
	opt.MaxStaffPerPoint = MaxStaffPerOffice + 1
	if _, err := checkLoad(context.Background(), testNetwork(), flagDemand, opt); err == nil || !strings.Contains(err.Error(), "max_staff_per_point") {
		t.Errorf("cap above the limit: %v", err)
	}
}
