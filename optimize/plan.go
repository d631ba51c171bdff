package optimize

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

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
	BoundKind         string        `json:"bound_kind"`
	PointWeight       float64       `json:"point_weight,omitempty"`
	PointsLowerBound  int           `json:"points_lower_bound,omitempty"`
	Population        float64       `json:"population"`
	CoveredBefore     float64       `json:"covered_share_before"`
	CoveredAfter      float64       `json:"covered_share_after"`
	MinutesBefore     float64       `json:"mean_minutes_before"`
	MinutesAfter      float64       `json:"mean_minutes_after"`
	UnservedMinutes   float64       `json:"unserved_minutes"`
	StaffAvailable    int           `json:"staff_available"`
	StaffNeeded       int           `json:"staff_needed"`
	Kept              []KeptOffice  `json:"kept"`
	Closed            []Closed      `json:"closed"`
	New               []NewPoint    `json:"new_points"`
	StaffMoves        []StaffMove   `json:"staff_moves"`
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
	Capacity   float64 `json:"capacity"` // staff_after × norm
}

// Closed is an office that closes, the point absorbing it and why.
type Closed struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Commune     string  `json:"commune"`
	AbsorbedBy  string  `json:"absorbed_by"`
	AbsorbName  string  `json:"absorbed_by_name"`
	Residents   float64 `json:"residents"`
	MeanMinutes float64 `json:"mean_minutes"`
	MaxMinutes  float64 `json:"max_minutes"`
	MaxKm       float64 `json:"max_km"`
	LoadAfter   float64 `json:"absorber_load_after"`
	StaffAfter  int     `json:"absorber_staff_after"`
	Capacity    float64 `json:"absorber_capacity"`
	Why         string  `json:"why"`
}

// NewPoint is a service point the plan opens.
type NewPoint struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Lon       float64  `json:"lon"`
	Lat       float64  `json:"lat"`
	Commune   string   `json:"commune"`
	Residents float64  `json:"residents"`
	Serves    []string `json:"serves"` // commune codes, most residents first
	Load      float64  `json:"load"`
	Staff     int      `json:"staff"`
}

// StaffMove moves staff from a closing office to the point absorbing it.
type StaffMove struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Staff int    `json:"staff"`
}

// CommuneDiff compares a commune's access before and after the plan.
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
}

