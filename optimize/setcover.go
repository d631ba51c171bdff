package optimize

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/onestop/onestop/optimize/work"
)

// scpCore is a unit-cost set-covering problem on compact column indices.
type scpCore struct {
	rows [][]int32 // row -> columns
	cols [][]int32 // column -> rows
	nnz  int64     // entries, cached by work
}

func newCore(rows [][]int32) (*scpCore, []int32) {
	// Renumber columns densely; orig maps back to candidate indices.
	var orig []int32
	idx := map[int32]int32{}
	for _, r := range rows {
		for _, c := range r {
			if _, ok := idx[c]; !ok {
				idx[c] = -1
				orig = append(orig, c)
			}
		}
	}
	slices.Sort(orig)
	for k, c := range orig {
		idx[c] = int32(k)
	}
	core := &scpCore{rows: make([][]int32, len(rows))}
	for i, r := range rows {
		nr := make([]int32, len(r))
		for k, c := range r {
			nr[k] = idx[c]
		}
		core.rows[i] = nr
	}
	core.cols = columnRows(core.rows, len(orig))
	return core, orig
}

// work is the budget charge of one pass over the core: its entries.
func (c *scpCore) work() int64 {
	if c.nnz == 0 {
		for _, r := range c.rows {
			c.nnz += int64(len(r))
		}
		c.nnz = max(c.nnz, 1)
	}
	return c.nnz
}

// scpState is a branch-and-bound node: which columns are in, out or free,
// and how often each row is met by the columns in.
type scpState struct {
	col []int8  // 0 free, 1 in, -1 out
	met []int32 // per row: number of columns in
	in  int
}

// lagrange maximises the Lagrangian dual of the residual problem (rows not
// yet met, free columns) by subgradient optimisation, warm-started from lam,
// and returns the best bound, the reduced costs at the best multipliers,
// and the columns of the Lagrangian solution tried as a cover if it helps.
// ub is the incumbent value for the residual (number of further columns).
func (c *scpCore) lagrange(st *scpState, lam []float64, ub float64, iters int, heur func(lam []float64) float64, clk *work.Budget) (float64, []float64) {
	nr, nc := len(c.rows), len(c.cols)
	red := make([]float64, nc)
	g := make([]float64, nr)
	bestLam := slices.Clone(lam)
	best := math.Inf(-1)
	// Polyak steps towards the incumbent; the step factor halves after
	// `patience` iterations without a better bound.
	theta, stall := 2.0, 0
	patience := 30
	for it := 0; it < iters; it++ {
		if clk.Spend(2 * c.work()) {
			break
		}
		L := 0.0
		for i := 0; i < nr; i++ {
			if st.met[i] == 0 {
				L += lam[i]
			}
		}
		c.reducedCosts(st, lam, red)
		for j, r := range red {
			if st.col[j] == 0 && r < 0 {
				L += r
			}
		}
		if L > best+1e-9 {
			best, stall = L, 0
			copy(bestLam, lam)
		} else if stall++; stall >= patience {
			theta, stall = theta/2, 0
		}
		if heur != nil && it%10 == 0 {
			// Primal heuristic at the current multipliers; a better cover
			// lowers the step target too.
			ub = min(ub, heur(lam))
		}
		if math.Ceil(best-1e-6) >= ub || theta < 1e-5 {
			break
		}
		norm := 0.0
		for i := 0; i < nr; i++ {
			g[i] = 0
			if st.met[i] == 0 {
				g[i] = 1
			}
		}
		for j := 0; j < nc; j++ {
			if st.col[j] == 0 && red[j] < 0 {
				for _, i := range c.cols[j] {
					g[i]--
				}
			}
		}
		for i := 0; i < nr; i++ {
			if st.met[i] == 0 {
				// A multiplier at zero cannot decrease further.
				if lam[i] <= 0 && g[i] < 0 {
					g[i] = 0
				}
				norm += g[i] * g[i]
			}
		}
		if norm == 0 {
			break // the Lagrangian solution is a cover meeting every row once: optimal
		}
		step := theta * (ub - L) / norm
		for i := 0; i < nr; i++ {
			if st.met[i] == 0 {
				lam[i] = max(0, lam[i]+step*g[i])
			}
		}
	}
	copy(lam, bestLam)
	// Reduced costs at the returned multipliers, used for branching order.
	c.reducedCosts(st, lam, red)
	return best, red
}

