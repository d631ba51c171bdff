package flow

import (
	"math"
	"testing"
)

func TestMaxFlow(t *testing.T) {
	type arc struct {
		u, v int
		c    float64
	}
	tests := []struct {
		name     string
		nodes    int
		arcs     []arc
		want     float64
		cutNodes []int // reachable from the source after the flow
	}{
		{"single", 2, []arc{{0, 1, 3}}, 3, []int{0}},
		{"bottleneck", 4, []arc{{0, 1, 5}, {1, 2, 2}, {2, 3, 9}}, 2, []int{0, 1}},
		{"two paths", 4, []arc{{0, 1, 4}, {0, 2, 3}, {1, 3, 2}, {2, 3, 5}}, 5, []int{0, 1}},
		{"unbounded middle", 4, []arc{{0, 1, 1.5}, {1, 2, math.Inf(1)}, {2, 3, 4}}, 1.5, []int{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := NewNetwork(tc.nodes)
			for _, a := range tc.arcs {
				n.Add(a.u, a.v, a.c)
			}
			if got := n.MaxFlow(0, tc.nodes-1); math.Abs(got-tc.want) > 1e-9 {
				t.Fatalf("max flow %v, want %v", got, tc.want)
			}
			seen := n.Reachable(0)
			in := map[int]bool{}
			for _, v := range tc.cutNodes {
				in[v] = true
			}
			for v, s := range seen {
				if s != in[v] {
					t.Errorf("node %d reachable %v, want %v", v, s, in[v])
				}
			}
		})
	}
}
