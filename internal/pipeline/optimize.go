package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"time"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/onestop/onestop/optimize"
	h3 "github.com/uber/h3-go/v4"
)

// OptimizeParams configure one optimizer run.
type OptimizeParams struct {
	Model       string
	P           int
	Scope       string // scope expression (docs/optimize.md)
	Candidates  string // planners' own candidate sites (CSV or GeoJSON), optional
	TargetShare float64
	TimeLimit   time.Duration
	// Started is when TimeLimit started counting (zero: when Optimize is
	// called), so the limit covers loading and model building too.
	Started time.Time
	// Work is the search's work budget (optimize.Options.Work; 0: the
	// default). TimeLimit is the safety limit around it.
	Work     int64
	Curve    bool
	CurveMax int
	ExportLP string // CPLEX-LP file to write, optional
	// MaxStaffPerPoint and MaxCountersPerPoint are the premises of every
	// point (0: no limit): at most min of the two set counters staffed,
	// and a capacity of the counter dossiers those serve within the wait
	// target (dossier.CapacityAt); staff merges would move beyond
	// MaxStaffPerPoint are listed for redeployment.
	MaxStaffPerPoint    int
	MaxCountersPerPoint int
	// CandidateResolution and CandidateSpacingM set the generated
	// candidates (optimize.CandidateOptions H3Resolution, SpacingMeters;
	// 0: 8 and 250 m).
	CandidateResolution int
	CandidateSpacingM   float64
	// CountersFixed (optimize.counters_fixed): an existing office's
	// premises cannot be extended, so with a premises cap its own counters
	// (fewer than the cap) bound its capacity, and it keeps them.
	CountersFixed bool
	// Load is the run's dossier parameters: the norms (the productivity
	// standard) and the queue model (wait target, year) that size premises
	// and staff.
	Load LoadParams
	// SearchMinutes is how far (travel minutes) candidate-to-cell times are
	// listed for assignment and p-median; 0: the rule's minutes plus
	// defaultSearchSlack.
	SearchMinutes float64
	// FixedSeconds makes the reported solve time 0, for byte-identical outputs.
	FixedSeconds bool
	// Uncoverable is what to do with residents no candidate can cover
	// under the rule: "fail" ("" too) or "exclude" (scenario.Uncoverable*).
	Uncoverable string
	// ForceOpen lists candidate ids every plan keeps open (existing
	// offices or sites of Candidates).
	ForceOpen []string
	// Progress, when set, hears the solver's bound, best plan and gap as
	// they improve (optimize.Options.Progress); it cannot change the plan.
	Progress func(optimize.Progress)
}

// defaultSearchSlack is how far beyond the rule's minutes candidate times
// are listed: residents covered only by distance still get a nearest point
// by time, and a tighter list would keep the optimizer from seeing them.
const defaultSearchSlack = 15

// unservedMinutes is the cost per resident of a cell no open point reaches
// within the search cutoff: twice the cutoff, at least 60 (docs/optimize.md).
// The optimizer's own default is twice the largest listed time, which
// depends on which cells the candidate sets list; the cutoff does not, so
// leaving empty cells out of the sets (CandidateOptions.PopulatedOnly)
// cannot change the plan through it.
func unservedMinutes(search float64) float64 { return max(60, 2*search) }

// Optimized is an optimizer run with everything needed to explain it.
type Optimized struct {
	Instance   *optimize.Instance
	Candidates []optimize.Candidate
	Result     *optimize.Result
	Plan       *optimize.Plan
	Network    optimize.Network // base with the plan applied
}

