package optimize

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onestop/onestop/optimize/facility"
)

// Model names a formulation.
type Model string

const (
	// Consolidate minimises the number of service points, then the
	// population-weighted minutes, with every coverable populated point
	// covered by the rule, locked offices kept and loads within capacity.
	Consolidate Model = "consolidate"
	// LSCP (location set covering) minimises the number of points so that
	// every coverable populated point is covered; no capacity.
	LSCP Model = "lscp"
	// MCLP (maximal covering) opens P points to maximise covered residents.
	MCLP Model = "mclp"
	// PMedian opens P points to minimise population-weighted minutes.
	PMedian Model = "pmedian"
	// Curve traces coverage and mean minutes for P = 1..n (mclp and pmedian).
	Curve Model = "curve"
)

// Models lists the model names in the order the CLI shows them.
func Models() []Model { return []Model{Consolidate, LSCP, MCLP, PMedian, Curve} }

// ParseModel maps a name to a Model ("" gives the default, consolidate).
func ParseModel(s string) (Model, error) {
	if s == "" {
		return Consolidate, nil
	}
	for _, m := range Models() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("optimize: unknown model %q; fix: use one of consolidate, lscp, mclp, pmedian, curve", s)
}

// Options select the model and bound the search.
type Options struct {
	Model Model
	P     int // mclp, pmedian: number of open points (locked and out-of-scope offices count)
	// TimeLimit stops the search and returns the best plan with its gap
	// (0: only the context stops it).
	TimeLimit time.Duration
	// Work is the search's budget in work units of a million entries
	// visited (0: DefaultWork). Unlike TimeLimit it gives the same plan on
	// any machine and under any load.
	Work int64
	// UnservedMinutes is the cost per resident of a demand point that no
	// open point within the Times cutoff serves (0: twice the largest time
	// in Times, at least 60).
	UnservedMinutes float64
	// ExistingOnly forbids new points: only existing offices may be open.
	ExistingOnly bool
	// TargetShare is the smallest acceptable covered share of residents for
	// consolidate and lscp (0 means 1). Points no candidate can cover are
	// always reported; the solve fails when they exceed 1-TargetShare.
	TargetShare float64
	// CurveMax is the largest P the curve traces (0: until every coverable
	// resident is covered).
	CurveMax int
	// ForceOpen lists candidate ids (existing offices or the planner's own
	// sites) every plan keeps open, fixed like locked offices; an id that
	// is no candidate is an error.
	ForceOpen []string
	// Progress, when set, is told of the search's news (progress.go). It
	// is called from the solving goroutine and must not block for long;
	// it cannot change the search.
	Progress func(Progress)
}

// form is the model actually solved, derived deterministically from the
// instance and the options; ExportLP writes it and the reported objective
// is evaluated on it.
type form struct {
	model          Model
	p              int
	inst           *Instance
	rows           []int32   // populated demand points (instance indices)
	w              []float64 // residents per row
	d              []float64 // dossiers per row
	cover          [][]int32 // per row: allowed candidates covering it by the rule
	req            []bool    // per row: must be covered (consolidate, lscp)
	pairs          [][]pair  // per row: assignment (candidate, minutes)
	unMin          float64   // minutes charged per unserved resident
	allowU         []bool    // per row: may stay unserved in the assignment
	M              float64   // consolidate: weight of one point (exceeds any minutes total)
	fixed          []bool
	allow          []bool
	cap            []float64 // per candidate dossier capacity; +Inf when none
	hasCap         bool
	lazyPairs      bool      // pairs are filled for the plan's open points only (lscp)
	byCand         [][]int32 // per candidate: rows it serves (capflow.go rowsOf), filled on first use
	rowOf          []int32   // demand point -> row (-1: none), built by rowIndex
	uncoverable    []int32   // populated rows no allowed candidate covers
	uncoverablePop float64
	// steps counts the work of assignments and flows not yet charged to a
	// budget (takeSteps); nPairs caches the number of pairs.
	steps, nPairs int64
	// prog passes the search's news to Options.Progress; nil without one.
	prog *progressor
}

