package route

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// randomNetwork builds a network with n nodes on a small lon/lat patch and m
// random arcs (self-loops and parallel arcs included on purpose).
func randomNetwork(seed uint64, n, m int) *roads.Network {
	rng := rand.New(rand.NewPCG(seed, 7))
	net := &roads.Network{Nodes: make([]orb.Point, n)}
	for i := range net.Nodes {
		net.Nodes[i] = orb.Point{106.6 + rng.Float64()*0.1, 11.0 + rng.Float64()*0.1}
	}
	for range m {
		a := roads.Arc{From: int32(rng.IntN(n)), To: int32(rng.IntN(n)), Seconds: float32(rng.Float64() * 300), Meters: float32(rng.Float64() * 3000)}
		if rng.IntN(10) == 0 {
			a.Seconds = 0 // zero-weight arcs happen (duplicate OSM nodes)
		}
		net.Arcs = append(net.Arcs, a)
	}
	return net
}

// bellmanFord is the reference: plain relaxation until nothing changes, on
// the same millisecond weights the graph uses, so results must match exactly.
func bellmanFord(net *roads.Network, sources []Source, reverse bool) []float64 {
	n := len(net.Nodes)
	d := make([]float64, n)
	for i := range d {
		d[i] = math.Inf(1)
	}
	for _, s := range sources {
		d[s.Node] = math.Min(d[s.Node], float64(toMillis(s.Seconds)))
	}
	for changed := true; changed; {
		changed = false
		for _, a := range net.Arcs {
			from, to := a.From, a.To
			if reverse {
				from, to = to, from
			}
			if nd := d[from] + float64(toMillis(float64(a.Seconds))); nd < d[to] {
				d[to] = nd
				changed = true
			}
		}
	}
	for i := range d {
		d[i] /= 1000
	}
	return d
}

func TestMultiSourceTable(t *testing.T) {
	// 0 -> 1 -> 2 (one-way), 2 <-> 3, 4 isolated.
	net := &roads.Network{
		Nodes: []orb.Point{{0, 0}, {0.01, 0}, {0.02, 0}, {0.03, 0}, {1, 1}},
		Arcs: []roads.Arc{
			{From: 0, To: 1, Seconds: 10},
			{From: 1, To: 2, Seconds: 20},
			{From: 2, To: 3, Seconds: 5},
			{From: 3, To: 2, Seconds: 5},
		},
	}
	inf := math.Inf(1)
	tests := []struct {
		name       string
		sources    []Source
		reverse    bool
		wantSecs   []float64
		wantOrigin []int32
	}{
		{"forward from 0", []Source{{0, 0}}, false, []float64{0, 10, 30, 35, inf}, []int32{0, 0, 0, 0, -1}},
		{"reverse to 3", []Source{{3, 0}}, true, []float64{35, 25, 5, 0, inf}, []int32{0, 0, 0, 0, -1}},
		{"two sources, offset", []Source{{0, 0}, {2, 12.5}}, false, []float64{0, 10, 12.5, 17.5, inf}, []int32{0, 0, 1, 1, -1}},
		{"offset loses", []Source{{0, 0}, {2, 40}}, false, []float64{0, 10, 30, 35, inf}, []int32{0, 0, 0, 0, -1}},
		{"no sources", nil, false, []float64{inf, inf, inf, inf, inf}, []int32{-1, -1, -1, -1, -1}},
		{"source on isolated node", []Source{{4, 1}}, true, []float64{inf, inf, inf, inf, 1}, []int32{-1, -1, -1, -1, 0}},
	}
	g := New(net)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			secs := make([]float64, g.NumNodes())
			origin := make([]int32, g.NumNodes())
			run := g.MultiSource
			if tc.reverse {
				run = g.MultiSourceReverse
			}
			if err := run(context.Background(), tc.sources, secs, origin); err != nil {
				t.Fatal(err)
			}
			for v := range secs {
				if secs[v] != tc.wantSecs[v] || origin[v] != tc.wantOrigin[v] {
					t.Errorf("node %d: got %v s from source %d, want %v s from %d", v, secs[v], origin[v], tc.wantSecs[v], tc.wantOrigin[v])
				}
			}
		})
	}
}

