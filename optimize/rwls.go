package optimize

import (
	"math/rand/v2"
	"slices"
)

// rowWeighting improves a cover by the row-weighting local search (RWLS) of
// Gao, Weise and Li (2015), "An efficient local search heuristic with row
// weighting for the unicost set covering problem" (EJOR).
//
// Why: the 2-1 and 1-1 swap walks (localSearch, plateauSearch) stall on
// hard cores where every smaller cover differs from the incumbent in many
// columns. RWLS keeps one column fewer than the best cover and walks
// through infeasible solutions; rows that stay uncovered grow heavier, so
// the search is pushed, step after step, towards covering them.
//
// What: every row i has a weight w_i (initially 1). A column's score is
// the weight it would newly cover when out of the solution, and minus the
// weight only it covers when in. Whenever the solution is a cover it is
// recorded and the column of highest score (least loss) is removed. Each
// step then removes the highest-scoring column but the one just added,
// picks a random uncovered row and adds its highest-scoring column that
// configuration checking allows (a removed column may come back only after
// a column sharing a row with it changed state) and that is not the column
// just removed, and finally adds 1 to the weight of every uncovered row.
// Ties go to the column whose state changed longest ago, then the lower
// index. Scores are updated incrementally from per-row counts of selected
// columns (and, for rows met once, the XOR of their selected columns, which
// is then the unique one), so a step costs the rows of the two columns
// moved, the full length of those of their rows that become covered or
// uncovered and of the uncovered rows (their weights grow), plus a scan
// of the solution; it does not allocate. Configuration checking costs no
// more: see canAdd below.
//
// start must be a cover (core column indices, no duplicates). The result
// is the smallest cover seen, never larger than start, as a fresh slice in
// increasing order. The search stops after maxSteps steps (<= 0: no step
// limit), when clk (may be nil) stops, or at a cover of at most target
// columns (a lower bound). For a given seed and number of steps it is
// deterministic.
func (c *scpCore) rowWeighting(start []int32, seed uint64, maxSteps int, target int, clk *clock) []int32 {
	return c.rowWeightingTrace(start, seed, maxSteps, target, clk, nil)
}

