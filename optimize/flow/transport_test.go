package flow

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// transportLP solves the same transportation problem with gonum's simplex.
func transportLP(t *testing.T, supply []float64, arcs [][]Arc, capa []float64, unserved []float64) (float64, bool) {
	t.Helper()
	n, m := len(supply), len(capa)
	type v struct{ i, j int } // j = -1: unserved
	var vars []v
	var c []float64
	for i := 0; i < n; i++ {
		for _, a := range arcs[i] {
			vars = append(vars, v{i, int(a.To)})
			c = append(c, a.Cost/supply[i])
		}
		if unserved[i] >= 0 {
			vars = append(vars, v{i, -1})
			c = append(c, unserved[i]/supply[i])
		}
	}
	nv := len(vars) + m // plus capacity slacks
	A := mat.NewDense(n+m, nv, nil)
	b := make([]float64, n+m)
	for k, x := range vars {
		A.Set(x.i, k, 1)
		if x.j >= 0 {
			A.Set(n+x.j, k, 1)
		}
	}
	for j := 0; j < m; j++ {
		A.Set(n+j, len(vars)+j, 1)
		b[n+j] = capa[j]
		c = append(c, 0)
	}
	copy(b, supply)
	opt, _, err := lp.Simplex(c, A, b, 1e-10, nil)
	if err != nil {
		return 0, false
	}
	return opt, true
}

func TestTransportMatchesSimplex(t *testing.T) {
	tests := []struct {
		name          string
		seed          uint64
		n, m          int
		capScale      float64
		allowUnserved bool
	}{
		{"loose", 1, 8, 3, 2, false},
		{"tight", 2, 10, 4, 1.05, false},
		{"overflow to unserved", 3, 9, 3, 0.6, true},
		{"infeasible", 4, 6, 2, 0.5, false},
		{"many", 5, 25, 6, 1.2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed, 1))
			supply := make([]float64, tc.n)
			arcs := make([][]Arc, tc.n)
			unserved := make([]float64, tc.n)
			total := 0.0
			for i := range supply {
				supply[i] = 1 + float64(rng.IntN(20))
				total += supply[i]
				for j := 0; j < tc.m; j++ {
					if rng.Float64() < 0.7 || j == i%tc.m {
						arcs[i] = append(arcs[i], Arc{int32(j), supply[i] * (1 + 10*rng.Float64())})
					}
				}
				unserved[i] = -1
				if tc.allowUnserved {
					unserved[i] = supply[i] * 50
				}
			}
			capa := make([]float64, tc.m)
			for j := range capa {
				capa[j] = math.Round(total * tc.capScale / float64(tc.m))
			}
			a, ok := Transport(supply, arcs, capa, unserved)
			got := a.Cost
			want, wok := transportLP(t, supply, arcs, capa, unserved)
			if ok != wok {
				t.Fatalf("feasible=%v, simplex says %v", ok, wok)
			}
			if ok && math.Abs(got-want) > 1e-6*math.Max(1, want) {
				t.Fatalf("cost %v, simplex optimum %v", got, want)
			}
		})
	}
}

func BenchmarkTransport(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 1))
	n, m := 2000, 60
	supply := make([]float64, n)
	arcs := make([][]Arc, n)
	unserved := make([]float64, n)
	total := 0.0
	for i := range supply {
		supply[i] = 1 + float64(rng.IntN(50))
		total += supply[i]
		for j := 0; j < m; j++ {
			if rng.Float64() < 0.1 || j == i%m {
				arcs[i] = append(arcs[i], Arc{int32(j), supply[i] * (1 + 10*rng.Float64())})
			}
		}
		unserved[i] = -1
	}
	capa := make([]float64, m)
	for j := range capa {
		capa[j] = math.Round(total * 1.1 / float64(m))
	}
	for b.Loop() {
		if _, ok := Transport(supply, arcs, capa, unserved); !ok {
			b.Fatal("infeasible")
		}
	}
}
