package setcover

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onestop/onestop/optimize/work"
)

// rwlsRandomRows draws nr rows over nc columns, each with 1..maxLen
// distinct columns, sorted.
func rwlsRandomRows(rng *rand.Rand, nr, nc, maxLen int) [][]int32 {
	rows := make([][]int32, nr)
	for i := range rows {
		n := 1 + rng.IntN(min(maxLen, nc))
		perm := rng.Perm(nc)[:n]
		r := make([]int32, n)
		for k, c := range perm {
			r[k] = int32(c)
		}
		slices.Sort(r)
		rows[i] = r
	}
	return rows
}

// rwlsCheckCover fails unless sol is a sorted, duplicate-free cover of c.
func rwlsCheckCover(t *testing.T, c *scpCore, sol []int32) {
	t.Helper()
	in := make([]bool, len(c.cols))
	for k, j := range sol {
		if j < 0 || int(j) >= len(c.cols) {
			t.Fatalf("column %d out of range", j)
		}
		if k > 0 && sol[k-1] >= j {
			t.Fatalf("not sorted ascending without duplicates: %v", sol)
		}
		in[j] = true
	}
	for i, r := range c.rows {
		if !slices.ContainsFunc(r, func(j int32) bool { return in[j] }) {
			t.Fatalf("row %d %v not covered by %v", i, r, sol)
		}
	}
}

// rwlsOptimum is the minimum cover size by enumerating the column subsets
// of each size in turn (Gosper's hack), smallest first.
func rwlsOptimum(c *scpCore) int {
	nc := len(c.cols)
	masks := make([]uint32, len(c.rows))
	for i, r := range c.rows {
		for _, j := range r {
			masks[i] |= 1 << uint(j)
		}
	}
	covers := func(set uint32) bool {
		for _, m := range masks {
			if m&set == 0 {
				return false
			}
		}
		return true
	}
	for k := 1; k <= nc; k++ {
		for set := uint32(1)<<uint(k) - 1; set < 1<<uint(nc); {
			if covers(set) {
				return k
			}
			low := set & -set
			ripple := set + low
			set = ((ripple^set)>>2)/low | ripple
		}
	}
	return nc
}

func TestRowWeightingFindsOptimumOnSmallInstances(t *testing.T) {
	rng := rand.New(rand.NewPCG(2015, 7))
	const n = 30
	optimal := 0
	for k := 0; k < n; k++ {
		nc := 6 + rng.IntN(15)  // 6..20
		nr := 10 + rng.IntN(31) // 10..40
		core, _ := newCore(rwlsRandomRows(rng, nr, nc, 2+rng.IntN(4)))
		opt := rwlsOptimum(core)
		var start []int32
		if k%2 == 0 {
			// From every column: the cover phase must strip the redundancy.
			for j := range core.cols {
				start = append(start, int32(j))
			}
		} else {
			st := &scpState{col: make([]int8, len(core.cols)), met: make([]int32, len(core.rows))}
			start = core.greedy(st, nil, false)
		}
		before := slices.Clone(start)
		got := core.rowWeighting(start, uint64(k), 3000, 0, nil)
		rwlsCheckCover(t, core, got)
		if !slices.Equal(start, before) {
			t.Fatalf("instance %d: start modified", k)
		}
		if len(got) > 0 && len(start) > 0 && &got[0] == &start[0] {
			t.Fatalf("instance %d: result aliases start", k)
		}
		if len(got) > len(start) {
			t.Errorf("instance %d: %d columns, more than the start's %d", k, len(got), len(start))
		}
		if len(got) < opt {
			t.Fatalf("instance %d: cover of %d below the optimum %d: the brute force is wrong", k, len(got), opt)
		}
		if len(got) == opt {
			optimal++
		} else {
			t.Errorf("instance %d (%d rows, %d columns): %d columns, optimum %d (start %d)", k, len(core.rows), len(core.cols), len(got), opt, len(start))
		}
		// With the optimum as target it stops there.
		if got := core.rowWeighting(start, uint64(k), 3000, opt, nil); len(got) != opt {
			t.Errorf("instance %d: target %d gave %d columns", k, opt, len(got))
		}
	}
	t.Logf("optimal on %d of %d instances", optimal, n)
}

// TestRowWeightingBookkeeping drives the search state by random moves and
// checks the incremental counts, scores, uncovered list and configuration
// flags against a recomputation after each.
func TestRowWeightingBookkeeping(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	c, _ := newCore(rwlsRandomRows(rng, 120, 40, 6))
	st := &scpState{col: make([]int8, len(c.cols)), met: make([]int32, len(c.rows))}
	s := newRWLS(c, c.greedy(st, nil, false))
	// The configuration-checking flags as the paper keeps them: a removal
	// clears the column's flag, any change sets its neighbours'.
	flag := make([]bool, len(c.cols))
	for j := range flag {
		flag[j] = true
	}
	touch := func(j int32) {
		for _, i := range c.cols[j] {
			for _, k := range c.rows[i] {
				flag[k] = true
			}
		}
	}
	for step := int64(1); step <= 3000; step++ {
		switch op := rng.IntN(3); {
		case op == 0 && len(s.sol) > 0:
			j := s.sol[rng.IntN(len(s.sol))]
			s.remove(j, step)
			touch(j)
			flag[j] = false
		case op == 1:
			j := int32(rng.IntN(len(c.cols)))
			if !s.inSol[j] {
				s.add(j, step)
				touch(j)
			}
		default:
			s.bump()
		}
		unc := 0
		for i, r := range c.rows {
			n, x := int32(0), int32(0)
			for _, k := range r {
				if s.inSol[k] {
					n++
					x ^= k
				}
			}
			if n != s.cnt[i] || (n == 1 && x != s.xor[i]) {
				t.Fatalf("step %d row %d: count %d (unique %d), kept %d (%d)", step, i, n, x, s.cnt[i], s.xor[i])
			}
			if n == 0 {
				unc++
				if s.uncov[s.uncPos[i]] != int32(i) {
					t.Fatalf("step %d: row %d uncovered but not listed", step, i)
				}
			}
		}
		if unc != len(s.uncov) {
			t.Fatalf("step %d: %d uncovered rows, %d listed", step, unc, len(s.uncov))
		}
		for k, j := range s.sol {
			if !s.inSol[j] || s.solPos[j] != int32(k) {
				t.Fatalf("step %d: solution list broken at %d", step, k)
			}
		}
		for j := range c.cols {
			var sc int64
			for _, i := range c.cols[j] {
				if s.inSol[j] && s.cnt[i] == 1 {
					sc -= s.w[i]
				} else if !s.inSol[j] && s.cnt[i] == 0 {
					sc += s.w[i]
				}
			}
			if sc != s.score[j] {
				t.Fatalf("step %d: column %d score %d, want %d", step, j, s.score[j], sc)
			}
			if !s.inSol[j] && s.canAdd(int32(j)) != flag[j] {
				t.Fatalf("step %d: column %d canAdd %v, want %v", step, j, s.canAdd(int32(j)), flag[j])
			}
		}
	}
}

func TestRowWeightingDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 1))
	core, _ := newCore(rwlsRandomRows(rng, 600, 150, 8))
	st := &scpState{col: make([]int8, len(core.cols)), met: make([]int32, len(core.rows))}
	start := core.greedy(st, nil, false)
	a := core.rowWeighting(start, 7, 5000, 0, nil)
	other := core.rowWeighting(start, 8, 5000, 0, nil)
	b := core.rowWeighting(start, 7, 5000, 0, nil)
	for _, s := range [][]int32{a, b, other} {
		rwlsCheckCover(t, core, s)
		if len(s) > len(start) {
			t.Fatalf("%d columns, start had %d", len(s), len(start))
		}
	}
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different covers:\n%v\n%v", a, b)
	}
	t.Logf("greedy %d, seed 7: %d, seed 8: %d", len(start), len(a), len(other))
}

func TestRowWeightingStopsOnClock(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	core, _ := newCore(rwlsRandomRows(rng, 300, 100, 6))
	st := &scpState{col: make([]int8, len(core.cols)), met: make([]int32, len(core.rows))}
	start := core.greedy(st, nil, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan []int32, 1)
	// No step limit: only the clock can end it.
	go func() { done <- core.rowWeighting(start, 1, 0, 0, work.New(ctx, 0, time.Time{})) }()
	select {
	case got := <-done:
		rwlsCheckCover(t, core, got)
	case <-time.After(30 * time.Second):
		t.Fatal("rowWeighting ignored a cancelled clock")
	}
}

func TestRowWeightingNoAllocPerStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	core, _ := newCore(rwlsRandomRows(rng, 400, 120, 6))
	st := &scpState{col: make([]int8, len(core.cols)), met: make([]int32, len(core.rows))}
	start := core.greedy(st, nil, false)
	short := testing.AllocsPerRun(3, func() { core.rowWeighting(start, 1, 100, 0, nil) })
	long := testing.AllocsPerRun(3, func() { core.rowWeighting(start, 1, 20000, 0, nil) })
	if long > short {
		t.Errorf("%v allocations for 20000 steps, %v for 100: the step allocates", long, short)
	}
}

// BenchmarkRowWeighting runs the row-weighting search for 20,000 steps
// on a random core of 3,000 rows over 600 columns from the greedy cover.
func BenchmarkRowWeighting(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 11))
	c, _ := newCore(rwlsRandomRows(rng, 3000, 600, 12))
	st := &scpState{col: make([]int8, len(c.cols)), met: make([]int32, len(c.rows))}
	start := c.greedy(st, nil, false)
	b.ResetTimer()
	var best []int32
	for n := 0; n < b.N; n++ {
		best = c.rowWeighting(start, 1, 20_000, 0, nil)
	}
	b.ReportMetric(float64(len(best)), "cover")
}

// A bound set by a concurrent search stops the walk only at a cover that
// cannot be beaten, so the result is the one the walk finds without it;
// patience stops a walk that no longer improves.
func TestRowWeightingBoundAndPatience(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 1))
	for k := 0; k < 20; k++ {
		core, _ := newCore(rwlsRandomRows(rng, 30+rng.IntN(10), 16+rng.IntN(4), 3))
		opt := rwlsOptimum(core)
		var start []int32
		for j := range core.cols {
			start = append(start, int32(j))
		}
		free := core.rowWeightingRun(start, rwlsRun{seed: uint64(k), maxSteps: 3000})
		var b atomic.Int32
		b.Store(int32(opt))
		bounded := core.rowWeightingRun(start, rwlsRun{seed: uint64(k), maxSteps: 3000, bound: &b})
		if len(free) == opt && !slices.Equal(free, bounded) {
			t.Errorf("instance %d: bound changed the result: %v, without it %v", k, bounded, free)
		}
		if len(bounded) < opt {
			t.Fatalf("instance %d: %d columns below the optimum %d", k, len(bounded), opt)
		}
		steps := 0
		patient := core.rowWeightingRun(start, rwlsRun{seed: uint64(k), maxSteps: 100000, patience: 50,
			onBest: func(_, step int) { steps = step }})
		rwlsCheckCover(t, core, patient)
		if steps > 100000/2 {
			t.Errorf("instance %d: last improvement at step %d; patience 50 should stop far earlier", k, steps)
		}
	}
}
