// Package reports turns the results of one planning run into what people
// read: a self-contained report.html for leaders (summary, maps, charts and
// tables, in Vietnamese or English), a side-by-side comparison of two runs,
// and exports for analysts (GeoJSON catchments, CSV tables and a GeoPackage
// that opens in QGIS).
//
// The package does not import the coverage, optimize or dossier engines: the
// caller fills the plain view model Run from their results, so the report can
// be built, tested and changed independently of how the numbers were made.
package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// Run is everything one report shows: a scenario compared with the current
// (before) network.
type Run struct {
	Title    string // headline; a default from the scenario is used when empty
	Dataset  string // dataset name, e.g. "Binh Duong, 2019 census"
	Scenario string // scenario name, e.g. "phase-3 merges"
	Phase    string // pilot phase label, free text
	Lang     Lang   // "vi" (default when empty) or "en"
	Version  string // the onestop that made the run (module version and commit), shown in the header
	// GroupLevel is what Districts are: "district" (or empty) before 2025,
	// "province" for a two-tier dataset, or the dataset's own group field;
	// the report's headings follow it.
	GroupLevel string `json:",omitempty"`
	// DossierGrowth is the demand multiplier of a growth what-if, shown
	// with the run's assumptions; 0 or 1: today's demand, not shown.
	DossierGrowth float64 `json:",omitempty"`

	Targets Targets

	Before Summary // the existing network
	After  Summary // the scenario

	Districts []DistrictRow
	Communes  []CommuneRow
	Offices   []OfficeRow
	Merges    []Merge
	// Cells is the gridded population with its travel times. Cells not
	// covered after (or before) form the "uncovered" map layer; cells with
	// an OfficeAfter form the catchments of the exports.
	Cells []Cell

	// Assumptions are the facts that shaped the result, stated on the
	// report's first screen; the zero value states none.
	Assumptions Assumptions
	// Curve is the offices-versus-mean-travel trade-off the optimizer
	// traced (scenario optimize.curve: true), with the adopted plan; nil
	// when the run has none.
	Curve *Curve `json:",omitempty"`
	// Audit is the independent recomputation of the plan's claims; nil
	// when the run was not audited (the report then shows no section).
	Audit *Audit `json:",omitempty"`
}

// Assumptions are what a reader must know before trusting the numbers.
// Each is stated on the first screen only when it holds (non-zero); the
// dossier-rate assumption comes from OfficeRow.LoadSource and the demand
// growth from Run.DossierGrowth.
type Assumptions struct {
	// OfficesGenerated counts offices made up by the loader (no offices
	// file); StaffAssumed offices whose staff was assumed from population.
	OfficesGenerated int `json:",omitempty"`
	StaffAssumed     int `json:",omitempty"`
	// StraightLine: travel times are straight-line distance × Circuity
	// at assumed speeds, not routed on a road graph.
	StraightLine bool    `json:",omitempty"`
	Circuity     float64 `json:",omitempty"`
	// RecordedUnused counts offices that carry recorded dossier counts
	// which their load did not come from.
	RecordedUnused int `json:",omitempty"`
	// StoppedBy is why the optimizer stopped when it did not finish:
	// "time limit" or "work budget" (optimize's stopped_by); "" when it
	// proved its plan or did not run. GapPct is the gap left to its bound.
	StoppedBy string  `json:",omitempty"`
	GapPct    float64 `json:",omitempty"`
	// ExcludedResidents no candidate could cover under the rule, left out
	// of the plan (optimize.uncoverable: exclude), in ExcludedCommunes.
	ExcludedResidents int64 `json:",omitempty"`
	ExcludedCommunes  int   `json:",omitempty"`
}

// Curve is the trade-off between how many offices stay open and how far
// residents travel: one point per count of offices, and the plan adopted.
// Minutes are the optimizer's (plan.json's curve and mean_minutes_after),
// so the chosen point lies on the same scale as the curve.
type Curve struct {
	Points []CurvePoint
	Chosen CurvePoint
}

// CurvePoint is one plan of the curve.
type CurvePoint struct {
	Offices      int
	MeanMinutes  float64
	CoveredShare float64 // 0..1
}

// Audit is an independent recomputation of what the plan states.
type Audit struct {
	Checked             int   // claims recomputed
	ResidentsBeyondRule int64 // residents assigned to a point beyond the access rule
	Mismatches          []AuditMismatch
	// Count is every mismatch, listed or not (the audit lists a few per
	// class and then a count); 0 means len(Mismatches).
	Count int `json:",omitempty"`
}

