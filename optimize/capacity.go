package optimize

import (
	"cmp"
	"math"
	"slices"

	"github.com/onestop/onestop/optimize/setcover"
	"github.com/onestop/onestop/optimize/work"
)

// The count part of consolidate when points have capacities: the fewest
// points such that every required cell is covered by the rule and every
// dossier fits some open point's capacity. The cover alone gives a bound
// far below the truth once capacities bind (a dense city needs several
// points near it however few cover it), so the search collects capacity
// zones — Hall violators of the plans it tries — as knapsack rows
//
//	Σ_{j ∈ N(Z)} cap_j x_j ≥ D(Z)
//
// (N(Z): candidates that can serve a cell of zone Z; D(Z): its dossiers),
// valid for every feasible plan, and bounds the count by them (zoneBound).

// capZone is one knapsack row: the candidates able to serve the zone's
// cells and the zone's dossiers.
type capZone struct {
	cands  []int32
	demand float64
}

// capSearch holds what the capacitated count search learns.
type capSearch struct {
	f     *form
	rows  [][]int32 // cover rows no fixed candidate meets (dominated rows dropped)
	zones []capZone
}

func (f *form) newCapSearch() *capSearch {
	var rows [][]int32
	for r, c := range f.cover {
		if !f.req[r] {
			continue
		}
		if !setcover.Meets(c, f.fixed) {
			rows = append(rows, c)
		}
	}
	// Superset rows are implied by their subsets whatever other rows are
	// added later (unlike dominated columns, which the zones may need).
	rows = setcover.DropSupersets(rows, len(f.fixed))
	return &capSearch{f: f, rows: rows}
}

// zoneOf turns the Hall violator of a failed flow into a capacity zone.
func (cs *capSearch) zoneOf(cf capFlow) (capZone, bool) {
	f := cs.f
	if cf.deficit <= 0 || len(cf.cut) == 0 {
		return capZone{}, false
	}
	in := make([]bool, len(f.fixed))
	for _, r := range cf.cut {
		for _, q := range f.pairs[r] {
			if f.allow[q.cand] {
				in[q.cand] = true
			}
		}
	}
	var z capZone
	for j, ok := range in {
		if ok {
			z.cands = append(z.cands, int32(j))
		}
	}
	z.demand = cf.cutDemand
	return z, true
}

// add keeps a new zone unless an identical one is known.
func (cs *capSearch) add(z capZone) {
	for _, o := range cs.zones {
		if o.demand == z.demand && slices.Equal(o.cands, z.cands) {
			return
		}
	}
	cs.zones = append(cs.zones, z)
}

// repair adds points to open until every dossier fits: each time the
// candidate able to take most of the violating zone's dossiers (at most
// its capacity), judged by the exact flow. It returns false when no
// candidate helps. It ignores the budget: each step opens a point, and a
// search out of time still needs one feasible plan.
func (cs *capSearch) repair(open []bool) bool {
	f := cs.f
	for {
		cf := f.capacityFlow(open)
		if cf.deficit <= 0 {
			return true
		}
		if z, ok := cs.zoneOf(cf); ok {
			cs.add(z)
		}
		reach := make([]float64, len(open))
		for _, r := range cf.cut {
			for _, q := range f.pairs[r] {
				if !open[q.cand] && f.allow[q.cand] {
					reach[q.cand] += f.d[r]
				}
			}
		}
		bj, bv := -1, 0.0
		for j, v := range reach {
			if v = min(v, f.cap[j]); v > bv+1e-9 {
				bj, bv = j, v
			}
		}
		if bj < 0 {
			return false
		}
		open[bj] = true
	}
}

// covers reports whether open meets every cover row of the search.
func (cs *capSearch) covers(open []bool) bool { return len(cs.unmet(open, 1)) == 0 }

// unmet lists the cover rows open leaves unmet, at most limit of them
// (0: all).
func (cs *capSearch) unmet(open []bool, limit int) [][]int32 {
	var out [][]int32
	for _, r := range cs.rows {
		if !setcover.Meets(r, open) {
			if out = append(out, r); len(out) == limit {
				break
			}
		}
	}
	return out
}

