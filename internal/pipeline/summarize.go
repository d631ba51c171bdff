package pipeline

import (
	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
)

// NetSummary is one network's block of summary.json ("before" and
// "after"). It is exported so that `onestop serve` answers /api/evaluate
// with exactly the keys `onestop plan` writes: a key renamed or added in
// the plan's summary shows up in the API without a second definition.
type NetSummary = netSummary

// SummarizeNetwork is the summary.json block of network n, whose coverage
// is res and load check l (the function `onestop plan` uses for "after").
func SummarizeNetwork(n optimize.Network, res *coverage.Result, l *dossier.Result) NetSummary {
	return networkSummary(n, res, l)
}

// ScenarioTravel, ScenarioLoadParams and ScenarioOptimizeParams are the
// settings a plan run derives from a scenario, for callers that rebuild
// one of its steps (the planning server) without running the whole plan.
func ScenarioTravel(sc *scenario.Scenario) coverage.Travel { return travelOf(sc) }

// ScenarioLoadParams: see ScenarioTravel.
func ScenarioLoadParams(sc *scenario.Scenario) LoadParams { return loadParamsOf(sc) }

// ScenarioOptimizeParams: see ScenarioTravel.
func ScenarioOptimizeParams(sc *scenario.Scenario) OptimizeParams { return optimizeParamsOf(sc) }