func TestMultiSourceErrors(t *testing.T) {
	g := New(randomNetwork(1, 5, 10))
	ok := make([]float64, 5)
	oko := make([]int32, 5)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		sources []Source
		secs    []float64
		origin  []int32
	}{
		{"short secs", context.Background(), nil, make([]float64, 4), oko},
		{"short origin", context.Background(), nil, ok, make([]int32, 6)},
		{"node out of range", context.Background(), []Source{{5, 0}}, ok, oko},
		{"negative node", context.Background(), []Source{{-1, 0}}, ok, oko},
		{"negative offset", context.Background(), []Source{{0, -1}}, ok, oko},
		{"NaN offset", context.Background(), []Source{{0, math.NaN()}}, ok, oko},
		{"infinite offset", context.Background(), []Source{{0, math.Inf(1)}}, ok, oko},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := g.MultiSource(tc.ctx, tc.sources, tc.secs, tc.origin); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	// Cancellation is only checked every ctxEvery settled nodes, so it needs a big graph.
	big := New(randomNetwork(2, 3*ctxEvery, 12*ctxEvery))
	secs := make([]float64, big.NumNodes())
	origin := make([]int32, big.NumNodes())
	if err := big.MultiSource(cancelled, []Source{{0, 0}}, secs, origin); err == nil {
		t.Fatal("cancelled context: want an error")
	}
}

func TestDijkstraMatchesBellmanFord(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		net := randomNetwork(seed, 1+int(seed%40), int(seed*7)%200)
		if seed%2 == 0 {
			net = roadNetwork(seed, 2+int(seed%20), int(seed%50))
		}
		n := len(net.Nodes)
		g := New(net)
		if seed%3 == 0 { // the uncontracted fallback
			g.cfwd, g.crev = nil, nil
		}
		rng := rand.New(rand.NewPCG(seed, 99))
		var sources []Source
		for range 1 + rng.IntN(3) {
			sources = append(sources, Source{Node: int32(rng.IntN(n)), Seconds: float64(rng.IntN(50))})
		}
		for _, reverse := range []bool{false, true} {
			want := bellmanFord(net, sources, reverse)
			secs := make([]float64, n)
			origin := make([]int32, n)
			run := g.MultiSource
			if reverse {
				run = g.MultiSourceReverse
			}
			if err := run(context.Background(), sources, secs, origin); err != nil {
				t.Fatal(err)
			}
			for v := range want {
				if secs[v] != want[v] {
					t.Fatalf("seed %d reverse=%v node %d: dijkstra %v, bellman-ford %v", seed, reverse, v, secs[v], want[v])
				}
				if (origin[v] < 0) != math.IsInf(want[v], 1) {
					t.Fatalf("seed %d node %d: origin %d with time %v", seed, v, origin[v], want[v])
				}
			}
		}
	}
}

// MultiSource must equal the minimum over single-source runs, and each
// node's origin must be a source that actually achieves that minimum.
func TestMultiSourceIsMinOfSingles(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		net := randomNetwork(seed, 200, 700)
		if seed%2 == 0 {
			net = roadNetwork(seed, 60, 150)
		}
		n := len(net.Nodes)
		g := New(net)
		rng := rand.New(rand.NewPCG(seed, 3))
		sources := make([]Source, 5)
		for i := range sources {
			sources[i] = Source{Node: int32(rng.IntN(n)), Seconds: rng.Float64() * 100}
		}
		for _, reverse := range []bool{false, true} {
			run := g.MultiSource
			if reverse {
				run = g.MultiSourceReverse
			}
			single := make([][]float64, len(sources))
			o := make([]int32, n)
			for i, s := range sources {
				single[i] = make([]float64, n)
				if err := run(context.Background(), []Source{s}, single[i], o); err != nil {
					t.Fatal(err)
				}
			}
			secs := make([]float64, n)
			origin := make([]int32, n)
			if err := run(context.Background(), sources, secs, origin); err != nil {
				t.Fatal(err)
			}
			for v := range secs {
				best := math.Inf(1)
				for i := range sources {
					best = math.Min(best, single[i][v])
				}
				if secs[v] != best {
					t.Fatalf("seed %d reverse=%v node %d: multi %v, min of singles %v", seed, reverse, v, secs[v], best)
				}
				if origin[v] >= 0 && single[origin[v]][v] != best {
					t.Fatalf("seed %d node %d: origin %d gives %v, not the best %v", seed, v, origin[v], single[origin[v]][v], best)
				}
			}
		}
	}
}

