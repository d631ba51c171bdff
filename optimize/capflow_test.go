package optimize

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// hallDeficit is the dossiers no assignment can place, by Hall's theorem:
// rows reaching no open point, plus the worst excess of demand over
// capacity among sets S of open points, counting the rows that reach only S.
func hallDeficit(f *form, open []bool) float64 {
	var pts []int32
	for j, o := range open {
		if o {
			pts = append(pts, int32(j))
		}
	}
	lost := 0.0
	var masks []uint32
	var dem []float64
	for r, ps := range f.pairs {
		if f.d[r] <= 0 || f.allowU[r] {
			continue
		}
		var m uint32
		for s, j := range pts {
			for _, q := range ps {
				if q.cand == j {
					m |= 1 << s
				}
			}
		}
		if m == 0 {
			lost += f.d[r]
			continue
		}
		masks, dem = append(masks, m), append(dem, f.d[r])
	}
	worst := 0.0
	for set := uint32(1); set < 1<<len(pts); set++ {
		d, c := 0.0, 0.0
		for k, m := range masks {
			if m&^set == 0 {
				d += dem[k]
			}
		}
		for s, j := range pts {
			if set&(1<<s) != 0 {
				c += f.cap[j]
			}
		}
		worst = max(worst, d-c)
	}
	return lost + worst
}

