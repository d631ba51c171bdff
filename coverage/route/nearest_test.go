package route

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/onestop/onestop/data/earth"
	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

func bruteNearest(pts []orb.Point, p orb.Point, maxM float64) (int32, float64, bool) {
	best, bd := int32(-1), math.Inf(1)
	for i, q := range pts {
		if d := earth.Distance(p, q); d < bd {
			best, bd = int32(i), d
		}
	}
	if best < 0 || bd > maxM {
		return -1, 0, false
	}
	return best, bd, true
}

func TestNearestMatchesBruteForce(t *testing.T) {
	for _, n := range []int{1, 2, 10, 500, 5000} {
		net := randomNetwork(uint64(n), n, 0)
		// Cluster half the nodes, as road nodes cluster in towns.
		rng := rand.New(rand.NewPCG(uint64(n), 5))
		for i := 0; i < n/2; i++ {
			net.Nodes[i] = orb.Point{106.65 + rng.Float64()*0.002, 11.05 + rng.Float64()*0.002}
		}
		g := New(net)
		for q := range 300 {
			// Points inside, around and far outside the node patch.
			spread := []float64{0.1, 0.5, 5}[q%3]
			p := orb.Point{106.65 + (rng.Float64()-0.5)*spread, 11.05 + (rng.Float64()-0.5)*spread}
			maxM := []float64{math.Inf(1), 500, 5000, 0}[q%4]
			v, d, ok := g.Nearest(p, maxM)
			bv, bd, bok := bruteNearest(net.Nodes, p, maxM)
			if ok != bok || ok && (d != bd || net.Nodes[v] != net.Nodes[bv]) {
				t.Fatalf("n=%d query %v max %v: got (%d, %v, %v), brute force (%d, %v, %v)", n, p, maxM, v, d, ok, bv, bd, bok)
			}
		}
	}
}

func TestNearestTable(t *testing.T) {
	net := &roads.Network{Nodes: []orb.Point{{106.6, 11.0}, {106.7, 11.0}, {106.7, 11.0}}}
	g := New(net)
	tests := []struct {
		name   string
		p      orb.Point
		maxM   float64
		want   int32
		wantOK bool
	}{
		{"exact hit", orb.Point{106.6, 11.0}, 0, 0, true},
		{"tie goes to lower id", orb.Point{106.7, 11.0}, 1, 1, true},
		{"too far", orb.Point{106.65, 11.1}, 1000, -1, false},
		{"NaN point", orb.Point{math.NaN(), 11}, 1e9, -1, false},
		{"negative limit", orb.Point{106.6, 11.0}, -1, -1, false},
		{"far outside the grid", orb.Point{-70, -40}, math.Inf(1), 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, _, ok := g.Nearest(tc.p, tc.maxM)
			if v != tc.want || ok != tc.wantOK {
				t.Fatalf("got (%d, %v), want (%d, %v)", v, ok, tc.want, tc.wantOK)
			}
		})
	}
	if _, _, ok := New(&roads.Network{}).Nearest(orb.Point{0, 0}, 1e9); ok {
		t.Fatal("empty graph: want no node")
	}
}
