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
		fillLoad(o, load)
	}
	for _, o := range in.After.Offices {
		if known[o.ID] {
			continue
		}
		row := reports.OfficeRow{ID: o.ID, Name: o.Name, Kind: o.Kind, Lon: o.Location[0], Lat: o.Location[1],
			Commune: o.Commune, Status: reports.New, StaffAfter: o.Staff}
		fillLoad(&row, load)
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
		r.Before.OfficesOverWait = overWait(in.BeforeLoad, r.Targets.WaitMinutes)
	}
	if in.AfterLoad != nil {
		r.After.OfficesOverWait = overWait(in.AfterLoad, r.Targets.WaitMinutes)
	}
	return r
}

func fillLoad(o *reports.OfficeRow, load map[string]dossier.OfficeLoad) {
	l, ok := load[o.ID]
	if !ok {
		return
	}
	o.Dossiers = float64(l.Dossiers)
	o.Norm = l.Norm
	if l.Staff > 0 && l.Norm > 0 {
		o.Utilisation = float64(l.Dossiers) / (float64(l.Staff) * l.Norm)
	}
	o.WaitErlangMin = finite(l.WaitMin)
	o.WaitSimMeanMin = finite(l.WaitSimMeanMin)
	o.Flag = string(l.Flag)
}

// overWait counts offices whose mean wait (simulated, else Erlang C) exceeds target.
func overWait(r *dossier.Result, target float64) int {
	n := 0
	for _, l := range r.Offices {
		w := l.WaitSimMeanMin
		if r.Options.SkipSimulation {
			w = l.WaitMin
		}
		if w > target {
			n++
		}
	}
	return n
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