// rowWeightingTrace is rowWeighting with a callback on each improvement
// (cover size and step), for progress reports in benchmarks.
func (c *scpCore) rowWeightingTrace(start []int32, seed uint64, maxSteps int, target int, clk *clock, onBest func(size, step int)) []int32 {
	best := slices.Clone(start)
	slices.Sort(best)
	nr, nc := len(c.rows), len(c.cols)
	if nr == 0 || len(best) <= target || len(best) == 0 {
		return best
	}
	rng := rand.New(rand.NewPCG(seed, 0x3c6ef372fe94f82b))

	w := make([]int64, nr)     // row weights
	cnt := make([]int32, nr)   // selected columns meeting each row
	xor := make([]int32, nr)   // XOR of those columns: the unique one when cnt == 1
	score := make([]int64, nc) // see the doc comment
	stamp := make([]int64, nc) // step of the last state change (age)
	// Configuration checking: a removed column may come back only once a
	// neighbour (a column sharing a row) changed state. Setting a flag on
	// every neighbour at every move would cost the full length of the
	// moved column's rows; instead each state change gets a tick, rows
	// remember the tick of their last change, and canAdd(k) asks whether
	// one of k's rows changed after k's removal: the same flag, computed
	// only for the few columns the add step compares.
	tick := int64(0)
	removedAt := make([]int64, nc) // tick of the last removal; 0: never removed
	rowTick := make([]int64, nr)   // tick of the last change of a column of the row
	inSol := make([]bool, nc)
	solPos := make([]int32, nc) // index in sol, when in
	sol := make([]int32, 0, len(best))
	uncov := make([]int32, 0, nr) // uncovered rows, in any order
	uncPos := make([]int32, nr)   // index in uncov, when uncovered

	for i := range w {
		w[i] = 1
	}
	for _, j := range best {
		if inSol[j] {
			continue
		}
		inSol[j] = true
		solPos[j] = int32(len(sol))
		sol = append(sol, j)
		for _, i := range c.cols[j] {
			cnt[i]++
			xor[i] ^= j
		}
	}
	for i := 0; i < nr; i++ {
		switch cnt[i] {
		case 0:
			uncPos[i] = int32(len(uncov))
			uncov = append(uncov, int32(i))
			for _, j := range c.rows[i] {
				score[j] += w[i]
			}
		case 1:
			score[xor[i]] -= w[i]
		}
	}

	// add and remove keep cnt, xor, score, the uncovered list and the
	// configuration-checking flags of the neighbours in step.
	add := func(j int32, step int64) {
		inSol[j] = true
		solPos[j] = int32(len(sol))
		sol = append(sol, j)
		stamp[j] = step
		tick++
		score[j] = -score[j] // the rows it newly covers are now its alone
		for _, i := range c.cols[j] {
			rowTick[i] = tick
			switch cnt[i] {
			case 0:
				// Covered now: no other column gains it any more.
				wi := w[i]
				for _, k := range c.rows[i] {
					if k != j {
						score[k] -= wi
					}
				}
				last := uncov[len(uncov)-1]
				uncov[uncPos[i]] = last
				uncPos[last] = uncPos[i]
				uncov = uncov[:len(uncov)-1]
			case 1:
				score[xor[i]] += w[i] // no longer its alone
			}
			cnt[i]++
			xor[i] ^= j
		}
	}
	remove := func(j int32, step int64) {
		inSol[j] = false
		last := sol[len(sol)-1]
		sol[solPos[j]] = last
		solPos[last] = solPos[j]
		sol = sol[:len(sol)-1]
		stamp[j] = step
		tick++
		removedAt[j] = tick
		score[j] = -score[j] // the rows only it met are uncovered now
		for _, i := range c.cols[j] {
			rowTick[i] = tick
			cnt[i]--
			xor[i] ^= j
			switch cnt[i] {
			case 0:
				wi := w[i]
				for _, k := range c.rows[i] {
					if k != j {
						score[k] += wi
					}
				}
				uncPos[i] = int32(len(uncov))
				uncov = append(uncov, i)
			case 1:
				score[xor[i]] -= w[i] // its alone now
			}
		}
	}
	canAdd := func(k int32) bool {
		t := removedAt[k]
		if t == 0 {
			return true
		}
		for _, i := range c.cols[k] {
			if rowTick[i] > t {
				return true
			}
		}
		return false
	}
	// better: higher score, then older, then lower index.
	better := func(a, b int32) bool {
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		if stamp[a] != stamp[b] {
			return stamp[a] < stamp[b]
		}
		return a < b
	}
	bestIn := func(skip int32) int32 {
		bj := int32(-1)
		for _, j := range sol {
			if j != skip && (bj < 0 || better(j, bj)) {
				bj = j
			}
		}
		return bj
	}

	lastAdded, lastRemoved := int32(-1), int32(-1)
	for step := int64(1); maxSteps <= 0 || step <= int64(maxSteps); step++ {
		if clk != nil && step&1023 == 0 && clk.check() {
			break
		}
		for len(uncov) == 0 {
			if len(sol) < len(best) {
				best = append(best[:0], sol...)
				if onBest != nil {
					onBest(len(best), int(step))
				}
				if len(best) <= target {
					slices.Sort(best)
					return best
				}
			}
			remove(bestIn(-1), step)
		}
		// Remove the least harmful column, not the one just added.
		if j := bestIn(lastAdded); j >= 0 {
			remove(j, step)
			lastRemoved = j
		}
		// Cover a random uncovered row with its best allowed column; if
		// configuration checking forbids them all, drop it, then the tabu.
		r := uncov[rng.IntN(len(uncov))]
		bj := int32(-1)
		for pass := 0; pass < 3 && bj < 0; pass++ {
			for _, k := range c.rows[r] {
				if pass <= 1 && k == lastRemoved {
					continue
				}
				// The flag last: it is the dearest test.
				if (bj < 0 || better(k, bj)) && (pass > 0 || canAdd(k)) {
					bj = k
				}
			}
		}
		add(bj, step)
		lastAdded = bj
		for _, i := range uncov {
			w[i]++
			for _, k := range c.rows[i] {
				score[k]++
			}
		}
	}
	if len(uncov) == 0 && len(sol) < len(best) {
		best = append(best[:0], sol...) // the last step ended on a cover
		if onBest != nil {
			onBest(len(best), maxSteps)
		}
	}
	slices.Sort(best)
	return best
}
