package coverage

import (
	"context"
	"fmt"
	"math"

	"github.com/onestop/onestop/coverage/route"
)

// Road is the travel model on a road network: a place reaches the network
// at its nearest road node (within SnapMeters) by an off-road leg of
// straight-line metres × Circuity at AccessKmh, then travels the
// network's timed arcs. Times run resident → office, so one-way streets
// count in the direction residents drive.
type Road struct {
	g *route.Graph
	t Travel
}

// NewRoad checks t and returns the road model over g.
func NewRoad(g *route.Graph, t Travel) (*Road, error) {
	if g == nil || g.NumNodes() == 0 {
		return nil, fmt.Errorf("coverage: the road network has no nodes; check the roads file or drop it to use the straight-line model")
	}
	if err := t.validate(); err != nil {
		return nil, err
	}
	if !(t.SnapMeters > 0) || math.IsInf(t.SnapMeters, 0) {
		return nil, fmt.Errorf("coverage: travel SnapMeters = %v; it must be a positive number of metres", t.SnapMeters)
	}
	if !(t.AccessKmh > 0) || math.IsInf(t.AccessKmh, 0) {
		return nil, fmt.Errorf("coverage: travel AccessKmh = %v; it must be a positive speed", t.AccessKmh)
	}
	return &Road{g: g, t: t}, nil
}

// Name implements TravelModel.
func (m *Road) Name() string { return "road" }

// Settings implements TravelModel.
func (m *Road) Settings() map[string]float64 {
	return map[string]float64{
		"snap_meters": m.t.SnapMeters,
		"access_kmh":  m.t.AccessKmh,
		"circuity":    m.t.Circuity,
		"road_nodes":  float64(m.g.NumNodes()),
	}
}

// accessSeconds is the time of the off-road leg of a snap.
func (m *Road) accessSeconds(meters float64) float64 {
	return meters / 1000 * m.t.Circuity / m.t.AccessKmh * 3600
}

// Bind implements TravelModel: it snaps every cell centre once.
func (m *Road) Bind(ctx context.Context, idx *Index) (BoundModel, error) {
	n := len(idx.Cells)
	b := &roadBound{m: m, node: make([]int32, n), access: make([]float64, n)}
	count := make([]int32, m.g.NumNodes()+1)
	for i, c := range idx.Cells {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("coverage: snap cells to roads: %w", err)
			}
		}
		v, meters, ok := m.g.Nearest([2]float64{c.Lon, c.Lat}, m.t.SnapMeters)
		if !ok {
			b.node[i] = -1
			b.unplaced++
			continue
		}
		b.node[i], b.access[i] = v, m.accessSeconds(meters)
		count[v+1]++
	}
	// Cells per road node in compressed-row form, for the bounded
	// searches of candidate sets, which discover nodes, not cells.
	for v := 1; v < len(count); v++ {
		count[v] += count[v-1]
	}
	b.start = count
	b.cells = make([]int32, b.start[len(b.start)-1])
	fill := make([]int32, m.g.NumNodes())
	for i, v := range b.node {
		if v >= 0 {
			b.cells[b.start[v]+fill[v]] = int32(i)
			fill[v]++
		}
	}
	return b, nil
}

type roadBound struct {
	m        *Road
	node     []int32   // road node of each cell; -1 when unplaced
	access   []float64 // seconds of each cell's off-road leg
	start    []int32   // cells of node v: cells[start[v]:start[v+1]]
	cells    []int32
	unplaced int
}

func (b *roadBound) Unplaced() int { return b.unplaced }

// snap places a site on the network.
func (b *roadBound) snap(s Site) (route.Source, bool) {
	v, meters, ok := b.m.g.Nearest(s.Point, b.m.t.SnapMeters)
	if !ok {
		return route.Source{}, false
	}
	return route.Source{Node: v, Seconds: b.m.accessSeconds(meters)}, true
}

// NearestByTime runs one reverse multi-source Dijkstra from all sites, so
// every node learns its time to the quickest site.
func (b *roadBound) NearestByTime(ctx context.Context, sites []Site) ([]float64, []int32, error) {
	sources := make([]route.Source, len(sites))
	for i, s := range sites {
		src, ok := b.snap(s)
		if !ok {
			return nil, nil, fmt.Errorf("coverage: %s at %.6f,%.6f is farther than %.0f m from every road node; move it onto the road network or raise the snap distance", s.Name, s.Point[0], s.Point[1], b.m.t.SnapMeters)
		}
		sources[i] = src
	}
	nn := b.m.g.NumNodes()
	secs := make([]float64, nn)
	origin := make([]int32, nn)
	if len(sources) > 0 {
		if err := b.m.g.MultiSourceReverse(ctx, sources, secs, origin); err != nil {
			return nil, nil, fmt.Errorf("coverage: road times: %w", err)
		}
	} else {
		for v := range secs {
			secs[v], origin[v] = math.Inf(1), -1
		}
	}
	minutes := make([]float64, len(b.node))
	site := make([]int32, len(b.node))
	for i, v := range b.node {
		if v < 0 || math.IsInf(secs[v], 1) || origin[v] < 0 {
			minutes[i], site[i] = math.NaN(), -1
			continue
		}
		minutes[i] = (secs[v] + b.access[i]) / 60
		site[i] = origin[v]
	}
	return minutes, site, nil
}

func (b *roadBound) NewReacher() Reacher {
	s := b.m.g.NewSearcher()
	return func(site Site, maxMinutes float64, visit func(int32, float64)) bool {
		src, ok := b.snap(site)
		if !ok {
			return false
		}
		cutoff := maxMinutes * 60
		s.Reach(src.Node, src.Seconds, cutoff, true, func(v int32, secs float64) {
			for _, c := range b.cells[b.start[v]:b.start[v+1]] {
				if t := secs + b.access[c]; t <= cutoff {
					visit(c, t/60)
				}
			}
		})
		return true
	}
}