func TestCapacityFlowMatchesHall(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	checked, short, greedy := 0, 0, 0
	for _, tc := range []struct {
		seed  uint64
		staff int
	}{{21, 3}, {22, 8}, {23, 20}, {24, 50}} {
		inst := genInstance(genSpec{seed: tc.seed, side: 8, spacing: 1, cands: 16, existing: 6, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 3, staffCap: tc.staff})
		f, err := newForm(context.Background(), inst, Options{Model: Consolidate, TargetShare: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		for trial := 0; trial < 25; trial++ {
			open := make([]bool, len(inst.Candidates))
			for j := range open {
				// Half open: residents are served only by points covering
				// them, so sparser sets leave most dossiers unplaceable.
				open[j] = rng.IntN(2) == 0
			}
			if count(open) > 12 {
				continue
			}
			cf := f.capacityFlow(open)
			want := hallDeficit(f, open)
			checked++
			// The greedy test is a proof when it says yes (solveConsolidate
			// skips the exact flow of every allowed point on it).
			if f.greedyFits(open) {
				greedy++
				if want > 1e-9 {
					t.Fatalf("seed %d staff %d trial %d: greedy fits, Hall deficit %v", tc.seed, tc.staff, trial, want)
				}
			}
			if math.Abs(cf.deficit-want) > 1e-6*max(1, want) {
				t.Fatalf("seed %d staff %d trial %d: deficit %v, Hall %v", tc.seed, tc.staff, trial, cf.deficit, want)
			}
			if cf.deficit > 0 {
				short++
				if math.Abs(cf.cutDemand-cf.cutCap-cf.deficit) > 1e-6*max(1, cf.deficit) {
					t.Errorf("cut: demand %v − capacity %v ≠ deficit %v", cf.cutDemand, cf.cutCap, cf.deficit)
				}
				continue
			}
			// A feasible flow turns into shares within every capacity.
			out := make([][]Share, len(f.rows))
			f.flowAssign(cf, out)
			load := make([]float64, len(open))
			for r, sh := range out {
				if f.d[r] <= 0 || f.allowU[r] {
					continue
				}
				sum := 0.0
				for _, s := range sh {
					if !open[s.Cand] || f.minutes(r, s.Cand) == f.unMin && !inPairs(f, r, s.Cand) {
						t.Fatalf("row %d sent to %d, not an open point it can reach", r, s.Cand)
					}
					sum += s.Share
					load[s.Cand] += s.Share * f.d[r]
				}
				if math.Abs(sum-1) > 1e-9 {
					t.Fatalf("row %d shares sum to %v", r, sum)
				}
			}
			for j, l := range load {
				if l > f.cap[j]*(1+1e-9) {
					t.Fatalf("point %d loaded %v over capacity %v", j, l, f.cap[j])
				}
			}
		}
	}
	if checked < 50 || short == 0 || short == checked || greedy == 0 {
		t.Fatalf("%d open sets checked, %d short of capacity, %d placed by the greedy test: the cases do not exercise every side", checked, short, greedy)
	}
}

// TestGreedyFitsEveryAllowedOpen: solveConsolidate's first check (every
// allowed point open) trusts greedyFits when it says yes; it must never say
// yes where Hall's condition fails, and must say yes where capacity is ample.
func TestGreedyFitsEveryAllowedOpen(t *testing.T) {
	fits, short := 0, 0
	for _, tc := range []struct {
		seed       uint64
		staff      int
		wantFits   bool // capacity so ample the greedy must place everything
		mayBeShort bool
	}{{31, 1, false, true}, {32, 2, false, true}, {33, 6, false, true}, {34, 40, true, false}, {35, 200, true, false}} {
		inst := genInstance(genSpec{seed: tc.seed, side: 8, spacing: 1, cands: 14, existing: 6, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 3, staffCap: tc.staff})
		f, err := newForm(context.Background(), inst, Options{Model: Consolidate, TargetShare: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		got, hall := f.greedyFits(f.allow), hallDeficit(f, f.allow)
		if got && hall > 1e-9 {
			t.Fatalf("seed %d staff %d: greedy fits, Hall deficit %v", tc.seed, tc.staff, hall)
		}
		if tc.wantFits && !got {
			t.Fatalf("seed %d staff %d: ample capacity (Hall deficit %v) but the greedy test failed", tc.seed, tc.staff, hall)
		}
		if got {
			fits++
		}
		if hall > 1e-9 {
			short++
		}
	}
	if fits == 0 || short == 0 {
		t.Fatalf("%d cases placed by the greedy test, %d short of capacity: both sides must be exercised", fits, short)
	}
}

func inPairs(f *form, r int, j int32) bool {
	for _, q := range f.pairs[r] {
		if q.cand == j {
			return true
		}
	}
	return false
}

// The capacity search must return a plan that covers and fits, and its
// bound must never exceed the fewest points exhaustive search finds.
func TestCapacityPlanAgainstExhaustive(t *testing.T) {
	checked, zoned := 0, 0
	for k := 0; k < 16; k++ {
		tc := struct {
			seed  uint64
			staff int
		}{uint64(31 + k), []int{3, 4, 6, 10}[k%4]}
		inst := genInstance(genSpec{seed: tc.seed, side: 7, spacing: 1, cands: 14, existing: 5, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 2, staffCap: tc.staff})
		f, err := newForm(context.Background(), inst, Options{Model: Consolidate, TargetShare: 0.2})
		if err != nil {
			continue // too little coverable for this seed
		}
		cs := f.newCapSearch()
		m := len(f.fixed)
		bestN := math.MaxInt
		for set := uint32(0); set < 1<<m; set++ {
			open := make([]bool, m)
			ok := true
			for j := range open {
				open[j] = set&(1<<j) != 0
				if f.fixed[j] && !open[j] || open[j] && !f.allow[j] {
					ok = false
				}
			}
			if ok && count(open) < bestN && cs.covers(open) && f.capacityFlow(open).deficit <= 0 {
				bestN = count(open)
			}
		}
		start := make([]bool, m)
		for j := range start {
			start[j] = f.fixed[j]
		}
		// Start from a cover: every allowed candidate, then trimmed by the search.
		for j := range start {
			start[j] = start[j] || f.allow[j] && j%2 == 0
		}
		if !cs.covers(start) {
			for j := range start {
				start[j] = f.allow[j] || f.fixed[j]
			}
		}
		open, lower := f.capacityPlan(start, 0, nil)
		if bestN == math.MaxInt {
			if open != nil {
				t.Errorf("seed %d: plan found where exhaustive search finds none", tc.seed)
			}
			continue
		}
		if open == nil {
			t.Fatalf("seed %d staff %d: no plan, exhaustive search needs %d points", tc.seed, tc.staff, bestN)
		}
		if !cs.covers(open) || f.capacityFlow(open).deficit > 0 {
			t.Fatalf("seed %d: the plan does not cover or does not fit", tc.seed)
		}
		if lower > bestN || count(open) < bestN {
			t.Fatalf("seed %d staff %d: bound %d, plan %d, exhaustive optimum %d", tc.seed, tc.staff, lower, count(open), bestN)
		}
		checked++
		if lower > 0 {
			zoned++
		}
		t.Logf("seed %d staff %d: plan %d points, bound %d, optimum %d", tc.seed, tc.staff, count(open), lower, bestN)
	}
	if checked < 8 || zoned == 0 {
		t.Fatalf("%d instances checked, %d with a capacity bound: the cases do not exercise the search", checked, zoned)
	}
}
