// This file runs past 600 lines on purpose: it is the one place where each
// model (covering, consolidation, p-median/p-centre, the curve) is solved
// from the shared form, and the models share its helpers.

package optimize

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/onestop/onestop/optimize/facility"
	"github.com/onestop/onestop/optimize/setcover"
	"github.com/onestop/onestop/optimize/work"
)

// Result is a solved model: the open set, how residents are served, the
// objective of the exported LP at this plan, and the proof of quality.
type Result struct {
	Model Model
	P     int
	Open  []bool // per candidate
	// Assign lists, per demand point of the instance, the candidates serving
	// it and their shares (Cand -1: unserved); nil for unpopulated points.
	Assign [][]Share
	// Objective is the LP file's objective at this plan. For consolidate it
	// is PointWeight × points + population-weighted minutes.
	Objective float64
	// Bound is a proven bound on the optimum: a lower bound when
	// minimising, an upper bound for mclp (which maximises).
	Bound       float64
	GapPct      float64
	Optimal     bool
	Maximise    bool
	Seconds     float64
	PointWeight float64 // consolidate's weight of one point
	Points      int     // open points
	PointsLower int     // proven lower bound on the number of points (consolidate, lscp)
	// Covered is the population within the rule of an open point.
	Covered, Population float64
	// MeanMinutes is the population-weighted mean travel time to the
	// assigned point (unserved residents count UnservedMinutes).
	MeanMinutes     float64
	UnservedMinutes float64
	Uncoverable     []int32 // populated demand points no allowed candidate covers
	Nodes           int
	// StoppedBy says why the search ended: "optimal", "work budget",
	// "time limit" or "search complete" (docs/optimize.md).
	StoppedBy string
	Reduced   ReduceStats
	Curve     []CurvePoint
	Warnings  []string
	// ForcedOpen are the candidate ids Options.ForceOpen kept open.
	ForcedOpen []string
}

// ReduceStats records what the set-covering reductions achieved.
type ReduceStats struct {
	RowsIn, ColsIn, RowsOut, ColsOut, Forced int
}

// CurvePoint is one p of the trade-off curve; each value comes with its bound.
type CurvePoint struct {
	P              int     `json:"p"`
	CoveredShare   float64 `json:"covered_share"`
	CoveredShareUB float64 `json:"covered_share_upper_bound"`
	MeanMinutes    float64 `json:"mean_minutes"`
	MeanMinutesLB  float64 `json:"mean_minutes_lower_bound"`
	CoverOptimal   bool    `json:"cover_optimal"`
	MinutesOptimal bool    `json:"minutes_optimal"`
}

// Solve runs the model named in opt on inst. At opt.TimeLimit it stops and
// returns the best plan found with its gap. Cancelling ctx is an interrupt:
// the search stops as promptly and Solve returns ctx's error. Otherwise it
// fails only on bad input or when no feasible plan was found.
func Solve(ctx context.Context, inst *Instance, opt Options) (*Result, error) {
	start := time.Now()
	// The limit covers the whole call: building the model counts, and a
	// tenth of the limit (at most 2 s) is kept back for the work after the
	// search stops (the final assignment and its objective).
	search := opt.TimeLimit
	if search > 0 {
		search -= min(search/10, 2*time.Second)
	}
	f, err := newForm(ctx, inst, opt)
	if err != nil {
		return nil, err
	}
	var deadline time.Time
	if search > 0 {
		deadline = start.Add(search)
	}
	units := opt.Work
	if units <= 0 {
		units = DefaultWork
	}
	clk := work.New(ctx, units*workUnit, deadline)
	f.prog = newProgressor(opt.Progress, clk, f.model == MCLP)
	var res *Result
	switch f.model {
	case LSCP:
		res, err = f.solveLSCP(clk)
	case Consolidate:
		res, err = f.solveConsolidate(clk)
	case MCLP, PMedian:
		res, err = f.solveP(f.p, nil, clk, true)
	case Curve:
		res, err = f.solveCurve(opt.CurveMax, clk)
	}
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("optimize: %w", ctx.Err())
	}
	res.Model = f.model
	res.ForcedOpen = slices.Clone(opt.ForceOpen)
	res.UnservedMinutes = f.unMin
	res.Uncoverable = f.uncoverable
	res.Seconds = time.Since(start).Seconds()
	res.StoppedBy = stoppedBy(res.Optimal, clk.Reason())
	f.prog.done(res)
	switch res.StoppedBy {
	case stoppedTime:
		res.Warnings = append(res.Warnings, fmt.Sprintf("search cut by the time limit before it spent its work budget: the plan is within %.3g%% of optimal, and a run on a faster or less busy machine may give a different plan; fix: raise --time-limit (optimize.time_limit) or lower --work (optimize.work)", res.GapPct))
	case stoppedWork:
		res.Warnings = append(res.Warnings, fmt.Sprintf("search stopped by its work budget; the plan is within %.3g%% of optimal (raise --work to search further)", res.GapPct))
	}
	return res, nil
}