// AuditMismatch is one stated number the recomputation contradicts.
type AuditMismatch struct {
	File       string // output file that states the claim, e.g. "plan.json"
	Claim      string // what is claimed, e.g. "closed[3].max_minutes (OS-26734)"
	Stated     string
	Recomputed string
}

// Targets are the pilot's service rules the report measures against.
// Zero fields take the pilot defaults (30 min, 5 km, 15 min).
type Targets struct {
	TravelMinutes float64 // every resident within this travel time ...
	RadiusKm      float64 // ... or within this straight-line distance
	WaitMinutes   float64 // mean waiting time per transaction at most this
}

// withDefaults fills zero targets with the pilot's rules.
func (t Targets) withDefaults() Targets {
	if t.TravelMinutes == 0 {
		t.TravelMinutes = 30
	}
	if t.RadiusKm == 0 {
		t.RadiusKm = 5
	}
	if t.WaitMinutes == 0 {
		t.WaitMinutes = 15
	}
	return t
}

// Summary is the province-wide state of one network (before or after).
type Summary struct {
	Population      int64   // residents counted
	Covered         int64   // residents meeting the access rule
	Offices         int     // offices open
	Staff           int     // one-stop staff in all open offices
	MeanMinutes     float64 // population-weighted mean travel time
	P95Minutes      float64 // 95th percentile of travel time over residents
	MaxMinutes      float64 // worst travel time of any resident
	OfficesOverWait int     // offices overloaded: mean waiting exceeds Targets.WaitMinutes (the only overload)
	// OfficesUnderused counts offices receiving fewer dossiers per staff
	// member than their norm (productivity below the minimum).
	OfficesUnderused int   `json:",omitempty"`
	Histogram        []Bin // travel-time distribution, bins in ascending order
}

// CoveredShare is Covered/Population, 0 for an empty population.
func (s Summary) CoveredShare() float64 {
	if s.Population <= 0 {
		return 0
	}
	return float64(s.Covered) / float64(s.Population)
}

// Bin is one travel-time class of the histogram: residents whose travel time
// lies in [FromMin, ToMin).
type Bin struct {
	FromMin    float64
	ToMin      float64
	Population int64
}

// DistrictRow is one district-level unit in the per-district table.
type DistrictRow struct {
	Code              string
	Name              string
	Population        int64
	CoveredBefore     int64 // residents covered by the existing network
	CoveredAfter      int64 // residents covered in the scenario
	MeanMinutesBefore float64
	MeanMinutesAfter  float64
	OfficesBefore     int
	OfficesAfter      int
}

// CommuneRow is one commune-level unit, with its boundary for the map.
type CommuneRow struct {
	Code               string
	Name               string // with Vietnamese diacritics
	District           string // DistrictRow.Code
	Population         int64
	Geometry           orb.MultiPolygon // lon/lat degrees
	MeanMinutesBefore  float64
	MeanMinutesAfter   float64
	CoveredShareBefore float64 // 0..1
	CoveredShareAfter  float64 // 0..1
	WorseOff           bool    // residents lose access or travel clearly longer
}

// Status is what the scenario does with an office.
type Status string

const (
	Kept   Status = "kept"
	Closed Status = "closed"
	New    Status = "new"
)

// OfficeRow is one office in either network.
type OfficeRow struct {
	ID          string
	Name        string
	Kind        data.OfficeKind
	Lon, Lat    float64
	Commune     string // CommuneRow.Code of the commune it sits in (places it in a district)
	Status      Status
	AbsorbedBy  string  // ID of the office that takes over a closed office's residents
	StaffBefore int     // 0 for a new office
	StaffAfter  int     // 0 for a closed office
	Dossiers    float64 // dossiers per year received in the scenario
	Norm        float64 // minimum productivity: dossiers per staff member per year (1,600/1,200/800)
	// ProductivityVsNorm is Dossiers/StaffAfter ÷ Norm (computed when left
	// 0): the norm is a minimum, so below 1 the office is under-used; above
	// 1 is no overload (only the wait says that).
	ProductivityVsNorm float64 `json:",omitempty"`
	// PeakOccupancy is the share of staffed counters busy at the peak hour
	// (offered load ÷ servers); 0 when unknown.
	PeakOccupancy  float64 `json:",omitempty"`
	WaitErlangMin  float64 // mean wait at the peak hour from the queueing formula (Erlang C); UnstableWait when the queue grows without end
	WaitSimMeanMin float64 // mean wait from the discrete-event simulation
	// QueueMinStaff is the fewest staffed counters keeping the peak wait
	// within the target; StaffStandard the staff the load justifies at the
	// norm. Queue minimum above the standard: the office is inefficient.
	// 0 when unknown.
	QueueMinStaff int `json:",omitempty"`
	StaffStandard int `json:",omitempty"`
	// LoadSource says where Dossiers came from: "recorded" (the office's
	// own counts), "log" (a dossier log's per-commune volumes), "rate"
	// (population × per-capita rates); empty when unknown.
	LoadSource string `json:",omitempty"`
	Flag       string // load flag of the dossier engine (overloaded, underused, ok) or a planner's own short warning
	// Serves lists the communes (CommuneRow.Code) whose residents a new
	// office serves, most residents first. FillFromCells fills it for new
	// offices from the cells when empty; the report names a new point from it.
	Serves []string `json:",omitempty"`
	// NameGenerated says Name is a machine placeholder (the optimizer's
	// "grid point <H3>"): the report then names the point after the communes
	// it serves, in the report's language, and keeps the ID as the handle.
	NameGenerated bool `json:",omitempty"`
}

