package optimize

import (
	"context"
	"testing"
)

func TestCurveBoundsAndExhaustiveEnds(t *testing.T) {
	tests := []struct {
		name string
		spec genSpec
	}{
		{"no fixed", genSpec{seed: 41, side: 7, spacing: 1, cands: 10, radiusKm: 2.2, coverMin: 4, timeMin: 9}},
		{"two fixed", genSpec{seed: 42, side: 7, spacing: 1, cands: 12, existing: 4, locked: 2, radiusKm: 2.2, coverMin: 4, timeMin: 9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst := genInstance(tc.spec)
			res, err := Solve(context.Background(), inst, Options{Model: Curve})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Curve) == 0 {
				t.Fatal("empty curve")
			}
			W, coverable := 0.0, 0.0
			hit := make([]bool, len(inst.Demand))
			for _, c := range inst.Cover.Cell {
				hit[c] = true
			}
			for i, w := range inst.Demand {
				W += w
				if hit[i] {
					coverable += w
				}
			}
			for k, c := range res.Curve {
				if c.CoveredShare > c.CoveredShareUB+1e-9 || c.MeanMinutes < c.MeanMinutesLB-1e-9 {
					t.Errorf("p=%d: value outside its bound: %+v", c.P, c)
				}
				if k > 0 && c.P != res.Curve[k-1].P+1 {
					t.Errorf("p jumps from %d to %d", res.Curve[k-1].P, c.P)
				}
				// Each point must match exhaustive search when it claims optimality.
				for _, m := range []Model{MCLP, PMedian} {
					g, err := newForm(context.Background(), inst, Options{Model: m, P: c.P})
					if err != nil {
						t.Fatal(err)
					}
					want := bruteForce(g) / W
					got, opt := c.CoveredShare, c.CoverOptimal
					if m == PMedian {
						got, opt = c.MeanMinutes, c.MinutesOptimal
					}
					if opt && abs(got-want) > 1e-9 {
						t.Errorf("p=%d %s: %v claimed optimal, exhaustive %v", c.P, m, got, want)
					}
					if m == MCLP && got > want+1e-9 || m == PMedian && got < want-1e-9 {
						t.Errorf("p=%d %s: %v beats the exhaustive optimum %v", c.P, m, got, want)
					}
				}
			}
			last := res.Curve[len(res.Curve)-1]
			if abs(last.CoveredShare-coverable/W) > 1e-9 {
				t.Errorf("curve ends at covered share %v, coverable share %v", last.CoveredShare, coverable/W)
			}
		})
	}
}
