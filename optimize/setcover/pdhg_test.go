package setcover

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// TestPDHGBoundReachesLP checks the primal-dual bound against the LP
// relaxation solved by gonum's simplex on small random cores: never above
// it, within 0.1 % of it once converged, and equal to the Lagrangian at
// the multipliers it returns.
func TestPDHGBoundReachesLP(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 3))
	for trial := 0; trial < 30; trial++ {
		nc := 5 + rng.IntN(10)
		nr := 4 + rng.IntN(30)
		rows := randomRows(rng, nr, nc)
		// Every column in some row (the simplex rejects empty columns).
		cols := columnRows(rows, nc)
		for j, cr := range cols {
			if len(cr) == 0 {
				i := rng.IntN(nr)
				rows[i] = append(rows[i], int32(j))
				slices.Sort(rows[i])
			}
		}
		core := &scpCore{rows: rows, cols: columnRows(rows, nc)}
		// min Σx s.t. Ax − s = 1, x, s ≥ 0.
		A := mat.NewDense(nr, nc+nr, nil)
		c := make([]float64, nc+nr)
		b := make([]float64, nr)
		for j := 0; j < nc; j++ {
			c[j] = 1
		}
		for i, r := range rows {
			for _, j := range r {
				A.Set(i, int(j), 1)
			}
			A.Set(i, nc+i, -1)
			b[i] = 1
		}
		want, _, err := lp.Simplex(c, A, b, 1e-10, nil)
		if err != nil {
			t.Fatalf("trial %d: simplex: %v", trial, err)
		}
		got, y := core.pdhgBound(nil, 1, math.Inf(1), nil)
		if got > want+1e-9 {
			t.Fatalf("trial %d: bound %v above the LP optimum %v", trial, got, want)
		}
		if got < want*(1-1e-3) {
			t.Errorf("trial %d: bound %v, LP optimum %v", trial, got, want)
		}
		if L := core.dualBound(y); math.Abs(L-got) > 1e-12 {
			t.Fatalf("trial %d: returned %v, the multipliers give %v", trial, got, L)
		}
		for _, v := range y {
			if v < 0 {
				t.Fatalf("trial %d: negative multiplier %v", trial, v)
			}
		}
	}
}
