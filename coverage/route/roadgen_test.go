package route

import (
	"math/rand/v2"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// roadBuilder makes graphs shaped like OSM roads: junctions joined by roads
// whose shape points become degree-2 nodes, one-way or two-way, so that the
// chain contraction is exercised (plain random graphs have few such nodes).
type roadBuilder struct {
	net *roads.Network
}

func (b *roadBuilder) node() int32 {
	i := len(b.net.Nodes)
	b.net.Nodes = append(b.net.Nodes, orb.Point{106.6 + float64(i%97)*1e-3, 11.0 + float64(i/97)*1e-3})
	return int32(i)
}

// road joins from and to through len(segs)-1 new shape points; segs are
// the segment times in seconds.
func (b *roadBuilder) road(from, to int32, segs []float32, twoWay bool) {
	path := []int32{from}
	for range len(segs) - 1 {
		path = append(path, b.node())
	}
	path = append(path, to)
	for i, s := range segs {
		b.net.Arcs = append(b.net.Arcs, roads.Arc{From: path[i], To: path[i+1], Seconds: s})
		if twoWay {
			b.net.Arcs = append(b.net.Arcs, roads.Arc{From: path[i+1], To: path[i], Seconds: s})
		}
	}
}

// roadNetwork returns a random road-like network with junctions, roads of
// up to five segments, loops back to the same junction, and rings made of
// shape points only.
func roadNetwork(seed uint64, junctions, nroads int) *roads.Network {
	rng := rand.New(rand.NewPCG(seed, 77))
	b := &roadBuilder{net: &roads.Network{}}
	for range junctions {
		b.node()
	}
	segs := func() []float32 {
		s := make([]float32, 1+rng.IntN(5))
		for i := range s {
			s[i] = float32(rng.Float64() * 120)
			if rng.IntN(15) == 0 {
				s[i] = 0
			}
		}
		return s
	}
	for range nroads {
		from, to := int32(rng.IntN(junctions)), int32(rng.IntN(junctions))
		b.road(from, to, segs(), rng.IntN(10) < 7)
	}
	for range 1 + rng.IntN(2) { // a ring of shape points only
		first := b.node()
		b.road(first, first, segs(), rng.IntN(2) == 0)
	}
	return b.net
}