func TestGraphShape(t *testing.T) {
	net := randomNetwork(5, 30, 90)
	g := New(net)
	if g.NumNodes() != 30 || g.NumArcs() != 90 {
		t.Fatalf("got %d nodes %d arcs, want 30 and 90", g.NumNodes(), g.NumArcs())
	}
	for v := int32(0); v < 30; v++ {
		if g.Point(v) != net.Nodes[v] {
			t.Fatalf("Point(%d) = %v, want %v", v, g.Point(v), net.Nodes[v])
		}
	}
	// Forward and reverse CSR hold the same multiset of arcs.
	count := map[[3]int64]int{}
	for v := int32(0); v < 30; v++ {
		for i := g.off[v]; i < g.off[v+1]; i++ {
			count[[3]int64{int64(v), int64(g.fwd[i].head), int64(g.fwd[i].w)}]++
		}
		for i := g.roff[v]; i < g.roff[v+1]; i++ {
			count[[3]int64{int64(g.rev[i].head), int64(v), int64(g.rev[i].w)}]--
		}
	}
	for k, c := range count {
		if c != 0 {
			t.Fatalf("arc %v: forward and reverse counts differ by %d", k, c)
		}
	}
}

func TestToMillis(t *testing.T) {
	tests := []struct {
		in   float64
		want uint32
	}{
		{0, 0}, {-3, 0}, {math.NaN(), 0}, {0.0004, 0}, {0.0005, 1}, {1.2344, 1234}, {1800, 1800000},
		{1e12, maxMillis}, {math.Inf(1), maxMillis},
	}
	for _, tc := range tests {
		if got := toMillis(tc.in); got != tc.want {
			t.Errorf("toMillis(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// The road-like generator must produce what the contraction handles:
// shape points in both kinds of stretch, and rings.
func TestChainsBuilt(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		g := New(roadNetwork(seed, 30, 60))
		for _, c := range []*chains{g.cfwd, g.crev} {
			if c == nil {
				t.Fatalf("seed %d: contraction not built", seed)
			}
			shape := 0
			for _, m := range c.member {
				if m[0] >= 0 {
					shape++
				}
			}
			if shape == 0 || len(c.entries) < shape {
				t.Fatalf("seed %d: %d shape points, %d entries", seed, shape, len(c.entries))
			}
			for v := range g.NumNodes() {
				if c.member[v][0] >= 0 && c.off[v] != c.off[v+1] {
					t.Fatalf("seed %d: shape point %d has core arcs", seed, v)
				}
			}
		}
	}
}

// Every source sits on a shape point: the seeds along stretches must give
// the same times as Bellman-Ford.
func TestMultiSourceFromShapePoints(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		net := roadNetwork(seed, 20, 40)
		g := New(net)
		var sources []Source
		rng := rand.New(rand.NewPCG(seed, 8))
		for v := range g.NumNodes() {
			if g.cfwd.member[v][0] >= 0 && rng.IntN(8) == 0 {
				sources = append(sources, Source{Node: int32(v), Seconds: float64(rng.IntN(30))})
			}
		}
		for _, reverse := range []bool{false, true} {
			want := bellmanFord(net, sources, reverse)
			secs := make([]float64, len(want))
			origin := make([]int32, len(want))
			run := g.MultiSource
			if reverse {
				run = g.MultiSourceReverse
			}
			if err := run(context.Background(), sources, secs, origin); err != nil {
				t.Fatal(err)
			}
			for v := range want {
				if secs[v] != want[v] {
					t.Fatalf("seed %d reverse=%v node %d: got %v, bellman-ford %v", seed, reverse, v, secs[v], want[v])
				}
			}
		}
	}
}

func TestNewChecked(t *testing.T) {
	bad := &roads.Network{Source: "hand.json", Nodes: []orb.Point{{106, 11}}, Arcs: []roads.Arc{{From: 0, To: 3, Seconds: 1}}}
	if _, err := NewChecked(bad); err == nil {
		t.Fatal("arc to a missing node: want an error")
	}
	g, err := NewChecked(randomNetwork(1, 10, 20))
	if err != nil || g.NumNodes() != 10 {
		t.Fatalf("valid network: %v", err)
	}
	empty, err := NewChecked(&roads.Network{})
	if err != nil || empty.NumNodes() != 0 || empty.NumArcs() != 0 {
		t.Fatalf("empty network: %v", err)
	}
}
