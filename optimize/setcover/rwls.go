package setcover

import (
	"math/rand/v2"
	"slices"
	"sync/atomic"

	"github.com/onestop/onestop/optimize/work"
)

// rowWeighting improves a cover by the row-weighting local search (RWLS) of
// Gao, Weise and Li (2015), "An efficient local search heuristic with row
// weighting for the unicost set covering problem" (EJOR).
//
// Why: 2-1 and 1-1 swap walks (localSearch) stall on
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
func (c *scpCore) rowWeighting(start []int32, seed uint64, maxSteps int, target int, clk *work.Budget) []int32 {
	return c.rowWeightingRun(start, rwlsRun{seed: seed, maxSteps: maxSteps, target: target, clk: clk})
}

// rwlsRun says when a row-weighting search stops: after maxSteps steps
// (<= 0: no limit), when clk (may be nil) stops, at a cover of at most
// target columns, once bound (may be nil; set by a concurrent search, e.g.
// a packing) is at least the best cover's size, or — with patience > 0 —
// once it has gone patience steps, and twice as many steps as its last
// improvement took, without a smaller cover. onBest (may be nil) hears of
// each improvement.
type rwlsRun struct {
	seed                       uint64
	maxSteps, target, patience int
	bound                      *atomic.Int32
	clk                        *work.Budget
	onBest                     func(size, step int)
}

// rwlsStepWork is the budget charge of one step: the rows of the two
// columns moved, the lengths of a few of those rows, and the scan of a
// solution of size k.
func rwlsStepWork(c *scpCore, k int) int64 {
	nr, nc := max(1, len(c.rows)), max(1, len(c.cols))
	return 2*c.work()/int64(nc) + 4*c.work()/int64(nr) + int64(k)
}

// rowWeightingRun is the search itself. The result does not depend on
// when bound changes: the search keeps the first cover of each size, and a
// bound can only stop it at a cover no later cover could beat.
func (c *scpCore) rowWeightingRun(start []int32, run rwlsRun) []int32 {
	seed, maxSteps, target, patience, clk, onBest := run.seed, run.maxSteps, run.target, run.patience, run.clk, run.onBest
	best := slices.Clone(start)
	slices.Sort(best)
	if len(c.rows) == 0 || len(best) <= target || len(best) == 0 {
		return best
	}
	rng := rand.New(rand.NewPCG(seed, 0x3c6ef372fe94f82b))
	s := newRWLS(c, best)
	stepWork := rwlsStepWork(c, len(best))
	lastAdded, lastRemoved := int32(-1), int32(-1)
	improved := int64(0)
	for step := int64(1); maxSteps <= 0 || step <= int64(maxSteps); step++ {
		if step&1023 == 0 && clk.Spend(1024*stepWork) {
			break
		}
		if patience > 0 && step > max(int64(patience), 2*improved) {
			break
		}
		if run.bound != nil && step&255 == 0 && int(run.bound.Load()) >= len(best) {
			break
		}
		for len(s.uncov) == 0 {
			if len(s.sol) < len(best) {
				best = append(best[:0], s.sol...)
				improved = step
				if onBest != nil {
					onBest(len(best), int(step))
				}
				if len(best) <= target {
					slices.Sort(best)
					return best
				}
			}
			s.remove(s.bestIn(-1), step)
		}
		// Remove the least harmful column, not the one just added.
		if lastRemoved = s.bestIn(lastAdded); lastRemoved >= 0 {
			s.remove(lastRemoved, step)
		}
		// Cover a random uncovered row with its best allowed column; if
		// configuration checking forbids them all, drop it, then the tabu.
		r := s.uncov[rng.IntN(len(s.uncov))]
		bj := int32(-1)
		for pass := 0; pass < 3 && bj < 0; pass++ {
			for _, k := range c.rows[r] {
				if pass <= 1 && k == lastRemoved {
					continue
				}
				// The flag last: it is the dearest test.
				if (bj < 0 || s.better(k, bj)) && (pass > 0 || s.canAdd(k)) {
					bj = k
				}
			}
		}
		s.add(bj, step)
		lastAdded = bj
		s.bump()
	}
	if len(s.uncov) == 0 && len(s.sol) < len(best) {
		best = append(best[:0], s.sol...) // the last step ended on a cover
		if onBest != nil {
			onBest(len(best), maxSteps)
		}
	}
	slices.Sort(best)
	return best
}

// rwls is the state of the row-weighting search: the solution, the row
// weights and the column scores, kept consistent by add, remove and bump.
type rwls struct {
	c      *scpCore
	w      []int64 // row weights
	cnt    []int32 // selected columns meeting each row
	xor    []int32 // XOR of those columns: the unique one when cnt == 1
	score  []int64 // out: weight it would newly cover; in: minus weight only it covers
	stamp  []int64 // step of the last state change (age, for ties)
	inSol  []bool
	solPos []int32 // index in sol, when in
	sol    []int32
	uncov  []int32 // uncovered rows, in any order
	uncPos []int32 // index in uncov, when uncovered
	// Configuration checking: a removed column may come back only once a
	// neighbour (a column sharing a row) changed state. Setting a flag on
	// every neighbour at every move would cost the full length of the
	// moved column's rows; instead each state change gets a tick, rows
	// remember the tick of their last change, and canAdd(k) asks whether
	// one of k's rows changed after k's removal: the same flag, computed
	// only for the few columns the add step compares.
	tick      int64
	removedAt []int64 // tick of the last removal; 0: never removed
	rowTick   []int64 // tick of the last change of a column of the row
}

