package setcover

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
	// notify, when set, hears of a smaller cover or a larger bound
	// (SolveNotify); lower is the best bound on the core known so far.
	notify func(cover, lower int)
	lower  int
	base   int // columns chosen outside the core (fixed and forced)
}

// raise records a proven lower bound on the core and passes the news on.
func (s *scpSearch) raise(lb float64) {
	if l := int(math.Ceil(lb - 1e-6)); l > s.lower {
		s.lower = l
		s.report()
	}
}

func (s *scpSearch) report() {
	if s.notify != nil && s.best != nil {
		s.notify(s.base+len(s.best), s.base+min(s.lower, len(s.best)))
	}
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
		s.report()
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

// dfs explores the node st; it returns false when the budget stopped it.
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
		s.raise(s.rootLB)
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

// Result is a cover and the proof of its quality.
type Result struct {
	Chosen  []int32 // columns, sorted, the fixed ones included
	Lower   int     // proven lower bound on the size of any cover
	Optimal bool    // Lower == len(Chosen): the search finished
	Nodes   int     // branch-and-bound nodes explored
	Reduced Reduction
}

// Solve finds the fewest columns meeting every row, given the columns fixed
// in (len(fixed) is the number of columns; a row lists its columns, sorted
// and without duplicates, and must have at least one). It stops when budget
// (nil: no limit) says so and returns the best cover found.
func Solve(rows [][]int32, fixed []bool, budget *work.Budget) Result {
	return SolveNotify(rows, fixed, budget, nil)
}

// SolveNotify is Solve that also calls notify (when not nil) with the size
// of every smaller cover it finds and every larger lower bound it proves,
// fixed columns included. notify only observes: the result is Solve's.
func SolveNotify(rows [][]int32, fixed []bool, budget *work.Budget, notify func(cover, lower int)) Result {
	m := len(fixed)
	var res Result
	var open [][]int32
	for _, r := range rows {
		if !Meets(r, fixed) {
			open = append(open, r)
		}
	}
	red := Reduce(open, m)
	res.Reduced = red
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
	s := &scpSearch{core: core, clk: budget, notify: notify, base: base}
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
		// a detached budget and budget is charged both allotments afterwards,
		// whoever stopped first, so the work left does not either.
		rwClk, packClk := budget.Detach(rwlsFirst*rwlsStepWork(core, len(s.best))), budget.Detach(packRestarts*core.work())
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
		budget.Charge(rwClk.Limit() + packClk.Limit())
		s.improve(st, rw)
	}
	s.raise(float64(len(pack)))
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
		}, budget)
		rootLB = max(rootLB, vlb)
		s.raise(rootLB)
		if lbi := int(math.Ceil(rootLB - 1e-6)); len(s.best) > lbi {
			// A gap is left: the long row-weighting search (up to 30 % of
			// the work left).
			s.improve(st, core.rowWeighting(s.best, 2, rwlsSteps, lbi, budget.Share(0.3)))
		}
		if len(s.best)-int(math.Ceil(rootLB-1e-6)) > 2 {
			// A wide gap: the LP bound by primal-dual steps (up to 25 % of
			// the work left), then volume steps from its multipliers (up to
			// 30 % of what is left then), which close most of the distance
			// that remains to the LP optimum.
			plb, y := core.pdhgBound(nil, 20, float64(len(s.best)), budget.Share(0.25))
			rootLB = max(rootLB, plb, core.volume(y, float64(len(s.best)), nil, budget.Share(0.3)))
			s.raise(rootLB)
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
	if notify != nil {
		notify(len(res.Chosen), res.Lower)
	}
	return res
}

// Step budgets of the row-weighting searches in Solve: the first is short,
// enough for cores whose cover meets the packing bound; the second runs
// only when the bounds leave a gap (docs/optimize.md has the measurements
// behind both).
const (
	rwlsFirst = 10_000
	rwlsSteps = 100_000
	// packRestarts bounds the seeded packing restarts beside the first
	// row-weighting search.
	packRestarts = 300
)