// productivity returns the given productivity against the norm or derives
// it from load and staff.
func (o OfficeRow) productivity() float64 {
	if o.ProductivityVsNorm != 0 || o.StaffAfter <= 0 || o.Norm <= 0 {
		return o.ProductivityVsNorm
	}
	return o.Dossiers / (float64(o.StaffAfter) * o.Norm)
}

// Verdicts an office's load can earn; an office may earn several.
const (
	VerdictOverloaded  = "overloaded"  // peak wait above the target: the service ceiling
	VerdictUnderused   = "underused"   // productivity below the norm, the minimum
	VerdictInefficient = "inefficient" // the queue needs more staff than the load justifies at the norm
)

// verdicts judges an open office by the two targets, kept apart: only a
// wait breach overloads it, only productivity below the norm under-uses
// it, and a queue minimum above the staffing standard (when known) makes
// it inefficient. A closed office gets none.
func (o OfficeRow) verdicts(waitTarget float64) []string {
	if o.Status == Closed {
		return nil
	}
	var v []string
	if officeWait(o) > waitTarget {
		v = append(v, VerdictOverloaded)
	}
	if p := o.productivity(); o.StaffAfter > 0 && o.Norm > 0 && p < 1 {
		v = append(v, VerdictUnderused)
	}
	if o.QueueMinStaff > 0 && o.StaffStandard > 0 && o.QueueMinStaff > o.StaffStandard {
		v = append(v, VerdictInefficient)
	}
	return v
}

// Merge records that office From closes and office To takes its residents.
// The report writes the reason in its own language from the numbers below;
// Reason is free text kept for the exports and shown in the report only when
// ReasonLang is the report's language.
type Merge struct {
	From       string // OfficeRow.ID of the closed office
	To         string // OfficeRow.ID of the absorbing office
	Reason     string // plain-language reason, in ReasonLang
	ReasonLang Lang   `json:",omitempty"` // language of Reason; empty when unknown (then the report does not show it)
	// The residents whose nearest office was From, and their travel once it
	// closes (to To or a nearer open office). FillFromCells fills them from
	// the cells when Residents is 0; an engine may give its own.
	Residents   int64   `json:",omitempty"`
	MeanMinutes float64 `json:",omitempty"`
	MaxMinutes  float64 `json:",omitempty"`
	MaxKm       float64 `json:",omitempty"` // straight-line distance to their office after the merge
	OutsideRule int64   `json:",omitempty"` // of them, covered before and not after
}

// Cell is one population cell (an H3 hexagon or a point).
type Cell struct {
	H3            string      // H3 index as hex string, empty for point cells
	Lon, Lat      float64     // centre, lon/lat degrees
	Hexagon       orb.Polygon // boundary; derived from H3 when empty
	Population    int64
	Commune       string // CommuneRow.Code
	OfficeBefore  string // nearest office before (by travel time)
	OfficeAfter   string // nearest office in the scenario
	MinutesBefore float64
	MinutesAfter  float64
	CoveredBefore bool
	CoveredAfter  bool
}

