package optimize

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/csvsafe"
	"github.com/onestop/onestop/data/earth"
)

// Summary is the headline of a plan.
type Summary struct {
	OfficesBefore int     `json:"offices_before"`
	OfficesAfter  int     `json:"offices_after"`
	Objective     float64 `json:"objective"`
	LowerBound    float64 `json:"lower_bound"`
	GapPct        float64 `json:"gap_pct"`
	Seconds       float64 `json:"seconds"`
	Model         string  `json:"model"`
	// StoppedBy says why the search ended: "optimal", "work budget",
	// "time limit" or "search complete" (Result.StoppedBy).
	StoppedBy string `json:"stopped_by"`
	// Excluded lists, per commune, the residents no candidate can cover
	// under the rule that the plan left out (--uncoverable exclude); absent
	// when none was.
	Excluded []Excluded `json:"excluded,omitempty"`
}

// Excluded is one commune's residents that no candidate can cover under the
// access rule, left out of the model so the others could be planned.
type Excluded struct {
	Commune   string  `json:"commune"` // code
	Name      string  `json:"name"`
	Cells     int     `json:"cells"`
	Residents float64 `json:"residents"`
}

// Plan is the explainable result written to plan.json and plan.csv.
type Plan struct {
	Summary Summary `json:"summary"`
	P       int     `json:"p,omitempty"`
	Optimal bool    `json:"optimal"`
	// BoundKind is "lower" when minimising; mclp maximises and its
	// summary.lower_bound then holds an upper bound ("upper").
	BoundKind        string  `json:"bound_kind"`
	PointWeight      float64 `json:"point_weight,omitempty"`
	PointsLowerBound int     `json:"points_lower_bound,omitempty"`
	Population       float64 `json:"population"`
	CoveredBefore    float64 `json:"covered_share_before"`
	CoveredAfter     float64 `json:"covered_share_after"`
	// MinutesBefore and MinutesAfter are the mean travel to the nearest
	// open point, by time, before and after the plan — the one definition
	// of "after" that summary.json and the report use too.
	MinutesBefore float64 `json:"mean_minutes_before"`
	MinutesAfter  float64 `json:"mean_minutes_after"`
	// MinutesAssigned is the mean travel to the point each resident is
	// assigned to when capacities send some past their nearest one.
	MinutesAssigned float64 `json:"mean_minutes_assigned"`
	// ResidentsBeyondRule counts the residents whose assigned point does
	// not meet the access rule for them, or who are served by no point,
	// apart from those no candidate can cover (uncoverable_population).
	// consolidate never does it: 0.
	ResidentsBeyondRule int     `json:"residents_beyond_rule"`
	UnservedMinutes     float64 `json:"unserved_minutes"`
	// Candidates is how many candidates the plan chose from;
	// CandidateResolution and CandidateSpacingM say how the generated
	// ones were placed (set by the caller that built them: a plan's
	// candidate density is one of its assumptions).
	Candidates          int     `json:"candidates,omitempty"`
	CandidateResolution int     `json:"candidate_resolution,omitempty"`
	CandidateSpacingM   float64 `json:"candidate_spacing_m,omitempty"`
	// Staff from the two targets (docs/optimize.md "The two targets"):
	// StaffNeeded is Σ queue_min over the open points, StaffJustified
	// Σ max(queue_min, staff_standard). StaffAvailable is the staff at the
	// open points after the plan (Σ staff_after: load.json's
	// staff_available), StaffTotal the staff of every office before it;
	// the difference, StaffToRedeployTotal, is listed in staff_to_redeploy.
	StaffAvailable       int `json:"staff_available"`
	StaffTotal           int `json:"staff_total"`
	StaffToRedeployTotal int `json:"staff_to_redeploy_total"`
	StaffNeeded          int `json:"staff_needed"`
	StaffJustified       int `json:"staff_justified"`
	// LoadSource says where the per-point loads come from: "assignment"
	// (the optimizer's assignment of each cell's dossiers) or "load check"
	// (the dossier routing of docs/dossiers.md, as load.json: UseLoads).
	LoadSource string       `json:"load_source"`
	Kept       []KeptOffice `json:"kept"`
	Closed     []Closed     `json:"closed"`
	New        []NewPoint   `json:"new_points"`
	StaffMoves []StaffMove  `json:"staff_moves"`
	// StaffToRedeploy lists staff of closed offices whose absorber's
	// premises (max_staff_per_point) cannot take them.
	StaffToRedeploy   []Redeploy    `json:"staff_to_redeploy"`
	Communes          []CommuneDiff `json:"communes"`
	WorseOff          []string      `json:"worse_off"`
	UncoverableCells  int           `json:"uncoverable_cells"`
	UncoverablePeople float64       `json:"uncoverable_population"`
	Reductions        ReduceStats   `json:"reductions"`
	Nodes             int           `json:"nodes"`
	Curve             []CurvePoint  `json:"curve,omitempty"`
	// UserCandidates lists the planner's own sites (--candidates), used or
	// not and why; absent when none was given.
	UserCandidates []UserCandidate `json:"user_candidates,omitempty"`
	Warnings       []string        `json:"warnings"`

	// loadWarnings are the warnings derived from the per-point loads,
	// replaced when UseLoads restates them.
	loadWarnings []string
}