// CheckForceOpen reports ids that name none of cands, so a caller can fail
// before the costly model building.
func CheckForceOpen(cands []Candidate, ids []string) error {
	_, err := forcedOpen(cands, ids)
	return err
}

// forcedOpen marks the candidates named in ids; ids that name no candidate
// are an error listing them all, so one run shows every typo.
func forcedOpen(cands []Candidate, ids []string) ([]bool, error) {
	out := make([]bool, len(cands))
	if len(ids) == 0 {
		return out, nil
	}
	byID := make(map[string]int, len(cands))
	for j, c := range cands {
		byID[c.ID] = j
	}
	var unknown []string
	for _, id := range ids {
		j, ok := byID[id]
		if !ok {
			unknown = append(unknown, strconv.Quote(id))
			continue
		}
		out[j] = true
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("optimize: force open: %s %s no candidate; fix: use the id of an existing office or of a site in the candidates file (optimize.candidates, --candidates)",
			strings.Join(unknown, ", "), plural(len(unknown), "is", "are"))
	}
	return out, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func newForm(ctx context.Context, inst *Instance, opt Options) (*form, error) {
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	model := opt.Model
	if model == "" {
		model = Consolidate
	}
	if _, err := ParseModel(string(model)); err != nil {
		return nil, err
	}
	m := len(inst.Candidates)
	forced, err := forcedOpen(inst.Candidates, opt.ForceOpen)
	if err != nil {
		return nil, err
	}
	f := &form{model: model, p: opt.P, inst: inst, fixed: make([]bool, m), allow: make([]bool, m), cap: make([]float64, m)}
	// The capacity load is what queues: counter dossiers when given.
	loads := inst.QueueDossiers
	if loads == nil {
		loads = inst.Dossiers
	}
	capped := false
	nFixed := 0
	for j, c := range inst.Candidates {
		f.fixed[j] = c.Fixed() || forced[j]
		f.allow[j] = f.fixed[j] || !opt.ExistingOnly || c.Existing
		if f.fixed[j] {
			nFixed++
		}
		f.cap[j] = math.Inf(1)
		if c.Capacity > 0 && (model == Consolidate || model == PMedian) && loads != nil {
			f.cap[j] = c.Capacity
			f.hasCap = true
		}
		capped = capped || c.Capacity > 0
	}
	if capped && (model == LSCP || model == MCLP) {
		return nil, fmt.Errorf("optimize: %s does not model loads, so it cannot keep points within their premises (max_counters_per_point, max_staff_per_point); fix: use model consolidate or pmedian, or drop the limits", model)
	}
	nAllow := 0
	for _, a := range f.allow {
		if a {
			nAllow++
		}
	}
	if model == MCLP || model == PMedian {
		if f.p < nFixed {
			return nil, fmt.Errorf("optimize: %s with p=%d but %d offices must stay open (locked, outside the scope or forced open); fix: use --p %d or more", model, f.p, nFixed, nFixed)
		}
		if f.p > nAllow {
			return nil, fmt.Errorf("optimize: %s with p=%d but only %d candidates may open; fix: use --p %d or less, or add candidates", model, f.p, nAllow, nAllow)
		}
		if f.p <= 0 {
			return nil, fmt.Errorf("optimize: %s needs p >= 1; fix: pass --p", model)
		}
	}
	f.unMin = opt.UnservedMinutes
	if f.unMin <= 0 {
		mx := float32(0)
		for _, t := range inst.Times.Minutes {
			mx = max(mx, t)
		}
		f.unMin = max(60, 2*float64(mx))
	}
	n := len(inst.Demand)
	// The rule's cover is needed by cell (f.cover shares it); the Times are
	// not transposed: the pairs are scattered straight from the instance's
	// candidate rows (buildPairs), so the form never holds a by-cell copy
	// of the Times (8 bytes per entry) beside the pairs.
	byCover := transpose(inst.Cover, n)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("optimize: %w", err)
	}
	// Set covering needs no assignment to solve: its pairs are built for
	// the open points only, once the plan is known (fillPairs).
	f.lazyPairs = model == LSCP
	nPop, nCov := 0, 0
	for i := 0; i < n; i++ {
		if inst.Demand[i] <= 0 {
			continue
		}
		nPop++
		nCov += int(byCover.Start[i+1] - byCover.Start[i])
	}
	f.rows = make([]int32, 0, nPop)
	f.w = make([]float64, 0, nPop)
	f.d = make([]float64, 0, nPop)
	f.cover = make([][]int32, 0, nPop)
	f.req = make([]bool, 0, nPop)
	f.allowU = make([]bool, 0, nPop)
	allAllowed := nAllow == m
	var covBuf []int32
	if !allAllowed {
		covBuf = make([]int32, 0, nCov)
	}
	for i := 0; i < n; i++ {
		// Building the rows of a large province takes seconds: an
		// interrupt must not wait for it.
		if i&1023 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("optimize: %w", ctx.Err())
		}
		if inst.Demand[i] <= 0 {
			continue
		}
		var cov []int32
		if a, b := byCover.Start[i], byCover.Start[i+1]; allAllowed {
			if b > a {
				cov = byCover.Cell[a:b:b] // nothing to filter: share the transpose
			}
		} else {
			c0 := len(covBuf)
			for _, j := range byCover.Cell[a:b] {
				if f.allow[j] {
					covBuf = append(covBuf, j)
				}
			}
			if len(covBuf) > c0 {
				cov = covBuf[c0:len(covBuf):len(covBuf)]
			}
		}
		if len(cov) == 0 {
			f.uncoverable = append(f.uncoverable, int32(i))
			f.uncoverablePop += inst.Demand[i]
		}
		r := len(f.rows)
		f.rows = append(f.rows, int32(i))
		f.w = append(f.w, inst.Demand[i])
		dd := 0.0
		if loads != nil {
			dd = loads[i]
		}
		f.d = append(f.d, dd)
		f.cover = append(f.cover, cov)
		f.req = append(f.req, (model == Consolidate || model == LSCP) && len(cov) > 0)
		f.allowU = append(f.allowU, !f.req[r])
	}
	if f.lazyPairs {
		f.pairs = make([][]pair, len(f.rows))
	} else {
		byCover = Sparse{} // f.cover holds what is needed of it
		var err error
		if f.pairs, err = f.buildPairs(ctx); err != nil {
			return nil, err
		}
	}
	if len(f.rows) == 0 {
		return nil, fmt.Errorf("optimize: no demand point has residents; fix: check the population input")
	}
	if model == Consolidate {
		total := 0.0
		for r := range f.rows {
			total += f.w[r] * f.unMin
		}
		// A power of ten above any possible minutes total: lexicographic
		// "fewest points first" with readable LP coefficients.
		f.M = math.Pow(10, math.Ceil(math.Log10(total+1)))
		if f.M <= total {
			f.M *= 10
		}
	}
	target := opt.TargetShare
	if target <= 0 || target > 1 {
		target = 1
	}
	W := 0.0
	for _, w := range f.w {
		W += w
	}
	if (model == Consolidate || model == LSCP) && f.uncoverablePop > (1-target)*W+1e-9 {
		return nil, fmt.Errorf("optimize: %.0f residents (%.2f%%) in %d demand points cannot be covered by any allowed candidate, more than the target share %.4g allows; fix: add candidates near them (user list or a denser grid), widen the rule, or lower the target share",
			f.uncoverablePop, 100*f.uncoverablePop/W, len(f.uncoverable), target)
	}
	return f, nil
}

