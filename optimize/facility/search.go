package facility

import (
	"math"
	"slices"

	"github.com/onestop/onestop/optimize/work"
)

// lagrange bounds the node (candidates fixed open/closed in col, exactly p
// open) from below by relaxing "each point is served once".
func (ap *Problem) lagrange(col []int8, lam []float64, ub float64, iters int, clk *work.Budget) (float64, []float64) {
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
	w, tab := ap.w, ap.table
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
			r := ap.reduced(int32(j), lam)
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
			dem, unit := ap.column(int32(j))
			for k, i := range dem {
				if unitCost(w[i], unit[k], tab) < lam[i] {
					g[i]--
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

// reduced is candidate j's reduced cost under the multipliers lam: the
// sum over its demand points of min(0, cost - lam).
func (ap *Problem) reduced(j int32, lam []float64) float64 {
	w, tab := ap.w, ap.table
	dem, unit := ap.column(j)
	r := 0.0
	for k, i := range dem {
		if d := unitCost(w[i], unit[k], tab) - lam[i]; d < 0 {
			r += d
		}
	}
	return r
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
			ap.tell(c, b.lower)
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

func (ap *Problem) solveB(start []bool, clk *work.Budget, exact, bound bool) Result {
	open := make([]bool, ap.m)
	for j := range open {
		open[j] = ap.fixed[j] || (start != nil && start[j] && ap.allow[j])
	}
	s := ap.newState(open)
	ap.greedyAdd(s, clk)
	res := Result{Tried: slices.Clone(s.open)}
	if s.nOpen == ap.p && ap.covered(s.open) {
		if c, ok := ap.leaf(s.open); ok {
			// The swap search may use 60 % of the work left; the bound and
			// the branch and bound need the rest.
			ap.localSearch(s, clk.Share(0.6))
			if c2, ok2 := ap.leaf(s.open); ok2 {
				c = c2
			}
			res.Open, res.Cost, res.Found = slices.Clone(s.open), c, true
			ap.tell(c, math.Inf(-1))
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
	if res.Found {
		ub = res.Cost
	}
	res.Lower, _ = ap.lagrange(col, slices.Clone(lam), ub, 400, clk)
	res.Lower = max(res.Lower, ap.nearestBound())
	if res.Found && res.Lower >= res.Cost-1e-9*max(1, abs(res.Cost)) {
		res.Lower, res.Optimal = res.Cost, true
	}
	if res.Found {
		ap.tell(res.Cost, res.Lower)
	}
	if res.Optimal {
		return res
	}
	if !exact {
		return res
	}
	b := &apSearch{ap: ap, clk: clk, lower: res.Lower}
	if res.Found {
		b.best, b.cost = res.Open, res.Cost
	}
	done := b.dfs(col, nOpen, lam, 0)
	res.Nodes = b.nodes
	if b.best != nil {
		res.Open, res.Cost, res.Found = b.best, b.cost, true
	}
	if done {
		res.Optimal = true
		if res.Found {
			res.Lower = res.Cost
			ap.tell(res.Cost, res.Lower)
		}
	}
	return res
}

// nearestBound is the cost with every allowed candidate open: no plan with
// p of them can do better, whatever p is.
func (ap *Problem) nearestBound() float64 {
	lb := 0.0
	for i := 0; i < ap.n; i++ {
		c := ap.pen[i]
		for k := ap.rStart[i]; k < ap.rStart[i+1]; k++ {
			c = min(c, ap.rowCost(i, k))
		}
		lb += c
	}
	return lb
}

// apSearch is the branch and bound over open/closed decisions.
type apSearch struct {
	ap    *Problem
	clk   *work.Budget
	best  []bool
	cost  float64
	nodes int
	lower float64 // the root's bound, for Notify
}