// reducedCosts sets red[j] = 1 − Σ lam over the open rows of column j for
// every free column (others are left as they are).
func (c *scpCore) reducedCosts(st *scpState, lam, red []float64) {
	for j, col := range c.cols {
		if st.col[j] != 0 {
			continue
		}
		r := 1.0
		for _, i := range col {
			if st.met[i] == 0 {
				r -= lam[i]
			}
		}
		red[j] = r
	}
}

// greedy completes st to a cover: first the columns with negative reduced
// cost (the Lagrangian solution), then the column meeting most open rows
// (ties: lower reduced cost, then index), then drops redundant columns.
// It returns the extra columns, or nil if some row cannot be met.
func (c *scpCore) greedy(st *scpState, red []float64, useLagr bool) []int32 {
	nr, nc := len(c.rows), len(c.cols)
	met := slices.Clone(st.met)
	var pick []int32
	add := func(j int) {
		pick = append(pick, int32(j))
		for _, i := range c.cols[j] {
			met[i]++
		}
	}
	taken := make([]bool, nc)
	if useLagr && red != nil {
		for j := 0; j < nc; j++ {
			if st.col[j] == 0 && red[j] < 0 {
				add(j)
				taken[j] = true
			}
		}
	}
	cnt := make([]int, nc)
	open := 0
	for i := 0; i < nr; i++ {
		if met[i] == 0 {
			open++
			for _, j := range c.rows[i] {
				cnt[j]++
			}
		}
	}
	for open > 0 {
		bj := -1
		for j := 0; j < nc; j++ {
			if st.col[j] != 0 || taken[j] || cnt[j] == 0 {
				continue
			}
			if bj < 0 || cnt[j] > cnt[bj] || (cnt[j] == cnt[bj] && red != nil && red[j] < red[bj]) {
				bj = j
			}
		}
		if bj < 0 {
			return nil
		}
		taken[bj] = true
		for _, i := range c.cols[bj] {
			if met[i] == 0 {
				open--
				for _, j := range c.rows[i] {
					cnt[j]--
				}
			}
		}
		add(bj)
	}
	// Redundancy: try to drop the most expensive-looking columns first.
	order := make([]int, len(pick))
	for k := range order {
		order[k] = k
	}
	if red != nil {
		sortInts(order, func(a, b int) bool { return red[pick[a]] > red[pick[b]] })
	}
	drop := make([]bool, len(pick))
	for _, k := range order {
		j := pick[k]
		need := false
		for _, i := range c.cols[j] {
			if met[i] <= 1 {
				need = true
				break
			}
		}
		if !need {
			drop[k] = true
			for _, i := range c.cols[j] {
				met[i]--
			}
		}
	}
	out := pick[:0]
	for k, j := range pick {
		if !drop[k] {
			out = append(out, j)
		}
	}
	return out
}

// scpSearch is the branch-and-bound over a core.
type scpSearch struct {
	core  *scpCore
	clk   *work.Budget
	best  []int32 // incumbent (core column indices)
	nodes int
	done  bool // the search finished: the incumbent is optimal
	// rootLB is the Lagrangian bound of the root node (columns forced
	// there included); valid for the whole problem.
	rootLB float64
}

func (s *scpSearch) improve(st *scpState, extra []int32) {
	if extra == nil {
		return
	}
	if s.best == nil || st.in+len(extra) < len(s.best) {
		var sol []int32
		for j, v := range st.col {
			if v == 1 {
				sol = append(sol, int32(j))
			}
		}
		sol = append(sol, extra...)
		slices.Sort(sol)
		s.best = sol
	}
}

func (s *scpSearch) setIn(st *scpState, j int32) {
	st.col[j] = 1
	st.in++
	for _, i := range s.core.cols[j] {
		st.met[i]++
	}
}

func (s *scpSearch) unsetIn(st *scpState, j int32) {
	st.col[j] = 0
	st.in--
	for _, i := range s.core.cols[j] {
		st.met[i]--
	}
}