// trim closes points while the cover rows and the exact flow allow, those
// serving the fewest dossiers alone first; it returns the number closed.
func (cs *capSearch) trim(open []bool, clk *work.Budget) int {
	f := cs.f
	// Least loaded first: dossiers of the cells each point is nearest to.
	_, load := f.nearestLoad(open)
	order := openIDs(open, f.fixed)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(load[a], load[b]) })
	n := 0
	for _, j := range order {
		if clk.Spend(f.takeSteps()) {
			break
		}
		open[j] = false
		if !cs.covers(open) {
			open[j] = true
			continue
		}
		cf := f.capacityFlow(open)
		if cf.deficit <= 0 {
			n++
			continue
		}
		// A point the capacities cannot spare marks a tight zone.
		if z, ok := cs.zoneOf(cf); ok {
			cs.add(z)
		}
		open[j] = true
	}
	return n
}

// capacityPlan searches for a plan with fewest points from the cover start
// (a minimum cover): repair by the flow, then trim, one point fewer, plans
// around the violators. It returns the best feasible open set found (nil
// if none) and the proven lower bound on the count.
func (f *form) capacityPlan(start []bool, lower int, clk *work.Budget) ([]bool, int) {
	cs := f.newCapSearch()
	open := slices.Clone(start)
	ok := cs.repair(open)
	for _, z := range cs.zones {
		lower = max(lower, cs.zoneBound(z))
	}
	if !ok {
		return nil, lower
	}
	// Balls around the repaired cover's points, before trimming moves
	// them: different centres find different tight zones.
	if count(open) > lower && !clk.Done() {
		lower = max(lower, cs.ballBound(open, clk))
	}
	cs.trim(open, clk)
	// One point fewer: close a point, re-cover its rows with the candidate
	// that can take most of the dossiers then short of capacity, repair,
	// trim; keep the first plan smaller than the incumbent, repeat.
	for improved := true; improved && count(open) > lower && !clk.Done(); {
		improved = false
		for _, j := range openIDs(open, f.fixed) {
			if clk.Spend(f.takeSteps()) {
				break
			}
			try := slices.Clone(open)
			try[j] = false
			if !cs.recoverCover(try, int32(j)) || !cs.repair(try) {
				continue
			}
			cs.trim(try, clk)
			if count(try) < count(open) && cs.covers(try) {
				open, improved = try, true
				break
			}
		}
	}
	// Zone-first starts: place the points the largest zone needs, those
	// meeting most cover rows first, cover the rest around them, repair.
	for k := 0; k < len(cs.zones) && k < 3 && count(open) > lower && !clk.Done(); k++ {
		if try := cs.zoneFirst(cs.zones[k], clk); try != nil && count(try) < count(open) {
			open = try
		}
	}
	for _, z := range cs.zones {
		lower = max(lower, cs.zoneBound(z))
	}
	if count(open) > lower {
		lower = max(lower, cs.ballBound(open, clk))
	}
	return open, lower
}

// ballBound tries zones that are balls: the cells within t minutes of an
// open point, for a few t. Any set of cells is a valid zone (its dossiers
// can only go to the candidates that reach it), and a compact one reached
// by few candidates bounds best. It returns the best zoneBound found.
func (cs *capSearch) ballBound(open []bool, clk *work.Budget) int {
	f := cs.f
	rowOf := make([]int32, len(f.inst.Demand))
	for i := range rowOf {
		rowOf[i] = -1
	}
	for r, i := range f.rows {
		if f.d[r] > 0 && !f.allowU[r] {
			rowOf[i] = int32(r)
		}
	}
	in := make([]bool, len(f.fixed))
	best := 0
	t := f.inst.Times
	for _, c := range openIDs(open, f.fixed) {
		for _, lim := range []float32{10, 15, 20, 25, 30} {
			if clk.Spend(int64(t.Start[c+1]-t.Start[c]) + int64(len(f.fixed))) {
				return best
			}
			clear(in)
			z := capZone{}
			for k := t.Start[c]; k < t.Start[c+1]; k++ {
				r := rowOf[t.Cell[k]]
				if r < 0 || t.Minutes[k] > lim {
					continue
				}
				z.demand += f.d[r]
				for _, q := range f.pairs[r] {
					if f.allow[q.cand] && !in[q.cand] {
						in[q.cand] = true
					}
				}
			}
			for j, ok := range in {
				if ok {
					z.cands = append(z.cands, int32(j))
				}
			}
			if z.demand > 0 {
				best = max(best, cs.zoneBound(z))
			}
		}
	}
	return best
}

