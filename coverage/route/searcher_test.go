package route

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// Within must visit exactly the nodes a full Dijkstra puts within the
// cutoff, with the same times, in non-decreasing order, and a reused
// Searcher must not leak state from one search into the next.
func TestWithinMatchesTruncatedDijkstra(t *testing.T) {
	for seed := uint64(1); seed <= 24; seed++ {
		net := randomNetwork(seed, 300, 1200)
		if seed%2 == 0 {
			net = roadNetwork(seed, 80, 200)
		}
		n := len(net.Nodes)
		g := New(net)
		if seed%3 == 0 { // the uncontracted fallback
			g.cfwd, g.crev = nil, nil
		}
		s := g.NewSearcher()
		rng := rand.New(rand.NewPCG(seed, 11))
		for q := range 40 {
			src := int32(rng.IntN(n))
			start := float64(rng.IntN(3)) * rng.Float64() * 60
			cutoff := rng.Float64() * 900
			reverse := q%2 == 1
			full := make([]float64, n)
			origin := make([]int32, n)
			run := g.MultiSource
			if reverse {
				run = g.MultiSourceReverse
			}
			if err := run(context.Background(), []Source{{src, start}}, full, origin); err != nil {
				t.Fatal(err)
			}
			got := map[int32]float64{}
			last := -1.0
			s.Within(src, start, cutoff, reverse, func(v int32, secs float64) {
				if _, dup := got[v]; dup {
					t.Fatalf("node %d visited twice", v)
				}
				if secs < last {
					t.Fatalf("visit order: %v after %v", secs, last)
				}
				last = secs
				got[v] = secs
			})
			for v, want := range full {
				secs, ok := got[int32(v)]
				if inside := want*1000 <= math.Floor(cutoff*1000); inside != ok {
					t.Fatalf("seed %d query %d node %d: time %v cutoff %v, visited=%v", seed, q, v, want, cutoff, ok)
				}
				if ok && secs != want {
					t.Fatalf("seed %d query %d node %d: within %v, dijkstra %v", seed, q, v, secs, want)
				}
			}
		}
	}
}

func TestWithinEdgeCases(t *testing.T) {
	g := New(randomNetwork(3, 50, 200))
	s := g.NewSearcher()
	tests := []struct {
		name          string
		src           int32
		start, cutoff float64
		want          int // visited nodes; -1 means "at least one"
	}{
		{"start beyond cutoff", 0, 10, 5, 0},
		{"source out of range", 50, 0, 100, 0},
		{"negative source", -1, 0, 100, 0},
		{"negative start", 0, -1, 100, 0},
		{"NaN cutoff", 0, 0, math.NaN(), 0},
		{"zero cutoff sees the source", 0, 0, 0, -1},
		{"infinite cutoff", 0, 0, math.Inf(1), -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			s.Within(tc.src, tc.start, tc.cutoff, false, func(int32, float64) { n++ })
			if tc.want >= 0 && n != tc.want || tc.want < 0 && n == 0 {
				t.Fatalf("visited %d nodes, want %d", n, tc.want)
			}
		})
	}
}

func TestWithinAllocationFree(t *testing.T) {
	g := New(randomNetwork(4, 2000, 8000))
	s := g.NewSearcher()
	n := 0
	visit := func(int32, float64) { n++ }
	for v := int32(0); v < 50; v++ { // warm up the buffers
		s.Within(v, 0, 1e9, false, visit)
		s.Within(v, 0, 1e9, true, visit)
	}
	allocs := testing.AllocsPerRun(20, func() {
		s.Within(7, 0, 1e9, false, visit)
		s.Within(9, 0, 1e9, true, visit)
	})
	if allocs != 0 {
		t.Fatalf("Within allocates %v times per run after warm-up", allocs)
	}
}