// PointLoad is one open point's yearly dossiers and its two staffing
// targets, as the load check computes them (UseLoads).
type PointLoad struct {
	Dossiers, Counter float64
	QueueMin          int
	StaffStandard     int
}

// Staffing is an open point's staff against the two targets.
type Staffing struct {
	// QueueMin is the fewest staff keeping the mean peak-hour wait within
	// the target for the point's counter load (dossier.QueueMinimum; 0
	// when the run has no queue model).
	QueueMin int `json:"queue_min"`
	// StaffStandard is floor(load / norm): the staff the minimum
	// productivity justifies.
	StaffStandard int `json:"staff_standard"`
	// Inefficient: QueueMin > StaffStandard (too little work for the
	// counters the wait needs). Underused: staff_after > max(QueueMin,
	// StaffStandard). Short: staff_after < QueueMin.
	Inefficient bool `json:"inefficient"`
	Underused   bool `json:"underused"`
	Short       bool `json:"short"`
}

// KeptOffice is an existing office that stays open.
type KeptOffice struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	Commune    string  `json:"commune"`
	Locked     bool    `json:"locked"`
	Closable   bool    `json:"closable"`
	StaffFrom  int     `json:"staff_before"`
	StaffAfter int     `json:"staff_after"`
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
	// CounterLoadAfter is the part of LoadAfter filed at a counter, the
	// load Capacity limits.
	CounterLoadAfter float64 `json:"counter_load_after"`
	// Capacity is the counter dossiers a year its premises serve within
	// the wait target (max_counters_per_point, max_staff_per_point); 0:
	// no limit.
	Capacity float64 `json:"capacity"`
	Staffing
}

// Closed is an office that closes, the point absorbing it and why.
type Closed struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Commune    string `json:"commune"`
	AbsorbedBy string `json:"absorbed_by"`
	AbsorbName string `json:"absorbed_by_name"`
	// Residents had this office as their nearest; AbsorbedResidents of
	// them are assigned to AbsorbedBy, the others to OtherPoints other
	// open points.
	Residents         float64 `json:"residents"`
	AbsorbedResidents float64 `json:"absorbed_residents"`
	OtherPoints       int     `json:"other_points"`
	// Unserved of them are served by no open point (models that may
	// leave residents unserved: mclp, pmedian).
	Unserved    float64 `json:"unserved,omitempty"`
	MeanMinutes float64 `json:"mean_minutes"`
	MaxMinutes  float64 `json:"max_minutes"`
	MaxKm       float64 `json:"max_km"`
	// BeyondRule counts its residents whose assigned point does not meet
	// the access rule for them.
	BeyondRule       int     `json:"beyond_rule"`
	LoadAfter        float64 `json:"absorber_load_after"`
	CounterLoadAfter float64 `json:"absorber_counter_load_after"`
	StaffAfter       int     `json:"absorber_staff_after"`
	Capacity         float64 `json:"absorber_capacity"`
	// Why is generated from the fields above (Closed.Explain).
	Why string `json:"why"`
}

// NewPoint is a service point the plan opens.
type NewPoint struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Lon         float64  `json:"lon"`
	Lat         float64  `json:"lat"`
	Commune     string   `json:"commune"`
	Residents   float64  `json:"residents"`
	Serves      []string `json:"serves"` // commune codes, most residents first
	Load        float64  `json:"load"`
	CounterLoad float64  `json:"counter_load"`
	Capacity    float64  `json:"capacity"`
	Staff       int      `json:"staff"`
	Staffing
}

// StaffMove moves staff from a closing office to the point absorbing it.
type StaffMove struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Staff int    `json:"staff"`
}

// Redeploy is staff of a closed office that its absorber cannot host.
type Redeploy struct {
	From  string `json:"from"`
	To    string `json:"absorbed_by"`
	Staff int    `json:"staff"`
}

// CommuneDiff compares a commune's access before and after the plan
// (travel to the nearest open point).
type CommuneDiff struct {
	Code          string  `json:"code"`
	Name          string  `json:"name"`
	Population    float64 `json:"population"`
	MinutesBefore float64 `json:"mean_minutes_before"`
	MinutesAfter  float64 `json:"mean_minutes_after"`
	KmBefore      float64 `json:"mean_km_before"`
	KmAfter       float64 `json:"mean_km_after"`
	CoveredBefore float64 `json:"covered_share_before"`
	CoveredAfter  float64 `json:"covered_share_after"`
	WorseOff      bool    `json:"worse_off"`
}

