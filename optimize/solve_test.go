package optimize

import (
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/optimize/facility"
)

func TestSolveMatchesExhaustiveSearch(t *testing.T) {
	small := func(seed uint64, cands, existing, locked int, rate float64) genSpec {
		return genSpec{seed: seed, side: 7, spacing: 1, cands: cands, existing: existing, locked: locked,
			radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: rate}
	}
	tests := []struct {
		name  string
		spec  genSpec
		opt   Options
		staff int
	}{
		{"lscp 12 candidates", small(1, 12, 4, 1, 0), Options{Model: LSCP}, 0},
		{"lscp 20 candidates", small(2, 20, 6, 0, 0), Options{Model: LSCP}, 0},
		{"lscp 25 candidates", small(3, 25, 8, 2, 0), Options{Model: LSCP}, 0},
		{"mclp p=2", small(4, 14, 3, 0, 0), Options{Model: MCLP, P: 2}, 0},
		{"mclp p=4 locked", small(5, 16, 5, 2, 0), Options{Model: MCLP, P: 4}, 0},
		{"mclp p=3 of 25", small(6, 25, 0, 0, 0), Options{Model: MCLP, P: 3}, 0},
		{"pmedian p=2", small(7, 12, 3, 0, 0), Options{Model: PMedian, P: 2}, 0},
		{"pmedian p=5 locked", small(8, 16, 5, 1, 0), Options{Model: PMedian, P: 5}, 0},
		{"pmedian p=3 of 22", small(9, 22, 0, 0, 0), Options{Model: PMedian, P: 3}, 0},
		{"consolidate no capacity", small(10, 14, 5, 1, 0), Options{Model: Consolidate}, 0},
		{"consolidate 18 candidates", small(11, 18, 6, 2, 0), Options{Model: Consolidate}, 0},
		{"consolidate loose capacity", small(12, 14, 5, 1, 0.05), Options{Model: Consolidate}, 30},
		{"consolidate tight capacity", small(13, 14, 5, 0, 0.3), Options{Model: Consolidate}, 6},
		{"consolidate existing only", small(14, 16, 10, 1, 0.1), Options{Model: Consolidate, ExistingOnly: true}, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst := capStaff(genInstance(tc.spec), tc.staff)
			// Make every point coverable so lscp/consolidate are feasible:
			// candidates not existing may still leave holes, so allow a
			// target share below one.
			tc.opt.TargetShare = 0.5
			f, err := newForm(context.Background(), inst, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			want := bruteForce(f)
			if math.IsNaN(want) {
				t.Skip("instance infeasible for this model")
			}
			res, err := Solve(context.Background(), inst, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Optimal {
				t.Errorf("not proven optimal: objective %v bound %v", res.Objective, res.Bound)
			}
			if d := math.Abs(res.Objective - want); d > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("objective %v, exhaustive search %v", res.Objective, want)
			}
			if res.Maximise && res.Bound < res.Objective-1e-6 || !res.Maximise && res.Bound > res.Objective+1e-6 {
				t.Errorf("bound %v on the wrong side of objective %v", res.Bound, res.Objective)
			}
			if res.GapPct != 0 {
				t.Errorf("gap %v%% for a proven optimum", res.GapPct)
			}
			for j, c := range inst.Candidates {
				if c.Fixed() && !res.Open[j] {
					t.Errorf("fixed candidate %s closed", c.ID)
				}
				if tc.opt.ExistingOnly && !c.Existing && res.Open[j] {
					t.Errorf("new candidate %s opened with ExistingOnly", c.ID)
				}
			}
		})
	}
}

// The root bounds alone (no branch and bound) must be valid: never above the
// exhaustive optimum when minimising, never below it for mclp, and better
// than the trivial all-open bound on at least one instance.
func TestRootBoundsAreValid(t *testing.T) {
	stronger := 0
	for seed := uint64(50); seed < 58; seed++ {
		for _, m := range []Model{PMedian, MCLP} {
			inst := genInstance(genSpec{seed: seed, side: 7, spacing: 1, cands: 12, existing: 3, locked: 1, radiusKm: 2, coverMin: 4, timeMin: 9})
			f, err := newForm(context.Background(), inst, Options{Model: m, P: 3})
			if err != nil {
				t.Fatal(err)
			}
			want := bruteForce(f)
			ap := f.engine(3)
			r := ap.Solve(nil, facility.Bounded, nil)
			W := 0.0
			for _, w := range f.w {
				W += w
			}
			lb := r.Lower // on the engine's cost: minutes, or uncovered residents for mclp
			if m == MCLP {
				if W-lb < want-1e-6 {
					t.Errorf("seed %d mclp: upper bound %v below optimum %v", seed, W-lb, want)
				}
			} else if lb > want+1e-6 {
				t.Errorf("seed %d pmedian: lower bound %v above optimum %v", seed, lb, want)
			}
			if lb > f.nearestMinutes()+1e-6 {
				stronger++
			}
		}
	}
	if stronger == 0 {
		t.Error("the Lagrangian never beat the all-open bound: it is not working")
	}
}

// Covered by distance only: the rule covers cell 1 from candidate b, but b
// is beyond the Times cutoff for it (`--minutes 0 --km 5`: 5 km takes
// longer than the minutes listed). lscp must still serve it from b, at the
// unserved minutes, instead of failing "internal: … within capacity".
func TestLSCPServesResidentsCoveredByDistanceOnly(t *testing.T) {
	inst := &Instance{
		Demand:     []float64{10, 20},
		Candidates: []Candidate{{ID: "a", Existing: true, Closable: true}, {ID: "b", Existing: true, Closable: true}},
		Cover:      BuildSparse([][]int32{{0}, {1}}, nil),
		// b lists no time to cell 1; a lists cell 0 only.
		Times: BuildSparse([][]int32{{0}, {}}, [][]float32{{5}, {}}),
	}
	for _, m := range []Model{LSCP, Consolidate} {
		t.Run(string(m), func(t *testing.T) {
			res, err := Solve(context.Background(), inst, Options{Model: m})
			if err != nil {
				t.Fatal(err)
			}
			if res.Points != 2 || res.Covered != 30 {
				t.Fatalf("points %d covered %v, want both points covering all 30", res.Points, res.Covered)
			}
			if sh := res.Assign[1]; len(sh) != 1 || sh[0].Cand != 1 {
				t.Errorf("cell 1 assigned %v, want candidate b", sh)
			}
		})
	}
}
