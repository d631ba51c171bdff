// Package route answers travel-time questions on a road network: one-to-all
// and multi-source Dijkstra, cutoff-bounded searches for reach sets, and
// snapping points to the nearest road node.
//
// The graph is stored as compressed sparse rows (CSR) in both directions.
// Arc weights are whole milliseconds (uint32): rounding error is at most
// 0.5 ms per arc, far below anything that could move a 30-minute threshold,
// and integer keys make the heap compact and the results reproducible.
package route

import (
	"fmt"
	"math"
	"slices"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// Graph is an immutable routing graph; it is safe for concurrent use.
type Graph struct {
	pts []orb.Point

	// Forward CSR: arcs leaving v are fwd[off[v]:off[v+1]].
	off    []int32
	fwd    []arc
	meters []float32 // parallel to fwd

	// Reverse CSR: arcs entering v, each holding its tail.
	roff []int32
	rev  []arc

	// Shape points contracted away, per direction (nil: not applicable).
	cfwd, crev *chains

	grid grid
}

// arc packs head and weight so that relaxing an arc touches one cache line.
type arc struct {
	head int32
	w    uint32 // milliseconds
}

// New builds the CSR graph from a network. Arcs of a node keep the
// network's order, so the same network always gives the same graph.
// Networks from the roads loaders are always valid; New panics on one that
// fails roads.Network.Validate — use NewChecked for hand-built networks.
func New(net *roads.Network) *Graph {
	g, err := NewChecked(net)
	if err != nil {
		panic(err)
	}
	return g
}

// NewChecked is New returning an error for an invalid network.
func NewChecked(net *roads.Network) (*Graph, error) {
	if err := net.Validate(); err != nil {
		return nil, fmt.Errorf("route: %w", err)
	}
	n := len(net.Nodes)
	g := &Graph{pts: slices.Clone(net.Nodes)}
	g.off = make([]int32, n+1)
	g.roff = make([]int32, n+1)
	for _, a := range net.Arcs {
		g.off[a.From+1]++
		g.roff[a.To+1]++
	}
	for i := 0; i < n; i++ {
		g.off[i+1] += g.off[i]
		g.roff[i+1] += g.roff[i]
	}
	m := len(net.Arcs)
	g.fwd = make([]arc, m)
	g.meters = make([]float32, m)
	g.rev = make([]arc, m)
	pos := make([]int32, n)
	rpos := make([]int32, n)
	copy(pos, g.off[:n])
	copy(rpos, g.roff[:n])
	for _, a := range net.Arcs {
		ms := toMillis(float64(a.Seconds))
		i := pos[a.From]
		pos[a.From]++
		g.fwd[i], g.meters[i] = arc{a.To, ms}, a.Meters
		j := rpos[a.To]
		rpos[a.To]++
		g.rev[j] = arc{a.From, ms}
	}
	g.cfwd = newChains(g.off, g.fwd, g.roff, g.rev)
	g.crev = newChains(g.roff, g.rev, g.off, g.fwd)
	g.grid = newGrid(g.pts)
	return g, nil
}

// toMillis rounds seconds to milliseconds, saturating instead of wrapping.
func toMillis(s float64) uint32 {
	if !(s > 0) {
		return 0
	}
	ms := math.Round(s * 1000)
	if ms >= maxMillis {
		return maxMillis
	}
	return uint32(ms)
}

// maxMillis bounds any single arc or start offset (~12 days) so that sums of
// a few of them cannot overflow the 32-bit distance field of heap keys.
const maxMillis = 1 << 30

// NumNodes returns the number of nodes.
func (g *Graph) NumNodes() int { return len(g.pts) }

// NumArcs returns the number of directed arcs.
func (g *Graph) NumArcs() int { return len(g.fwd) }

// Point returns the lon/lat of node v.
func (g *Graph) Point(v int32) orb.Point { return g.pts[v] }