// PlanOptions tune the plan.
type PlanOptions struct {
	// FixedSeconds replaces the measured run time (the only
	// time-dependent value) so outputs are byte-identical in tests; nil
	// keeps the measured value.
	FixedSeconds *float64
	// QueueMin is the fewest staffed counters keeping the peak-hour wait
	// within the target for a yearly counter load (the pipeline passes
	// dossier.QueueMinimum); nil leaves queue_min at 0.
	QueueMin func(counterDossiers float64) (int, error)
}

// flags lists the staffing flags that hold, space-separated ("" when
// the staff lie between the two targets).
func (s Staffing) flags() string {
	var out []string
	for _, f := range []struct {
		on   bool
		name string
	}{{s.Inefficient, "inefficient"}, {s.Underused, "underused"}, {s.Short, "short"}} {
		if f.on {
			out = append(out, f.name)
		}
	}
	return strings.Join(out, " ")
}

// Explain words the closure from its fields only, so every figure it
// states is one plan.json holds.
func (c Closed) Explain() string {
	if c.AbsorbedBy == "" {
		return ""
	}
	var b strings.Builder
	if c.Residents == 0 {
		// Absorbed by distance: nobody's nearest office, nothing to travel.
		fmt.Fprintf(&b, "no resident has it as their nearest office; %s (%s), the nearest open point, takes it over", c.AbsorbedBy, c.AbsorbName)
		c.explainAbsorber(&b)
		return b.String()
	}
	fmt.Fprintf(&b, "its %.0f residents go to %s (%s)", c.Residents, c.AbsorbedBy, c.AbsorbName)
	if c.OtherPoints > 0 {
		fmt.Fprintf(&b, " (%.0f of them) and %d other open %s", c.AbsorbedResidents, c.OtherPoints, plural(c.OtherPoints, "point", "points"))
	}
	if c.Unserved > 0 {
		fmt.Fprintf(&b, ", %.0f of them to no open point", c.Unserved)
	}
	fmt.Fprintf(&b, ": mean %.1f min, at most %.1f min or %.2f km; ", c.MeanMinutes, c.MaxMinutes, c.MaxKm)
	if c.BeyondRule == 0 {
		b.WriteString("every one within the access rule")
	} else {
		fmt.Fprintf(&b, "%d beyond the access rule", c.BeyondRule)
	}
	c.explainAbsorber(&b)
	return b.String()
}

// explainAbsorber adds the absorber's load, staff and premises.
func (c Closed) explainAbsorber(b *strings.Builder) {
	if c.Capacity > 0 && c.CounterLoadAfter > c.Capacity {
		// Never reached by a capacitated model; say it plainly.
		fmt.Fprintf(b, "; %s then receives %.0f dossiers/year (%.0f at the counter) with %d staff, above its premises' capacity of %.0f counter dossiers/year",
			c.AbsorbedBy, c.LoadAfter, c.CounterLoadAfter, c.StaffAfter, c.Capacity)
		return
	}
	fmt.Fprintf(b, "; %s then receives %.0f dossiers/year (%.0f at the counter) with %d staff", c.AbsorbedBy, c.LoadAfter, c.CounterLoadAfter, c.StaffAfter)
	if c.Capacity > 0 {
		fmt.Fprintf(b, ", within its premises' capacity of %.0f counter dossiers/year", c.Capacity)
	}
}

