// Package pipeline wires the engines for the CLI: it picks the travel model
// of a dataset, runs coverage, the optimizer and the dossier check, and
// turns their results into the report's view model. It holds no algorithm
// of its own.
package pipeline

import (
	"fmt"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data"
)

// TravelModel returns the road model when the dataset has roads, else the
// straight-line model, both with travel settings t.
func TravelModel(ds *data.Dataset, t coverage.Travel) (coverage.TravelModel, *route.Graph, error) {
	if ds.Roads == nil || len(ds.Roads.Arcs) == 0 {
		m, err := coverage.NewStraightLine(t)
		if err != nil {
			return nil, nil, fmt.Errorf("straight-line travel model: %w", err)
		}
		return m, nil, nil
	}
	g := route.New(ds.Roads)
	m, err := coverage.NewRoad(g, t)
	if err != nil {
		return nil, nil, fmt.Errorf("road travel model on %s: %w", ds.Roads.Source, err)
	}
	return m, g, nil
}
