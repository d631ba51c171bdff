package facility

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/onestop/onestop/optimize/work"
)

// Problem is a p-facility problem: open exactly p candidates and pay, per
// demand point, the cheapest open candidate's cost or the point's penalty
// (the cost of leaving it unserved), whichever is lower.
type Problem struct {
	n, m int
	// The cost of a pair is w[demand point] times its unit (cost): 16
	// bytes per pair on both sides instead of 24 with float64 costs.
	w      []float64
	table  []float64 // units that are no float32 (Units)
	rStart []int32   // demand -> (candidate, unit), sorted by cost then candidate
	rCand  []int32
	rUnit  []float32
	cStart []int32 // candidate -> (demand, unit), by ascending demand
	cDem   []int32
	cUnit  []float32
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
	// notify, when not nil, hears of every better solution and bound
	// (Notify).
	notify func(cost, lower float64)
}

// Notify makes Solve call fn with the cost of every better solution it
// finds and the best lower bound proven so far (-Inf before the first).
// fn only observes: the search and its result do not depend on it.
func (ap *Problem) Notify(fn func(cost, lower float64)) { ap.notify = fn }

func (ap *Problem) tell(cost, lower float64) {
	if ap.notify != nil {
		ap.notify(cost, lower)
	}
}

// New returns the problem of opening p of the candidates (len(fixed) of
// them) given each demand point's arcs and penalty. Fixed candidates are
// open in every solution; only allowed ones may open. Every cost is kept
// exactly (a weight of 1 and its exact unit, see Units); lists is left as
// it was. NewRows builds the same problem without a list per point.
func New(lists [][]Arc, pen []float64, fixed, allow []bool, p int) *Problem {
	w := make([]float64, len(lists))
	var units Units
	rows := make([][]Pair, len(lists))
	for i, l := range lists {
		w[i] = 1
		rows[i] = make([]Pair, len(l))
		for k, e := range l {
			rows[i][k] = Pair{To: e.To, Unit: units.Of(e.Cost)}
		}
	}
	return NewRows(w, &units, pen, fixed, allow, p, func(i int, buf []Pair) []Pair {
		return append(buf, rows[i]...)
	})
}

// Pair is a candidate that may serve a demand point and its unit cost:
// serving the whole point i there costs w[i] times the unit (NewRows).
// A unit is a float32 that is not negative, or one Units.Of returned.
type Pair struct {
	To   int32
	Unit float32
}

// Units holds the exact float64 unit costs that no float32 holds (a
// float64 option such as the unserved minutes, or arbitrary costs): a
// pair refers to one by a unit Of returned, a negative float32 whose bits
// index the table. The engine's arrays thus stay at 4 bytes per cost.
type Units struct{ table []float64 }

// Of returns the unit standing for c exactly: c itself when it is a
// float32 with a clear sign bit, otherwise a reference to a new table
// entry.
func (u *Units) Of(c float64) float32 {
	if f := float32(c); float64(f) == c && math.Float32bits(f) <= signBit {
		return f
	}
	if len(u.table) >= math.MaxInt32 {
		panic("facility: more than 2^31 distinct non-float32 costs")
	}
	u.table = append(u.table, c)
	return math.Float32frombits(signBit | uint32(len(u.table)))
}

// signBit is a float32's sign bit. Units with more bits set (negative,
// non-zero) index Units' table; -0 is a plain unit, which a listed time
// of -0 minutes may be.
const signBit = 1 << 31

// cost is the float64 cost of a unit for a point of weight w: exactly the
// product w*unit a float64 cost array would have stored.
func (ap *Problem) cost(w float64, u float32) float64 { return unitCost(w, u, ap.table) }

// unitCost is cost with the table at hand, for the hot loops. The
// conversion forbids fusing the product with a following add or subtract
// (FMA), so every sum stays the one float64 costs gave.
func unitCost(w float64, u float32, table []float64) float64 {
	if b := math.Float32bits(u); b > signBit {
		return float64(w * table[b-signBit-1])
	}
	return float64(w * float64(u))
}

// column returns candidate j's demand points and their units (of the same
// length, so that loops over them need no bounds check on the units).
func (ap *Problem) column(j int32) ([]int32, []float32) {
	a, b := ap.cStart[j], ap.cStart[j+1]
	dem := ap.cDem[a:b]
	unit := ap.cUnit[a:b]
	return dem, unit[:len(dem)]
}

