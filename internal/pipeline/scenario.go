package pipeline

import (
	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/scenario"
)

// travelOf is the scenario's travel settings over the coverage defaults.
func travelOf(sc *scenario.Scenario) coverage.Travel {
	t := coverage.DefaultTravel()
	set := func(dst *float64, v float64) {
		if v > 0 {
			*dst = v
		}
	}
	set(&t.Circuity, sc.Travel.Circuity)
	set(&t.Kmh.Urban, sc.Travel.SpeedsKmh[string(data.Urban)])
	set(&t.Kmh.Rural, sc.Travel.SpeedsKmh[string(data.Rural)])
	set(&t.Kmh.Remote, sc.Travel.SpeedsKmh[string(data.Remote)])
	set(&t.AccessKmh, sc.Travel.AccessKmh)
	set(&t.SnapMeters, sc.Travel.MaxSnapM)
	return t
}

func loadParamsOf(sc *scenario.Scenario) LoadParams {
	p := LoadParams{
		BoundaryFree:  sc.Dossiers.BoundaryFreeShare,
		WaitTargetMin: sc.Dossiers.WaitTargetMin,
		Seed:          sc.Seed,
		Norms:         classMap(sc.Dossiers.Norms),
		Rates:         classMap(sc.Dossiers.Rates),
		LogSample:     sc.Dossiers.LogSample,
		Growth:        sc.Dossiers.Growth,
		// Premises bound every load check of the run, not only the plan's.
		MaxStaffPerPoint:    sc.Optimize.MaxStaffPerPoint,
		MaxCountersPerPoint: sc.Optimize.MaxCountersPerPoint,
		CountersFixed:       sc.Optimize.CountersFixed,
	}
	if sc.Dossiers.Log != "" {
		p.Log = sc.Resolve(sc.Dossiers.Log)
	}
	return p
}

func optimizeParamsOf(sc *scenario.Scenario) OptimizeParams {
	o := sc.Optimize
	p := OptimizeParams{
		Model: o.Model, P: o.P, Scope: o.Scope, TargetShare: o.TargetShare,
		TimeLimit: o.TimeLimit.Duration, Work: o.Work, MaxStaffPerPoint: o.MaxStaffPerPoint, MaxCountersPerPoint: o.MaxCountersPerPoint,
		Uncoverable: o.Uncoverable, Load: loadParamsOf(sc), CountersFixed: o.CountersFixed,
		ForceOpen: o.ForceOpen, Curve: o.Curve, CurveMax: o.CurveMax,
		CandidateResolution: o.CandidateResolution, CandidateSpacingM: o.CandidateSpacingM,
	}
	if o.Candidates != "" {
		p.Candidates = sc.Resolve(o.Candidates)
	}
	if o.ExportLP != "" {
		p.ExportLP = o.ExportLP
	}
	return p
}

func classMap(m map[string]float64) map[data.AreaClass]float64 {
	if len(m) == 0 {
		return nil
	}
	out := make(map[data.AreaClass]float64, len(m))
	for k, v := range m {
		out[data.AreaClass(k)] = v
	}
	return out
}