// dfs explores the node st; it returns false when the clock stopped it.
// Branching is on columns (in first: a Lagrangian dive, then out), with
// unit propagation (a row left with one free column forces it) and
// reduced-cost fixing (a column whose reduced cost lifts the bound past the
// incumbent is excluded from the subtree).
func (s *scpSearch) dfs(st *scpState, lam []float64, depth int) bool {
	if s.clk.Spend(s.core.work()) {
		return false
	}
	s.nodes++
	var setIn, setOut []int32
	defer func() {
		for _, j := range setIn {
			s.unsetIn(st, j)
		}
		for _, j := range setOut {
			st.col[j] = 0
		}
	}()
	for {
		forced := false
		open := false
		for i, r := range s.core.rows {
			if st.met[i] > 0 {
				continue
			}
			open = true
			n, last := 0, int32(-1)
			for _, j := range r {
				if st.col[j] == 0 {
					n++
					last = j
				}
			}
			if n == 0 {
				return true
			}
			if n == 1 {
				s.setIn(st, last)
				setIn = append(setIn, last)
				forced = true
			}
		}
		if !open {
			s.improve(st, []int32{})
			return true
		}
		if !forced {
			break
		}
	}
	if st.in+1 >= len(s.best) {
		return true
	}
	iters := 10
	if depth == 0 {
		iters = 600
	}
	ub := float64(len(s.best) - st.in)
	heur := func(l []float64) float64 {
		g := s.core.greedyLagr(st, l)
		if g != nil && st.in+len(g) <= len(s.best) {
			// The 2-1 search is worth its cost only near the incumbent.
			g = s.core.localSearch(g)
		}
		s.improve(st, g)
		return float64(len(s.best) - st.in)
	}
	var h func([]float64) float64
	if depth == 0 {
		h = heur
	}
	lb, red := s.core.lagrange(st, lam, ub, iters, h, s.clk)
	if depth == 0 {
		// The root's residual bound plus the columns unit propagation forced.
		s.rootLB = max(s.rootLB, float64(st.in)+lb)
	}
	if depth > 0 {
		// A few seeded packing restarts per node: cheap, and the bound that
		// prunes best on covering instances with an integral LP.
		rng := rand.New(rand.NewPCG(uint64(s.nodes), 0x9ac))
		pk := len(s.core.packing(st, nil))
		for k := 0; k < 8 && float64(st.in+pk) < float64(len(s.best)); k++ {
			pk = max(pk, len(s.core.packing(st, rng)))
		}
		lb = max(lb, float64(pk))
	}
	heur(lam)
	gapLeft := float64(len(s.best)-st.in) - 1 + 1e-6 // room for a strictly better cover
	if math.Ceil(lb-1e-6) > gapLeft {
		return true
	}
	for j := range st.col {
		if st.col[j] == 0 && red[j] > 0 && lb+red[j] > gapLeft {
			st.col[j] = -1
			setOut = append(setOut, int32(j))
		}
	}
	// Branch on the open row with the fewest free columns: one child per
	// column, the k-th excluding the columns of the earlier children, so
	// the children partition the covers of this node.
	br, bn := -1, math.MaxInt
	for i, r := range s.core.rows {
		if st.met[i] > 0 {
			continue
		}
		n := 0
		for _, j := range r {
			if st.col[j] == 0 {
				n++
			}
		}
		if n < bn {
			br, bn = i, n
		}
	}
	if br < 0 || bn == 0 {
		return true
	}
	var cand []int32
	for _, j := range s.core.rows[br] {
		if st.col[j] == 0 {
			cand = append(cand, j)
		}
	}
	// Most attractive first: lowest reduced cost, then most open rows met.
	meets := func(j int32) int {
		n := 0
		for _, i := range s.core.cols[j] {
			if st.met[i] == 0 {
				n++
			}
		}
		return n
	}
	cnt := make(map[int32]int, len(cand))
	for _, j := range cand {
		cnt[j] = meets(j)
	}
	slices.SortStableFunc(cand, func(a, b int32) int {
		switch {
		case red[a] < red[b]-1e-9:
			return -1
		case red[a] > red[b]+1e-9:
			return 1
		}
		return cnt[b] - cnt[a]
	})
	child := slices.Clone(lam)
	ok := true
	var excluded []int32
	for _, j := range cand {
		if st.in+1 >= len(s.best) {
			break
		}
		copy(child, lam)
		s.setIn(st, j)
		ok = s.dfs(st, child, depth+1)
		s.unsetIn(st, j)
		if !ok {
			break
		}
		st.col[j] = -1
		excluded = append(excluded, j)
	}
	for _, j := range excluded {
		st.col[j] = 0
	}
	return ok
}