// newRWLS starts from the columns of sol (duplicates ignored), all row
// weights 1.
func newRWLS(c *scpCore, sol []int32) *rwls {
	nr, nc := len(c.rows), len(c.cols)
	s := &rwls{
		c: c, w: make([]int64, nr), cnt: make([]int32, nr), xor: make([]int32, nr),
		score: make([]int64, nc), stamp: make([]int64, nc), inSol: make([]bool, nc),
		solPos: make([]int32, nc), sol: make([]int32, 0, len(sol)),
		uncov: make([]int32, 0, nr), uncPos: make([]int32, nr),
		removedAt: make([]int64, nc), rowTick: make([]int64, nr),
	}
	for i := range s.w {
		s.w[i] = 1
	}
	for _, j := range sol {
		if s.inSol[j] {
			continue
		}
		s.inSol[j] = true
		s.solPos[j] = int32(len(s.sol))
		s.sol = append(s.sol, j)
		for _, i := range c.cols[j] {
			s.cnt[i]++
			s.xor[i] ^= j
		}
	}
	for i := 0; i < nr; i++ {
		switch s.cnt[i] {
		case 0:
			s.uncPos[i] = int32(len(s.uncov))
			s.uncov = append(s.uncov, int32(i))
			for _, j := range c.rows[i] {
				s.score[j] += s.w[i]
			}
		case 1:
			s.score[s.xor[i]] -= s.w[i]
		}
	}
	return s
}

// add puts column j (out) into the solution.
func (s *rwls) add(j int32, step int64) {
	s.inSol[j] = true
	s.solPos[j] = int32(len(s.sol))
	s.sol = append(s.sol, j)
	s.stamp[j] = step
	s.tick++
	s.score[j] = -s.score[j] // the rows it newly covers are now its alone
	for _, i := range s.c.cols[j] {
		s.rowTick[i] = s.tick
		switch s.cnt[i] {
		case 0:
			// Covered now: no other column gains it any more.
			wi := s.w[i]
			for _, k := range s.c.rows[i] {
				if k != j {
					s.score[k] -= wi
				}
			}
			last := s.uncov[len(s.uncov)-1]
			s.uncov[s.uncPos[i]] = last
			s.uncPos[last] = s.uncPos[i]
			s.uncov = s.uncov[:len(s.uncov)-1]
		case 1:
			s.score[s.xor[i]] += s.w[i] // no longer its alone
		}
		s.cnt[i]++
		s.xor[i] ^= j
	}
}

// remove takes column j (in) out of the solution.
func (s *rwls) remove(j int32, step int64) {
	s.inSol[j] = false
	last := s.sol[len(s.sol)-1]
	s.sol[s.solPos[j]] = last
	s.solPos[last] = s.solPos[j]
	s.sol = s.sol[:len(s.sol)-1]
	s.stamp[j] = step
	s.tick++
	s.removedAt[j] = s.tick
	s.score[j] = -s.score[j] // the rows only it met are uncovered now
	for _, i := range s.c.cols[j] {
		s.rowTick[i] = s.tick
		s.cnt[i]--
		s.xor[i] ^= j
		switch s.cnt[i] {
		case 0:
			wi := s.w[i]
			for _, k := range s.c.rows[i] {
				if k != j {
					s.score[k] += wi
				}
			}
			s.uncPos[i] = int32(len(s.uncov))
			s.uncov = append(s.uncov, i)
		case 1:
			s.score[s.xor[i]] -= s.w[i] // its alone now
		}
	}
}

// bump adds 1 to the weight of every uncovered row.
func (s *rwls) bump() {
	for _, i := range s.uncov {
		s.w[i]++
		for _, k := range s.c.rows[i] {
			s.score[k]++
		}
	}
}

// canAdd is the configuration-checking flag of column k (out).
func (s *rwls) canAdd(k int32) bool {
	t := s.removedAt[k]
	if t == 0 {
		return true
	}
	for _, i := range s.c.cols[k] {
		if s.rowTick[i] > t {
			return true
		}
	}
	return false
}

// better: higher score, then older, then lower index.
func (s *rwls) better(a, b int32) bool {
	if s.score[a] != s.score[b] {
		return s.score[a] > s.score[b]
	}
	if s.stamp[a] != s.stamp[b] {
		return s.stamp[a] < s.stamp[b]
	}
	return a < b
}

// bestIn is the best column of the solution other than skip; -1 if none.
func (s *rwls) bestIn(skip int32) int32 {
	bj := int32(-1)
	for _, j := range s.sol {
		if j != skip && (bj < 0 || s.better(j, bj)) {
			bj = j
		}
	}
	return bj
}
