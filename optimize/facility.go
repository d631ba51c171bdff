package optimize

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/onestop/onestop/optimize/work"
)

// assignProb is the p-facility core shared by pmedian, mclp and the
// tie-break stage of consolidate: open exactly p candidates and pay, per
// demand point, the cheapest open candidate's cost or the point's penalty
// (the cost of leaving it unserved), whichever is lower.
type assignProb struct {
	n, m   int
	rStart []int32 // demand -> (candidate, cost), sorted by cost then candidate
	rCand  []int32
	rCost  []float64
	cStart []int32 // candidate -> (demand, cost)
	cDem   []int32
	cCost  []float64
	pen    []float64
	fixed  []bool
	allow  []bool
	p      int
	// cover, when not nil, requires every demand point to have an open
	// candidate among coverRow[i] (consolidate's access rule).
	coverRow [][]int32
	coverCol [][]int32
	// leafCheck, when not nil, rejects open sets (capacity) and may raise
	// their cost (capacity-constrained assignment).
	leafCost func(open []bool) (float64, bool)
	// leafWork, when not nil, returns the work leafCost did since it was
	// last asked, for the budget.
	leafWork func() int64
}

// newAssignProb builds the core from per-demand (candidate, cost) lists.
func newAssignProb(lists [][]pair, pen []float64, fixed, allow []bool, p int) *assignProb {
	n, m := len(lists), len(fixed)
	ap := &assignProb{n: n, m: m, pen: pen, fixed: fixed, allow: allow, p: p}
	ap.rStart = make([]int32, n+1)
	cnt := make([]int32, m+1)
	for i, l := range lists {
		slices.SortStableFunc(l, func(a, b pair) int {
			if a.cost != b.cost {
				if a.cost < b.cost {
					return -1
				}
				return 1
			}
			return int(a.cand - b.cand)
		})
		for _, e := range l {
			if !allow[e.cand] || e.cost >= pen[i] {
				continue // a pair no better than leaving the point unserved never matters
			}
			ap.rCand = append(ap.rCand, e.cand)
			ap.rCost = append(ap.rCost, e.cost)
			cnt[e.cand+1]++
		}
		ap.rStart[i+1] = int32(len(ap.rCand))
	}
	for j := 0; j < m; j++ {
		cnt[j+1] += cnt[j]
	}
	ap.cStart = slices.Clone(cnt)
	ap.cDem = make([]int32, len(ap.rCand))
	ap.cCost = make([]float64, len(ap.rCand))
	pos := slices.Clone(cnt[:m])
	for i := 0; i < n; i++ {
		for k := ap.rStart[i]; k < ap.rStart[i+1]; k++ {
			j := ap.rCand[k]
			ap.cDem[pos[j]] = int32(i)
			ap.cCost[pos[j]] = ap.rCost[k]
			pos[j]++
		}
	}
	return ap
}

type pair struct {
	cand int32
	cost float64
}

// assignState caches, per demand point, the best and second-best open
// candidate (-1 = penalty), which makes swap moves cheap to evaluate.
type assignState struct {
	open   []bool
	nOpen  int
	c1     []int32
	d1, d2 []float64
	cost   float64
}

func (ap *assignProb) newState(open []bool) *assignState {
	s := &assignState{open: slices.Clone(open), c1: make([]int32, ap.n), d1: make([]float64, ap.n), d2: make([]float64, ap.n)}
	for _, o := range open {
		if o {
			s.nOpen++
		}
	}
	ap.refresh(s)
	return s
}

func (ap *assignProb) refresh(s *assignState) {
	s.cost = 0
	for i := 0; i < ap.n; i++ {
		s.c1[i], s.d1[i], s.d2[i] = -1, ap.pen[i], ap.pen[i]
		found := 0
		for k := ap.rStart[i]; k < ap.rStart[i+1] && found < 2; k++ {
			j := ap.rCand[k]
			if !s.open[j] {
				continue
			}
			if found == 0 {
				s.c1[i], s.d1[i] = j, ap.rCost[k]
			} else {
				s.d2[i] = ap.rCost[k]
			}
			found++
		}
		s.cost += s.d1[i]
	}
}

