package optimize

import (
	"math"
	"slices"
)

// scpCore is a unit-cost set-covering problem on compact column indices.
type scpCore struct {
	rows [][]int32 // row -> columns
	cols [][]int32 // column -> rows
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
func (c *scpCore) lagrange(st *scpState, lam []float64, ub float64, iters int) (float64, []float64) {
	nr, nc := len(c.rows), len(c.cols)
	red := make([]float64, nc)
	g := make([]float64, nr)
	bestLam := slices.Clone(lam)
	best := math.Inf(-1)
	theta, stall := 2.0, 0
	for it := 0; it < iters; it++ {
		L := 0.0
		for i := 0; i < nr; i++ {
			if st.met[i] == 0 {
				L += lam[i]
			}
		}
		for j := 0; j < nc; j++ {
			if st.col[j] != 0 {
				continue
			}
			r := 1.0
			for _, i := range c.cols[j] {
				if st.met[i] == 0 {
					r -= lam[i]
				}
			}
			red[j] = r
			if r < 0 {
				L += r
			}
		}
		if L > best+1e-9 {
			best, stall = L, 0
			copy(bestLam, lam)
		} else if stall++; stall >= 10 {
			theta, stall = theta/2, 0
		}
		if math.Ceil(best-1e-6) >= ub || theta < 1e-4 {
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
	for j := 0; j < nc; j++ {
		if st.col[j] != 0 {
			continue
		}
		r := 1.0
		for _, i := range c.cols[j] {
			if st.met[i] == 0 {
				r -= lam[i]
			}
		}
		red[j] = r
	}
	return best, red
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
	clk   *clock
	best  []int32 // incumbent (core column indices)
	nodes int
	done  bool // the search finished: the incumbent is optimal
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
func (s *scpSearch) dfs(st *scpState, lam []float64, depth int) bool {
	if s.clk.expired() {
		return false
	}
	s.nodes++
	// Pick the open row with the fewest free columns.
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
	if br < 0 {
		s.improve(st, []int32{})
		return true
	}
	if bn == 0 || st.in+1 >= len(s.best) {
		return true
	}
	iters := 40
	if depth == 0 {
		iters = 400
	}
	ub := float64(len(s.best) - st.in)
	lb, red := s.core.lagrange(st, lam, ub, iters)
	if float64(st.in)+math.Ceil(lb-1e-6) >= float64(len(s.best)) {
		return true
	}
	s.improve(st, s.core.greedy(st, red, true))
	if float64(st.in)+math.Ceil(lb-1e-6) >= float64(len(s.best)) {
		return true
	}
	// Branch: row br is met by one of its free columns; try them by reduced
	// cost, excluding the earlier ones in later branches (a partition of the
	// feasible set, so no cover is visited twice).
	var cand []int32
	for _, j := range s.core.rows[br] {
		if st.col[j] == 0 {
			cand = append(cand, j)
		}
	}
	slices.SortStableFunc(cand, func(a, b int32) int {
		switch {
		case red[a] < red[b]:
			return -1
		case red[a] > red[b]:
			return 1
		}
		return 0
	})
	ok := true
	child := slices.Clone(lam)
	for k, j := range cand {
		s.setIn(st, j)
		copy(child, lam)
		if !s.dfs(st, child, depth+1) {
			ok = false
		}
		s.unsetIn(st, j)
		if !ok {
			break
		}
		st.col[j] = -1
		_ = k
	}
	for _, j := range cand {
		if st.col[j] == -1 {
			st.col[j] = 0
		}
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
func solveCover(rows [][]int32, fixed []bool, m int, clk *clock) coverResult {
	var res coverResult
	var open [][]int32
	for _, r := range rows {
		hit := false
		for _, c := range r {
			if fixed[c] {
				hit = true
				break
			}
		}
		if !hit {
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
	lam := make([]float64, len(core.rows))
	for i, r := range core.rows {
		// Start from the best share a row can claim of a column's unit cost.
		v := 0.0
		for _, j := range r {
			v = max(v, 1/float64(len(core.cols[j])))
		}
		lam[i] = v
	}
	rootLB := 0.0
	if len(core.rows) > 0 {
		rootLB, _ = core.lagrange(st, slices.Clone(lam), float64(len(s.best)), 600)
		res.Optimal = s.dfs(st, lam, 0)
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
