package setcover

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/onestop/onestop/optimize/work"
)

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