// rowCost is the cost of the k-th row-side pair, of demand point i.
func (ap *Problem) rowCost(i int, k int32) float64 { return ap.cost(ap.w[i], ap.rUnit[k]) }

// NewRows returns the problem of opening p of the candidates (len(fixed)
// of them) given each demand point's weight w[i], pairs and penalty: row
// appends point i's pairs to buf and returns it. Serving i by a pair costs
// w[i] times its unit (units: the table of non-float32 units, nil when
// none). Fixed candidates are open in every solution; only allowed ones
// may open. The problem keeps w, pen, fixed and allow: the caller must not
// change them. row is called twice per point (a counting pass, then a
// filling pass, which must give the same pairs) so that the problem's
// arrays are sized exactly and no list of all the pairs is ever held.
func NewRows(w []float64, units *Units, pen []float64, fixed, allow []bool, p int, row func(i int, buf []Pair) []Pair) *Problem {
	n, m := len(w), len(fixed)
	ap := &Problem{n: n, m: m, w: w, pen: pen, fixed: fixed, allow: allow, p: p}
	if units != nil {
		ap.table = units.table
	}
	ap.rStart = make([]int32, n+1)
	var buf []Pair
	for i := 0; i < n; i++ {
		buf = row(i, buf[:0])
		kept := int32(0)
		for _, e := range buf {
			if ap.keep(i, e) {
				kept++
			}
		}
		ap.rStart[i+1] = ap.rStart[i] + kept
	}
	ap.rCand = make([]int32, ap.rStart[n])
	ap.rUnit = make([]float32, ap.rStart[n])
	cnt := make([]int32, m+1)
	var sorted []costPair
	for i := 0; i < n; i++ {
		buf = row(i, buf[:0])
		sorted = sorted[:0]
		for _, e := range buf {
			if ap.keep(i, e) {
				sorted = append(sorted, costPair{ap.cost(w[i], e.Unit), e})
			}
		}
		a := ap.rStart[i]
		if int32(len(sorted)) != ap.rStart[i+1]-a {
			panic("facility: NewRows: row gave other pairs on its second call")
		}
		// Filtering before a stable sort keeps the order a sort of the
		// whole row then a filter gave.
		slices.SortStableFunc(sorted, func(a, b costPair) int {
			if a.cost != b.cost {
				if a.cost < b.cost {
					return -1
				}
				return 1
			}
			return int(a.To - b.To)
		})
		for k, e := range sorted {
			ap.rCand[a+int32(k)] = e.To
			ap.rUnit[a+int32(k)] = e.Unit
			cnt[e.To+1]++
		}
	}
	ap.transposeRows(cnt)
	return ap
}

// costPair is a pair and its cost while a row is sorted.
type costPair struct {
	cost float64
	Pair
}

// keep reports whether a pair may matter: it must be allowed to open and
// better than leaving the point unserved.
func (ap *Problem) keep(i int, e Pair) bool {
	return ap.allow[e.To] && ap.cost(ap.w[i], e.Unit) < ap.pen[i]
}

// transposeRows fills the column side from the row side, each column by
// ascending demand point; cnt[j+1] is candidate j's number of pairs.
func (ap *Problem) transposeRows(cnt []int32) {
	for j := 0; j < ap.m; j++ {
		cnt[j+1] += cnt[j]
	}
	ap.cStart = slices.Clone(cnt)
	ap.cDem = make([]int32, len(ap.rCand))
	ap.cUnit = make([]float32, len(ap.rCand))
	pos := cnt[:ap.m]
	for i := 0; i < ap.n; i++ {
		for k := ap.rStart[i]; k < ap.rStart[i+1]; k++ {
			j := ap.rCand[k]
			ap.cDem[pos[j]] = int32(i)
			ap.cUnit[pos[j]] = ap.rUnit[k]
			pos[j]++
		}
	}
}

// SetP changes the number of candidates to open.
func (ap *Problem) SetP(p int) { ap.p = p }