// unservedPrice is what leaving row r unserved costs in the p-facility
// engine: its residents for mclp; otherwise its residents at the unserved
// minutes, twice that for a required row (it may not stay unserved; a
// higher finite price keeps the Lagrangian bound a valid relaxation).
func (f *form) unservedPrice(r int) float64 {
	switch {
	case f.model == MCLP:
		return f.w[r]
	case f.req[r]:
		return f.w[r] * f.unMin * 2
	}
	return f.w[r] * f.unMin
}

// buildPairs fills the assignment pairs of every row, ascending by
// candidate, in one exactly sized array:
//   - mclp: the row's covering candidates, at 0 minutes;
//   - consolidate, a row the plan must cover: only the points covering it
//     under the rule (never one beyond it, whatever capacities then force),
//     at their travel minutes, or at the unserved minutes when one covers by
//     distance beyond the Times cutoff;
//   - otherwise: every allowed candidate within the Times cutoff.
//
// It scatters from the instance's candidate rows (a counting pass, then a
// filling pass, both by ascending candidate), which gives each row the
// order a by-cell transpose would and needs only a cell -> row index.
func (f *form) buildPairs(ctx context.Context) ([][]pair, error) {
	inst := f.inst
	nRow := len(f.rows)
	rowOf := f.rowIndex()
	viaCover := f.pairsViaCover
	start := make([]int, nRow+1)
	for r, cov := range f.cover {
		if viaCover(int32(r)) {
			start[r+1] = len(cov)
		}
	}
	times := inst.Times
	byTimes := f.model != MCLP // some rows may take their pairs from the Times
	if byTimes {
		for j := range f.allow {
			if !f.allow[j] {
				continue
			}
			for _, c := range times.Cell[times.Start[j]:times.Start[j+1]] {
				if r := rowOf[c]; r >= 0 && !viaCover(r) {
					start[r+1]++
				}
			}
		}
	}
	for r := 0; r < nRow; r++ {
		start[r+1] += start[r]
	}
	buf := make([]pair, start[nRow])
	pos := make([]int, nRow)
	copy(pos, start[:nRow])
	if f.model == MCLP {
		for r, cov := range f.cover {
			for _, j := range cov {
				buf[pos[r]] = pair{j, 0}
				pos[r]++
			}
		}
	}
	cover := inst.Cover
	for j := range f.allow {
		if !byTimes {
			break
		}
		if j&63 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("optimize: %w", ctx.Err())
		}
		if !f.allow[j] {
			continue
		}
		tc := times.Cell[times.Start[j]:times.Start[j+1]]
		tm := times.Minutes[times.Start[j]:times.Start[j+1]]
		if f.model == Consolidate {
			// Rows that must be covered: merge j's cover row with its Times
			// row (both ascend by cell) to find each covered cell's minutes.
			k := 0
			for _, c := range cover.Cell[cover.Start[j]:cover.Start[j+1]] {
				r := rowOf[c]
				if r < 0 || !f.req[r] {
					continue
				}
				for k < len(tc) && tc[k] < c {
					k++
				}
				if k < len(tc) && tc[k] == c {
					buf[pos[r]] = pair{int32(j), tm[k]}
				} else {
					buf[pos[r]] = unservedPair(int32(j))
				}
				pos[r]++
			}
		}
		for k, c := range tc {
			if r := rowOf[c]; r >= 0 && !viaCover(r) {
				buf[pos[r]] = pair{int32(j), tm[k]}
				pos[r]++
			}
		}
	}
	pairs := make([][]pair, nRow)
	for r := range pairs {
		if a, b := start[r], start[r+1]; b > a {
			pairs[r] = buf[a:b:b] // capacity-capped: an append never spills into the next row
		}
	}
	return pairs, nil
}