// coverResult is the outcome of the exact set-covering solver.
type coverResult struct {
	Chosen  []int32 // candidate indices, sorted, fixed ones included
	Lower   int     // proven lower bound on len(Chosen)
	Optimal bool
	Nodes   int
	Red     reduction
}

// solveCover finds a minimum number of columns meeting every row, given the
// fixed columns, by reductions, a Lagrangian bound, greedy and branch and
// bound. rows must each contain at least one allowed column.
func solveCover(rows [][]int32, fixed []bool, m int, clk *work.Budget) coverResult {
	var res coverResult
	var open [][]int32
	for _, r := range rows {
		if !meets(r, fixed) {
			open = append(open, r)
		}
	}
	red := reduceCover(open, m)
	res.Red = red
	chosen := map[int32]bool{}
	for c := 0; c < m; c++ {
		if fixed[c] {
			chosen[int32(c)] = true
		}
	}
	for _, c := range red.Forced {
		chosen[c] = true
	}
	base := len(chosen)
	core, orig := newCore(red.Rows)
	s := &scpSearch{core: core, clk: clk}
	st := &scpState{col: make([]int8, len(core.cols)), met: make([]int32, len(core.rows))}
	s.improve(st, core.greedy(st, nil, false))
	// Start the multipliers from the best row packing found by a few
	// seeded restarts: a dual-feasible point whose value is the packing size.
	lam := make([]float64, len(core.rows))
	pack := core.packing(st, nil)
	if len(pack) < len(s.best) {
		// Two searches side by side, each stopping the other when they
		// meet: a short row-weighting search (rwls.go) for a smaller cover
		// — on easy cores it finds the optimum within a few thousand steps
		// — and seeded restarts for a larger packing, which then proves it
		// optimal before any subgradient step. Either stops the other only
		// once packing and cover are equal, when neither could improve, so
		// the cover and the packing do not depend on timing. Each runs on
		// a detached budget and clk is charged both allotments afterwards,
		// whoever stopped first, so the work left does not either.
		rwClk, packClk := clk.Detach(rwlsFirst*rwlsStepWork(core, len(s.best))), clk.Detach(packRestarts*core.work())
		var packSize, coverSize atomic.Int32
		packSize.Store(int32(len(pack)))
		coverSize.Store(int32(len(s.best)))
		var rw []int32
		var wg sync.WaitGroup
		wg.Add(1)
		go func(start []int32, run rwlsRun) {
			defer wg.Done()
			rw = core.rowWeightingRun(start, run)
		}(s.best, rwlsRun{seed: 1, maxSteps: rwlsFirst, target: len(pack), patience: 5000, bound: &packSize,
			clk: rwClk, onBest: func(n, _ int) { coverSize.Store(int32(n)) }})
		// Restarts stop after 40 in a row found nothing larger (the
		// Lagrangian takes it from there).
		rng := rand.New(rand.NewPCG(1, 0x9ac))
		for k, since := 0, 0; k < packRestarts && since < 40 && int32(len(pack)) < coverSize.Load() && !packClk.Spend(core.work()); k++ {
			since++
			if q := core.packing(st, rng); len(q) > len(pack) {
				pack, since = q, 0
				packSize.Store(int32(len(pack)))
			}
		}
		wg.Wait()
		clk.Charge(rwClk.Limit() + packClk.Limit())
		s.improve(st, rw)
	}
	for _, i := range pack {
		lam[i] = 1
	}
	rootLB := 0.0
	if len(core.rows) > 0 {
		// Subgradient from the packing; with a gap left, the long
		// row-weighting search, and with a wide one the LP bound (pdhg.go)
		// polished by the volume algorithm. The search below starts from
		// the subgradient's multipliers.
		rootLB = float64(len(pack))
		vlb, _ := core.lagrange(st, lam, float64(len(s.best)), 300, func(l []float64) float64 {
			g := core.greedyLagr(st, l)
			if g != nil && len(g) <= len(s.best) {
				g = core.localSearch(g)
			}
			s.improve(st, g)
			return float64(len(s.best))
		}, clk)
		rootLB = max(rootLB, vlb)
		if lbi := int(math.Ceil(rootLB - 1e-6)); len(s.best) > lbi {
			// A gap is left: the long row-weighting search (up to 30 % of
			// the time left).
			s.improve(st, core.rowWeighting(s.best, 2, rwlsSteps, lbi, clk.Share(0.3)))
		}
		if len(s.best)-int(math.Ceil(rootLB-1e-6)) > 2 {
			// A wide gap: the LP bound by primal-dual steps (up to 25 % of
			// the time left), then volume steps from its multipliers (up to
			// 30 % of what is left then), which close most of the distance
			// that remains to the LP optimum (real 5-km core: 44.59 after
			// 8 s of the first, 44.93 after 3 s of the second; LP 45.015).
			plb, y := core.pdhgBound(nil, 20, float64(len(s.best)), clk.Share(0.25))
			rootLB = max(rootLB, plb, core.volume(y, float64(len(s.best)), nil, clk.Share(0.3)))
		}
		res.Optimal = s.dfs(st, lam, 0)
		rootLB = max(rootLB, s.rootLB)
	} else {
		res.Optimal = true
	}
	res.Nodes = s.nodes
	for _, j := range s.best {
		chosen[orig[j]] = true
	}
	for c := 0; c < m; c++ {
		if chosen[int32(c)] {
			res.Chosen = append(res.Chosen, int32(c))
		}
	}
	if res.Optimal {
		res.Lower = len(res.Chosen)
	} else {
		res.Lower = base + int(math.Ceil(rootLB-1e-6))
	}
	return res
}

