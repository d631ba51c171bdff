package optimize

import (
	"context"
	"slices"
	"testing"
)

// refPairs is the former construction of the assignment pairs, through a
// by-cell transpose of the Times with float64 costs: buildPairs must give
// every row the same candidates in the same order at the same minutes.
func refPairs(f *form) [][]struct {
	cand int32
	cost float64
} {
	type ref = struct {
		cand int32
		cost float64
	}
	n := len(f.inst.Demand)
	byTime := transpose(f.inst.Times, n)
	out := make([][]ref, len(f.rows))
	for r, i := range f.rows {
		cov := f.cover[r]
		var ps []ref
		switch {
		case f.model == MCLP:
			for _, j := range cov {
				ps = append(ps, ref{j, 0})
			}
		case f.model == Consolidate && len(cov) > 0:
			a, b := byTime.Start[i], byTime.Start[i+1]
			k := a
			for _, j := range cov {
				for k < b && byTime.Cell[k] < j {
					k++
				}
				if k < b && byTime.Cell[k] == j {
					ps = append(ps, ref{j, float64(byTime.Minutes[k])})
				} else {
					ps = append(ps, ref{j, f.unMin})
				}
			}
		default:
			for k := byTime.Start[i]; k < byTime.Start[i+1]; k++ {
				if j := byTime.Cell[k]; f.allow[j] {
					ps = append(ps, ref{j, float64(byTime.Minutes[k])})
				}
			}
		}
		out[r] = ps
	}
	return out
}

func TestBuildPairsMatchesTranspose(t *testing.T) {
	// radiusKm 6 covers beyond the 10-minute Times of slow candidates, so
	// some covering pairs carry the unserved minutes (the sentinel).
	g := genSpec{seed: 3, side: 24, spacing: 0.5, cands: 40, existing: 12, locked: 2, radiusKm: 6, coverMin: 8, timeMin: 10, dossierRate: 0.4}
	tests := []struct {
		name string
		opt  Options
	}{
		{"consolidate", Options{Model: Consolidate}},
		{"consolidate existing only", Options{Model: Consolidate, ExistingOnly: true, TargetShare: 0.01}},
		{"consolidate unserved 97.3", Options{Model: Consolidate, UnservedMinutes: 97.3}},
		{"pmedian", Options{Model: PMedian, P: 5}},
		{"pmedian existing only", Options{Model: PMedian, P: 5, ExistingOnly: true}},
		{"mclp", Options{Model: MCLP, P: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := newForm(context.Background(), genInstance(g), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			want := refPairs(f)
			total, unserved := 0, 0
			for r := range f.rows {
				got := f.pairs[r]
				if len(got) != len(want[r]) {
					t.Fatalf("row %d: %d pairs, want %d", r, len(got), len(want[r]))
				}
				for k, q := range got {
					if q.cand != want[r][k].cand || f.cost(q) != want[r][k].cost {
						t.Fatalf("row %d pair %d: (%d, %v), want (%d, %v)", r, k, q.cand, f.cost(q), want[r][k].cand, want[r][k].cost)
					}
					if q.min == unservedMark {
						unserved++
					}
				}
				if cap(got) != len(got) {
					t.Fatalf("row %d: capacity %d for %d pairs; rows must be capacity-capped", r, cap(got), len(got))
				}
				total += len(got)
			}
			if total == 0 {
				t.Fatal("no pairs: the test instance is empty")
			}
			if tc.opt.Model == Consolidate && !tc.opt.ExistingOnly && unserved == 0 {
				t.Fatal("no pair at the unserved minutes: the instance does not exercise the sentinel")
			}
			// The capacity flow's columns (rowsOf, derived from the
			// instance) are exactly the pairs' transpose.
			col := make([][]int32, len(f.fixed))
			for r, ps := range f.pairs {
				for _, q := range ps {
					col[q.cand] = append(col[q.cand], int32(r))
				}
			}
			for j := range col {
				if got := f.rowsOf(int32(j)); !slices.Equal(got, col[j]) {
					t.Fatalf("candidate %d: rowsOf %v, pairs' column %v", j, got, col[j])
				}
			}
		})
	}
}
