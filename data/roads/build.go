package roads

import (
	"context"
	"fmt"

	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// builder collects arcs between provisional node ids; finish keeps the
// largest strongly connected component and renumbers densely.
type builder struct {
	nodes []orb.Point
	arcs  []Arc
	way   []int32 // way index of each arc, to count the ways that survive
}

// addRoad adds the segments of one road (consecutive node ids) in the
// direction(s) given by dir (1 forward, -1 backward, 0 both).
func (b *builder) addRoad(ids []int32, c Class, kmh float64, dir int, way int32) {
	mps := kmh / 3.6
	for i := 1; i < len(ids); i++ {
		u, v := ids[i-1], ids[i]
		if u == v || u < 0 || v < 0 {
			continue
		}
		m := earth.Distance(b.nodes[u], b.nodes[v])
		s := m / mps
		if dir >= 0 {
			b.arcs = append(b.arcs, Arc{From: u, To: v, Meters: float32(m), Seconds: float32(s), Class: c})
			b.way = append(b.way, way)
		}
		if dir <= 0 {
			b.arcs = append(b.arcs, Arc{From: v, To: u, Meters: float32(m), Seconds: float32(s), Class: c})
			b.way = append(b.way, way)
		}
	}
}

// finish keeps the largest strongly connected component: outside it some
// trips have no return, which would make coverage times meaningless.
// Surviving nodes are numbered along a Hilbert curve (ties by provisional
// order), so nodes close on the map are close in memory and Dijkstra's
// working set stays in cache; the order depends only on the input.
func (b *builder) finish(ctx context.Context, name, profile string) (*Network, error) {
	if len(b.arcs) == 0 {
		return nil, fmt.Errorf("roads: %s has no roads usable by profile %s (check the highway field and the profile)", name, normProfile(profile))
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("roads: %s: %w", name, err)
	}
	keep := largestSCC(len(b.nodes), b.arcs)
	var order []int32
	for v := range b.nodes {
		if keep[v] {
			order = append(order, int32(v))
		}
	}
	hilbertSort(b.nodes, order)
	newID := make([]int32, len(b.nodes))
	for i := range newID {
		newID[i] = -1
	}
	net := &Network{Source: name, Profile: normProfile(profile), Nodes: make([]orb.Point, len(order))}
	for i, v := range order {
		newID[v] = int32(i)
		net.Nodes[i] = b.nodes[v]
	}
	// Only nodes that carried an arc count as dropped: bare coordinates
	// never were part of the road graph.
	used := make([]bool, len(b.nodes))
	for _, a := range b.arcs {
		used[a.From], used[a.To] = true, true
	}
	for v, u := range used {
		if u && !keep[v] {
			net.DroppedNodes++
		}
	}
	net.Arcs = make([]Arc, 0, len(b.arcs))
	lastWay := int32(-1)
	for i, a := range b.arcs {
		if !keep[a.From] || !keep[a.To] {
			continue
		}
		a.From, a.To = newID[a.From], newID[a.To]
		net.Arcs = append(net.Arcs, a)
		if w := b.way[i]; w != lastWay { // arcs of a way are contiguous
			net.Ways++
			lastWay = w
		}
	}
	return net, nil
}