// Step budgets of the row-weighting searches in solveCover. The first is
// short (the 30-min-or-5-km core meets its bound after 3,544 steps); the
// second, run only when the bounds leave a gap, takes about 2.5 s on the
// hardest real core measured (5 km only, 14,597 × 2,812, best cover after
// about 70,000 steps).
const (
	rwlsFirst = 10_000
	rwlsSteps = 100_000
	// packRestarts bounds the seeded packing restarts beside the first
	// row-weighting search.
	packRestarts = 300
)

// greedyLagr is the Lagrangian greedy of Caprara, Fischetti and Toth: the
// score of a column is its Lagrangian cost over the rows it would newly
// meet, γ/μ when positive and γ·μ otherwise, so columns the multipliers
// favour and that meet many rows come first; redundant columns are dropped.
func (c *scpCore) greedyLagr(st *scpState, lam []float64) []int32 {
	nr, nc := len(c.rows), len(c.cols)
	met := slices.Clone(st.met)
	mu := make([]int, nc)
	gam := make([]float64, nc)
	open := 0
	for j := 0; j < nc; j++ {
		if st.col[j] != 0 {
			continue
		}
		gam[j] = 1
		for _, i := range c.cols[j] {
			if met[i] == 0 {
				mu[j]++
				gam[j] -= lam[i]
			}
		}
	}
	for i := 0; i < nr; i++ {
		if met[i] == 0 {
			open++
		}
	}
	score := func(j int) float64 {
		if gam[j] > 0 {
			return gam[j] / float64(mu[j])
		}
		return gam[j] * float64(mu[j])
	}
	var pick []int32
	for open > 0 {
		bj, bs := -1, math.Inf(1)
		for j := 0; j < nc; j++ {
			if st.col[j] != 0 || mu[j] == 0 {
				continue
			}
			if sc := score(j); sc < bs {
				bj, bs = j, sc
			}
		}
		if bj < 0 {
			return nil
		}
		pick = append(pick, int32(bj))
		for _, i := range c.cols[bj] {
			if met[i] == 0 {
				open--
				for _, k := range c.rows[i] {
					mu[k]--
					gam[k] += lam[i]
				}
			}
			met[i]++
		}
	}
	return c.dropRedundant(st, pick)
}

// dropRedundant removes columns whose rows are all met by others, those
// meeting the fewest rows alone first.
func (c *scpCore) dropRedundant(st *scpState, pick []int32) []int32 {
	met := slices.Clone(st.met)
	for _, j := range pick {
		for _, i := range c.cols[j] {
			met[i]++
		}
	}
	for {
		drop := -1
		for k, j := range pick {
			need := false
			for _, i := range c.cols[j] {
				if met[i] == 1 {
					need = true
					break
				}
			}
			if !need {
				drop = k
				break
			}
		}
		if drop < 0 {
			return pick
		}
		for _, i := range c.cols[pick[drop]] {
			met[i]--
		}
		pick = slices.Delete(pick, drop, drop+1)
	}
}

