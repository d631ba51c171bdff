package pipeline

import (
	"math"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/optimize"
	"github.com/onestop/onestop/reports"
)

// ReportInput is what one planning run measured, for the report.
type ReportInput struct {
	Scenario, Phase string
	Lang            reports.Lang
	Rule            coverage.Rule
	WaitTargetMin   float64
	Index           *coverage.Index
	Before, After   optimize.Network
	BeforeCov       *coverage.Result
	AfterCov        *coverage.Result
	BeforeLoad      *dossier.Result // may be nil
	AfterLoad       *dossier.Result
	Version         string // the onestop that made the run
	// Plan is the optimizer's plan (phase 3); nil for phases 1 and 2. Its
	// stopped_by, gap, exclusions and trade-off curve reach the report.
	Plan *optimize.Plan
	// Circuity is the straight-line model's factor, stated when the
	// dataset has no road graph (0: not stated).
	Circuity float64
	// DemandFromLog says the dossier demand came from a dossier log's
	// per-commune volumes rather than per-capita rates.
	DemandFromLog bool
	// Audit is the independent recomputation of the plan's claims, in the
	// report's terms (the caller converts the audit package's result);
	// nil: not audited, and the report shows no audit section.
	Audit *reports.Audit
}

// BuildRun turns a run's results into the report's view model.
func BuildRun(ds *data.Dataset, in ReportInput) reports.Run {
	r := reports.NewRun(ds, in.Lang)
	r.Scenario = in.Scenario
	r.Phase = in.Phase
	r.Version = in.Version
	r.Targets = reports.Targets{TravelMinutes: in.Rule.Minutes, RadiusKm: in.Rule.Km, WaitMinutes: in.WaitTargetMin}

	open := make(map[string]data.Office, len(in.After.Offices))
	for _, o := range in.After.Offices {
		open[o.ID] = o
	}
	closed := map[string]optimize.Closure{}
	for _, c := range in.After.Closed {
		closed[c.Office.ID] = c
	}
	load := map[string]dossier.OfficeLoad{}
	if in.AfterLoad != nil {
		for _, l := range in.AfterLoad.Offices {
			load[l.ID] = l
		}
	}
	source := demandSource(in)
	known := map[string]bool{}
	for i := range r.Offices {
		o := &r.Offices[i]
		known[o.ID] = true
		if c, ok := closed[o.ID]; ok {
			o.Status = reports.Closed
			o.AbsorbedBy = c.AbsorbedBy
			o.StaffAfter = 0
			o.Dossiers = 0
			continue
		}
		if a, ok := open[o.ID]; ok {
			o.StaffAfter = a.Staff
		}
		fillLoad(o, load, source)
	}
	for _, o := range in.After.Offices {
		if known[o.ID] {
			continue
		}
		row := reports.OfficeRow{ID: o.ID, Name: o.Name, Kind: o.Kind, Lon: o.Location[0], Lat: o.Location[1],
			Commune: o.Commune, Status: reports.New, StaffAfter: o.Staff}
		fillLoad(&row, load, source)
		r.Offices = append(r.Offices, row)
	}
	for _, c := range in.After.Closed {
		r.Merges = append(r.Merges, reports.Merge{From: c.Office.ID, To: c.AbsorbedBy, Reason: c.Reason})
	}

	idx := in.Index
	r.Cells = make([]reports.Cell, 0, len(idx.Cells))
	for i, c := range idx.Cells {
		if c.Population == 0 {
			continue
		}
		r.Cells = append(r.Cells, reports.Cell{
			H3: c.H3.String(), Lon: c.Lon, Lat: c.Lat, Population: c.Population,
			Commune:       idx.Communes[c.Commune].Code,
			OfficeBefore:  officeID(in.BeforeCov, i),
			OfficeAfter:   officeID(in.AfterCov, i),
			MinutesBefore: minutes(in.BeforeCov, i),
			MinutesAfter:  minutes(in.AfterCov, i),
			CoveredBefore: in.BeforeCov.Covered[i],
			CoveredAfter:  in.AfterCov.Covered[i],
		})
	}
	r.FillFromCells(nil)
	if in.BeforeLoad != nil {
		// the load check's own counts, so the report and summary.json agree
		r.Before.OfficesOverWait = in.BeforeLoad.Summary.OfficesOverloaded
		r.Before.OfficesUnderused = in.BeforeLoad.Summary.OfficesUnderused
	}
	if in.AfterLoad != nil {
		r.After.OfficesOverWait = in.AfterLoad.Summary.OfficesOverloaded
		r.After.OfficesUnderused = in.AfterLoad.Summary.OfficesUnderused
	}
	r.Assumptions = assumptions(ds, in, r.Offices)
	r.Curve = curveOf(in.Plan)
	r.Audit = in.Audit
	return r
}

