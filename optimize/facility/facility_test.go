package facility

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomProblem draws n demand points with arcs to some of m candidates.
func randomProblem(seed uint64, n, m, p int) ([][]Arc, []float64) {
	rng := rand.New(rand.NewPCG(seed, 3))
	lists := make([][]Arc, n)
	pen := make([]float64, n)
	for i := range lists {
		for j := 0; j < m; j++ {
			if rng.Float64() < 0.5 {
				lists[i] = append(lists[i], Arc{To: int32(j), Cost: 1 + 20*rng.Float64()})
			}
		}
		pen[i] = 30
	}
	return lists, pen
}

// bruteCost is the least cost of opening exactly p of m candidates.
func bruteCost(lists [][]Arc, pen []float64, m, p int) float64 {
	best := math.Inf(1)
	for set := 0; set < 1<<m; set++ {
		k := 0
		for j := 0; j < m; j++ {
			if set&(1<<j) != 0 {
				k++
			}
		}
		if k != p {
			continue
		}
		c := 0.0
		for i, l := range lists {
			d := pen[i]
			for _, a := range l {
				if set&(1<<a.To) != 0 {
					d = min(d, a.Cost)
				}
			}
			c += d
		}
		best = min(best, c)
	}
	return best
}

func TestSolveMatchesEnumeration(t *testing.T) {
	tests := []struct {
		name    string
		seed    uint64
		n, m, p int
	}{
		{"one point", 1, 20, 8, 1},
		{"few points", 2, 30, 10, 3},
		{"half", 3, 25, 12, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lists, pen := randomProblem(tc.seed, tc.n, tc.m, tc.p)
			want := bruteCost(lists, pen, tc.m, tc.p)
			allow := make([]bool, tc.m)
			for j := range allow {
				allow[j] = true
			}
			pr := New(lists, pen, make([]bool, tc.m), allow, tc.p)
			res := pr.Solve(nil, Exact, nil)
			if !res.Found || !res.Optimal || math.Abs(res.Cost-want) > 1e-9 {
				t.Fatalf("cost %v (optimal %v), enumeration %v", res.Cost, res.Optimal, want)
			}
			if res.Lower > want+1e-9 {
				t.Errorf("lower bound %v above the optimum %v", res.Lower, want)
			}
			if lb := pr.LowerBound(200, nil); lb > want+1e-9 {
				t.Errorf("LowerBound %v above the optimum %v", lb, want)
			}
		})
	}
}

func BenchmarkSolve(b *testing.B) {
	lists, pen := randomProblem(9, 400, 40, 8)
	allow := make([]bool, 40)
	for j := range allow {
		allow[j] = true
	}
	var res Result
	for b.Loop() {
		res = New(lists, pen, make([]bool, 40), allow, 8).Solve(nil, Exact, nil)
	}
	b.ReportMetric(res.Cost, "cost")
}

// BenchmarkLowerBound times the Lagrangian bound, the engine's hot loop,
// on a province-sized column side (a million pairs, float32 minutes).
func BenchmarkLowerBound(b *testing.B) {
	const n, m = 5000, 1000
	rng := rand.New(rand.NewPCG(11, 3))
	lists := make([][]Arc, n)
	pen := make([]float64, n)
	for i := range lists {
		for j := 0; j < m; j++ {
			if rng.Float64() < 0.2 {
				lists[i] = append(lists[i], Arc{To: int32(j), Cost: float64(float32(1 + 40*rng.Float64()))})
			}
		}
		pen[i] = 30
	}
	allow := make([]bool, m)
	for j := range allow {
		allow[j] = true
	}
	pr := New(lists, pen, make([]bool, m), allow, 50)
	var lb float64
	for b.Loop() {
		lb = pr.LowerBound(40, nil)
	}
	b.ReportMetric(lb, "bound")
}
