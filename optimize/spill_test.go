package optimize

import (
	"context"
	"math"
	"testing"
)

// spill is the big-instance fallback of the capacity assignment: it must
// respect capacities and can never beat the exact min-cost flow.
func TestSpillFeasibleAndNoBetterThanFlow(t *testing.T) {
	exercised := 0
	for _, staff := range []int{2, 3, 6, 8, 12} {
		inst := genInstance(genSpec{seed: 13, side: 7, spacing: 1, cands: 14, existing: 5, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 3, staffCap: staff})
		f, err := newForm(context.Background(), inst, Options{Model: Consolidate, TargetShare: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		open := make([]bool, len(inst.Candidates))
		for j := range open {
			open[j] = j%2 == 0 || inst.Candidates[j].Fixed()
		}
		exactShares, exact, ok := f.assign(open)
		// The nearest assignment and its loads, then spill.
		near, _, load, _ := f.nearestShares(open)
		for j, l := range load {
			if open[j] && l > f.cap[j] {
				exercised++
				break
			}
		}
		shares, cost, sok := f.spill(open, near, load)
		if !ok {
			continue // no capacity-feasible assignment: nothing to compare
		}
		_ = exactShares
		if !sok {
			t.Logf("staff %d: spill found no feasible assignment where the flow did (allowed: it is a heuristic)", staff)
			continue
		}
		got := make([]float64, len(open))
		for r, sh := range shares {
			for _, s := range sh {
				if s.Cand >= 0 {
					got[s.Cand] += f.d[r] * s.Share
				}
			}
		}
		for j, l := range got {
			if open[j] && l > f.cap[j]*(1+1e-9) {
				t.Errorf("staff %d: point %d load %v over capacity %v", staff, j, l, f.cap[j])
			}
		}
		if cost < exact-1e-6*math.Max(1, exact) {
			t.Errorf("staff %d: spill cost %v below the min-cost flow optimum %v", staff, cost, exact)
		}
	}
	if exercised == 0 {
		t.Fatal("no case overloaded a point: the test does not exercise spill")
	}
}