// rowIndex maps each demand point to its row (-1: none), built once.
func (f *form) rowIndex() []int32 {
	if f.rowOf == nil {
		f.rowOf = make([]int32, len(f.inst.Demand))
		for i := range f.rowOf {
			f.rowOf[i] = -1
		}
		for r, i := range f.rows {
			f.rowOf[i] = int32(r)
		}
	}
	return f.rowOf
}

// pairsViaCover reports whether row r's pairs are its covering candidates
// (mclp, and rows consolidate must cover) rather than the candidates whose
// Times list it.
func (f *form) pairsViaCover(r int32) bool {
	return f.model == MCLP || (f.model == Consolidate && f.req[r])
}

// pair is a candidate serving a row and its travel minutes: 8 bytes, as
// the pairs are the form's largest array (one per rule-covering candidate
// of every populated cell under consolidate: 8.8 M on real Binh Duong).
// Travel minutes are float32 in the instance already, so float32 loses
// nothing; the unserved minutes (a float64 option) are stored as the
// sentinel unservedMark and read back through form.cost, so every cost is
// the float64 the former 16-byte pair held and the plans are unchanged.
type pair struct {
	cand int32
	min  float32
}

// unservedMark in pair.min stands for the form's unserved minutes
// (form.unMin); listed times are never negative (Instance.Validate).
const unservedMark = -1