// NewPlan explains res: offices kept and closed (with their absorber and
// why), new points, staff moves and per-commune before/after. "Before" is
// every existing office open; before and after, residents are counted at
// their nearest open point by travel time. Closures and loads follow the
// solver's assignment, which capacities may send farther.
func NewPlan(inst *Instance, res *Result, communes []data.Commune, opt PlanOptions) (*Plan, error) {
	if len(res.Open) != len(inst.Candidates) || len(res.Assign) != len(inst.Demand) {
		return nil, fmt.Errorf("optimize: the result does not belong to this instance (%d/%d candidates, %d/%d demand points)",
			len(res.Open), len(inst.Candidates), len(res.Assign), len(inst.Demand))
	}
	n, m := len(inst.Demand), len(inst.Candidates)
	pl := &Plan{P: res.P, Optimal: res.Optimal, BoundKind: "lower", PointWeight: res.PointWeight,
		PointsLowerBound: res.PointsLower, UnservedMinutes: res.UnservedMinutes, Reductions: res.Reduced, Nodes: res.Nodes,
		Curve: res.Curve, Warnings: slices.Clone(res.Warnings), UncoverableCells: len(res.Uncoverable)}
	if res.Maximise {
		pl.BoundKind = "upper"
	}
	for _, i := range res.Uncoverable {
		pl.UncoverablePeople += inst.Demand[i]
	}
	secs := res.Seconds
	if opt.FixedSeconds != nil {
		secs = *opt.FixedSeconds
	}
	before := make([]bool, m)
	for j, c := range inst.Candidates {
		before[j] = c.Existing
		if c.Existing {
			pl.Summary.OfficesBefore++
			pl.StaffTotal += c.Staff
		}
	}
	pl.Summary.OfficesAfter = res.Points
	pl.Summary.Objective = res.Objective
	pl.Summary.LowerBound = res.Bound
	pl.Summary.GapPct = round(res.GapPct, 4)
	pl.Summary.Seconds = round(secs, 3)
	pl.Summary.StoppedBy = res.StoppedBy
	pl.Summary.Model = string(res.Model)

	// Only the points open before or after, or serving a cell in the
	// assignment, are ever looked up: a by-cell copy of those alone (a
	// province's full Times are millions of entries, 139 MB on Binh Duong).
	used := slices.Clone(before)
	for j, o := range res.Open {
		used[j] = used[j] || o
	}
	for _, sh := range res.Assign {
		for _, s := range sh {
			if s.Cand >= 0 {
				used[s.Cand] = true
			}
		}
	}
	times := transposeCols(inst.Times, n, used)
	cover := transposeCols(inst.Cover, n, used)
	minutesTo := func(i int, j int32) float64 {
		cs := times.Cell[times.Start[i]:times.Start[i+1]]
		if k, ok := slices.BinarySearch(cs, j); ok {
			return float64(times.Minutes[int(times.Start[i])+k])
		}
		return res.UnservedMinutes
	}
	kmTo := func(i int, j int32) float64 {
		if inst.DemandPoint == nil {
			return 0
		}
		return earth.DistanceKm(inst.DemandPoint[i], inst.Candidates[j].Location)
	}
	covers := func(i int, j int32) bool {
		_, ok := slices.BinarySearch(cover.Cell[cover.Start[i]:cover.Start[i+1]], j)
		return ok
	}
	covered := func(i int, open []bool) bool {
		for _, j := range cover.Cell[cover.Start[i]:cover.Start[i+1]] {
			if open[j] {
				return true
			}
		}
		return false
	}
	// nearest is the open point quickest to reach from each demand point
	// (-1: none within the Times lists).
	nearest := func(open []bool) []int32 {
		near := make([]int32, n)
		for i := 0; i < n; i++ {
			near[i] = -1
			best := math.Inf(1)
			for k := times.Start[i]; k < times.Start[i+1]; k++ {
				if j := times.Cell[k]; open[j] && float64(times.Minutes[k]) < best {
					best, near[i] = float64(times.Minutes[k]), j
				}
			}
		}
		return near
	}
	nearBefore, nearAfter := nearest(before), nearest(res.Open)
	dossiers := func(i int) (float64, float64) {
		d, q := 0.0, 0.0
		if inst.Dossiers != nil {
			d = inst.Dossiers[i]
			q = d
		}
		if inst.QueueDossiers != nil {
			q = inst.QueueDossiers[i]
		}
		return d, q
	}
	loadBefore := make([]float64, m)
	loadAfter, queueAfter := make([]float64, m), make([]float64, m)
	for i := 0; i < n; i++ {
		d, q := dossiers(i)
		if nearBefore[i] >= 0 {
			loadBefore[nearBefore[i]] += d
		}
		for _, s := range res.Assign[i] {
			if s.Cand >= 0 {
				loadAfter[s.Cand] += d * s.Share
				queueAfter[s.Cand] += q * s.Share
			}
		}
	}
	// Per commune, at the nearest open point; the plan's assignment gives
	// the assigned minutes and the residents beyond the rule.
	type acc struct{ pop, minB, minA, kmB, kmA, covB, covA float64 }
	com := map[string]*acc{}
	var totB, totA, totAs, covB, covA, beyond, farAfter float64
	beyondOf := make([]float64, n) // residents of i assigned beyond the rule
	uncoverable := make([]bool, n)
	for _, i := range res.Uncoverable {
		uncoverable[i] = true
	}
	for i := 0; i < n; i++ {
		w := inst.Demand[i]
		if w <= 0 {
			continue
		}
		code := ""
		if inst.DemandCommune != nil {
			code = inst.DemandCommune[i]
		}
		a := com[code]
		if a == nil {
			a = &acc{}
			com[code] = a
		}
		a.pop += w
		mb, kb := res.UnservedMinutes, 0.0
		if j := nearBefore[i]; j >= 0 {
			mb, kb = minutesTo(i, j), kmTo(i, j)
		}
		ma, ka := res.UnservedMinutes, 0.0
		if j := nearAfter[i]; j >= 0 {
			ma, ka = minutesTo(i, j), kmTo(i, j)
		} else {
			farAfter += w
		}
		as := 0.0
		cov := covered(i, res.Open)
		for _, s := range res.Assign[i] {
			// Beyond the rule: served by a point that does not cover the
			// cell, or by none (residents no candidate can cover at all
			// are counted apart, in uncoverable_population).
			if s.Cand < 0 {
				as += s.Share * res.UnservedMinutes
			} else {
				as += s.Share * minutesTo(i, s.Cand)
			}
			if !uncoverable[i] && (s.Cand < 0 || !covers(i, s.Cand)) {
				beyondOf[i] += w * s.Share
			}
		}
		beyond += beyondOf[i]
		a.minB += w * mb
		a.minA += w * ma
		a.kmB += w * kb
		a.kmA += w * ka
		totB += w * mb
		totA += w * ma
		totAs += w * as
		if covered(i, before) {
			a.covB += w
			covB += w
		}
		if cov {
			a.covA += w
			covA += w
		}
		pl.Population += w
	}
	if pl.Population > 0 {
		pl.CoveredBefore = round(covB/pl.Population, 6)
		pl.CoveredAfter = round(covA/pl.Population, 6)
		pl.MinutesBefore = round(totB/pl.Population, 3)
		pl.MinutesAfter = round(totA/pl.Population, 3)
		pl.MinutesAssigned = round(totAs/pl.Population, 3)
	}
	pl.ResidentsBeyondRule = int(math.Round(beyond))
	if farAfter > 0 {
		// Their true travel is unknown here (beyond the listed times):
		// say so rather than let the mean look exact.
		pl.Warnings = append(pl.Warnings, fmt.Sprintf("%.0f residents have no open point within the search cutoff; mean_minutes_after counts them at unserved_minutes (%g)", farAfter, res.UnservedMinutes))
	}
	names := map[string]string{}
	for _, c := range communes {
		names[c.Code] = c.Name
	}
	codes := make([]string, 0, len(com))
	for c := range com {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		a := com[c]
		d := CommuneDiff{Code: c, Name: names[c], Population: a.pop,
			MinutesBefore: round(a.minB/a.pop, 3), MinutesAfter: round(a.minA/a.pop, 3),
			KmBefore: round(a.kmB/a.pop, 3), KmAfter: round(a.kmA/a.pop, 3),
			CoveredBefore: round(a.covB/a.pop, 6), CoveredAfter: round(a.covA/a.pop, 6)}
		d.WorseOff = d.MinutesAfter > d.MinutesBefore+0.005 || d.CoveredAfter < d.CoveredBefore-1e-6 || d.KmAfter > d.KmBefore+0.0005
		if d.WorseOff {
			pl.WorseOff = append(pl.WorseOff, c)
		}
		pl.Communes = append(pl.Communes, d)
	}
	// Absorbers: the open point receiving most of a closed office's residents.
	absorb := make([]int32, m)
	type closeStats struct {
		res, minSum, maxMin, maxKm, beyond, unserved float64
		to                                           map[int32]float64
	}
	stats := make([]closeStats, m)
	for j := range absorb {
		absorb[j] = -1
	}
	for i := 0; i < n; i++ {
		j := nearBefore[i]
		if j < 0 || res.Open[j] || inst.Demand[i] <= 0 {
			continue
		}
		st := &stats[j]
		if st.to == nil {
			st.to = map[int32]float64{}
		}
		w := inst.Demand[i]
		st.res += w
		st.beyond += beyondOf[i]
		for _, s := range res.Assign[i] {
			if s.Cand < 0 {
				st.minSum += w * s.Share * res.UnservedMinutes
				st.maxMin = max(st.maxMin, res.UnservedMinutes)
				st.unserved += w * s.Share
				continue
			}
			st.to[s.Cand] += w * s.Share
			t := minutesTo(i, s.Cand)
			st.minSum += w * s.Share * t
			st.maxMin = max(st.maxMin, t)
			st.maxKm = max(st.maxKm, kmTo(i, s.Cand))
		}
	}
	for j := range stats {
		// Most residents wins; ties go to the lower index (deterministic).
		for k, v := range stats[j].to {
			if a := absorb[j]; a < 0 || v > stats[j].to[a] || v == stats[j].to[a] && k < a {
				absorb[j] = k
			}
		}
	}
	for j, c := range inst.Candidates {
		if c.Existing && !res.Open[j] && absorb[j] < 0 {
			// No residents of its own: the nearest open point takes it over.
			best := math.Inf(1)
			for k := range inst.Candidates {
				if res.Open[k] {
					if d := earth.Distance(c.Location, inst.Candidates[k].Location); d < best {
						best, absorb[j] = d, int32(k)
					}
				}
			}
		}
	}
	// Staff follow their office to its absorber, up to the absorber's
	// premises; the rest are listed for redeployment.
	staffAfter := make([]int, m)
	redeploy := 0
	for j, c := range inst.Candidates {
		if c.Existing && res.Open[j] {
			staffAfter[j] = c.Staff
			if c.MaxStaff > 0 && c.Staff > c.MaxStaff {
				// The cap is a hard limit on every open point, one kept
				// with more staff today included: the surplus is listed
				// for redeployment like a closure's.
				rest := c.Staff - c.MaxStaff
				staffAfter[j] = c.MaxStaff
				pl.StaffToRedeploy = append(pl.StaffToRedeploy, Redeploy{From: c.ID, To: c.ID, Staff: rest})
				redeploy += rest
				pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s (%s) has %d staff today, more than its premises' %d (max_staff_per_point): %d of them are to be redeployed", c.ID, c.Name, c.Staff, c.MaxStaff, rest))
			}
		}
	}
	for j, c := range inst.Candidates {
		a := absorb[j]
		if !c.Existing || res.Open[j] || a < 0 || c.Staff == 0 {
			continue
		}
		move := c.Staff
		if lim := inst.Candidates[a].MaxStaff; lim > 0 {
			move = min(move, max(0, lim-staffAfter[a]))
		}
		staffAfter[a] += move
		if move > 0 {
			pl.StaffMoves = append(pl.StaffMoves, StaffMove{From: c.ID, To: inst.Candidates[a].ID, Staff: move})
		}
		if rest := c.Staff - move; rest > 0 {
			pl.StaffToRedeploy = append(pl.StaffToRedeploy, Redeploy{From: c.ID, To: inst.Candidates[a].ID, Staff: rest})
			redeploy += rest
		}
	}
	if redeploy > 0 {
		pl.Warnings = append(pl.Warnings, fmt.Sprintf("%d staff do not fit the premises of the open points (max_staff_per_point) and are to be redeployed: see staff_to_redeploy", redeploy))
	}
	pl.StaffToRedeployTotal = redeploy
	for j := range inst.Candidates {
		if res.Open[j] {
			pl.StaffAvailable += staffAfter[j]
		}
	}
	loads := make(map[string]PointLoad, res.Points)
	for j, c := range inst.Candidates {
		if !res.Open[j] {
			continue
		}
		l := PointLoad{Dossiers: loadAfter[j], Counter: queueAfter[j]}
		if opt.QueueMin != nil {
			q, err := opt.QueueMin(queueAfter[j])
			if err != nil {
				return nil, fmt.Errorf("optimize: queue minimum of %s (%s): %w", c.ID, c.Name, err)
			}
			l.QueueMin = q
		}
		if c.Norm > 0 {
			l.StaffStandard = int(math.Floor(loadAfter[j]/c.Norm + 1e-9))
		}
		loads[c.ID] = l
	}
	if pl.ResidentsBeyondRule > 0 {
		pl.Warnings = append(pl.Warnings, fmt.Sprintf("%d residents are assigned to a point beyond the access rule (residents_beyond_rule)", pl.ResidentsBeyondRule))
	}
	// Residents assigned to each new point, by commune: one pass over the
	// assignment for all of them.
	servedBy, servedTot := make([]map[string]float64, m), make([]float64, m)
	for j, c := range inst.Candidates {
		if !c.Existing && res.Open[j] {
			servedBy[j] = map[string]float64{}
		}
	}
	for i, sh := range res.Assign {
		for _, s := range sh {
			if s.Cand < 0 || servedBy[s.Cand] == nil {
				continue
			}
			code := ""
			if inst.DemandCommune != nil {
				code = inst.DemandCommune[i]
			}
			servedBy[s.Cand][code] += inst.Demand[i] * s.Share
			servedTot[s.Cand] += inst.Demand[i] * s.Share
		}
	}
	serves := func(j int) ([]string, float64) {
		by, tot := servedBy[j], servedTot[j]
		cs := make([]string, 0, len(by))
		for c := range by {
			cs = append(cs, c)
		}
		slices.SortFunc(cs, func(a, b string) int { return cmp.Or(cmp.Compare(by[b], by[a]), cmp.Compare(a, b)) })
		return cs, tot
	}
	for j, c := range inst.Candidates {
		switch {
		case c.Existing && res.Open[j]:
			pl.Kept = append(pl.Kept, KeptOffice{ID: c.ID, Name: c.Name, Kind: string(c.Kind), Commune: c.Commune, Locked: c.Locked,
				Closable: c.Closable, StaffFrom: c.Staff, StaffAfter: staffAfter[j], LoadBefore: round(loadBefore[j], 1),
				Capacity: round(c.Capacity, 1)})
		case c.Existing:
			a := absorb[j]
			cl := Closed{ID: c.ID, Name: c.Name, Commune: c.Commune}
			if a >= 0 {
				x := inst.Candidates[a]
				st := stats[j]
				cl.AbsorbedBy, cl.AbsorbName = x.ID, x.Name
				// Stored at the precision the why states them, so the
				// text and the fields never differ by a second rounding.
				cl.Residents = round(st.res, 0)
				cl.AbsorbedResidents = round(st.to[a], 0)
				cl.Unserved = round(st.unserved, 0)
				for k, v := range st.to {
					if k != a && v > 0 {
						cl.OtherPoints++
					}
				}
				if st.res > 0 {
					cl.MeanMinutes = round(st.minSum/st.res, 1)
				}
				cl.MaxMinutes, cl.MaxKm = round(st.maxMin, 1), round(st.maxKm, 2)
				cl.BeyondRule = int(math.Round(st.beyond))
				cl.StaffAfter = staffAfter[a]
				cl.Capacity = round(x.Capacity, 0)
			}
			pl.Closed = append(pl.Closed, cl)
		case res.Open[j]:
			sv, tot := serves(j)
			pl.New = append(pl.New, NewPoint{ID: c.ID, Name: c.Name, Lon: round(c.Location[0], 6), Lat: round(c.Location[1], 6),
				Commune: c.Commune, Residents: round(tot, 1), Serves: sv,
				Capacity: round(c.Capacity, 1), Staff: staffAfter[j]})
		}
	}
	pl.UserCandidates = userCandidates(inst, res, cover)
	pl.setLoads(loads, "assignment")
	return pl, nil
}

