package optimize

import (
	"math"
)

// bruteForce enumerates every open set of the model's size rule and returns
// the optimal objective (per the form's own objective), or NaN if none.
func bruteForce(f *form) float64 {
	m := len(f.fixed)
	var free []int
	var base uint64
	for j := 0; j < m; j++ {
		if f.fixed[j] {
			base |= 1 << j
		} else if f.allow[j] {
			free = append(free, j)
		}
	}
	nFixed := 0
	for j := 0; j < m; j++ {
		if f.fixed[j] {
			nFixed++
		}
	}
	rowMask := make([]uint64, len(f.rows))
	for r, c := range f.cover {
		for _, j := range c {
			rowMask[r] |= 1 << j
		}
	}
	eval := func(set uint64) (float64, bool) {
		open := make([]bool, m)
		for j := 0; j < m; j++ {
			open[j] = set&(1<<j) != 0
		}
		switch f.model {
		case LSCP:
			for r := range f.rows {
				if f.req[r] && rowMask[r]&set == 0 {
					return 0, false
				}
			}
			return float64(popcount(set)), true
		case MCLP:
			c := 0.0
			for r := range f.rows {
				if rowMask[r]&set != 0 {
					c += f.w[r]
				}
			}
			return c, true
		case PMedian:
			c := 0.0
			for r, ps := range f.pairs {
				best := f.unMin
				for _, q := range ps {
					if open[q.cand] {
						best = math.Min(best, f.cost(q))
					}
				}
				c += f.w[r] * best
			}
			return c, true
		default: // consolidate
			for r := range f.rows {
				if f.req[r] && rowMask[r]&set == 0 {
					return 0, false
				}
			}
			_, c, ok := f.assign(open)
			if !ok {
				return 0, false
			}
			return f.M*float64(popcount(set)) + c, true
		}
	}
	best := math.NaN()
	better := func(v float64) bool {
		if math.IsNaN(best) {
			return true
		}
		if f.model == MCLP {
			return v > best
		}
		return v < best
	}
	// Fixed-size models enumerate combinations of the free candidates;
	// the others every subset.
	var rec func(k int, set uint64, left int)
	rec = func(k int, set uint64, left int) {
		if left == 0 || k == len(free) {
			if left <= 0 || f.model != MCLP && f.model != PMedian {
				if v, ok := eval(set); ok && better(v) {
					best = v
				}
			}
			if left == 0 {
				return
			}
			if k == len(free) {
				return
			}
		}
		rec(k+1, set|1<<free[k], left-1)
		rec(k+1, set, left)
	}
	left := -1 // unbounded
	if f.model == MCLP || f.model == PMedian {
		left = f.p - nFixed
	}
	rec(0, base, left)
	return best
}

func popcount(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
