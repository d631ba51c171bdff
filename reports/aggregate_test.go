package reports

import (
	"math"
	"testing"
)

func TestFillFromCells(t *testing.T) {
	t.Parallel()
	r := Run{
		Districts: []DistrictRow{{Code: "718", Name: "Thủ Dầu Một"}, {Code: "719", Name: "Bàu Bàng"}},
		Communes: []CommuneRow{
			{Code: "A", District: "718"},
			{Code: "B", District: "718"},
			{Code: "C", District: "719"}, // no cells: stays zero
		},
		Offices: []OfficeRow{
			// o1: 1,000 per staff, 62.5 % of its norm and overloaded; o3: 1,800 per staff, above the norm (no overload)
			{ID: "o1", Commune: "A", Status: Kept, StaffBefore: 4, StaffAfter: 6, WaitErlangMin: 20, Dossiers: 6000, Norm: 1600},
			{ID: "o2", Commune: "B", Status: Closed, StaffBefore: 3, AbsorbedBy: "o1"},
			{ID: "o3", Commune: "C", Status: New, StaffAfter: 2, WaitErlangMin: 5, Dossiers: 3600, Norm: 1600},
		},
		Cells: []Cell{
			{Commune: "A", Population: 100, MinutesBefore: 4, MinutesAfter: 4, CoveredBefore: true, CoveredAfter: true},
			{Commune: "B", Population: 300, MinutesBefore: 10, MinutesAfter: 25, CoveredBefore: true, CoveredAfter: true},
			{Commune: "B", Population: 100, MinutesBefore: 20, MinutesAfter: 40, CoveredBefore: true, CoveredAfter: false},
		},
		Before: Summary{OfficesOverWait: 7, OfficesUnderused: 3},
	}
	r.FillFromCells([]float64{0, 10, 30, math.Inf(1)})

	a, b, c := r.Communes[0], r.Communes[1], r.Communes[2]
	if a.Population != 100 || a.MeanMinutesBefore != 4 || a.CoveredShareAfter != 1 || a.WorseOff {
		t.Errorf("commune A %+v", a)
	}
	// B: before (300·10+100·20)/400 = 12.5, after (300·25+100·40)/400 = 28.75, covered after 3/4
	if b.Population != 400 || b.MeanMinutesBefore != 12.5 || b.MeanMinutesAfter != 28.75 || b.CoveredShareAfter != 0.75 || !b.WorseOff {
		t.Errorf("commune B %+v", b)
	}
	if c.Population != 0 || c.WorseOff {
		t.Errorf("commune C without cells %+v", c)
	}
	d := r.Districts[0]
	// 718: (100·4+300·10+100·20)/500 = 10.8 before
	if d.Population != 500 || d.CoveredBefore != 500 || d.CoveredAfter != 400 || d.MeanMinutesBefore != 10.8 || d.OfficesBefore != 2 || d.OfficesAfter != 1 {
		t.Errorf("district 718 %+v", d)
	}
	if d2 := r.Districts[1]; d2.OfficesBefore != 0 || d2.OfficesAfter != 1 || d2.Population != 0 {
		t.Errorf("district 719 %+v", d2)
	}
	tests := []struct {
		name string
		got  Summary
		want Summary
	}{
		{"before", r.Before, Summary{Population: 500, Covered: 500, Offices: 2, Staff: 7, MeanMinutes: 10.8, P95Minutes: 20, MaxMinutes: 20,
			OfficesOverWait: 7, OfficesUnderused: 3, Histogram: []Bin{{0, 10, 100}, {10, 30, 400}, {30, math.Inf(1), 0}}}},
		{"after", r.After, Summary{Population: 500, Covered: 400, Offices: 2, Staff: 8, MeanMinutes: 23.8, P95Minutes: 40, MaxMinutes: 40,
			OfficesOverWait: 1, OfficesUnderused: 1, Histogram: []Bin{{0, 10, 100}, {10, 30, 300}, {30, math.Inf(1), 100}}}},
	}
	for _, tc := range tests {
		g, w := tc.got, tc.want
		if g.Population != w.Population || g.Covered != w.Covered || g.Offices != w.Offices || g.Staff != w.Staff ||
			math.Abs(g.MeanMinutes-w.MeanMinutes) > 1e-9 || g.P95Minutes != w.P95Minutes || g.MaxMinutes != w.MaxMinutes ||
			g.OfficesOverWait != w.OfficesOverWait || g.OfficesUnderused != w.OfficesUnderused || len(g.Histogram) != len(w.Histogram) {
			t.Errorf("%s: got %+v, want %+v", tc.name, g, w)
			continue
		}
		for i := range w.Histogram {
			if g.Histogram[i] != w.Histogram[i] {
				t.Errorf("%s bin %d: got %+v, want %+v", tc.name, i, g.Histogram[i], w.Histogram[i])
			}
		}
	}
	if err := r.Validate(); err != nil {
		t.Errorf("filled run does not validate: %v", err)
	}
}

func TestFillFromCellsDefaultEdges(t *testing.T) {
	t.Parallel()
	r := Run{Cells: []Cell{{Population: 10, MinutesBefore: 90, MinutesAfter: 0}}}
	r.FillFromCells(nil)
	n := len(DefaultHistogramEdges()) - 1
	if len(r.Before.Histogram) != n || r.Before.Histogram[n-1].Population != 10 || r.After.Histogram[0].Population != 10 {
		t.Errorf("before %+v after %+v", r.Before.Histogram, r.After.Histogram)
	}
}