// UseLoads restates every per-point load of the plan (kept offices'
// load_after and counter_load_after, new points' load and counter_load,
// closures' absorber loads and their why), the staffing targets and flags
// and their totals from loads, keyed by point id: the pipeline passes the
// load check's routing of the final network (docs/dossiers.md), so
// plan.json, load.json and the report state one load per point. A point
// missing from loads is an error naming it.
func (p *Plan) UseLoads(loads map[string]PointLoad) error {
	for _, k := range p.Kept {
		if _, ok := loads[k.ID]; !ok {
			return fmt.Errorf("optimize: no load for kept office %s (%s); fix: pass the load check of the plan's final network", k.ID, k.Name)
		}
	}
	for _, n := range p.New {
		if _, ok := loads[n.ID]; !ok {
			return fmt.Errorf("optimize: no load for new point %s (%s); fix: pass the load check of the plan's final network", n.ID, n.Name)
		}
	}
	p.setLoads(loads, "load check")
	return nil
}

// setLoads states loads on every open point and closure, derives the
// staffing flags and totals, and replaces the load warnings.
func (p *Plan) setLoads(loads map[string]PointLoad, source string) {
	p.LoadSource = source
	if len(p.loadWarnings) > 0 {
		old := map[string]bool{}
		for _, w := range p.loadWarnings {
			old[w] = true
		}
		p.Warnings = slices.DeleteFunc(p.Warnings, func(w string) bool { return old[w] })
		p.loadWarnings = nil
	}
	warn := func(format string, a ...any) { p.loadWarnings = append(p.loadWarnings, fmt.Sprintf(format, a...)) }
	p.StaffNeeded, p.StaffJustified = 0, 0
	staffing := func(id string, staff int) Staffing {
		l := loads[id]
		st := Staffing{QueueMin: l.QueueMin, StaffStandard: l.StaffStandard}
		st.Inefficient = st.QueueMin > st.StaffStandard
		st.Underused = staff > max(st.QueueMin, st.StaffStandard)
		st.Short = staff < st.QueueMin
		p.StaffNeeded += st.QueueMin
		p.StaffJustified += max(st.QueueMin, st.StaffStandard)
		return st
	}
	over := func(id, name string, capacity float64) {
		// Loads are whole dossiers: one filling the capacity to the
		// fraction rounds up to it, and is not above it.
		if l := loads[id]; capacity > 0 && l.Counter > capacity+0.5 {
			warn("%s (%s) receives %.0f counter dossiers/year, above its premises' capacity of %.0f", id, name, l.Counter, capacity)
		}
	}
	open := map[string]bool{}
	for k := range p.Kept {
		o := &p.Kept[k]
		l := loads[o.ID]
		o.LoadAfter, o.CounterLoadAfter = round(l.Dossiers, 1), round(l.Counter, 1)
		o.Staffing = staffing(o.ID, o.StaffAfter)
		over(o.ID, o.Name, o.Capacity)
		open[o.ID] = true
	}
	for k := range p.New {
		o := &p.New[k]
		l := loads[o.ID]
		o.Load, o.CounterLoad = round(l.Dossiers, 1), round(l.Counter, 1)
		o.Staffing = staffing(o.ID, o.Staff)
		over(o.ID, o.Name, o.Capacity)
		open[o.ID] = true
	}
	for k := range p.Closed {
		c := &p.Closed[k]
		if !open[c.AbsorbedBy] {
			continue
		}
		l := loads[c.AbsorbedBy]
		c.LoadAfter, c.CounterLoadAfter = round(l.Dossiers, 0), round(l.Counter, 0)
		c.Why = c.Explain()
	}
	if p.StaffNeeded > p.StaffAvailable && p.StaffNeeded > 0 {
		warn("the open points need %d staff at the peak hour (queue minimum) but have %d", p.StaffNeeded, p.StaffAvailable)
	}
	p.Warnings = append(p.Warnings, p.loadWarnings...)
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// WriteJSON writes the plan as indented JSON.
func (p *Plan) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("optimize: encode plan: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// WriteCSV writes one row per office or new point: keep, close or new.
func (p *Plan) WriteCSV(w io.Writer) error {
	cw := csvsafe.NewWriter(w)
	ff := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	cw.Write([]string{"action", "id", "name", "commune", "lon", "lat", "absorbed_by", "staff_before", "staff_after", "load_after", "counter_load_after", "capacity",
		"queue_min", "staff_standard", "staffing", "residents", "mean_minutes", "max_minutes", "max_km", "beyond_rule", "serves", "why"})
	for _, k := range p.Kept {
		cw.Write([]string{"keep", k.ID, k.Name, k.Commune, "", "", "", strconv.Itoa(k.StaffFrom), strconv.Itoa(k.StaffAfter), ff(k.LoadAfter), ff(k.CounterLoadAfter), ff(k.Capacity),
			strconv.Itoa(k.QueueMin), strconv.Itoa(k.StaffStandard), k.Staffing.flags(), "", "", "", "", "", "", ""})
	}
	for _, c := range p.Closed {
		cw.Write([]string{"close", c.ID, c.Name, c.Commune, "", "", c.AbsorbedBy, "", "0", "", "", "", "", "", "",
			ff(c.Residents), ff(c.MeanMinutes), ff(c.MaxMinutes), ff(c.MaxKm), strconv.Itoa(c.BeyondRule), "", c.Why})
	}
	for _, n := range p.New {
		cw.Write([]string{"new", n.ID, n.Name, n.Commune, ff(n.Lon), ff(n.Lat), "", "0", strconv.Itoa(n.Staff), ff(n.Load), ff(n.CounterLoad), ff(n.Capacity),
			strconv.Itoa(n.QueueMin), strconv.Itoa(n.StaffStandard), n.Staffing.flags(), ff(n.Residents), "", "", "", "", strings.Join(n.Serves, " "), ""})
	}
	cw.Flush()
	return cw.Error()
}

// MaxOfficeStaff bounds the staff of one office or point in a plan read
// back from a file: far above any one-stop office (tens), low enough that
// a typo (a population in the staff column) is caught.
const MaxOfficeStaff = 10_000

// Validate cross-checks a plan read from a file, so a hand-edited plan
// cannot describe an impossible network: every id non-empty and at most
// once across kept, closed and new points; every closed office absorbed by
// a kept office or a new point; staff within 0..MaxOfficeStaff; new points
// at finite coordinates; staff moves from a closed office to an open one.
// The errors name the record and the fix.
func (p *Plan) Validate() error {
	where := map[string]string{}
	add := func(id, rec string) error {
		if id == "" {
			return fmt.Errorf("%s has an empty id; fix: give every office and point its id", rec)
		}
		if prev, ok := where[id]; ok {
			return fmt.Errorf("%s: office %q is also %s; fix: list each office once, as kept, closed or new", rec, id, prev)
		}
		where[id] = rec
		return nil
	}
	staff := func(rec, key string, v int) error {
		if v < 0 || v > MaxOfficeStaff {
			return fmt.Errorf("%s: %s %d is outside 0..%d; fix: give the office's one-stop staff", rec, key, v, MaxOfficeStaff)
		}
		return nil
	}
	open := map[string]bool{}
	for i, k := range p.Kept {
		rec := fmt.Sprintf("kept[%d] (%s)", i, k.ID)
		if err := cmp.Or(add(k.ID, rec), staff(rec, "staff_before", k.StaffFrom), staff(rec, "staff_after", k.StaffAfter)); err != nil {
			return err
		}
		open[k.ID] = true
	}
	for i, n := range p.New {
		rec := fmt.Sprintf("new_points[%d] (%s)", i, n.ID)
		if err := cmp.Or(add(n.ID, rec), staff(rec, "staff", n.Staff)); err != nil {
			return err
		}
		if !(n.Lon >= -180 && n.Lon <= 180 && n.Lat >= -90 && n.Lat <= 90) {
			return fmt.Errorf("%s: lon/lat %v, %v is not a place on Earth; fix: give WGS84 degrees", rec, n.Lon, n.Lat)
		}
		if !(n.Load >= 0) || math.IsInf(n.Load, 0) {
			return fmt.Errorf("%s: load %v must be a finite number >= 0", rec, n.Load)
		}
		open[n.ID] = true
	}
	closed := map[string]bool{}
	for i, c := range p.Closed {
		rec := fmt.Sprintf("closed[%d] (%s)", i, c.ID)
		if err := add(c.ID, rec); err != nil {
			return err
		}
		if !open[c.AbsorbedBy] {
			return fmt.Errorf("%s: absorbed_by %q is not a kept office or a new point of the plan; fix: name the open office that takes over its residents", rec, c.AbsorbedBy)
		}
		closed[c.ID] = true
	}
	for i, m := range p.StaffMoves {
		rec := fmt.Sprintf("staff_moves[%d] (%s → %s)", i, m.From, m.To)
		if !closed[m.From] || !open[m.To] {
			return fmt.Errorf("%s: staff move from an office the plan does not close or to one it does not keep open; fix: move staff from a closed office to its absorber", rec)
		}
		if err := staff(rec, "staff", m.Staff); err != nil {
			return err
		}
	}
	return nil
}