// Why a search ended, as Result.StoppedBy reports it.
const (
	// stoppedOptimal: the plan is proven optimal (the gap is closed).
	stoppedOptimal = "optimal"
	// stoppedWork: the work budget ran out with a gap left. The plan is
	// the same on any machine.
	stoppedWork = "work budget"
	// stoppedTime: the time limit cut the search before its work budget
	// ran out; the plan depends on the machine and its load.
	stoppedTime = "time limit"
	// stoppedSearch: every search ran to its end without closing the gap
	// (heuristic models such as the curve, or a bound that stays below the
	// plan).
	stoppedSearch = "search complete"
)

func stoppedBy(optimal bool, r work.Reason) string {
	switch {
	case r == work.Deadline:
		return stoppedTime
	case optimal:
		return stoppedOptimal
	case r == work.Exhausted:
		return stoppedWork
	}
	return stoppedSearch
}

// DefaultWork is the work budget of a solve when Options.Work is 0, in
// units of a million entries visited (see docs/optimize.md for how it was
// chosen).
const DefaultWork = 20_000

// workUnit is the number of budget charges (entries visited) in one unit
// of Options.Work.
const workUnit = 1_000_000

// finish fills the assignment-derived fields and the objective.
func (f *form) finish(res *Result, open []bool) error {
	if f.lazyPairs {
		f.fillPairs(open)
	}
	res.Open = open
	res.Points = 0
	for _, o := range open {
		if o {
			res.Points++
		}
	}
	shares, _, ok := f.assign(open)
	if !ok {
		return fmt.Errorf("optimize: internal: the plan cannot serve every resident within capacity")
	}
	res.Assign = make([][]Share, len(f.inst.Demand))
	mins := 0.0
	for r, i := range f.rows {
		res.Assign[i] = shares[r]
		for _, s := range shares[r] {
			if s.Cand < 0 {
				mins += f.w[r] * s.Share * f.unMin
			} else {
				mins += f.w[r] * s.Share * f.minutes(r, s.Cand)
			}
		}
		res.Population += f.w[r]
		for _, j := range f.cover[r] {
			if open[j] {
				res.Covered += f.w[r]
				break
			}
		}
	}
	res.MeanMinutes = mins / res.Population
	res.PointWeight = f.M
	res.Objective = f.objective(res)
	return nil
}

func (f *form) solveLSCP(clk *work.Budget) (*Result, error) {
	rows := f.requiredRows()
	f.prog.stage("covering")
	cr := setcover.SolveNotify(rows, f.fixed, clk, func(k, lower int) {
		f.prog.news(k, lower, float64(k), float64(lower)) // lscp's objective is the count
	})
	open := make([]bool, len(f.fixed))
	for _, j := range cr.Chosen {
		open[j] = true
	}
	res := &Result{Optimal: cr.Optimal, Nodes: cr.Nodes, PointsLower: cr.Lower, Reduced: statsOf(cr.Reduced)}
	if err := f.finish(res, open); err != nil {
		return nil, err
	}
	res.Bound = float64(cr.Lower)
	res.GapPct = gapPct(res.Objective, res.Bound, false)
	return res, nil
}

func statsOf(r setcover.Reduction) ReduceStats {
	return ReduceStats{RowsIn: r.RowsIn, ColsIn: r.ColsIn, RowsOut: r.RowsOut, ColsOut: r.ColsOut, Forced: len(r.Forced)}
}