// RequireCover adds a cover rule: every row (a list of candidates) must
// have an open candidate.
func (ap *Problem) RequireCover(rows [][]int32) {
	ap.coverRow = rows
	// One exactly sized array for all the columns: appending to each
	// would leave up to twice the memory (millions of entries under
	// consolidate) and the garbage of every growth.
	start := make([]int, ap.m+1)
	for _, r := range rows {
		for _, j := range r {
			start[j+1]++
		}
	}
	for j := 0; j < ap.m; j++ {
		start[j+1] += start[j]
	}
	buf := make([]int32, start[ap.m])
	pos := slices.Clone(start[:ap.m])
	for k, r := range rows {
		for _, j := range r {
			buf[pos[j]] = int32(k)
			pos[j]++
		}
	}
	ap.coverCol = make([][]int32, ap.m)
	for j := range ap.coverCol {
		if a, b := start[j], start[j+1]; b > a {
			ap.coverCol[j] = buf[a:b:b]
		}
	}
}

// CheckLeaves makes cost the judge of every complete open set: it may
// reject one (ok false) or raise its cost, as a capacitated assignment
// does. spent reports the work cost did since it was last asked, which the
// budget is charged.
func (ap *Problem) CheckLeaves(cost func(open []bool) (c float64, ok bool), spent func() int64) {
	ap.leafCost, ap.leafWork = cost, spent
}

// Arc is one candidate a demand point may be served by, and the cost of
// serving the whole point there.
type Arc struct {
	To   int32
	Cost float64
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

func (ap *Problem) newState(open []bool) *assignState {
	s := &assignState{open: slices.Clone(open), c1: make([]int32, ap.n), d1: make([]float64, ap.n), d2: make([]float64, ap.n)}
	for _, o := range open {
		if o {
			s.nOpen++
		}
	}
	ap.refresh(s)
	return s
}

func (ap *Problem) refresh(s *assignState) {
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
				s.c1[i], s.d1[i] = j, ap.rowCost(i, k)
			} else {
				s.d2[i] = ap.rowCost(i, k)
			}
			found++
		}
		s.cost += s.d1[i]
	}
}

// covered reports whether every demand point of the cover rule has an open
// candidate; always true without the rule.
func (ap *Problem) covered(open []bool) bool {
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
func (ap *Problem) leaf(open []bool) (float64, bool) {
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
func (ap *Problem) greedyAdd(s *assignState, clk *work.Budget) {
	type entry struct {
		j    int32
		gain float64
	}
	w, tab := ap.w, ap.table
	gain := func(j int32) float64 {
		g := 0.0
		dem, unit := ap.column(j)
		for k, i := range dem {
			if c := unitCost(w[i], unit[k], tab); c < s.d1[i] {
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

func (ap *Problem) open(s *assignState, j int32) {
	s.open[j] = true
	s.nOpen++
	w, tab := ap.w, ap.table
	dem, unit := ap.column(j)
	for k, i := range dem {
		c := unitCost(w[i], unit[k], tab)
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
func (ap *Problem) localSearch(s *assignState, clk *work.Budget) int {
	swaps := 0
	w, tab := ap.w, ap.table
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
			dem, unit := ap.column(int32(k))
			for q, i := range dem {
				c := unitCost(w[i], unit[q], tab)
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

// Result is a solved problem: the best open set found, its cost and a
// lower bound on the optimum.
type Result struct {
	Open    []bool
	Cost    float64
	Lower   float64
	Optimal bool
	Nodes   int
	Found   bool   // false: no feasible open set was found
	Tried   []bool // the greedy's open set, kept when it is infeasible
}

// Search says how far Solve goes.
type Search int

const (
	// Greedy: the greedy and the swap search only; Lower stays 0.
	Greedy Search = iota
	// Bounded adds the root Lagrangian bound.
	Bounded
	// Exact adds branch and bound until the budget runs out.
	Exact
)

// Solve runs the greedy and the swap search from start (nil: the fixed
// candidates), then as much of the bound and the branch and bound as how
// asks for, until budget (nil: no limit) stops it.
func (ap *Problem) Solve(start []bool, how Search, budget *work.Budget) Result {
	return ap.solveB(start, budget, how == Exact, how != Greedy)
}

// LowerBound is a Lagrangian bound on the optimum with the current p, from
// iters subgradient steps at most.
func (ap *Problem) LowerBound(iters int, budget *work.Budget) float64 {
	col := make([]int8, ap.m)
	for j := range col {
		if ap.fixed[j] {
			col[j] = 1
		} else if !ap.allow[j] {
			col[j] = -1
		}
	}
	lb, _ := ap.lagrange(col, slices.Clone(ap.pen), math.Inf(1), iters, budget)
	return lb
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