// localSearch improves a cover by "two out, one in" moves: drop two columns
// when a single free column meets every row only they met. It returns the
// improved extra columns (nil stays nil).
func (c *scpCore) localSearch(pick []int32) []int32 {
	if len(pick) < 2 {
		return pick
	}
	nr, nc := len(c.rows), len(c.cols)
	in := make([]bool, nc)
	met := make([]int32, nr)
	mark := make([]int32, nr)
	inA := make([]int32, nr)
	inB := make([]int32, nr)
	stamp := int32(0)
	cmark := make([]int32, nc)
	cstamp := int32(0)
	var cand []int32
	for improved := true; improved; {
		improved = false
		clear(in)
		clear(met)
		for _, j := range pick {
			in[j] = true
			for _, i := range c.cols[j] {
				met[i]++
			}
		}
	pairs:
		for a := 0; a < len(pick); a++ {
			for b := a + 1; b < len(pick); b++ {
				ja, jb := pick[a], pick[b]
				stamp++
				for _, i := range c.cols[ja] {
					inA[i] = stamp
				}
				for _, i := range c.cols[jb] {
					inB[i] = stamp
				}
				var rows []int32
				for _, j := range [2]int32{ja, jb} {
					for _, i := range c.cols[j] {
						if mark[i] == stamp {
							continue
						}
						mark[i] = stamp
						own := int32(0)
						if inA[i] == stamp {
							own++
						}
						if inB[i] == stamp {
							own++
						}
						if met[i] == own {
							rows = append(rows, i)
						}
					}
				}
				if len(rows) == 0 {
					pick = slices.Delete(pick, b, b+1)
					improved = true
					break pairs
				}
				// A replacement meets every row in rows: the first column (by
				// index) of their intersection that is not in the cover.
				cand = c.meetAll(rows, in, cmark, &cstamp, cand[:0])
				if len(cand) > 0 {
					pick[a] = cand[0]
					pick = slices.Delete(pick, b, b+1)
					improved = true
					break pairs
				}
			}
		}
	}
	slices.Sort(pick)
	return pick
}

// meetAll appends to out, in increasing index, the columns not in `in`
// that meet every row of rows (rows non-empty). It intersects the rows,
// shortest first, with a stamped mark per column, and stops as soon as the
// intersection is empty.
func (c *scpCore) meetAll(rows []int32, in []bool, mark []int32, stamp *int32, out []int32) []int32 {
	short := rows[0]
	for _, i := range rows[1:] {
		if len(c.rows[i]) < len(c.rows[short]) {
			short = i
		}
	}
	for _, k := range c.rows[short] {
		if !in[k] {
			out = append(out, k)
		}
	}
	for _, i := range rows {
		if len(out) == 0 {
			break
		}
		if i == short {
			continue
		}
		*stamp++
		if *stamp == 0 {
			clear(mark)
			*stamp = 1
		}
		for _, k := range c.rows[i] {
			mark[k] = *stamp
		}
		n := 0
		for _, k := range out {
			if mark[k] == *stamp {
				out[n] = k
				n++
			}
		}
		out = out[:n]
	}
	return out
}

