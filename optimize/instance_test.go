package optimize

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestBadInputGivesClearErrors(t *testing.T) {
	base := func() *Instance {
		return &Instance{
			Demand:     []float64{10, 20, 0},
			Candidates: []Candidate{{ID: "a", Existing: true}, {ID: "b"}},
			Cover:      BuildSparse([][]int32{{0}, {1}}, nil),
			Times:      BuildSparse([][]int32{{0, 1}, {1}}, [][]float32{{5, 9}, {3}}),
		}
	}
	tests := []struct {
		name string
		edit func(*Instance)
		opt  Options
		want string
	}{
		{"no demand", func(in *Instance) { in.Demand = nil }, Options{}, "no demand points"},
		{"negative population", func(in *Instance) { in.Demand[1] = -1 }, Options{}, "demand point 1"},
		{"NaN population", func(in *Instance) { in.Demand[0] = math.NaN() }, Options{}, "demand point 0"},
		{"duplicate id", func(in *Instance) { in.Candidates[1].ID = "a" }, Options{}, `share id "a"`},
		{"empty id", func(in *Instance) { in.Candidates[0].ID = "" }, Options{}, "empty id"},
		{"short starts", func(in *Instance) { in.Cover.Start = in.Cover.Start[:2] }, Options{}, "row starts"},
		{"cell out of range", func(in *Instance) { in.Cover.Cell[0] = 7 }, Options{}, "names demand point 7"},
		{"unsorted row", func(in *Instance) { in.Times.Cell[0], in.Times.Cell[1] = 1, 0 }, Options{}, "not strictly increasing"},
		{"negative minutes", func(in *Instance) { in.Times.Minutes[0] = -2 }, Options{}, "minutes"},
		{"dossier count", func(in *Instance) { in.Dossiers = []float64{1} }, Options{}, "dossier values"},
		{"unknown model", func(in *Instance) {}, Options{Model: "fastest"}, "unknown model"},
		{"p too small", func(in *Instance) { in.Candidates[0].Locked = true }, Options{Model: PMedian, P: 0}, "p=0"},
		{"p too large", func(in *Instance) {}, Options{Model: MCLP, P: 3}, "only 2 candidates"},
		{"uncoverable", func(in *Instance) { in.Cover = BuildSparse([][]int32{{0}, {}}, nil) }, Options{Model: LSCP}, "cannot be covered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.edit(in)
			_, err := Solve(context.Background(), in, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "fix:") {
				t.Errorf("error %q does not say how to fix it", err)
			}
		})
	}
}

// Cancelling is an interrupt: Solve returns the context's error.
func TestSolveHonoursCancellation(t *testing.T) {
	inst := genInstance(genSpec{seed: 5, side: 30, spacing: 0.5, cands: 200, existing: 30, radiusKm: 2, coverMin: 5, timeMin: 15})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Solve(ctx, inst, Options{Model: PMedian, P: 20}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Solve: %v, want context.Canceled", err)
	}
}

// Out of time before the search starts, Solve still returns its best plan.
func TestSolveOutOfTimeReturnsAPlan(t *testing.T) {
	inst := genInstance(genSpec{seed: 5, side: 30, spacing: 0.5, cands: 200, existing: 30, radiusKm: 2, coverMin: 5, timeMin: 15})
	res, err := Solve(context.Background(), inst, Options{Model: PMedian, P: 20, TimeLimit: time.Nanosecond})
	if err != nil {
		t.Fatal(err) // a stopped search still returns its best plan
	}
	if res.Points != 20 {
		t.Errorf("plan has %d points, want 20", res.Points)
	}
	if res.Bound > res.Objective+1e-6 {
		t.Errorf("bound %v above objective %v", res.Bound, res.Objective)
	}
}

// Out of time before the search starts, consolidate with capacities still
// returns a plan that covers every coverable cell and fits every capacity,
// with a bound below it.
func TestConsolidateOutOfTimeStillFeasible(t *testing.T) {
	inst := genInstance(genSpec{seed: 6, side: 30, spacing: 0.5, cands: 200, existing: 30, radiusKm: 2, coverMin: 5, timeMin: 15, dossierRate: 0.5, staffCap: 4})
	opt := Options{Model: Consolidate, TargetShare: 0.5, TimeLimit: time.Nanosecond}
	res, err := Solve(context.Background(), inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	f, err := newForm(context.Background(), inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	if cf := f.capacityFlow(res.Open); cf.deficit > 0 {
		t.Errorf("the plan leaves %v dossiers without capacity", cf.deficit)
	}
	if !f.newCapSearch().covers(res.Open) {
		t.Error("the plan leaves a coverable cell uncovered")
	}
	if res.Bound > res.Objective+1e-6 || res.PointsLower > res.Points {
		t.Errorf("bound %v / %d points above the plan's %v / %d", res.Bound, res.PointsLower, res.Objective, res.Points)
	}
}
