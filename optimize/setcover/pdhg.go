package setcover

import (
	"math"

	"github.com/onestop/onestop/optimize/work"
)

// pdhgBound bounds a set-covering core from below by solving its LP
// relaxation, min Σx s.t. Ax ≥ 1, x ≥ 0, with the primal-dual hybrid
// gradient method (Chambolle–Pock, diagonally preconditioned as Pock and
// Chambolle 2011 suggest: step 1/|column| for x, 1/|row| for y, weighed by
// w). Any y ≥ 0 gives the Lagrangian bound Σy + Σ_j min(0, 1 − (Aᵀy)_j),
// so the bound is valid at every iterate however far from converged; it
// returns the best one and its multipliers.
//
// Why: on large cores whose LP optimum sits well below the cover,
// subgradient and volume steps stall points short of the LP, each worth a
// point of the reported bound; these iterations keep climbing
// (docs/optimize.md has the measurements).
//
// It stops when clk says so, when the bound proves ub (the incumbent), or
// when 2,000 iterations added less than 0.01 % to it.
func (c *scpCore) pdhgBound(y0 []float64, w, ub float64, clk *work.Budget) (float64, []float64) {
	nr, nc := len(c.rows), len(c.cols)
	x := make([]float64, nc)
	xBar := make([]float64, nc) // 2x_new − x_old, the extrapolated primal
	y := make([]float64, nr)
	if y0 != nil {
		copy(y, y0)
	}
	best := math.Inf(-1)
	bestY := make([]float64, nr)
	mark := best
	for it := 0; ; it++ {
		if it%20 == 0 {
			// The bound at y, and the stop tests, every few iterations:
			// evaluating costs as much as an iteration.
			if L := c.dualBound(y); L > best {
				best = L
				copy(bestY, y)
			}
			if clk.Spend(41*c.work()) || math.Ceil(best-1e-6) >= ub {
				break
			}
			if it%2000 == 0 && it > 0 {
				if best-mark < 1e-4*max(1, math.Abs(best)) {
					break
				}
				mark = best
			}
		}
		for j, col := range c.cols {
			s := 0.0
			for _, i := range col {
				s += y[i]
			}
			nx := max(0, x[j]-w/float64(len(col))*(1-s))
			xBar[j] = 2*nx - x[j]
			x[j] = nx
		}
		for i, r := range c.rows {
			s := 0.0
			for _, j := range r {
				s += xBar[j]
			}
			y[i] = max(0, y[i]+(1-s)/(w*float64(len(r))))
		}
	}
	return best, bestY
}

// dualBound is the Lagrangian bound of the core at multipliers y ≥ 0.
func (c *scpCore) dualBound(y []float64) float64 {
	L := 0.0
	for _, v := range y {
		L += v
	}
	for _, col := range c.cols {
		r := 1.0
		for _, i := range col {
			r -= y[i]
		}
		if r < 0 {
			L += r
		}
	}
	return L
}
