// Package coverage decides, for every populated place of a province, how
// long and how far it is to the nearest open one-stop office and whether
// its residents are covered by the access rule (30 minutes or 5 km by
// default). Places are H3 cells filled into commune polygons; travel is
// timed by a road network when the dataset has one, else by straight lines
// at area-class speeds. The optimizer and the dossier engine build on the
// per-cell results and on candidate coverage sets; the CLI writes them out.
// docs/coverage.md describes the rule, the models and every output column.
package coverage

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/onestop/onestop/data"
)

// Result is the coverage of one set of open offices. The per-cell slices
// are parallel to Index.Cells; office numbers index Offices.
type Result struct {
	Rule     Rule
	Model    string
	Settings map[string]float64
	Offices  []data.Office

	Minutes          []float64 // travel minutes to the quickest office; NaN when unreachable
	OfficeByTime     []int32   // quickest office; -1 when unreachable
	Km               []float64 // straight-line km to the nearest office
	OfficeByDistance []int32
	Met              []Met
	Covered          []bool

	// UnreachableCells are cells no office can be reached from (road
	// model: off the network or on an island); UnplacedCells are those of
	// them farther than SnapMeters from any road.
	UnreachableCells int
	UnplacedCells    int

	Province  Aggregate
	Districts []Aggregate // in Index.Districts order, then districts only named by communes, by code
	Communes  []Aggregate // in Index.Communes order
}

// Evaluate times every cell of idx to the offices by model and applies
// rule. All offices given are open.
func Evaluate(ctx context.Context, idx *Index, offices []data.Office, model TravelModel, rule Rule) (*Result, error) {
	if idx == nil || model == nil {
		return nil, fmt.Errorf("coverage: Evaluate needs an index and a travel model")
	}
	if len(offices) == 0 {
		return nil, fmt.Errorf("coverage: no open offices to evaluate; the offices file must list at least one office (or pass candidate offices)")
	}
	rule, err := rule.validate()
	if err != nil {
		return nil, err
	}
	sites, err := officeSites(offices)
	if err != nil {
		return nil, err
	}
	bound, err := model.Bind(ctx, idx)
	if err != nil {
		return nil, err
	}
	n := len(idx.Cells)
	km := make([]float64, n)
	byDist := make([]int32, n)
	si := newSiteIndex(sites, idx.maxAbsLat())
	// Cells are independent: split over the cores, results by position.
	parallelFor(ctx, n, runtime.GOMAXPROCS(0), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			byDist[i], km[i] = si.nearest(idx.Cells[i].Lon, idx.Cells[i].Lat)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("coverage: evaluate: %w", err)
	}
	var minutes []float64
	var byTime []int32
	if dr, ok := bound.(distanceRanked); ok {
		minutes, byTime = make([]float64, n), slices.Clone(byDist)
		for i := range minutes {
			minutes[i] = dr.minutesForKm(i, km[i])
		}
	} else if minutes, byTime, err = bound.NearestByTime(ctx, sites); err != nil {
		return nil, err
	}

	res := &Result{
		Rule:             rule,
		Model:            model.Name(),
		Settings:         model.Settings(),
		Offices:          offices,
		Minutes:          minutes,
		OfficeByTime:     byTime,
		Km:               km,
		OfficeByDistance: byDist,
		Met:              make([]Met, n),
		Covered:          make([]bool, n),
		UnplacedCells:    bound.Unplaced(),
	}
	for i := range idx.Cells {
		if math.IsNaN(minutes[i]) {
			res.UnreachableCells++
		}
		res.Met[i] = rule.met(minutes[i], km[i])
		res.Covered[i] = rule.covers(res.Met[i])
	}
	res.aggregate(idx)
	return res, nil
}

func officeSites(offices []data.Office) ([]Site, error) {
	sites := make([]Site, len(offices))
	seen := make(map[string]int, len(offices))
	for i, o := range offices {
		if prev, dup := seen[o.ID]; dup && o.ID != "" {
			return nil, fmt.Errorf("coverage: office %d (id %q, %s) has the same id as office %d; give every office a unique id", i+1, o.ID, o.Name, prev+1)
		}
		seen[o.ID] = i
		p := o.Location
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			return nil, fmt.Errorf("coverage: office %d (id %q, %s): location %v is not lon/lat in degrees; fix its lon/lat", i+1, o.ID, o.Name, p)
		}
		sites[i] = Site{Name: fmt.Sprintf("office %d (id %q, %s)", i+1, o.ID, o.Name), Point: p}
	}
	return sites, nil
}