// zoneFirst builds a plan around zone z: the fewest candidates of N(z)
// whose capacities reach its dossiers, picked greedily by the cover rows
// they newly meet (ties: larger capacity, then index), then a minimum
// cover of the rows they leave, then the flow repair and trim.
func (cs *capSearch) zoneFirst(z capZone, clk *work.Budget) []bool {
	f := cs.f
	m := len(f.fixed)
	open := slices.Clone(f.fixed)
	met := make([]bool, len(cs.rows))
	for i, r := range cs.rows {
		for _, j := range r {
			if open[j] {
				met[i] = true
				break
			}
		}
	}
	byCol := make([][]int32, m) // candidate -> cover rows
	for i, r := range cs.rows {
		for _, j := range r {
			byCol[j] = append(byCol[j], int32(i))
		}
	}
	have := 0.0
	for _, j := range z.cands {
		if open[j] {
			have += f.cap[j]
		}
	}
	for have < z.demand && !clk.Spend(int64(len(z.cands))*int64(1+len(cs.rows)/max(1, m))) {
		bj, bn := int32(-1), -1
		for _, j := range z.cands {
			if open[j] || !f.allow[j] {
				continue
			}
			n := 0
			for _, i := range byCol[j] {
				if !met[i] {
					n++
				}
			}
			if n > bn || n == bn && f.cap[j] > f.cap[bj] {
				bj, bn = j, n
			}
		}
		if bj < 0 {
			return nil
		}
		open[bj] = true
		have += f.cap[bj]
		for _, i := range byCol[bj] {
			met[i] = true
		}
	}
	var rest [][]int32
	for i, r := range cs.rows {
		if !met[i] {
			rest = append(rest, r)
		}
	}
	cr := setcover.Solve(rest, open, clk.Share(0.5))
	for _, j := range cr.Chosen {
		open[j] = true
	}
	if !cs.covers(open) || !cs.repair(open) {
		return nil
	}
	cs.trim(open, clk)
	return open
}

func count(open []bool) int {
	n := 0
	for _, o := range open {
		if o {
			n++
		}
	}
	return n
}

// openIDs lists the open candidates that are not fixed.
func openIDs(open, fixed []bool) []int {
	var ids []int
	for j, o := range open {
		if o && !fixed[j] {
			ids = append(ids, j)
		}
	}
	return ids
}

// recoverCover opens, for the cover rows that closing gone left unmet, the
// candidate meeting all of them that can take most of the dossiers the
// flow then leaves short (any of them when nothing is short). It reports
// false when no single candidate meets them all.
func (cs *capSearch) recoverCover(open []bool, gone int32) bool {
	f := cs.f
	lost := cs.unmet(open, 0)
	if len(lost) == 0 {
		return true
	}
	meets := make([]int32, len(open))
	for _, r := range lost {
		for _, j := range r {
			meets[j]++
		}
	}
	cf := f.capacityFlow(open)
	short := make([]float64, len(open))
	for _, r := range cf.cut {
		for _, q := range f.pairs[r] {
			short[q.cand] += f.d[r]
		}
	}
	bj, bv := -1, -1.0
	for j, n := range meets {
		if int(n) == len(lost) && int32(j) != gone && f.allow[j] && !open[j] {
			if v := min(short[j], f.cap[j]); v > bv {
				bj, bv = j, v
			}
		}
	}
	if bj < 0 {
		return false
	}
	open[bj] = true
	return true
}

// zoneBound is a combinatorial lower bound on the count from one zone:
// the zone needs k points of N(Z) (the fewest whose largest capacities
// reach its dossiers), and cover rows with no candidate in N(Z) need
// points outside it — one each for rows no single candidate meets two of
// (a greedy packing, shortest rows first). Fixed points outside N(Z) add
// to it.
func (cs *capSearch) zoneBound(z capZone) int {
	f := cs.f
	caps := make([]float64, 0, len(z.cands))
	used := make([]bool, len(f.fixed))
	for _, j := range z.cands {
		used[j] = true
		caps = append(caps, f.cap[j])
	}
	slices.Sort(caps)
	k, have := 0, 0.0
	for i := len(caps) - 1; i >= 0 && have < z.demand*(1-1e-12); i-- {
		have += caps[i]
		k++
	}
	if have < z.demand*(1-1e-12) {
		return math.MaxInt32 // no plan can serve the zone
	}
	for j, x := range f.fixed {
		if x && !used[j] {
			k++
		}
	}
	order := make([]int, 0, len(cs.rows))
	for i, r := range cs.rows {
		if !setcover.Meets(r, used) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(cs.rows[a]), len(cs.rows[b])) })
	for _, i := range order {
		if !setcover.Meets(cs.rows[i], used) {
			k++
			for _, j := range cs.rows[i] {
				used[j] = true
			}
		}
	}
	return k
}
