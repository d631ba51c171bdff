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

// TestMaxFlowTwinsAndLateArcs: an arc's residual twin reports exactly the
// negated flow (the twin is not stored), and arcs added after a search are
// in the next one (the adjacency is rebuilt).
func TestMaxFlowTwinsAndLateArcs(t *testing.T) {
	n := NewNetwork(4)
	n.Reserve(2)
	n.Add(0, 1, 2.5)
	n.Add(1, 3, 1.25)
	if got := n.MaxFlow(0, 3); got != 1.25 {
		t.Fatalf("first flow %v, want 1.25", got)
	}
	n.Add(1, 2, math.Inf(1))
	n.Add(2, 3, 0.75)
	if got := n.MaxFlow(0, 3); got != 0.75 {
		t.Fatalf("second flow %v, want 0.75 more", got)
	}
	type arc struct {
		to   int
		flow float64
	}
	var at1 []arc
	n.Arcs(1, func(to int, fl float64) { at1 = append(at1, arc{to, fl}) })
	// Node 1's arcs in the order added: the twin of 0->1, then 1->3, 1->2.
	want := []arc{{0, -2}, {3, 1.25}, {2, 0.75}}
	if len(at1) != len(want) {
		t.Fatalf("node 1 arcs %v, want %v", at1, want)
	}
	for k := range want {
		if at1[k] != want[k] {
			t.Errorf("node 1 arc %d = %v, want %v", k, at1[k], want[k])
		}
	}
}
