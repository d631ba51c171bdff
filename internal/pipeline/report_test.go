package pipeline

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/roads"
	"github.com/onestop/onestop/internal/testenv"
	"github.com/onestop/onestop/optimize"
	"github.com/onestop/onestop/reports"
)

// TestAssumptionsFromRunFacts: the first screen's facts come from the
// dataset, the loads and the plan, each only when it holds.
func TestAssumptionsFromRunFacts(t *testing.T) {
	withRoads := &roads.Network{Arcs: make([]roads.Arc, 2)}
	offices := []data.Office{{ID: "A", DossiersPerYear: 2010}, {ID: "B"}, {ID: "C", DossiersPerYear: 500}}
	rows := func(source string) []reports.OfficeRow {
		return []reports.OfficeRow{{ID: "A", LoadSource: source}, {ID: "B", LoadSource: source}, {ID: "C", LoadSource: source}}
	}
	timeLimited := &optimize.Plan{Summary: optimize.Summary{StoppedBy: "time limit", GapPct: 4.25,
		Excluded: []optimize.Excluded{{Commune: "1", Residents: 100.4}, {Commune: "2", Residents: 50}}}}
	tests := []struct {
		name string
		ds   data.Dataset
		in   ReportInput
		rows []reports.OfficeRow
		want reports.Assumptions
	}{
		{"generated offices, straight line, rates", data.Dataset{Offices: offices, OfficesGenerated: 3, StaffAssumed: 3},
			ReportInput{Circuity: 1.3}, rows(reports.LoadFromRate),
			reports.Assumptions{OfficesGenerated: 3, StaffAssumed: 3, StraightLine: true, Circuity: 1.3, RecordedUnused: 2}},
		{"road graph, recorded counts, optimal plan", data.Dataset{Offices: offices, Roads: withRoads},
			ReportInput{Circuity: 1.3, Plan: &optimize.Plan{Summary: optimize.Summary{StoppedBy: "optimal"}}}, rows(reports.LoadFromRecorded),
			reports.Assumptions{}},
		{"time limit and exclusions", data.Dataset{Offices: offices, Roads: withRoads},
			ReportInput{Plan: timeLimited}, rows(reports.LoadFromLog),
			reports.Assumptions{RecordedUnused: 2, StoppedBy: "time limit", GapPct: 4.25, ExcludedResidents: 150, ExcludedCommunes: 2}},
		{"a closed office's counts", data.Dataset{Offices: offices, Roads: withRoads}, ReportInput{},
			[]reports.OfficeRow{{ID: "A", Status: reports.Closed}, {ID: "C", LoadSource: reports.LoadFromRecorded}},
			reports.Assumptions{RecordedUnused: 1}},
		{"work budget", data.Dataset{Roads: withRoads},
			ReportInput{Plan: &optimize.Plan{Summary: optimize.Summary{StoppedBy: "work budget", GapPct: 1}}}, nil,
			reports.Assumptions{StoppedBy: "work budget", GapPct: 1}},
	}
	for _, tc := range tests {
		if got := assumptions(&tc.ds, tc.in, tc.rows); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

// TestAssumptionsBinhDuong: the real Binh Duong dataset has no offices file
// and no road graph, and the report must say both.
func TestAssumptionsBinhDuong(t *testing.T) {
	testenv.SharedData(t)
	ds, err := data.LoadFileContext(context.Background(), filepath.Join(testenv.RepoRoot(t), "testdata", "binhduong", "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a := assumptions(ds, ReportInput{Circuity: 1.3}, nil)
	if a.OfficesGenerated != 91 || a.StaffAssumed != 91 || !a.StraightLine {
		t.Errorf("Binh Duong assumptions %+v: want 91 generated offices with assumed staff and straight-line travel", a)
	}
}

// TestCurveOf: the report's curve is plan.json's, with the adopted plan
// marked at its offices and the optimizer's mean minutes.
func TestCurveOf(t *testing.T) {
	if c := curveOf(nil); c != nil {
		t.Errorf("no plan: curve %+v", c)
	}
	if c := curveOf(&optimize.Plan{}); c != nil {
		t.Errorf("plan without a curve: curve %+v", c)
	}
	p := &optimize.Plan{Summary: optimize.Summary{OfficesAfter: 12}, MinutesAfter: 9.5, CoveredAfter: 0.99,
		Curve: []optimize.CurvePoint{{P: 11, MeanMinutes: 10.25, CoveredShare: 0.97}, {P: 12, MeanMinutes: 9.5, CoveredShare: 0.99}}}
	want := &reports.Curve{Points: []reports.CurvePoint{{Offices: 11, MeanMinutes: 10.25, CoveredShare: 0.97}, {Offices: 12, MeanMinutes: 9.5, CoveredShare: 0.99}},
		Chosen: reports.CurvePoint{Offices: 12, MeanMinutes: 9.5, CoveredShare: 0.99}}
	if got := curveOf(p); !reflect.DeepEqual(got, want) {
		t.Errorf("curve %+v, want %+v", got, want)
	}
}
