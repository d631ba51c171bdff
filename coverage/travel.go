package coverage

import (
	"context"
	"fmt"
	"math"

	"github.com/onestop/onestop/data"
)

// Travel holds the speeds and factors of the travel models. Defaults
// (DefaultTravel) follow /work/shared/DOMAIN.md "Travel": the motorbike is
// the everyday mode, urban traffic about 20–25 km/h door to door, rural
// roads 30–40 km/h, and straight lines understate road distance by a
// circuity factor of 1.2–1.4.
type Travel struct {
	// Kmh is the straight-line model's door-to-door speed by the area
	// class of the cell's commune (remote: poorer roads than rural).
	Kmh      data.ByClass[float64]
	Circuity float64 // road km per straight-line km; also lengthens the off-road leg
	// SnapMeters is the road model's longest straight line from a cell
	// centre or an office to its nearest road node; beyond it the place is
	// not on the network.
	SnapMeters float64
	// AccessKmh is the road model's speed of the off-road leg between a
	// place and its road node (walking a motorbike down an alley, a track).
	AccessKmh float64
}

// DefaultTravel returns the motorbike defaults.
func DefaultTravel() Travel {
	return Travel{
		Kmh:        data.ByClass[float64]{Urban: 22, Rural: 35, Remote: 30},
		Circuity:   1.3,
		SnapMeters: 2000,
		AccessKmh:  10,
	}
}

func (t Travel) validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"Kmh.Urban", t.Kmh.Urban}, {"Kmh.Rural", t.Kmh.Rural}, {"Kmh.Remote", t.Kmh.Remote}, {"Circuity", t.Circuity}} {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("coverage: travel %s = %v; it must be a positive number", f.name, f.v)
		}
	}
	if t.Circuity < 1 {
		return fmt.Errorf("coverage: travel Circuity = %v; roads are never shorter than the straight line, use >= 1", t.Circuity)
	}
	return nil
}

// TravelModel turns places into travel minutes. The straight-line and the
// road model implement it; Evaluate and CandidateSets work with either.
type TravelModel interface {
	// Name is "straight-line" or "road"; it appears in summary.json.
	Name() string
	// Settings are the numbers the model runs with, for summary.json.
	Settings() map[string]float64
	// Bind prepares the model for the cells of idx (the road model snaps
	// every cell to the network once here).
	Bind(ctx context.Context, idx *Index) (BoundModel, error)
}

// BoundModel is a travel model prepared for one index. It is safe for
// concurrent use; each goroutine takes its own Reacher.
type BoundModel interface {
	// NearestByTime returns, for every cell, the minutes from the cell to
	// the quickest site and that site's position in sites; unreachable
	// cells get NaN and -1. A site the model cannot place is an error
	// naming it.
	NearestByTime(ctx context.Context, sites []Site) (minutes []float64, site []int32, err error)
	// Unplaced is the number of cells the model cannot place (road model:
	// no road node within SnapMeters); they are unreachable from any site.
	Unplaced() int
	// NewReacher returns a function that calls visit for every cell whose
	// travel minutes to site are at most maxMinutes, in no particular
	// order, and reports whether the site could be placed at all.
	NewReacher() Reacher
}

// Reacher enumerates the cells within a travel-time cutoff of one site.
// It is not safe for concurrent use.
type Reacher func(site Site, maxMinutes float64, visit func(cell int32, minutes float64)) (placed bool)

// StraightLine is the travel model for datasets without roads: minutes =
// great-circle km × Circuity ÷ speed of the cell's area class.
type StraightLine struct {
	t Travel
}

// NewStraightLine checks t and returns the straight-line model.
func NewStraightLine(t Travel) (*StraightLine, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	return &StraightLine{t: t}, nil
}

// Name implements TravelModel.
func (m *StraightLine) Name() string { return "straight-line" }

// Settings implements TravelModel.
func (m *StraightLine) Settings() map[string]float64 {
	return map[string]float64{
		"urban_kmh":  m.t.Kmh.Urban,
		"rural_kmh":  m.t.Kmh.Rural,
		"remote_kmh": m.t.Kmh.Remote,
		"circuity":   m.t.Circuity,
	}
}

// Bind implements TravelModel.
func (m *StraightLine) Bind(_ context.Context, idx *Index) (BoundModel, error) {
	b := &straightBound{idx: idx, t: m.t, minPerKm: make([]float64, len(idx.Cells))}
	for i, c := range idx.Cells {
		b.minPerKm[i] = 60 * m.t.Circuity / m.t.Kmh.For(idx.Communes[c.Commune].Class)
	}
	b.maxKmh = math.Max(m.t.Kmh.Urban, math.Max(m.t.Kmh.Rural, m.t.Kmh.Remote))
	return b, nil
}

type straightBound struct {
	idx      *Index
	t        Travel
	minPerKm []float64 // minutes per straight-line km, per cell
	maxKmh   float64
}

func (b *straightBound) Unplaced() int { return 0 }

// distanceRanked is implemented by bound models whose quickest site is
// always the nearest in straight line; Evaluate then derives minutes from
// its distance search instead of searching twice.
type distanceRanked interface {
	minutesForKm(cell int, km float64) float64
}

func (b *straightBound) minutesForKm(cell int, km float64) float64 { return km * b.minPerKm[cell] }

// NearestByTime: a cell's speed does not depend on the site, so the
// quickest site is the nearest one in straight line.
func (b *straightBound) NearestByTime(ctx context.Context, sites []Site) ([]float64, []int32, error) {
	minutes := make([]float64, len(b.idx.Cells))
	site := make([]int32, len(b.idx.Cells))
	if len(sites) == 0 {
		for i := range minutes {
			minutes[i], site[i] = math.NaN(), -1
		}
		return minutes, site, nil
	}
	si := newSiteIndex(sites, b.idx.maxAbsLat())
	for i, c := range b.idx.Cells {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("coverage: straight-line times: %w", err)
			}
		}
		s, km := si.nearest(c.Lon, c.Lat)
		minutes[i], site[i] = km*b.minPerKm[i], s
	}
	return minutes, site, nil
}

func (b *straightBound) NewReacher() Reacher {
	return func(site Site, maxMinutes float64, visit func(int32, float64)) bool {
		r := maxMinutes / 60 * b.maxKmh / b.t.Circuity
		b.idx.grid().within(site.Point[0], site.Point[1], r, func(c int32, km float64) {
			if m := km * b.minPerKm[c]; m <= maxMinutes {
				visit(c, m)
			}
		})
		return true
	}
}

// maxAbsLat is the largest |latitude| of any cell centre.
func (x *Index) maxAbsLat() float64 {
	m := 0.0
	for _, c := range x.Cells {
		m = math.Max(m, math.Abs(c.Lat))
	}
	return m
}