// solveConsolidate is lexicographic: the fewest points that cover every
// coverable resident (exact set covering) and, if capacities allow no such
// set, one more at a time; then, for that count, the least weighted
// minutes by swap search and branch and bound.
//
// Lower bound: PointWeight × (a proven lower bound on the count) + a
// Lagrangian p-median bound for that count. It is valid because
// PointWeight exceeds any minutes total: a plan with more points costs more
// than any plan with fewer.
func (f *form) solveConsolidate(clk *work.Budget) (*Result, error) {
	m := len(f.fixed)
	rows := f.requiredRows()
	f.prog.stage("covering")
	cr := setcover.SolveNotify(rows, f.fixed, clk, func(k, lower int) {
		// Minutes are never negative: lower points bound the objective.
		f.prog.news(k, lower, math.NaN(), f.M*float64(lower))
	})
	kLow := cr.Lower
	if f.hasCap {
		// Every allowed point open is the most capacity any plan has: if
		// that cannot place every dossier, say whose cannot be placed.
		if !f.greedyFits(f.allow) {
			if cf := f.capacityFlow(f.allow); cf.deficit > 0 {
				return nil, f.capacityShortfall(cf)
			}
		}
		kLow = max(kLow, f.capacityCount())
	}
	start := make([]bool, m)
	for _, j := range cr.Chosen {
		start[j] = true
	}
	nAllow := 0
	for _, a := range f.allow {
		if a {
			nAllow++
		}
	}
	k0 := max(len(cr.Chosen), kLow)
	var best *facility.Result
	bestK := 0
	if f.hasCap {
		f.prog.stage("capacity")
		// A capacity-feasible plan first, by the exact flow (capacity.go):
		// the minutes search below starts from it at its count, and the
		// zones it meets on the way may raise the count's bound.
		capOpen, capLow := f.capacityPlan(start, kLow, clk.Share(0.3))
		kLow = max(kLow, capLow)
		if capOpen != nil {
			start, k0 = capOpen, count(capOpen)
			if clk.Done() {
				// Out of time: that plan is the answer; building the
				// minutes engine alone would take seconds on a province.
				if _, c, ok := f.assign(capOpen); ok {
					best, bestK = &facility.Result{Open: capOpen, Cost: c, Found: true}, k0
				}
			}
		}
	}
	var ap *facility.Problem
	if best == nil {
		ap = f.engine(k0)
		f.prog.stage("minutes")
	}
	for k := k0; best == nil && k <= nAllow; k++ {
		ap.SetP(k)
		ap.Notify(f.minutesNews(k, kLow))
		// Start from the minimum cover, if it has this size; the greedy fills
		// any extra points. Out of time, only the greedy runs.
		live := !clk.Done()
		kclk := clk
		if f.hasCap {
			// Capacities may rule this count out: leave half of the time
			// for the counts after it.
			kclk = clk.Share(0.5)
		}
		how := facility.Greedy
		if live {
			how = facility.Exact
		}
		r := ap.Solve(start, how, kclk)
		if r.Found {
			best, bestK = &r, k
			break
		}
		if r.Optimal {
			kLow = k + 1 // proven: no plan with k points fits the capacities
		}
		// Capacities rule out this set: next time add the point that can
		// take over most dossiers of the overloaded points.
		start = f.relieve(r.Tried)
		// Out of time with no feasible plan yet: the loop goes on adding
		// points with the greedy alone, so the caller still gets a plan.
	}
	if best == nil {
		return nil, fmt.Errorf("optimize: internal: no plan found within the capacities although every candidate open fits them")
	}
	if f.hasCap && !best.Optimal && !clk.Done() {
		// Points added one at a time to relieve overloads may have become
		// unnecessary: close any that the cover rule and the capacities
		// allow, the least loaded first.
		open := slices.Clone(best.Open)
		if f.newCapSearch().trim(open, clk) > 0 {
			if _, c, ok := f.assign(open); ok {
				best = &facility.Result{Open: open, Cost: c, Lower: best.Lower, Nodes: best.Nodes, Found: true}
				bestK = count(open)
			}
		}
	}
	res := &Result{Nodes: cr.Nodes + best.Nodes, PointsLower: kLow, Reduced: statsOf(cr.Reduced)}
	if err := f.finish(res, best.Open); err != nil {
		return nil, err
	}
	// Minutes bound for the smallest count not proven impossible.
	minLB := max(best.Lower, f.nearestMinutes())
	if kLow < bestK && ap != nil && !clk.Done() {
		ap.SetP(kLow) // the engine of the search, at the smaller count
		ap.Notify(nil)
		minLB = max(minLB, ap.LowerBound(300, clk))
	}
	res.Bound = f.M*float64(kLow) + max(0, minLB)
	res.Optimal = best.Optimal && cr.Optimal && kLow == bestK
	if res.Optimal {
		res.Bound = res.Objective
	}
	res.Bound = min(res.Bound, res.Objective)
	res.GapPct = gapPct(res.Objective, res.Bound, false)
	return res, nil
}

// minutesNews turns the minutes search's news at k points, kLow being
// proven the fewest possible, into consolidate's objective and bound.
func (f *form) minutesNews(k, kLow int) func(cost, lower float64) {
	if f.prog == nil {
		return nil
	}
	return func(cost, lower float64) {
		bound := f.M * float64(kLow)
		if k == kLow && lower > 0 {
			// Any plan has at least kLow points; one with exactly kLow
			// costs at least lower minutes, and one with more costs more
			// than any minutes total.
			bound += lower
		}
		f.prog.setPoints(k, f.M*float64(k)+cost, bound)
	}
}