// Validate checks that the run is complete and consistent enough to report,
// and names every bad record with what to fix.
func (r Run) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if _, err := r.Lang.labels(); err != nil {
		errs = append(errs, err)
	}
	for _, s := range []struct {
		name string
		sum  Summary
	}{{"Before", r.Before}, {"After", r.After}} {
		if s.sum.Population < 0 || s.sum.Covered < 0 || s.sum.Covered > s.sum.Population {
			bad("%s summary: covered %d of population %d: covered must be between 0 and the population", s.name, s.sum.Covered, s.sum.Population)
		}
		for _, v := range []float64{s.sum.MeanMinutes, s.sum.P95Minutes, s.sum.MaxMinutes} {
			if !finiteNonNeg(v) {
				bad("%s summary: travel minutes %v: give finite non-negative minutes", s.name, v)
				break
			}
		}
		for i, b := range s.sum.Histogram {
			if !finiteNonNeg(b.FromMin) || !(b.ToMin > b.FromMin) || math.IsNaN(b.ToMin) || b.Population < 0 {
				bad("%s histogram bin %d [%v, %v) population %d: bins need 0 <= from < to and population >= 0", s.name, i, b.FromMin, b.ToMin, b.Population)
			}
			if i > 0 && b.FromMin < s.sum.Histogram[i-1].ToMin {
				bad("%s histogram bin %d starts at %v before bin %d ends at %v: sort bins and do not overlap them", s.name, i, b.FromMin, i-1, s.sum.Histogram[i-1].ToMin)
			}
		}
	}
	districts := map[string]bool{}
	for i, d := range r.Districts {
		if d.Code == "" {
			bad("district row %d (%q): empty code: give the district code", i, d.Name)
		} else if districts[d.Code] {
			bad("district %s: listed twice: keep one row per district", d.Code)
		}
		districts[d.Code] = true
	}
	communes := map[string]bool{}
	for i, c := range r.Communes {
		id := fmt.Sprintf("commune row %d (%s %q)", i, c.Code, c.Name)
		switch {
		case c.Code == "":
			bad("%s: empty code: give the commune code", id)
		case communes[c.Code]:
			bad("%s: code listed twice: keep one row per commune", id)
		}
		communes[c.Code] = true
		if len(districts) > 0 && !districts[c.District] {
			bad("%s: district %q is not among the district rows: add the district or fix the code", id, c.District)
		}
		if err := checkMultiPolygon(c.Geometry); err != nil {
			bad("%s: geometry: %w", id, err)
		}
		for _, v := range []float64{c.MeanMinutesBefore, c.MeanMinutesAfter} {
			if !finiteNonNeg(v) {
				bad("%s: mean minutes %v: give finite non-negative minutes", id, v)
				break
			}
		}
		for _, v := range []float64{c.CoveredShareBefore, c.CoveredShareAfter} {
			if !(v >= 0 && v <= 1) {
				bad("%s: covered share %v: give a share between 0 and 1, not a percentage", id, v)
				break
			}
		}
	}
	offices := map[string]Status{}
	for i, o := range r.Offices {
		id := fmt.Sprintf("office row %d (%s %q)", i, o.ID, o.Name)
		switch {
		case o.ID == "":
			bad("%s: empty id: give the office id", id)
		case offices[o.ID] != "":
			bad("%s: id listed twice: keep one row per office", id)
		}
		switch o.Status {
		case Kept, Closed, New:
		default:
			bad("%s: status %q: use kept, closed or new", id, o.Status)
		}
		offices[o.ID] = o.Status
		if !(o.Lon >= -180 && o.Lon <= 180 && o.Lat >= -90 && o.Lat <= 90) {
			bad("%s: location %v,%v: give lon/lat in degrees", id, o.Lon, o.Lat)
		}
		if o.StaffBefore < 0 || o.StaffAfter < 0 || o.QueueMinStaff < 0 || o.StaffStandard < 0 {
			bad("%s: staff %d/%d (queue minimum %d, standard %d): staff cannot be negative", id, o.StaffBefore, o.StaffAfter, o.QueueMinStaff, o.StaffStandard)
		}
		for _, v := range []float64{o.Dossiers, o.Norm, o.ProductivityVsNorm, o.PeakOccupancy, o.WaitErlangMin, o.WaitSimMeanMin} {
			if !finiteNonNeg(v) {
				bad("%s: load or waiting value %v: give finite non-negative numbers (0 when unknown)", id, v)
				break
			}
		}
	}
	for i, o := range r.Offices {
		if o.AbsorbedBy == "" {
			continue
		}
		if s, ok := offices[o.AbsorbedBy]; !ok || s == Closed {
			bad("office row %d (%s): absorbed by %q, which is not an open office of the run", i, o.ID, o.AbsorbedBy)
		}
	}
	for i, m := range r.Merges {
		if _, ok := offices[m.From]; !ok {
			bad("merge %d: from office %q is not among the offices: add it or fix the id", i, m.From)
		}
		if _, ok := offices[m.To]; !ok {
			bad("merge %d: to office %q is not among the offices: add it or fix the id", i, m.To)
		}
	}
	if r.Curve != nil {
		for i, p := range append(slices.Clone(r.Curve.Points), r.Curve.Chosen) {
			if p.Offices < 0 || !finiteNonNeg(p.MeanMinutes) || !(p.CoveredShare >= 0 && p.CoveredShare <= 1) {
				what := fmt.Sprintf("curve point %d", i)
				if i == len(r.Curve.Points) {
					what = "curve's chosen plan"
				}
				bad("%s (%d offices, %v min, share %v): give a non-negative office count, finite non-negative minutes and a share in 0..1", what, p.Offices, p.MeanMinutes, p.CoveredShare)
			}
		}
	}
	if a := r.Audit; a != nil && (a.Checked < 0 || a.ResidentsBeyondRule < 0) {
		bad("audit: %d claims checked, %d residents beyond the rule: counts cannot be negative", a.Checked, a.ResidentsBeyondRule)
	}
	if a := r.Assumptions; a.OfficesGenerated < 0 || a.StaffAssumed < 0 || a.RecordedUnused < 0 || a.ExcludedResidents < 0 || a.ExcludedCommunes < 0 ||
		!finiteNonNeg(a.Circuity) || !finiteNonNeg(a.GapPct) {
		bad("assumptions %+v: counts, circuity and gap must be finite and non-negative", a)
	}
	for i, c := range r.Cells {
		if c.Population < 0 || !finiteNonNeg(c.MinutesBefore) || !finiteNonNeg(c.MinutesAfter) {
			bad("cell %d (%s): population %d, minutes %v/%v: need non-negative finite values", i, c.H3, c.Population, c.MinutesBefore, c.MinutesAfter)
		}
		if !(c.Lon >= -180 && c.Lon <= 180 && c.Lat >= -90 && c.Lat <= 90) {
			bad("cell %d (%s): location %v,%v: give lon/lat in degrees", i, c.H3, c.Lon, c.Lat)
		}
		if len(c.Hexagon) > 0 {
			if err := checkMultiPolygon(orb.MultiPolygon{c.Hexagon}); err != nil {
				bad("cell %d (%s): hexagon: %w", i, c.H3, err)
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("reports: run %q is not ready to report: %w", r.Scenario, errors.Join(errs...))
}

// UnstableWait is the wait a Run records for an office whose queue grows
// without end (arrivals above what its staff can serve: the true wait is
// infinite, which JSON cannot carry). The report shows it as "∞" and draws
// it at the top of the wait axis instead of scaling the axis to it.
const UnstableWait = 9999

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }

// checkMultiPolygon rejects coordinates that would break the map or the
// GeoPackage: non-finite numbers and rings too short to enclose an area.
func checkMultiPolygon(mp orb.MultiPolygon) error {
	for pi, p := range mp {
		for ri, ring := range p {
			if len(ring) < 4 {
				return fmt.Errorf("polygon %d ring %d has %d points: a closed ring needs at least 4", pi, ri, len(ring))
			}
			for _, pt := range ring {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) ||
					pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					return fmt.Errorf("polygon %d ring %d point %v is not lon/lat in degrees", pi, ri, pt)
				}
			}
		}
	}
	return nil
}

// districtName returns the display name of a district code.
func (r Run) districtName(code string) string {
	for _, d := range r.Districts {
		if d.Code == code && strings.TrimSpace(d.Name) != "" {
			return d.Name
		}
	}
	return code
}

// binJSON is Bin with the open upper bound of the last bin written as null
// (JSON has no infinity), so a Run round-trips through run.json.
type binJSON struct {
	FromMin    float64  `json:"from_min"`
	ToMin      *float64 `json:"to_min"`
	Population int64    `json:"population"`
}

func (b Bin) MarshalJSON() ([]byte, error) {
	j := binJSON{FromMin: b.FromMin, Population: b.Population}
	if !math.IsInf(b.ToMin, 1) {
		j.ToMin = &b.ToMin
	}
	return json.Marshal(j)
}

func (b *Bin) UnmarshalJSON(p []byte) error {
	var j binJSON
	if err := json.Unmarshal(p, &j); err != nil {
		return err
	}
	*b = Bin{FromMin: j.FromMin, ToMin: math.Inf(1), Population: j.Population}
	if j.ToMin != nil {
		b.ToMin = *j.ToMin
	}
	return nil
}
