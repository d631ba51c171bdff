package route

import (
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/data/roads"
)

// FuzzDijkstra decodes bytes into a small graph (node count, then triples
// from/to/weight) and checks both directions of MultiSource and Within
// (and Reach) against Bellman-Ford.
func FuzzDijkstra(f *testing.F) {
	f.Add([]byte{4, 0, 1, 10, 1, 2, 20, 2, 3, 5, 3, 0, 1})
	f.Add([]byte{1, 0, 0, 0})
	f.Add([]byte{6, 0, 1, 0, 1, 0, 0, 2, 3, 255, 3, 4, 1, 4, 2, 9, 5, 5, 7})
	f.Add([]byte{20})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		// Each triple is a road between two of the first k nodes; its weight
		// byte also picks two-way roads and shape points, so that stretches
		// and their contraction get fuzzed too.
		k := int(data[0])%32 + 1
		b := &roadBuilder{net: &roads.Network{}}
		for range k {
			b.node()
		}
		for i := 1; i+2 < len(data); i += 3 {
			w := data[i+2]
			segs := make([]float32, 1+int(w)%3)
			for j := range segs {
				segs[j] = float32(w) * 1.37 / float32(len(segs)) * float32(j+1)
			}
			b.road(int32(int(data[i])%k), int32(int(data[i+1])%k), segs, w%2 == 0)
		}
		net := b.net
		n := len(net.Nodes)
		g := New(net)
		src := Source{Node: int32(len(data) % n), Seconds: float64(len(data) % 5)}
		s := g.NewSearcher()
		for _, reverse := range []bool{false, true} {
			want := bellmanFord(net, []Source{src}, reverse)
			secs := make([]float64, n)
			origin := make([]int32, n)
			run := g.MultiSource
			if reverse {
				run = g.MultiSourceReverse
			}
			if err := run(context.Background(), []Source{src}, secs, origin); err != nil {
				t.Fatal(err)
			}
			for v := range want {
				if secs[v] != want[v] {
					t.Fatalf("reverse=%v node %d: dijkstra %v, bellman-ford %v", reverse, v, secs[v], want[v])
				}
			}
			cutoff := 100.0
			seen := 0
			s.Within(src.Node, src.Seconds, cutoff, reverse, func(v int32, secs float64) {
				seen++
				if secs != want[v] || secs > cutoff {
					t.Fatalf("within: node %d at %v, want %v", v, secs, want[v])
				}
			})
			inside := 0
			for _, w := range want {
				if !math.IsInf(w, 1) && w <= cutoff {
					inside++
				}
			}
			if seen != inside {
				t.Fatalf("within visited %d nodes, %d are inside the cutoff", seen, inside)
			}
			reached := 0
			s.Reach(src.Node, src.Seconds, cutoff, reverse, func(v int32, secs float64) {
				reached++
				if secs != want[v] {
					t.Fatalf("reach: node %d at %v, want %v", v, secs, want[v])
				}
			})
			if reached != inside {
				t.Fatalf("reach visited %d nodes, %d are inside the cutoff", reached, inside)
			}
		}
	})
}
