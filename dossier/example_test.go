package dossier

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/onestop/onestop/data"
)

// TestWorkedExample computes the worked example of docs/dossiers.md ("The
// two targets"): every number the document prints is checked here, at the
// precision it prints.
func TestWorkedExample(t *testing.T) {
	net := network{
		Offices: []data.Office{
			{ID: "ward", Commune: "A", Staff: 8, Counters: 8},
			{ID: "small", Commune: "B", Staff: 2, Counters: 2},
			{ID: "busy", Commune: "C", Staff: 1, Counters: 1},
		},
		Serves: map[string]int{"A": 0, "B": 1, "C": 2},
		Class:  []data.AreaClass{data.Urban, data.Rural, data.Urban},
	}
	// 60 % of the dossiers at the counter (the default share).
	demand := []OfficeDemand{{Total: 9600, Counter: 5760}, {Total: 600, Counter: 360}, {Total: 16000, Counter: 9600}}
	opt := DefaultOptions(2024)
	opt.SkipSimulation = true
	res, err := checkLoad(context.Background(), net, demand, opt)
	if err != nil {
		t.Fatal(err)
	}
	round := func(v float64, d int) float64 { p := math.Pow10(d); return math.Round(v*p) / p }
	want := []struct {
		peakPerHour, load, productivity float64 // printed to 3, 4 and 2 decimals
		queueMin, standard              int
		wait                            float64 // Erlang C at the peak hour, 2 decimals (+Inf: unstable)
		flags                           []Flag
	}{
		{3.834, 0.7668, 0.75, 2, 6, 0, []Flag{Underused}},
		{0.240, 0.0479, 0.25, 1, 0, 0.01, []Flag{Inefficient, Underused}},
		{6.390, 1.2780, 10, 2, 10, math.Inf(1), []Flag{Overloaded, Short}},
	}
	for i, w := range want {
		l := res.Offices[i]
		if round(l.PeakPerHour, 3) != w.peakPerHour || round(l.Load, 4) != w.load || round(l.ProductivityVsNorm, 2) != w.productivity ||
			l.MinStaff != w.queueMin || l.StaffStandard != w.standard || round(l.WaitMin, 2) != w.wait || !slices.Equal(l.Flags, w.flags) {
			t.Errorf("office %s: peak %.3f/h, load %.4f, productivity %.2f, queue_min %d, staff_standard %d, wait %.2f, flags %v; want %+v",
				l.ID, l.PeakPerHour, l.Load, l.ProductivityVsNorm, l.MinStaff, l.StaffStandard, l.WaitMin, l.Flags, w)
		}
	}
	// Why the ward's queue minimum is 2: one counter would make residents
	// wait 39.5 min on average at the peak hour, two 2.1 min.
	a := res.Offices[0].Load
	if w1, w2 := round(ErlangWait(1, a, 12), 1), round(ErlangWait(2, a, 12), 1); w1 != 39.5 || w2 != 2.1 {
		t.Errorf("ward with 1 and 2 counters: waits %v and %v min, docs say 39.5 and 2.1", w1, w2)
	}
	// The busy office with 2 counters: 8.28 min.
	if w := round(ErlangWait(2, res.Offices[2].Load, 12), 2); w != 8.28 {
		t.Errorf("busy office with 2 counters: wait %v, docs say 8.28", w)
	}
	s := res.Summary
	if s.StaffNeeded != 5 || s.StaffJustified != 17 || s.StaffAvailable != 11 ||
		s.OfficesOverloaded != 1 || s.OfficesUnderused != 2 || s.OfficesShort != 1 || s.OfficesInefficient != 1 {
		t.Errorf("summary %+v; docs say needed 5, justified 17, available 11, 1 overloaded, 2 underused, 1 short, 1 inefficient", s)
	}
}

// TestOverloadIsTheWaitOnly: a large office above the 0.85 occupancy
// threshold whose peak wait stays within the target is short of its queue
// minimum but not overloaded; offices_overloaded counts wait breaches only.
func TestOverloadIsTheWaitOnly(t *testing.T) {
	net := network{
		Offices: []data.Office{{ID: "big", Commune: "A", Staff: 45, Counters: 45}},
		Serves:  map[string]int{"A": 0},
		Class:   []data.AreaClass{data.Urban},
	}
	// 300,480 counter dossiers: 40 erlangs at the peak hour (5,760 give 0.7668).
	opt := DefaultOptions(2024)
	opt.SkipSimulation = true
	res, err := checkLoad(context.Background(), net, []OfficeDemand{{Total: 500_800, Counter: 300_480}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	l := res.Offices[0]
	if l.PeakOccupancy <= opt.MaxOccupancy || l.WaitMin > opt.WaitTargetMin {
		t.Fatalf("test premise: occupancy %.4f above %v and wait %.2f within %v", l.PeakOccupancy, opt.MaxOccupancy, l.WaitMin, opt.WaitTargetMin)
	}
	if l.MinStaff != int(math.Ceil(l.Load/opt.MaxOccupancy)) || !slices.Equal(l.Flags, []Flag{Short}) || l.Flag != OK {
		t.Errorf("queue_min %d (load %.4f), flags %v, headline %s; want ceil(load / 0.85), [short], ok", l.MinStaff, l.Load, l.Flags, l.Flag)
	}
	if s := res.Summary; s.OfficesOverloaded != 0 || s.OfficesShort != 1 {
		t.Errorf("%d overloaded, %d short; want 0 and 1", s.OfficesOverloaded, s.OfficesShort)
	}
}