// NewPlan explains res: offices kept and closed (with their absorber and
// why), new points, staff moves and per-commune before/after. "Before" is
// every existing office open with residents at their nearest office.
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
			pl.StaffAvailable += c.Staff
		}
	}
	pl.Summary.OfficesAfter = res.Points
	pl.Summary.Objective = res.Objective
	pl.Summary.LowerBound = res.Bound
	pl.Summary.GapPct = round(res.GapPct, 4)
	pl.Summary.Seconds = round(secs, 3)
	pl.Summary.StoppedBy = res.StoppedBy
	pl.Summary.Model = string(res.Model)

	times := transpose(inst.Times, n)
	cover := transpose(inst.Cover, n)
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
	covered := func(i int, open []bool) bool {
		for _, j := range cover.Cell[cover.Start[i]:cover.Start[i+1]] {
			if open[j] {
				return true
			}
		}
		return false
	}
	// Before: nearest existing office by travel time.
	nearBefore := make([]int32, n)
	loadBefore := make([]float64, m)
	for i := 0; i < n; i++ {
		nearBefore[i] = -1
		best := math.Inf(1)
		a, b := times.Start[i], times.Start[i+1]
		for k := a; k < b; k++ {
			if j := times.Cell[k]; before[j] && float64(times.Minutes[k]) < best {
				best, nearBefore[i] = float64(times.Minutes[k]), j
			}
		}
		if nearBefore[i] >= 0 && inst.Dossiers != nil {
			loadBefore[nearBefore[i]] += inst.Dossiers[i]
		}
	}
	loadAfter := make([]float64, m)
	for i, sh := range res.Assign {
		for _, s := range sh {
			if s.Cand >= 0 && inst.Dossiers != nil {
				loadAfter[s.Cand] += inst.Dossiers[i] * s.Share
			}
		}
	}
	// Per commune.
	type acc struct{ pop, minB, minA, kmB, kmA, covB, covA float64 }
	com := map[string]*acc{}
	var totB, totA, covB, covA float64
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
		ma, ka := 0.0, 0.0
		for _, s := range res.Assign[i] {
			if s.Cand < 0 {
				ma += s.Share * res.UnservedMinutes
				continue
			}
			ma += s.Share * minutesTo(i, s.Cand)
			ka += s.Share * kmTo(i, s.Cand)
		}
		a.minB += w * mb
		a.minA += w * ma
		a.kmB += w * kb
		a.kmA += w * ka
		totB += w * mb
		totA += w * ma
		if covered(i, before) {
			a.covB += w
			covB += w
		}
		if covered(i, res.Open) {
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
	stats := make([]struct{ res, minSum, maxMin, maxKm float64 }, m)
	for j := range absorb {
		absorb[j] = -1
	}
	recv := map[[2]int32]float64{}
	for i := 0; i < n; i++ {
		j := nearBefore[i]
		if j < 0 || res.Open[j] || inst.Demand[i] <= 0 {
			continue
		}
		for _, s := range res.Assign[i] {
			if s.Cand >= 0 {
				recv[[2]int32{j, s.Cand}] += inst.Demand[i] * s.Share
			}
		}
	}
	keys := make([][2]int32, 0, len(recv))
	for k := range recv {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		if a := absorb[k[0]]; a < 0 || recv[k] > recv[[2]int32{k[0], a}] {
			absorb[k[0]] = k[1]
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
	for i := 0; i < n; i++ {
		j := nearBefore[i]
		if j < 0 || res.Open[j] || inst.Demand[i] <= 0 {
			continue
		}
		st := &stats[j]
		st.res += inst.Demand[i]
		for _, s := range res.Assign[i] {
			if s.Cand < 0 {
				st.minSum += inst.Demand[i] * s.Share * res.UnservedMinutes
				st.maxMin = max(st.maxMin, res.UnservedMinutes)
				continue
			}
			t := minutesTo(i, s.Cand)
			st.minSum += inst.Demand[i] * s.Share * t
			st.maxMin = max(st.maxMin, t)
			st.maxKm = max(st.maxKm, kmTo(i, s.Cand))
		}
	}
	staffAfter := make([]int, m)
	for j, c := range inst.Candidates {
		if c.Existing && res.Open[j] {
			staffAfter[j] += c.Staff
		}
		if c.Existing && !res.Open[j] && absorb[j] >= 0 {
			staffAfter[absorb[j]] += c.Staff
			if c.Staff > 0 {
				pl.StaffMoves = append(pl.StaffMoves, StaffMove{From: c.ID, To: inst.Candidates[absorb[j]].ID, Staff: c.Staff})
			}
		}
	}
	for j, c := range inst.Candidates {
		if !res.Open[j] {
			continue
		}
		if c.Norm > 0 {
			need := int(math.Ceil(loadAfter[j]/c.Norm - 1e-9))
			pl.StaffNeeded += need
			if need > staffAfter[j] && inst.Dossiers != nil {
				pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s (%s) receives %.0f dossiers/year and needs %d staff at %.0f per staff, but the merges give it %d", c.ID, c.Name, loadAfter[j], need, c.Norm, staffAfter[j]))
			}
		}
	}
	if inst.Dossiers != nil && pl.StaffNeeded > pl.StaffAvailable {
		pl.Warnings = append(pl.Warnings, fmt.Sprintf("the plan needs %d staff at the norms but the offices have %d", pl.StaffNeeded, pl.StaffAvailable))
	}
	serves := func(j int) ([]string, float64) {
		by := map[string]float64{}
		tot := 0.0
		for i, sh := range res.Assign {
			for _, s := range sh {
				if int(s.Cand) == j {
					code := ""
					if inst.DemandCommune != nil {
						code = inst.DemandCommune[i]
					}
					by[code] += inst.Demand[i] * s.Share
					tot += inst.Demand[i] * s.Share
				}
			}
		}
		cs := make([]string, 0, len(by))
		for c := range by {
			cs = append(cs, c)
		}
		slices.SortFunc(cs, func(a, b string) int { return cmp.Or(cmp.Compare(by[b], by[a]), cmp.Compare(a, b)) })
		return cs, tot
	}
	for j, c := range inst.Candidates {
		capa := float64(staffAfter[j]) * c.Norm
		switch {
		case c.Existing && res.Open[j]:
			pl.Kept = append(pl.Kept, KeptOffice{ID: c.ID, Name: c.Name, Kind: string(c.Kind), Commune: c.Commune, Locked: c.Locked,
				Closable: c.Closable, StaffFrom: c.Staff, StaffAfter: staffAfter[j], LoadBefore: round(loadBefore[j], 1),
				LoadAfter: round(loadAfter[j], 1), Capacity: capa})
		case c.Existing:
			a := absorb[j]
			cl := Closed{ID: c.ID, Name: c.Name, Commune: c.Commune}
			if a >= 0 {
				x := inst.Candidates[a]
				st := stats[j]
				cl.AbsorbedBy, cl.AbsorbName = x.ID, x.Name
				cl.Residents = st.res
				if st.res > 0 {
					cl.MeanMinutes = round(st.minSum/st.res, 2)
				}
				cl.MaxMinutes, cl.MaxKm = round(st.maxMin, 2), round(st.maxKm, 3)
				cl.LoadAfter, cl.StaffAfter = round(loadAfter[a], 1), staffAfter[a]
				cl.Capacity = float64(staffAfter[a]) * x.Norm
				cl.Why = fmt.Sprintf("its %.0f residents reach %s (%s) or another open point within %.1f min (mean %.1f) or %.2f km at most, and every one stays within the access rule where it was before",
					st.res, x.ID, x.Name, cl.MaxMinutes, cl.MeanMinutes, cl.MaxKm)
				if inst.Dossiers != nil {
					fit := "fits"
					if cl.LoadAfter > cl.Capacity {
						fit = "exceeds"
					}
					cl.Why += fmt.Sprintf("; %s's load after the merge, %.0f dossiers/year, %s its %d staff × %.0f = %.0f", x.ID, cl.LoadAfter, fit, cl.StaffAfter, x.Norm, cl.Capacity)
				}
			}
			pl.Closed = append(pl.Closed, cl)
		case res.Open[j]:
			sv, tot := serves(j)
			pl.New = append(pl.New, NewPoint{ID: c.ID, Name: c.Name, Lon: round(c.Location[0], 6), Lat: round(c.Location[1], 6),
				Commune: c.Commune, Residents: round(tot, 1), Serves: sv, Load: round(loadAfter[j], 1), Staff: staffAfter[j]})
		}
	}
	if pl.Closed != nil {
		// "Every one stays within the rule" is only true when coverage did
		// not drop; say so precisely otherwise.
		for k := range pl.Closed {
			if pl.CoveredAfter < pl.CoveredBefore {
				pl.Closed[k].Why = pl.Closed[k].Why + " (note: the plan's covered share is lower than today's; see worse_off)"
			}
		}
	}
	pl.UserCandidates = userCandidates(inst, res, cover)
	return pl, nil
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
	cw.Write([]string{"action", "id", "name", "commune", "lon", "lat", "absorbed_by", "staff_before", "staff_after", "load_after", "capacity", "residents", "mean_minutes", "max_minutes", "max_km", "serves", "why"})
	for _, k := range p.Kept {
		cw.Write([]string{"keep", k.ID, k.Name, k.Commune, "", "", "", strconv.Itoa(k.StaffFrom), strconv.Itoa(k.StaffAfter), ff(k.LoadAfter), ff(k.Capacity), "", "", "", "", "", ""})
	}
	for _, c := range p.Closed {
		cw.Write([]string{"close", c.ID, c.Name, c.Commune, "", "", c.AbsorbedBy, "", "0", "", "", ff(c.Residents), ff(c.MeanMinutes), ff(c.MaxMinutes), ff(c.MaxKm), "", c.Why})
	}
	for _, n := range p.New {
		serves := ""
		for k, s := range n.Serves {
			if k > 0 {
				serves += " "
			}
			serves += s
		}
		cw.Write([]string{"new", n.ID, n.Name, n.Commune, ff(n.Lon), ff(n.Lat), "", "0", strconv.Itoa(n.Staff), ff(n.Load), "", ff(n.Residents), "", "", "", serves, ""})
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