// unservedPair is candidate j serving at the unserved minutes.
func unservedPair(j int32) pair { return pair{j, unservedMark} }

// cost is the minutes a pair charges per resident.
func (f *form) cost(q pair) float64 {
	if q.min == unservedMark {
		return f.unMin
	}
	return float64(q.min)
}

// flowPair is a candidate and an amount (dossiers) in a capacity flow or
// an LP capacity row; unlike pair it needs float64.
type flowPair struct {
	cand int32
	amt  float64
}

// engine builds the p-facility problem of the form for a given p.
func (f *form) engine(p int) *facility.Problem {
	pen := make([]float64, len(f.rows))
	for r := range pen {
		pen[r] = f.unservedPrice(r)
	}
	// The engine costs a pair w[r] times its unit, the pair's float32
	// minutes or the unit standing for the float64 unserved minutes: the
	// same float64 as f.w[r]*f.cost(q), without a list of all the pairs.
	var units facility.Units
	unserved := units.Of(f.unMin)
	ap := facility.NewRows(f.w, &units, pen, f.fixed, f.allow, p, func(r int, buf []facility.Pair) []facility.Pair {
		for _, q := range f.pairs[r] {
			u := q.min
			if q.min == unservedMark {
				u = unserved
			}
			buf = append(buf, facility.Pair{To: q.cand, Unit: u})
		}
		return buf
	})
	if f.model == Consolidate {
		rows := make([][]int32, 0, len(f.rows))
		for r, c := range f.cover {
			if f.req[r] {
				rows = append(rows, c)
			}
		}
		ap.RequireCover(rows)
		ap.CheckLeaves(func(open []bool) (float64, bool) {
			_, c, ok := f.assign(open)
			return c, ok
		}, f.takeSteps)
	} else if f.hasCap {
		// pmedian with premises: a set is only as good as its assignment
		// within the capacities.
		ap.CheckLeaves(func(open []bool) (float64, bool) {
			_, c, ok := f.assign(open)
			return c, ok
		}, f.takeSteps)
	}
	return ap
}

// fillPairs builds the assignment pairs of a lazy form from the Times lists
// of the open candidates, in the order newForm would have (by candidate).
func (f *form) fillPairs(open []bool) {
	rowOf := f.rowIndex()
	for r := range f.rows {
		f.pairs[r] = nil
	}
	t := f.inst.Times
	for j, o := range open {
		if !o || !f.allow[j] {
			continue
		}
		for k := t.Start[j]; k < t.Start[j+1]; k++ {
			if r := rowOf[t.Cell[k]]; r >= 0 {
				f.pairs[r] = append(f.pairs[r], pair{int32(j), t.Minutes[k]})
			}
		}
	}
	// A resident covered by distance alone may lie beyond the Times cutoff
	// of every open point (--minutes 0 --km 5: 5 km at 22 km/h is more than
	// the 15-minute list). The plan covers them, so they must be servable by
	// a covering point, charged the unserved minutes, as newForm does for
	// consolidate; without this the assignment found no point for them.
	for r, cov := range f.cover {
		if !f.req[r] {
			continue
		}
		ps, added := f.pairs[r], false
		for _, j := range cov {
			if !open[j] {
				continue
			}
			if !slices.ContainsFunc(ps, func(q pair) bool { return q.cand == j }) {
				ps = append(ps, unservedPair(j))
				added = true
			}
		}
		if added {
			slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.cand, b.cand) })
			f.pairs[r] = ps
		}
	}
}
