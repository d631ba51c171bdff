package roads

import (
	"math/rand/v2"
	"testing"
)

func TestLargestSCCTable(t *testing.T) {
	arcs := func(pairs ...int32) []Arc {
		var out []Arc
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, Arc{From: pairs[i], To: pairs[i+1]})
		}
		return out
	}
	tests := []struct {
		name string
		n    int
		arcs []Arc
		want []bool
	}{
		{"cycle plus tail", 4, arcs(0, 1, 1, 2, 2, 0, 2, 3), []bool{true, true, true, false}},
		{"two-way pair beats nothing", 3, arcs(0, 1, 1, 0, 1, 2), []bool{true, true, false}},
		{"dag has no SCC worth keeping", 3, arcs(0, 1, 1, 2), []bool{false, false, false}},
		{"bigger of two cycles", 5, arcs(0, 1, 1, 0, 2, 3, 3, 4, 4, 2, 1, 2), []bool{false, false, true, true, true}},
		{"self-loop only", 2, arcs(0, 0), []bool{false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := largestSCC(tc.n, tc.arcs)
			for v := range got {
				if got[v] != tc.want[v] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// Property: two nodes share the kept component iff each reaches the other,
// and no other component is larger.
func TestLargestSCCBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		n := 2 + rng.IntN(30)
		var arcs []Arc
		for range rng.IntN(3 * n) {
			arcs = append(arcs, Arc{From: int32(rng.IntN(n)), To: int32(rng.IntN(n))})
		}
		reach := make([][]bool, n)
		for s := range reach {
			reach[s] = make([]bool, n)
			reach[s][s] = true
			queue := []int{s}
			for len(queue) > 0 {
				v := queue[0]
				queue = queue[1:]
				for _, a := range arcs {
					if int(a.From) == v && !reach[s][a.To] {
						reach[s][a.To] = true
						queue = append(queue, int(a.To))
					}
				}
			}
		}
		best := 0
		for v := range n {
			size := 0
			for u := range n {
				if reach[v][u] && reach[u][v] {
					size++
				}
			}
			best = max(best, size)
		}
		keep := largestSCC(n, arcs)
		var members []int
		for v, k := range keep {
			if k {
				members = append(members, v)
			}
		}
		if best == 1 {
			if len(members) != 0 {
				t.Fatalf("seed %d: no cycle, yet kept %v", seed, members)
			}
			continue
		}
		if len(members) != best {
			t.Fatalf("seed %d: kept %d nodes, largest SCC has %d", seed, len(members), best)
		}
		for _, a := range members {
			for _, b := range members {
				if !reach[a][b] {
					t.Fatalf("seed %d: kept %d and %d but %d does not reach %d", seed, a, b, a, b)
				}
			}
		}
	}
}

// A 300,000-node ring needs a DFS 300,000 frames deep: the explicit stack
// must handle it (and does so without growing the goroutine stack).
func TestLargestSCCLongRing(t *testing.T) {
	const n = 300000
	arcs := make([]Arc, n)
	for i := range arcs {
		arcs[i] = Arc{From: int32(i), To: int32((i + 1) % n)}
	}
	keep := largestSCC(n, arcs)
	for v, k := range keep {
		if !k {
			t.Fatalf("node %d of a ring dropped", v)
		}
	}
}
