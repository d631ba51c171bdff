package optimize

import (
	"cmp"
	"math"
	"slices"

	"github.com/onestop/onestop/optimize/flow"
)

// arcWork is the budget charge of one arc scanned by the transportation
// solve: with its heap operations it costs about as much as 30 matrix
// entries visited.
const arcWork = 30

// takeSteps returns the assignment and flow work done since the last call.
func (f *form) takeSteps() int64 {
	n := f.steps
	f.steps = 0
	return n
}

// pairWork is the work of one pass over the rows' assignment pairs.
func (f *form) pairWork() int64 {
	if f.nPairs == 0 {
		f.nPairs = int64(len(f.rows)) + 1
		for _, ps := range f.pairs {
			f.nPairs += int64(len(ps))
		}
	}
	return f.nPairs
}

// nearestShares sends every row to its nearest open point by travel time,
// or leaves it unserved when none is open within the unserved minutes and
// it may stay unserved; ok is false when a row that must be served has no
// open point. It returns the shares, their minutes cost and the dossiers
// each point receives.
func (f *form) nearestShares(open []bool) (out [][]Share, cost float64, load []float64, ok bool) {
	out = make([][]Share, len(f.rows))
	load = make([]float64, len(open))
	ok = true
	for r, ps := range f.pairs {
		best := -1
		for k, q := range ps {
			if open[q.cand] && (best < 0 || f.cost(q) < f.cost(ps[best])) {
				best = k
			}
		}
		if best < 0 || f.cost(ps[best]) >= f.unMin && f.allowU[r] {
			ok = ok && f.allowU[r]
			out[r] = []Share{{Cand: -1, Share: 1}}
			cost += f.w[r] * f.unMin
			continue
		}
		out[r] = []Share{{Cand: ps[best].cand, Share: 1}}
		cost += f.w[r] * f.cost(ps[best])
		load[ps[best].cand] += f.d[r]
	}
	return out, cost, load, ok
}

// assign serves every row from the open set: nearest open point by travel
// time, and, when that overloads a point, the least-cost assignment within
// capacities. It returns the shares per row and the minutes part of the
// objective (population-weighted minutes plus unserved charges).
func (f *form) assign(open []bool) ([][]Share, float64, bool) {
	f.steps += f.pairWork()
	out, cost, load, ok := f.nearestShares(open)
	if !ok {
		return nil, 0, false
	}
	if !f.hasCap {
		return out, cost, true
	}
	over := false
	for j, l := range load {
		if open[j] && l > f.cap[j]*(1+1e-12) {
			over = true
			break
		}
	}
	if !over {
		return out, cost, true
	}
	nOpen := 0
	for _, o := range open {
		if o {
			nOpen++
		}
	}
	if len(f.rows)*nOpen > 50_000 {
		// The exact min-cost flow costs a shortest-path search per moved
		// cell; on big instances shed overloads greedily instead (the plan
		// stays feasible and its objective is still the LP's at the plan).
		if sh, c, ok := f.spill(open, slices.Clone(out), slices.Clone(load)); ok {
			return sh, c, true
		}
		// The greedy spill moves cells one hop only; the flow decides
		// exactly, and its assignment fits every capacity.
		cf := f.capacityFlow(open)
		if cf.deficit > 0 {
			return nil, 0, false
		}
		f.flowAssign(cf, out)
		return out, f.shareCost(out), true
	}
	// Rows without dossiers need no capacity: they keep their nearest point.
	var idx []int
	var supply []float64
	var arcs [][]flow.Arc
	var unserved []float64
	cost = 0
	for r, ps := range f.pairs {
		if f.d[r] <= 0 {
			if out[r][0].Cand >= 0 {
				cost += f.w[r] * f.minutes(r, out[r][0].Cand)
			} else {
				cost += f.w[r] * f.unMin
			}
			continue
		}
		idx = append(idx, r)
		supply = append(supply, f.d[r])
		var a []flow.Arc
		for _, q := range ps {
			if open[q.cand] && f.cost(q) < f.unMin || open[q.cand] && !f.allowU[r] {
				a = append(a, flow.Arc{To: q.cand, Cost: f.w[r] * f.cost(q)})
			}
		}
		arcs = append(arcs, a)
		if f.allowU[r] {
			unserved = append(unserved, f.w[r]*f.unMin)
		} else {
			unserved = append(unserved, -1)
		}
	}
	capOpen := make([]float64, len(open))
	for j := range open {
		if open[j] {
			capOpen[j] = f.cap[j]
		}
	}
	a, ok := flow.Transport(supply, arcs, capOpen, unserved)
	f.steps += a.Scanned * arcWork
	if !ok {
		return nil, 0, false
	}
	for k, r := range idx {
		out[r] = a.Shares[k]
	}
	return out, cost + a.Cost, true
}