// nearestMinutes bounds the minutes part from below whatever opens: every
// row at its nearest allowed candidate (or its unserved price), as the
// engine's nearestBound does, without building the engine.
func (f *form) nearestMinutes() float64 {
	lb := 0.0
	for r, ps := range f.pairs {
		c := f.unservedPrice(r)
		for _, q := range ps {
			c = min(c, f.w[r]*f.cost(q))
		}
		lb += c
	}
	return lb
}

// capacityCount is the fewest points whose capacities can hold all dossiers.
func (f *form) capacityCount() int {
	total := 0.0
	for r, d := range f.d {
		if f.req[r] {
			total += d
		}
	}
	var caps []float64
	have, k := 0.0, 0
	for j := range f.fixed {
		if f.fixed[j] {
			have += f.cap[j]
			k++
		} else if f.allow[j] {
			caps = append(caps, f.cap[j])
		}
	}
	slices.SortFunc(caps, func(a, b float64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	for _, c := range caps {
		if have >= total {
			break
		}
		have += c
		k++
	}
	return k
}

// solveP solves mclp or pmedian for p points.
func (f *form) solveP(p int, start []bool, clk *work.Budget, exact bool) (*Result, error) {
	ap := f.engine(p)
	if f.prog != nil {
		f.prog.stage("points")
		ap.Notify(f.pointsNews())
	}
	how := facility.Bounded
	if exact {
		how = facility.Exact
	}
	r := ap.Solve(start, how, clk)
	if !r.Found {
		return nil, fmt.Errorf("optimize: no plan with p=%d found; fix: check the locked offices and p", p)
	}
	res := &Result{P: p, Nodes: r.Nodes, Optimal: r.Optimal}
	if err := f.finish(res, r.Open); err != nil {
		return nil, err
	}
	switch f.model {
	case MCLP:
		res.Maximise = true
		res.Bound = max(res.Objective, res.Population-r.Lower)
		if r.Optimal {
			res.Bound = res.Objective
		}
		res.GapPct = gapPct(res.Objective, res.Bound, true)
	default:
		res.Bound = min(res.Objective, max(0, r.Lower))
		res.GapPct = gapPct(res.Objective, res.Bound, false)
	}
	return res, nil
}

// pointsNews turns the facility search's news into mclp's covered
// residents (cost is the residents left uncovered) or p-median's minutes.
func (f *form) pointsNews() func(cost, lower float64) {
	total := 0.0
	for _, w := range f.w {
		total += w
	}
	return func(cost, lower float64) {
		if f.model == MCLP {
			f.prog.news(0, 0, total-cost, total-lower)
			return
		}
		f.prog.news(0, 0, cost, max(0, lower))
	}
}

// solveCurve traces covered share and mean minutes for p = first..last,
// warm-starting each p from the previous plan. Points are heuristic plans
// with Lagrangian bounds (no branch and bound), so each reports its bound.
func (f *form) solveCurve(pMax int, clk *work.Budget) (*Result, error) {
	nFixed, nAllow := 0, 0
	for j := range f.fixed {
		if f.fixed[j] {
			nFixed++
		}
		if f.allow[j] {
			nAllow++
		}
	}
	if pMax <= 0 || pMax > nAllow {
		pMax = nAllow
	}
	var warnings []string
	if first := max(1, nFixed); pMax < first {
		// Fewer points than must stay open is no plan at all: without this
		// the curve would have no point and no plan to finish.
		warnings = append(warnings, fmt.Sprintf("curve: %d points asked for, but %d must stay open (locked, outside the scope or forced open); the curve starts at %d", pMax, nFixed, first))
		pMax = first
	}
	W := 0.0
	coverable := 0.0
	for r, w := range f.w {
		W += w
		if len(f.cover[r]) > 0 {
			coverable += w
		}
	}
	cov := &form{}
	*cov = *f
	cov.model = MCLP
	cov.prog = nil // its plans are the curve's, not the result's
	cov.pairs = make([][]pair, len(f.rows))
	for r, c := range f.cover {
		for _, j := range c {
			cov.pairs[r] = append(cov.pairs[r], pair{j, 0})
		}
	}
	med := &form{}
	*med = *f
	med.model = PMedian
	med.prog = nil
	res := &Result{Warnings: warnings}
	var prevC, prevM []bool
	for p := max(1, nFixed); p <= pMax; p++ {
		f.prog.curve(p)
		rc, err := cov.solveP(p, prevC, clk, false)
		if err != nil {
			return nil, err
		}
		rm, err := med.solveP(p, prevM, clk, false)
		if err != nil {
			return nil, err
		}
		prevC, prevM = rc.Open, rm.Open
		res.Curve = append(res.Curve, CurvePoint{
			P: p, CoveredShare: rc.Objective / W, CoveredShareUB: rc.Bound / W,
			MeanMinutes: rm.Objective / W, MeanMinutesLB: rm.Bound / W,
			CoverOptimal: rc.Optimal, MinutesOptimal: rm.Optimal,
		})
		if pMax == nAllow && rc.Objective >= coverable-1e-9*W {
			// Full coverage reached: the last plan is the curve's result.
			if err := f.finish(res, rm.Open); err != nil {
				return nil, err
			}
			break
		}
		if clk.Done() {
			res.Warnings = append(res.Warnings, fmt.Sprintf("curve stopped at p=%d by the time limit", p))
			break
		}
		if p == pMax {
			if err := f.finish(res, rm.Open); err != nil {
				return nil, err
			}
		}
	}
	if res.Open == nil {
		if err := f.finish(res, prevM); err != nil {
			return nil, err
		}
	}
	res.P = res.Points
	res.Bound = res.Objective
	res.Optimal = false
	return res, nil
}

// nearestLoad sends every row to its nearest open point by time (-1: none)
// and sums the dossiers each point then receives.
func (f *form) nearestLoad(open []bool) ([]int32, []float64) {
	load := make([]float64, len(open))
	near := make([]int32, len(f.rows))
	for r, ps := range f.pairs {
		near[r] = -1
		bc := math.Inf(1)
		for _, q := range ps {
			if open[q.cand] && f.cost(q) < bc {
				near[r], bc = q.cand, f.cost(q)
			}
		}
		if near[r] >= 0 {
			load[near[r]] += f.d[r]
		}
	}
	return near, load
}

// relieve returns open plus the candidate within reach of the most dossiers
// now assigned (nearest by time) to points over their capacity.
func (f *form) relieve(open []bool) []bool {
	out := slices.Clone(open)
	near, load := f.nearestLoad(open)
	gain := make([]float64, len(open))
	for r, ps := range f.pairs {
		if j := near[r]; j >= 0 && load[j] > f.cap[j] {
			for _, q := range ps {
				if !open[q.cand] && f.allow[q.cand] {
					gain[q.cand] += f.d[r]
				}
			}
		}
	}
	bj := -1
	for j, g := range gain {
		if g > 0 && (bj < 0 || g > gain[bj]) {
			bj = j
		}
	}
	if bj >= 0 {
		out[bj] = true
	}
	return out
}

// requiredRows are the cover lists of the cells the plan must cover.
func (f *form) requiredRows() [][]int32 {
	var rows [][]int32
	for r, c := range f.cover {
		if f.req[r] {
			rows = append(rows, c)
		}
	}
	return rows
}

// capacityShortfall is the error of a capacity flow that cannot place
// every dossier even with every allowed point open: the communes of the
// cells that cannot all be served (the Hall violator), their residents
// and counter dossiers, against the capacity of the points able to serve
// them.
func (f *form) capacityShortfall(cf capFlow) error {
	type acc struct {
		cells    int
		res, dos float64
	}
	by := map[string]*acc{}
	var codes []string
	for _, r := range cf.cut {
		code := "?"
		if f.inst.DemandCommune != nil {
			code = f.inst.DemandCommune[f.rows[r]]
		}
		a := by[code]
		if a == nil {
			a = &acc{}
			by[code] = a
			codes = append(codes, code)
		}
		a.cells++
		a.res += f.w[r]
		a.dos += f.d[r]
	}
	slices.Sort(codes)
	parts := make([]string, 0, len(codes))
	for k, c := range codes {
		if k == 10 {
			parts = append(parts, fmt.Sprintf("and %d more communes", len(codes)-k))
			break
		}
		a := by[c]
		parts = append(parts, fmt.Sprintf("commune %s: %.0f residents, %.0f counter dossiers/year in %d cells", c, a.res, a.dos, a.cells))
	}
	return fmt.Errorf("optimize: the premises cannot place %.0f counter dossiers/year even with every candidate open: %s can only reach points whose capacity totals %.0f for their %.0f; fix: raise max_counters_per_point / max_staff_per_point (--max-counters-per-point, --max-staff-per-point) or add candidate sites near them",
		cf.deficit, strings.Join(parts, "; "), cf.cutCap, cf.cutDemand)
}
