package route

import (
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/data/roads"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

// gonumGraph converts a network to gonum's weighted digraph with the same
// millisecond weights; parallel arcs collapse to the cheapest one.
func gonumGraph(net *roads.Network, reverse bool) *simple.WeightedDirectedGraph {
	gg := simple.NewWeightedDirectedGraph(0, math.Inf(1))
	for v := range net.Nodes {
		gg.AddNode(simple.Node(v))
	}
	for _, a := range net.Arcs {
		if a.From == a.To {
			continue // gonum's simple graphs reject self-loops; they never shorten a path
		}
		from, to := int64(a.From), int64(a.To)
		if reverse {
			from, to = to, from
		}
		w := float64(toMillis(float64(a.Seconds)))
		if e := gg.WeightedEdge(from, to); e != nil && e.Weight() <= w {
			continue
		}
		gg.SetWeightedEdge(gg.NewWeightedEdge(simple.Node(from), simple.Node(to), w))
	}
	return gg
}

// An independent implementation as a second reference.
func TestDijkstraMatchesGonum(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		net := randomNetwork(seed, 400, 1600)
		g := New(net)
		for _, reverse := range []bool{false, true} {
			gg := gonumGraph(net, reverse)
			for _, src := range []int32{0, 17, 399} {
				sh := path.DijkstraFrom(simple.Node(src), gg)
				secs := make([]float64, 400)
				origin := make([]int32, 400)
				run := g.MultiSource
				if reverse {
					run = g.MultiSourceReverse
				}
				if err := run(context.Background(), []Source{{src, 0}}, secs, origin); err != nil {
					t.Fatal(err)
				}
				for v := range secs {
					want := sh.WeightTo(int64(v)) / 1000
					if secs[v] != want {
						t.Fatalf("seed %d reverse=%v src %d node %d: ours %v, gonum %v", seed, reverse, src, v, secs[v], want)
					}
				}
			}
		}
	}
}