// Share is the share of a demand point's residents served by candidate
// Cand (-1: unserved).
type Share = flow.Share

func (f *form) minutes(r int, j int32) float64 {
	for _, q := range f.pairs[r] {
		if q.cand == j {
			return f.cost(q)
		}
	}
	return f.unMin
}

// spill sheds the overload of each over-full point: its cells move, those
// losing the fewest minutes per dossier first, to their next open point with
// spare capacity (a cell may split), or stay unserved where allowed.
func (f *form) spill(open []bool, out [][]Share, load []float64) ([][]Share, float64, bool) {
	type mv struct {
		r     int
		to    int32
		extra float64 // added population-minutes per dossier moved
	}
	rowsOf := make([][]int, len(open))
	for r, sh := range out {
		if len(sh) == 1 && sh[0].Cand >= 0 && load[sh[0].Cand] > f.cap[sh[0].Cand] {
			rowsOf[sh[0].Cand] = append(rowsOf[sh[0].Cand], r)
		}
	}
	for j := range open {
		if !open[j] || load[j] <= f.cap[j]*(1+1e-12) {
			continue
		}
		var moves []mv
		for _, r := range rowsOf[j] {
			if f.d[r] <= 0 {
				continue
			}
			cur := f.minutes(r, int32(j))
			best, bt := int32(-1), math.Inf(1)
			for _, q := range f.pairs[r] {
				if open[q.cand] && q.cand != int32(j) && load[q.cand] < f.cap[q.cand] && f.cost(q) < bt {
					best, bt = q.cand, f.cost(q)
				}
			}
			if best < 0 {
				if !f.allowU[r] {
					continue
				}
				bt = f.unMin
			}
			moves = append(moves, mv{r, best, f.w[r] * (bt - cur) / f.d[r]})
		}
		slices.SortStableFunc(moves, func(a, b mv) int { return cmp.Or(cmp.Compare(a.extra, b.extra), a.r-b.r) })
		for _, m := range moves {
			excess := load[j] - f.cap[j]
			if excess <= 1e-9*max(1, f.cap[j]) {
				break
			}
			amt := min(excess, f.d[m.r])
			if m.to >= 0 {
				amt = min(amt, f.cap[m.to]-load[m.to])
				if amt <= 0 {
					continue
				}
				load[m.to] += amt
			}
			load[j] -= amt
			share := amt / f.d[m.r]
			out[m.r] = []Share{{Cand: int32(j), Share: 1 - share}, {Cand: m.to, Share: share}}
			if share >= 1-1e-12 {
				out[m.r] = []Share{{Cand: m.to, Share: 1}}
			}
		}
		if load[j] > f.cap[j]*(1+1e-9) {
			return nil, 0, false
		}
	}
	return out, f.shareCost(out), true
}

// shareCost is the minutes part of the objective for an assignment.
func (f *form) shareCost(out [][]Share) float64 {
	cost := 0.0
	for r, sh := range out {
		for _, s := range sh {
			if s.Cand < 0 {
				cost += f.w[r] * s.Share * f.unMin
			} else {
				cost += f.w[r] * s.Share * f.minutes(r, s.Cand)
			}
		}
	}
	return cost
}