// Searcher.MultiSource must equal Graph.MultiSource, interleaved with
// Within on the same Searcher, and allocate nothing once warm.
func TestSearcherMultiSource(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		net := roadNetwork(seed, 60, 150)
		n := len(net.Nodes)
		g := New(net)
		s := g.NewSearcher()
		rng := rand.New(rand.NewPCG(seed, 21))
		for q := range 10 {
			sources := make([]Source, 1+rng.IntN(4))
			for i := range sources {
				sources[i] = Source{Node: int32(rng.IntN(n)), Seconds: float64(rng.IntN(60))}
			}
			reverse := q%2 == 0
			want, wantO := make([]float64, n), make([]int32, n)
			run := g.MultiSource
			if reverse {
				run = g.MultiSourceReverse
			}
			if err := run(context.Background(), sources, want, wantO); err != nil {
				t.Fatal(err)
			}
			s.Within(int32(rng.IntN(n)), 0, 300, !reverse, func(int32, float64) {})
			got, gotO := make([]float64, n), make([]int32, n)
			if err := s.MultiSource(context.Background(), sources, reverse, got, gotO); err != nil {
				t.Fatal(err)
			}
			for v := range want {
				if got[v] != want[v] || gotO[v] != wantO[v] {
					t.Fatalf("seed %d query %d node %d: searcher (%v, %d), graph (%v, %d)", seed, q, v, got[v], gotO[v], want[v], wantO[v])
				}
			}
		}
		secs, origin := make([]float64, n), make([]int32, n)
		sources := []Source{{0, 0}, {int32(n - 1), 5}}
		if err := s.MultiSource(context.Background(), sources, true, secs, origin); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(10, func() { _ = s.MultiSource(context.Background(), sources, true, secs, origin) }); a != 0 {
			t.Fatalf("Searcher.MultiSource allocates %v times per run", a)
		}
	}
}

// Reach must give exactly Within's nodes and times, each node once.
func TestReachMatchesWithin(t *testing.T) {
	for seed := uint64(1); seed <= 24; seed++ {
		net := randomNetwork(seed, 200, 800)
		if seed%2 == 0 {
			net = roadNetwork(seed, 60, 150)
		}
		n := len(net.Nodes)
		g := New(net)
		if seed%5 == 0 {
			g.cfwd, g.crev = nil, nil
		}
		s1, s2 := g.NewSearcher(), g.NewSearcher()
		rng := rand.New(rand.NewPCG(seed, 31))
		for q := range 40 {
			src := int32(rng.IntN(n))
			start := float64(rng.IntN(2)) * rng.Float64() * 30
			cutoff := rng.Float64() * 600
			reverse := q%2 == 0
			want := map[int32]float64{}
			s1.Within(src, start, cutoff, reverse, func(v int32, secs float64) { want[v] = secs })
			got := map[int32]float64{}
			s2.Reach(src, start, cutoff, reverse, func(v int32, secs float64) {
				if _, dup := got[v]; dup {
					t.Fatalf("seed %d query %d: node %d reached twice", seed, q, v)
				}
				got[v] = secs
			})
			if len(got) != len(want) {
				t.Fatalf("seed %d query %d: reach %d nodes, within %d", seed, q, len(got), len(want))
			}
			for v, w := range want {
				if got[v] != w {
					t.Fatalf("seed %d query %d node %d: reach %v, within %v", seed, q, v, got[v], w)
				}
			}
		}
	}
}

func TestReachAllocationFree(t *testing.T) {
	g := New(roadNetwork(9, 500, 1500))
	s := g.NewSearcher()
	n := 0
	visit := func(int32, float64) { n++ }
	for v := int32(0); v < 50; v++ {
		s.Reach(v, 0, 1e9, false, visit)
		s.Reach(v, 0, 1e9, true, visit)
	}
	if a := testing.AllocsPerRun(20, func() { s.Reach(7, 0, 1e9, false, visit); s.Reach(9, 0, 1e9, true, visit) }); a != 0 {
		t.Fatalf("Reach allocates %v times per run after warm-up", a)
	}
}