// assumptions collects the facts the report's first screen states: from the
// dataset (generated offices, assumed staff, no road graph), the loads
// (recorded counts the load did not come from) and the plan (a search cut
// by its limit, residents left out).
func assumptions(ds *data.Dataset, in ReportInput, rows []reports.OfficeRow) reports.Assumptions {
	a := reports.Assumptions{OfficesGenerated: ds.OfficesGenerated, StaffAssumed: ds.StaffAssumed}
	if ds.Roads == nil || len(ds.Roads.Arcs) == 0 { // the same test as TravelModel
		a.StraightLine, a.Circuity = true, in.Circuity
	}
	// An open office's load has its own source; a closed office's recorded
	// count moves with its residents to the office absorbing it, so it was
	// used when that office's load is recorded (or mixed with recorded).
	source := map[string]string{}
	for _, o := range rows {
		source[o.ID] = o.LoadSource
	}
	for _, o := range rows {
		if o.Status == reports.Closed {
			source[o.ID] = demandSource(in)
			if s := source[o.AbsorbedBy]; s == reports.LoadFromRecorded || s == "mixed" {
				source[o.ID] = reports.LoadFromRecorded
			}
		}
	}
	for _, o := range ds.Offices {
		if s, listed := source[o.ID]; o.DossiersPerYear > 0 && listed && s != reports.LoadFromRecorded {
			a.RecordedUnused++
		}
	}
	if p := in.Plan; p != nil {
		// optimize's stopped_by values for a search cut short
		if s := p.Summary.StoppedBy; s == "time limit" || s == "work budget" {
			a.StoppedBy, a.GapPct = s, p.Summary.GapPct
		}
		for _, e := range p.Summary.Excluded {
			a.ExcludedResidents += int64(math.Round(e.Residents))
			a.ExcludedCommunes++
		}
	}
	return a
}

// demandSource is where the run's demand came from, for every office
// alike: the dossier log's per-commune volumes or per-capita rates (recorded
// office counts are not read into demand today).
func demandSource(in ReportInput) string {
	if in.DemandFromLog {
		return reports.LoadFromLog
	}
	return reports.LoadFromRate
}

// curveOf is the plan's trade-off curve with the adopted plan marked, in
// the optimizer's own minutes (plan.json curve and mean_minutes_after) so
// the mark sits on the curve's scale; nil without a curve.
func curveOf(p *optimize.Plan) *reports.Curve {
	if p == nil || len(p.Curve) == 0 {
		return nil
	}
	c := &reports.Curve{Chosen: reports.CurvePoint{Offices: p.Summary.OfficesAfter, MeanMinutes: p.MinutesAfter, CoveredShare: p.CoveredAfter}}
	for _, q := range p.Curve {
		c.Points = append(c.Points, reports.CurvePoint{Offices: q.P, MeanMinutes: q.MeanMinutes, CoveredShare: q.CoveredShare})
	}
	return c
}

// fillLoad copies an office's load check into its row: both measures
// (productivity against the norm, peak occupancy and waits), the queue
// minimum against the staffing standard, and where the load came from.
func fillLoad(o *reports.OfficeRow, load map[string]dossier.OfficeLoad, source string) {
	l, ok := load[o.ID]
	if !ok {
		return
	}
	o.Dossiers = float64(l.Dossiers)
	o.Norm = l.Norm
	if l.Staff > 0 && l.Norm > 0 {
		o.ProductivityVsNorm = float64(l.Dossiers) / (float64(l.Staff) * l.Norm)
	}
	o.PeakOccupancy = finiteShare(l.PeakOccupancy)
	o.WaitErlangMin = finite(l.WaitMin)
	o.WaitSimMeanMin = finite(l.WaitSimMeanMin)
	o.QueueMinStaff = l.MinStaff
	o.StaffStandard = l.StaffStandard // floor(dossiers / norm), as load.json and plan.json state it
	o.LoadSource = source
	if ls := l.LoadSource.String(); ls != "" {
		o.LoadSource = ls // the office's own source (recorded, log, rate, mixed)
	}
	o.Flag = string(l.Flag)
}

// finiteShare keeps a peak occupancy for the report; above 1 (more work
// than the counters can serve) stays as it is, and an undefined one (no
// counters: infinite) is 0, unknown, since the wait already shows "∞".
func finiteShare(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

func officeID(res *coverage.Result, cell int) string {
	o := res.OfficeByTime[cell]
	if o < 0 {
		o = res.OfficeByDistance[cell]
	}
	if o < 0 {
		return ""
	}
	return res.Offices[o].ID
}

// minutes is the cell's travel time; a cell no office can be reached from
// by road counts as unreachableMinutes, so it stays visible as a very long
// trip in means and histograms rather than vanishing from them.
func minutes(res *coverage.Result, cell int) float64 {
	m := res.Minutes[cell]
	if math.IsNaN(m) || math.IsInf(m, 0) {
		return unreachableMinutes
	}
	return m
}

// unreachableMinutes stands for "no road to any office" in the report's
// statistics (which need a number); it is far beyond any access rule.
const unreachableMinutes = 240

// finite records an unstable queue's infinite wait as reports.UnstableWait.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v > reports.UnstableWait {
		return reports.UnstableWait
	}
	return v
}
