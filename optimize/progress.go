package optimize

import (
	"fmt"
	"math"
	"strings"

	"github.com/onestop/onestop/optimize/work"
)

// Progress is news of a running solve for a progress display: the best
// plan found so far (the incumbent), the proven bound and the gap between
// them. Objective and bound only ever improve from one call to the next,
// so the gap never grows.
type Progress struct {
	// Stage is what the solver is doing: "covering" (fewest points),
	// "minutes" (travel of the chosen count), "points" (mclp, pmedian),
	// "curve" or "done".
	Stage string
	// Points is the number of open points of the incumbent (0: none yet);
	// PointsLower a proven lower bound on it (consolidate, lscp; 0: none).
	Points, PointsLower int
	// HasPlan says Objective holds the incumbent's objective; HasBound that
	// Bound holds a proven bound on the optimum (an upper bound when
	// Maximise). GapPct is their distance when both are known.
	HasPlan, HasBound bool
	Objective, Bound  float64
	GapPct            float64
	Maximise          bool
	// CurveP is the number of points the curve is tracing (stage "curve").
	CurveP int
}

// String is a one-line account for a progress bar.
func (p Progress) String() string {
	parts := []string{p.Stage}
	if p.CurveP > 0 {
		parts = append(parts, fmt.Sprintf("p=%d", p.CurveP))
	}
	if p.Points > 0 {
		s := fmt.Sprintf("%d points", p.Points)
		if p.PointsLower > 0 && p.PointsLower < p.Points {
			s += fmt.Sprintf(" (≥ %d)", p.PointsLower)
		}
		parts = append(parts, s)
	}
	if p.HasPlan {
		parts = append(parts, "best "+short(p.Objective))
	}
	if p.HasBound {
		parts = append(parts, "bound "+short(p.Bound))
	}
	if p.HasPlan && p.HasBound {
		parts = append(parts, fmt.Sprintf("gap %.3g%%", p.GapPct))
	}
	return strings.Join(parts, " · ")
}

func short(v float64) string { return fmt.Sprintf("%.6g", v) }

// progressEvery is the work (budget charges) between two calls of
// Options.Progress, beyond stage changes and the final call: measured in
// work, not time, so the same solve makes the same calls on any machine.
const progressEvery = 5 * workUnit

// progressor folds the solvers' news into monotone Progress values and
// passes them on, rate-limited by work. A nil progressor does nothing, so
// solvers call it unconditionally.
type progressor struct {
	fn   func(Progress)
	clk  *work.Budget
	last int64 // work left at the last call for news; -1 before the first
	cur  Progress
}

func newProgressor(fn func(Progress), clk *work.Budget, maximise bool) *progressor {
	if fn == nil {
		return nil
	}
	return &progressor{fn: fn, clk: clk, last: -1, cur: Progress{Maximise: maximise}}
}

// stage starts a stage of the solve; always reported.
func (pr *progressor) stage(name string) {
	if pr == nil {
		return
	}
	pr.cur.Stage = name
	pr.emit(true)
}

// curve reports the curve's next count of points; always reported.
func (pr *progressor) curve(p int) {
	if pr == nil {
		return
	}
	pr.cur.Stage, pr.cur.CurveP = "curve", p
	pr.emit(true)
}

// news folds in a solver's news and passes it on when anything improved:
// a cover of k points (0: none), a lower bound on the count (0: none), an
// incumbent objective and a bound (NaN or infinite: none). Only
// improvements count, so the gap never grows.
func (pr *progressor) news(k, lower int, obj, bound float64) {
	if pr == nil {
		return
	}
	changed := false
	if k > 0 && (pr.cur.Points == 0 || k < pr.cur.Points) {
		pr.cur.Points, changed = k, true
	}
	if lower > pr.cur.PointsLower {
		pr.cur.PointsLower, changed = lower, true
	}
	if pr.fold(obj, bound) {
		changed = true
	}
	if changed {
		pr.emit(false)
	}
}

// setPoints sets the incumbent's count of points and folds in its
// objective and bound: a plan of the minutes stage may need more points
// than the cover of the covering stage (to fit capacities).
func (pr *progressor) setPoints(k int, obj, bound float64) {
	if pr == nil {
		return
	}
	changed := pr.fold(obj, bound)
	if k != pr.cur.Points {
		pr.cur.Points, changed = k, true
	}
	if changed {
		pr.emit(false)
	}
}

// fold keeps the better of the incumbent objectives and of the bounds.
func (pr *progressor) fold(obj, bound float64) bool {
	changed := false
	better := func(a, b float64) bool { return a < b }
	if pr.cur.Maximise {
		better = func(a, b float64) bool { return a > b }
	}
	if !math.IsNaN(obj) && !math.IsInf(obj, 0) && (!pr.cur.HasPlan || better(obj, pr.cur.Objective)) {
		pr.cur.Objective, pr.cur.HasPlan, changed = obj, true, true
	}
	if !math.IsNaN(bound) && !math.IsInf(bound, 0) && (!pr.cur.HasBound || better(pr.cur.Bound, bound)) {
		pr.cur.Bound, pr.cur.HasBound, changed = bound, true, true
	}
	return changed
}

// done reports the solve's final plan; always reported.
func (pr *progressor) done(res *Result) {
	if pr == nil {
		return
	}
	pr.cur.Stage, pr.cur.CurveP = "done", 0
	pr.cur.Points = res.Points
	if res.Model != Curve {
		pr.cur.PointsLower = max(pr.cur.PointsLower, res.PointsLower)
		pr.fold(res.Objective, res.Bound)
	}
	pr.emit(true)
}

// emit passes the state on: always when forced (a stage starts, the solve
// ends), news only once progressEvery work has passed since the last news.
func (pr *progressor) emit(force bool) {
	if !force {
		left := pr.clk.Left()
		if pr.last >= 0 && pr.last-left < progressEvery {
			return
		}
		pr.last = left
	}
	if pr.cur.HasPlan && pr.cur.HasBound {
		pr.cur.GapPct = gapPct(pr.cur.Objective, pr.cur.Bound, pr.cur.Maximise)
	}
	pr.fn(pr.cur)
}