// packing finds rows no single free column meets two of (a packing): each
// needs its own column, so their number bounds the residual from below.
// Rows with few columns go first; then "one out, two in" moves enlarge it.
// It returns the packed rows.
func (c *scpCore) packing(st *scpState, rng *rand.Rand) []int32 {
	nr, nc := len(c.rows), len(c.cols)
	var order []int
	for i := 0; i < nr; i++ {
		if st.met[i] == 0 {
			order = append(order, i)
		}
	}
	free := func(i int) int {
		n := 0
		for _, j := range c.rows[i] {
			if st.col[j] == 0 {
				n++
			}
		}
		return n
	}
	deg := make([]int, nr)
	for _, i := range order {
		deg[i] = free(i)
	}
	if rng != nil {
		// Random restarts: shuffle, then keep the few-columns-first order
		// only as a tendency.
		key := make([]float64, nr)
		for _, i := range order {
			key[i] = float64(deg[i]) * (0.5 + rng.Float64())
		}
		sortInts(order, func(a, b int) bool { return key[a] < key[b] })
	} else {
		sortInts(order, func(a, b int) bool { return deg[a] < deg[b] })
	}
	used := make([]int32, nc) // packed rows touching each column
	packed := make([]bool, nr)
	fits := func(i int) bool {
		for _, j := range c.rows[i] {
			if st.col[j] == 0 && used[j] > 0 {
				return false
			}
		}
		return true
	}
	mark := func(i int, d int32) {
		for _, j := range c.rows[i] {
			if st.col[j] == 0 {
				used[j] += d
			}
		}
	}
	var out []int32
	for _, i := range order {
		if fits(i) {
			packed[i] = true
			mark(i, 1)
		}
	}
	pos := make([]int32, nr)
	for k, i := range order {
		pos[i] = int32(k)
	}
	seen := make([]int32, nr)
	stamp := int32(0)
	var nb []int32
	for improved := true; improved; {
		improved = false
		for _, r := range order {
			if !packed[r] {
				continue
			}
			mark(r, -1)
			packed[r] = false
			// The packing is maximal, so only rows sharing a free column
			// with r can fit now; visit them in the packing order.
			nb = nb[:0]
			stamp++
			seen[r] = stamp
			for _, j := range c.rows[r] {
				if st.col[j] != 0 {
					continue
				}
				for _, i := range c.cols[j] {
					if st.met[i] == 0 && seen[i] != stamp && !packed[i] {
						seen[i] = stamp
						nb = append(nb, i)
					}
				}
			}
			slices.SortFunc(nb, func(a, b int32) int { return int(pos[a] - pos[b]) })
			var add []int
			for _, i32 := range nb {
				i := int(i32)
				if fits(i) {
					mark(i, 1)
					packed[i] = true
					add = append(add, i)
				}
			}
			if len(add) >= 2 {
				improved = true
				continue
			}
			for _, i := range add {
				mark(i, -1)
				packed[i] = false
			}
			mark(r, 1)
			packed[r] = true
		}
	}
	for _, i := range order {
		if packed[i] {
			out = append(out, int32(i))
		}
	}
	return out
}

// volume maximises the Lagrangian dual of the whole core (no column fixed)
// by the volume algorithm of Barahona and Anbil: the step direction is the
// subgradient of an exponentially averaged primal solution, and the centre
// lamHat moves only on improving ("serious") steps. lamHat is updated in
// place and always holds multipliers whose Lagrangian value is returned,
// so the bound is valid whenever the loop stops. heur, called every 20
// iterations with the current multipliers, returns the incumbent size.
func (c *scpCore) volume(lamHat []float64, ub float64, heur func([]float64) float64, clk *work.Budget) float64 {
	nr, nc := len(c.rows), len(c.cols)
	const alpha = 0.02
	lam := slices.Clone(lamHat)
	xbar := make([]float64, nc)
	x := make([]float64, nc)
	g := make([]float64, nr)
	eval := func(l []float64) float64 {
		L := 0.0
		for i := 0; i < nr; i++ {
			L += l[i]
		}
		for j := 0; j < nc; j++ {
			r := 1.0
			for _, i := range c.cols[j] {
				r -= l[i]
			}
			x[j] = 0
			if r < 0 {
				L += r
				x[j] = 1
			}
		}
		return L
	}
	Lhat := eval(lamHat)
	copy(xbar, x)
	theta, stall := 0.1, 0
	mark := Lhat // bound 1000 iterations ago
	for it := 0; ; it++ {
		if clk.Spend(2*c.work()) || math.Ceil(Lhat-1e-6) >= ub || theta < 1e-4 {
			break
		}
		if it%1000 == 999 {
			if Lhat-mark < 0.002*max(1, math.Abs(Lhat)) {
				break // stalled
			}
			mark = Lhat
		}
		for i := range g {
			g[i] = 1
		}
		for j := 0; j < nc; j++ {
			if xbar[j] != 0 {
				for _, i := range c.cols[j] {
					g[i] -= xbar[j]
				}
			}
		}
		norm := 0.0
		for i := range g {
			if lamHat[i] <= 0 && g[i] < 0 {
				g[i] = 0
			}
			norm += g[i] * g[i]
		}
		if norm < 1e-12 {
			break
		}
		step := theta * (ub - Lhat) / norm
		for i := range lam {
			lam[i] = max(0, lamHat[i]+step*g[i])
		}
		L := eval(lam)
		for j := range xbar {
			xbar[j] = alpha*x[j] + (1-alpha)*xbar[j]
		}
		if L > Lhat {
			Lhat = L
			copy(lamHat, lam)
			stall = 0
			theta = min(theta*1.1, 1)
		} else if stall++; stall >= 20 {
			theta *= 0.66
			stall = 0
		}
		if heur != nil && it%20 == 0 {
			ub = min(ub, heur(lam))
		}
	}
	return Lhat
}