// Optimize proposes a consolidation of base: candidates (base's offices,
// generated inter-ward points, the planners' list), their coverage of the
// cells of idx, the model solved with its bound, and the plan applied to base.
func Optimize(ctx context.Context, ds *data.Dataset, idx *coverage.Index, model coverage.TravelModel, rule coverage.Rule,
	base optimize.Network, demand *Demand, p OptimizeParams) (*Optimized, error) {
	started := p.Started
	if started.IsZero() {
		started = time.Now()
	}
	m, err := optimize.ParseModel(p.Model)
	if err != nil {
		return nil, err
	}
	scope, err := optimize.ParseScope(p.Scope)
	if err != nil {
		return nil, fmt.Errorf("scope %q: %w", p.Scope, err)
	}
	exclude, err := excludePolicy(p.Uncoverable)
	if err != nil {
		return nil, err
	}
	var populated []h3.Cell
	for _, c := range idx.Cells {
		if c.Population > 0 {
			populated = append(populated, c.H3)
		}
	}
	if r := p.CandidateResolution; r > 0 && r > idx.Resolution {
		return nil, fmt.Errorf("candidate resolution %d (optimize.candidate_resolution, --candidate-resolution) is finer than the population cells (resolution %d); fix: give %d or less (0: %d)", r, idx.Resolution, idx.Resolution, optimize.DefaultCandidateResolution)
	}
	copt := optimize.CandidateOptions{Border: true, Populated: populated, Norms: data.DefaultNorms(),
		H3Resolution: p.CandidateResolution, SpacingMeters: p.CandidateSpacingM}
	// The scenario's norms, not the pilot's, set each point's productivity
	// standard (staff_standard).
	for c, v := range p.Load.Norms {
		if v > 0 {
			if err := copt.Norms.Set(c, v); err != nil {
				return nil, fmt.Errorf("dossiers.norms: %w", err)
			}
		}
	}
	dopt, err := dossierOptions(demand, p.Load)
	if err != nil {
		return nil, err
	}
	queue, err := dossier.NewQueue(dopt)
	if err != nil {
		return nil, err
	}
	capacity, err := premisesCapacity(queue, p.MaxStaffPerPoint, p.MaxCountersPerPoint, 0)
	if err != nil {
		return nil, err
	}
	own := fixedCounters(p, base)
	if p.Candidates != "" {
		// A FIFO or device named by mistake is refused, and the size bounded.
		b, err := data.ReadInput(p.Candidates, data.InputLimit(data.MaxDataBytes))
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		if copt.User, err = optimize.ReadUserCandidates(p.Candidates, bytes.NewReader(b)); err != nil {
			return nil, err
		}
	}
	// The candidates start from the network being consolidated, not from
	// the dataset's offices (phase 2 has already merged some).
	dsBase := *ds
	dsBase.Offices = base.Offices
	cands, err := optimize.BuildCandidates(&dsBase, copt)
	if err != nil {
		return nil, err
	}
	if _, err := optimize.ApplyScope(cands, ds.Communes, scope); err != nil {
		return nil, err
	}
	byCounters := map[int]float64{} // capacity by own counters, computed once each
	for j := range cands {
		cands[j].Capacity, cands[j].MaxStaff = capacity, p.MaxStaffPerPoint
		if k, ok := own[cands[j].ID]; ok && cands[j].Existing && capacity > 0 {
			c, done := byCounters[k]
			if !done {
				if c, err = premisesCapacity(queue, p.MaxStaffPerPoint, p.MaxCountersPerPoint, k); err != nil {
					return nil, fmt.Errorf("office %s: %w", cands[j].ID, err)
				}
				byCounters[k] = c
			}
			cands[j].Capacity = c
		}
	}
	// Fail fast, before the candidate sets are built.
	if err := optimize.CheckForceOpen(cands, p.ForceOpen); err != nil {
		return nil, err
	}
	if coveringModel(m) && !exclude {
		// Fail fast, before the candidate sets are built.
		cells, err := precheckUncoverable(ctx, idx, cands, model, rule)
		if err != nil {
			return nil, err
		}
		if err := checkUncoverable(idx, cells, rule, p.TargetShare); err != nil {
			return nil, err
		}
	}
	sites := make([]coverage.Site, len(cands))
	for i, c := range cands {
		sites[i] = coverage.Site{Name: c.ID, Point: c.Location}
	}
	search := p.SearchMinutes
	if search <= 0 {
		search = rule.Minutes + defaultSearchSlack
	}
	// Empty cells weigh nothing in any model, and with population placed
	// by points (the 2025 datasets) they are most of the index: the sets
	// and the instance list populated cells only (docs/performance.md).
	sets, err := coverage.NewCandidateSets(ctx, idx, sites, model, coverage.CandidateOptions{Rule: rule, MaxMinutes: search, PopulatedOnly: true})
	if err != nil {
		return nil, err
	}
	var dossiers []float64
	if demand != nil {
		dossiers = demand.PerCell()
	}
	inst, err := optimize.FromCoverage(idx, sets, cands, dossiers)
	if err != nil {
		return nil, err
	}
	if demand != nil {
		inst.QueueDossiers = demand.PerCellCounter()
	}
	var excluded []optimize.Excluded
	if coveringModel(m) {
		// Exact on the instance (rule mode all included); the residents
		// the precheck found are among these.
		cells := instanceUncoverable(inst)
		if exclude {
			excluded = excludeUncoverable(idx, inst, cells)
		} else if err := checkUncoverable(idx, cells, rule, p.TargetShare); err != nil {
			return nil, err
		}
	}
	opt := optimize.Options{Model: m, P: p.P, TimeLimit: timeLeft(p.TimeLimit, started), Work: p.Work, TargetShare: p.TargetShare,
		ForceOpen: p.ForceOpen, Progress: p.Progress, UnservedMinutes: unservedMinutes(sets.SearchMinutes)}
	res, err := optimize.Solve(ctx, inst, opt)
	if err != nil {
		return nil, err
	}
	// Solve treats cancellation like its time limit and returns its best
	// plan; an interrupted run must stop here instead of explaining it.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.Curve && m != optimize.Curve {
		// The trade-off curve is its own solve (p = 1..n) on the same data.
		copt := opt
		copt.Model, copt.CurveMax = optimize.Curve, p.CurveMax
		copt.TimeLimit = timeLeft(p.TimeLimit, started)
		cres, err := optimize.Solve(ctx, inst, copt)
		if err != nil {
			return nil, fmt.Errorf("curve: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Curve = cres.Curve
		res.Warnings = append(res.Warnings, cres.Warnings...)
	}
	popt := optimize.PlanOptions{QueueMin: queue.Minimum}
	if p.FixedSeconds {
		zero := 0.0
		popt.FixedSeconds = &zero
	}
	plan, err := optimize.NewPlan(inst, res, ds.Communes, popt)
	if err != nil {
		return nil, err
	}
	plan.Candidates = len(cands)
	plan.CandidateResolution, plan.CandidateSpacingM = optimize.DefaultCandidateResolution, optimize.DefaultCandidateSpacingM
	if p.CandidateResolution > 0 {
		plan.CandidateResolution = p.CandidateResolution
	}
	if p.CandidateSpacingM > 0 {
		plan.CandidateSpacingM = p.CandidateSpacingM
	}
	if len(excluded) > 0 {
		plan.Summary.Excluded = excluded
		plan.Warnings = append(plan.Warnings, "excluded (optimize.uncoverable: exclude): "+describeExcluded(excluded)+
			" — no candidate can cover them under the rule; the plan covers the others and these stay uncovered")
	}
	if p.ExportLP != "" {
		if err := atomicfile.ReplaceFile(p.ExportLP, []byte(optimize.LPSignature), func(w io.Writer) error { return optimize.ExportLP(w, inst, opt) }); err != nil {
			return nil, err
		}
	}
	net, err := optimize.ApplyPlan(base, plan, fmt.Sprintf("%s (%s)", base.Name, filepath.Base(string(m))))
	if err != nil {
		return nil, fmt.Errorf("apply the optimizer's plan: %w", err)
	}
	if lim := p.MaxCountersPerPoint; lim > 0 {
		// Staff moving in bring their desks (ApplyPlan), but no further
		// than the premises' counters: a hard limit like the staff cap.
		for i := range net.Offices {
			net.Offices[i].Counters = min(net.Offices[i].Counters, lim)
		}
	}
	for i, o := range net.Offices {
		// Premises that cannot be extended keep their counters.
		if k, ok := own[o.ID]; ok {
			net.Offices[i].Counters = min(o.Counters, k)
		}
	}
	out := &Optimized{Instance: inst, Candidates: cands, Result: res, Plan: plan, Network: net}
	if demand != nil {
		// One load per point: the plan states the loads of its own
		// assignment rounded as the load check of the final network takes
		// them (assignedDemand), so plan.json, load.json and the report
		// agree, and they are the loads the premises bound.
		od, err := assignedDemand(ds, demand, out, net)
		if err != nil {
			return nil, fmt.Errorf("load of the planned network: %w", err)
		}
		classes := net.Classes(ds)
		loads := make(map[string]optimize.PointLoad, len(net.Offices))
		for i, o := range net.Offices {
			q, err := queue.Minimum(float64(od[i].Counter))
			if err != nil {
				return nil, fmt.Errorf("queue minimum of %s (%s): %w", o.ID, o.Name, err)
			}
			// As the load check: floor(dossiers / norm).
			std := int(float64(od[i].Total) / copt.Norms.For(classes[i]))
			loads[o.ID] = optimize.PointLoad{Dossiers: float64(od[i].Total), Counter: float64(od[i].Counter), QueueMin: q, StaffStandard: std}
		}
		if err := plan.UseLoads(loads); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// premisesCapacity is the counter dossiers a year one point serves within
// the wait target with its premises: min(maxCounters, maxStaff) staffed
// counters, the set ones (0: no limit, capacity 0). It is a whole number of
// dossiers, ⌊CapacityAt(s)⌋: the loads stated and checked are each point's
// assigned shares summed and rounded once (assignedDemand), and a sum
// within a whole capacity C rounds to at most C, so a stated load within
// the stated capacity never needs more than s counters (a fractional
// 142018.8 let 142018.6 round to 142019 and queue_min 31 > 30).
//
// counters > 0 are an existing office's own counters under
// optimize.counters_fixed: with a cap set, s is at most them.
func premisesCapacity(q *dossier.Queue, maxStaff, maxCounters, counters int) (float64, error) {
	s := 0
	for _, v := range []int{maxStaff, maxCounters} {
		if v > 0 && (s == 0 || v < s) {
			s = v
		}
	}
	if s == 0 {
		return 0, nil
	}
	if counters > 0 {
		s = min(s, counters)
	}
	c, err := q.CapacityAt(s)
	if err != nil {
		return 0, fmt.Errorf("premises (max_counters_per_point, max_staff_per_point): %w", err)
	}
	return math.Floor(c), nil
}

// fixedCounters are the existing offices' own counters that bound their
// premises under optimize.counters_fixed with a premises cap: those known
// (> 0) and fewer than the cap; nil otherwise. Keyed by office id.
func fixedCounters(p OptimizeParams, base optimize.Network) map[string]int {
	s := 0
	for _, v := range []int{p.MaxStaffPerPoint, p.MaxCountersPerPoint} {
		if v > 0 && (s == 0 || v < s) {
			s = v
		}
	}
	if !p.CountersFixed || s == 0 {
		return nil
	}
	own := map[string]int{}
	for _, o := range base.Offices {
		if o.Counters > 0 && o.Counters < s {
			own[o.ID] = o.Counters
		}
	}
	return own
}

// SolverNews shows the optimizer's news (bound, best plan, gap) as the
// detail of the current step of s; nil when there is no display.
func SolverNews(s Stepper) func(optimize.Progress) {
	if s == nil {
		return nil
	}
	return func(p optimize.Progress) { s.Detail(p.String()) }
}

// timeLeft is what remains of limit since started (0: no limit). Once it has
// passed, a token millisecond: the solve then returns its first plan and
// says the time limit cut it.
func timeLeft(limit time.Duration, started time.Time) time.Duration {
	if limit <= 0 {
		return 0
	}
	return max(time.Millisecond, limit-time.Since(started))
}

// WritePlan writes plan.json and plan.csv into dir, each atomically.
func WritePlan(dir string, p *optimize.Plan) error {
	return WriteFiles(dir, map[string]func(io.Writer) error{"plan.json": p.WriteJSON, "plan.csv": p.WriteCSV})
}