// covered reports whether every demand point of the cover rule has an open
// candidate; always true without the rule.
func (ap *assignProb) covered(open []bool) bool {
	for _, r := range ap.coverRow {
		ok := false
		for _, j := range r {
			if open[j] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// leaf is the true objective of an open set, or false if infeasible.
func (ap *assignProb) leaf(open []bool) (float64, bool) {
	if !ap.covered(open) {
		return 0, false
	}
	if ap.leafCost != nil {
		return ap.leafCost(open)
	}
	s := ap.newState(open)
	return s.cost, true
}

// greedyAdd opens candidates one at a time, each time the one that lowers
// the cost most, until p are open. Gains only shrink as more candidates
// open (the objective is supermodular), so stale gains are upper bounds
// and a lazy evaluation is exact.
func (ap *assignProb) greedyAdd(s *assignState, clk *work.Budget) {
	type entry struct {
		j    int32
		gain float64
	}
	gain := func(j int32) float64 {
		g := 0.0
		for k := ap.cStart[j]; k < ap.cStart[j+1]; k++ {
			i := ap.cDem[k]
			if c := ap.cCost[k]; c < s.d1[i] {
				g += s.d1[i] - c
			}
		}
		return g
	}
	var heap []entry
	for j := 0; j < ap.m; j++ {
		if ap.allow[j] && !s.open[j] {
			heap = append(heap, entry{int32(j), gain(int32(j))})
		}
	}
	less := func(a, b entry) bool {
		if a.gain != b.gain {
			return a.gain > b.gain
		}
		return a.j < b.j
	}
	sort.Slice(heap, func(a, b int) bool { return less(heap[a], heap[b]) })
	for s.nOpen < ap.p && len(heap) > 0 {
		top := heap[0]
		top.gain = gain(top.j)
		if len(heap) == 1 || !less(heap[1], top) {
			heap = heap[1:]
			ap.open(s, top.j)
			continue
		}
		// Reinsert the refreshed entry in order.
		heap = heap[1:]
		k := sort.Search(len(heap), func(x int) bool { return less(top, heap[x]) })
		heap = slices.Insert(heap, k, top)
	}
}

func (ap *assignProb) open(s *assignState, j int32) {
	s.open[j] = true
	s.nOpen++
	for k := ap.cStart[j]; k < ap.cStart[j+1]; k++ {
		i := ap.cDem[k]
		c := ap.cCost[k]
		switch {
		case c < s.d1[i]:
			s.cost += c - s.d1[i]
			s.d2[i], s.d1[i], s.c1[i] = s.d1[i], c, j
		case c < s.d2[i]:
			s.d2[i] = c
		}
	}
}

// localSearch applies the best improving swap (open k, close j) until none
// is left: a vertex-substitution search with the fast swap evaluation of
// Whitaker (per insertion candidate, one pass over its demand points plus
// one over the open candidates). Moves keep the cover rule and must pass
// ap.leafCost when set. It returns the number of swaps made.
func (ap *assignProb) localSearch(s *assignState, clk *work.Budget) int {
	swaps := 0
	loss := make([]float64, ap.m)
	extra := make([]float64, ap.m)
	unique := make([][]int32, ap.m)
	mark := make([]bool, ap.n)
	cover := make([]int32, ap.n)
	for {
		if clk.Spend(int64(len(ap.cDem)) + int64(ap.m)*int64(ap.p)) {
			return swaps
		}
		clear(loss)
		for i := 0; i < ap.n; i++ {
			if j := s.c1[i]; j >= 0 {
				loss[j] += s.d2[i] - s.d1[i]
			}
		}
		if ap.coverRow != nil {
			for j := range unique {
				unique[j] = unique[j][:0]
			}
			for i, r := range ap.coverRow {
				cover[i] = 0
				last := int32(-1)
				for _, j := range r {
					if s.open[j] {
						cover[i]++
						last = j
					}
				}
				if cover[i] == 1 {
					unique[last] = append(unique[last], int32(i))
				}
			}
		}
		type move struct {
			in, out int32
			delta   float64
		}
		var moves []move
		for k := 0; k < ap.m; k++ {
			if s.open[k] || !ap.allow[k] {
				continue
			}
			gain := 0.0
			for q := ap.cStart[k]; q < ap.cStart[k+1]; q++ {
				i := ap.cDem[q]
				c := ap.cCost[q]
				j := s.c1[i]
				switch {
				case c < s.d1[i]:
					gain += s.d1[i] - c
					if j >= 0 {
						extra[j] -= s.d2[i] - s.d1[i]
					}
				case c < s.d2[i]:
					if j >= 0 {
						extra[j] -= s.d2[i] - c
					}
				}
			}
			if ap.coverRow != nil {
				for _, i := range ap.coverCol[k] {
					mark[i] = true
				}
			}
			bj, bd := int32(-1), -1e-9*max(1, s.cost)
			for j := 0; j < ap.m; j++ {
				if !s.open[j] {
					continue
				}
				d := loss[j] + extra[j] - gain
				extra[j] = 0
				if ap.fixed[j] || d >= bd {
					continue
				}
				if ap.coverRow != nil {
					ok := true
					for _, i := range unique[j] {
						if !mark[i] {
							ok = false
							break
						}
					}
					if !ok {
						continue
					}
				}
				bj, bd = int32(j), d
			}
			if ap.coverRow != nil {
				for _, i := range ap.coverCol[k] {
					mark[i] = false
				}
			}
			if bj >= 0 {
				moves = append(moves, move{int32(k), bj, bd})
			}
		}
		if len(moves) == 0 {
			return swaps
		}
		slices.SortStableFunc(moves, func(a, b move) int { return cmp.Compare(a.delta, b.delta) })
		applied := false
		for _, mv := range moves {
			s.open[mv.in], s.open[mv.out] = true, false
			if ap.leafCost != nil {
				_, ok := ap.leafCost(s.open)
				stop := clk.Spend(ap.leafWork())
				if !ok {
					s.open[mv.in], s.open[mv.out] = false, true
					if stop {
						return swaps
					}
					continue
				}
			}
			ap.refresh(s)
			applied = true
			swaps++
			break
		}
		if !applied {
			return swaps
		}
	}
}

// lagrange bounds the node (candidates fixed open/closed in col, exactly p
// open) from below by relaxing "each point is served once".
func (ap *assignProb) lagrange(col []int8, lam []float64, ub float64, iters int, clk *work.Budget) (float64, []float64) {
	rho := make([]float64, ap.m)
	g := make([]float64, ap.n)
	x := make([]bool, ap.m)
	var free []int32
	nOpen := 0
	for j := 0; j < ap.m; j++ {
		if col[j] == 1 {
			nOpen++
		} else if col[j] == 0 && ap.allow[j] {
			free = append(free, int32(j))
		}
	}
	need := ap.p - nOpen
	if need < 0 || need > len(free) {
		return math.Inf(1), rho
	}
	// Each iteration costs a pass over all pairs: cap the work on big
	// instances (the bound stays valid, only less tight).
	iters = min(iters, max(8, int(4e8/float64(len(ap.cDem)+1))))
	best := math.Inf(-1)
	bestLam := slices.Clone(lam)
	theta, stall := 2.0, 0
	for it := 0; it < iters; it++ {
		if it > 0 && clk.Spend(2*int64(len(ap.cDem))+int64(ap.m)) {
			break // the bound of the iterations done so far stays valid
		}
		L := 0.0
		for i := 0; i < ap.n; i++ {
			L += lam[i] + min(0, ap.pen[i]-lam[i])
		}
		if math.IsNaN(L) {
			break
		}
		for j := 0; j < ap.m; j++ {
			rho[j] = 0
			x[j] = col[j] == 1
			if col[j] == -1 || !ap.allow[j] {
				continue
			}
			r := 0.0
			for k := ap.cStart[j]; k < ap.cStart[j+1]; k++ {
				if d := ap.cCost[k] - lam[ap.cDem[k]]; d < 0 {
					r += d
				}
			}
			rho[j] = r
			if col[j] == 1 {
				L += r
			}
		}
		slices.SortStableFunc(free, func(a, b int32) int {
			switch {
			case rho[a] < rho[b]:
				return -1
			case rho[a] > rho[b]:
				return 1
			}
			return int(a - b)
		})
		for _, j := range free[:need] {
			L += rho[j]
			x[j] = true
		}
		if math.IsInf(best, -1) || L > best+1e-9*max(1, abs(best)) {
			best, stall = L, 0
			copy(bestLam, lam)
		} else if stall++; stall >= 10 {
			theta, stall = theta/2, 0
		}
		if best >= ub-1e-9*max(1, abs(ub)) || theta < 1e-4 {
			break
		}
		for i := 0; i < ap.n; i++ {
			g[i] = 1
			if ap.pen[i] < lam[i] {
				g[i] = 0
			}
		}
		for j := 0; j < ap.m; j++ {
			if !x[j] {
				continue
			}
			for k := ap.cStart[j]; k < ap.cStart[j+1]; k++ {
				if ap.cCost[k] < lam[ap.cDem[k]] {
					g[ap.cDem[k]]--
				}
			}
		}
		norm := 0.0
		for _, v := range g {
			norm += v * v
		}
		if norm == 0 {
			break
		}
		target := ub
		if math.IsInf(ub, 1) {
			target = abs(L)*1.05 + 1
		}
		step := theta * (target - L) / norm
		for i := range lam {
			lam[i] += step * g[i]
		}
	}
	copy(lam, bestLam)
	return best, rho
}

// apSearch is the branch and bound over open/closed decisions.
type apSearch struct {
	ap    *assignProb
	clk   *work.Budget
	best  []bool
	cost  float64
	nodes int
}

func (b *apSearch) dfs(col []int8, nOpen int, lam []float64, depth int) bool {
	if b.clk.Spend(int64(b.ap.m) + int64(len(b.ap.coverRow))) {
		return false
	}
	b.nodes++
	ap := b.ap
	nFree := 0
	for j := 0; j < ap.m; j++ {
		if col[j] == 0 && ap.allow[j] {
			nFree++
		}
	}
	if nOpen+nFree < ap.p {
		return true
	}
	if nOpen == ap.p || nOpen+nFree == ap.p {
		open := make([]bool, ap.m)
		for j := 0; j < ap.m; j++ {
			open[j] = col[j] == 1 || (col[j] == 0 && ap.allow[j] && nOpen < ap.p)
		}
		c, ok := ap.leaf(open)
		if ap.leafWork != nil {
			b.clk.Charge(ap.leafWork())
		}
		if ok && (b.best == nil || c < b.cost-1e-9*max(1, abs(c))) {
			b.best, b.cost = open, c
		}
		return true
	}
	for _, r := range ap.coverRow {
		ok := false
		for _, j := range r {
			if col[j] == 1 || (col[j] == 0 && ap.allow[j]) {
				ok = true
				break
			}
		}
		if !ok {
			return true
		}
	}
	ub := math.Inf(1)
	if b.best != nil {
		ub = b.cost
	}
	iters := 30
	if depth == 0 {
		iters = 300
	}
	lb, rho := ap.lagrange(col, lam, ub, iters, b.clk)
	if lb >= ub-1e-9*max(1, abs(ub)) {
		return true
	}
	bj := int32(-1)
	for j := 0; j < ap.m; j++ {
		if col[j] == 0 && ap.allow[j] && (bj < 0 || rho[j] < rho[bj]) {
			bj = int32(j)
		}
	}
	child := slices.Clone(lam)
	col[bj] = 1
	ok := b.dfs(col, nOpen+1, child, depth+1)
	if ok {
		copy(child, lam)
		col[bj] = -1
		ok = b.dfs(col, nOpen, child, depth+1)
	}
	col[bj] = 0
	return ok
}

// apResult is a solved p-facility core.
type apResult struct {
	open    []bool
	cost    float64
	lower   float64
	optimal bool
	nodes   int
	found   bool
	tried   []bool // the greedy's open set, kept when it is infeasible
}

// solve runs greedy + swap search from start (or from the fixed set), then
// branch and bound if exact is set, until the clock stops it.
func (ap *assignProb) solve(start []bool, clk *work.Budget, exact bool) apResult {
	return ap.solveB(start, clk, exact, true)
}

// solveB is solve with the root bound optional (skipped when out of time).
func (ap *assignProb) solveB(start []bool, clk *work.Budget, exact, bound bool) apResult {
	open := make([]bool, ap.m)
	for j := range open {
		open[j] = ap.fixed[j] || (start != nil && start[j] && ap.allow[j])
	}
	s := ap.newState(open)
	ap.greedyAdd(s, clk)
	res := apResult{tried: slices.Clone(s.open)}
	if s.nOpen == ap.p && ap.covered(s.open) {
		if c, ok := ap.leaf(s.open); ok {
			// The swap search may use 60 % of the time left; the bound and
			// the branch and bound need the rest.
			ap.localSearch(s, clk.Share(0.6))
			if c2, ok2 := ap.leaf(s.open); ok2 {
				c = c2
			}
			res.open, res.cost, res.found = slices.Clone(s.open), c, true
		}
	}
	col := make([]int8, ap.m)
	nOpen := 0
	for j := range col {
		if ap.fixed[j] {
			col[j] = 1
			nOpen++
		} else if !ap.allow[j] {
			col[j] = -1
		}
	}
	if !bound {
		return res
	}
	lam := slices.Clone(s.d1)
	ub := math.Inf(1)
	if res.found {
		ub = res.cost
	}
	res.lower, _ = ap.lagrange(col, slices.Clone(lam), ub, 400, clk)
	res.lower = max(res.lower, ap.nearestBound())
	if res.found && res.lower >= res.cost-1e-9*max(1, abs(res.cost)) {
		res.lower, res.optimal = res.cost, true
		return res
	}
	if !exact {
		return res
	}
	b := &apSearch{ap: ap, clk: clk}
	if res.found {
		b.best, b.cost = res.open, res.cost
	}
	done := b.dfs(col, nOpen, lam, 0)
	res.nodes = b.nodes
	if b.best != nil {
		res.open, res.cost, res.found = b.best, b.cost, true
	}
	if done {
		res.optimal = true
		if res.found {
			res.lower = res.cost
		}
	}
	return res
}

// nearestBound is the cost with every allowed candidate open: no plan with
// p of them can do better, whatever p is.
func (ap *assignProb) nearestBound() float64 {
	lb := 0.0
	for i := 0; i < ap.n; i++ {
		c := ap.pen[i]
		for k := ap.rStart[i]; k < ap.rStart[i+1]; k++ {
			c = min(c, ap.rCost[k])
		}
		lb += c
	}
	return lb
}
