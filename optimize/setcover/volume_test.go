package setcover

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestVolumeBoundValid checks the volume algorithm's bound against the
// exhaustive optimum of small random set-covering cores, and that the
// multipliers it leaves evaluate to the bound it returns.
func TestVolumeBoundValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 60; trial++ {
		nc := 4 + rng.IntN(9)
		nr := 3 + rng.IntN(25)
		rows := randomRows(rng, nr, nc)
		core := &scpCore{rows: rows, cols: columnRows(rows, nc)}
		opt := nc
		for mask := 0; mask < 1<<nc; mask++ {
			ok := true
			for _, r := range rows {
				hit := false
				for _, j := range r {
					if mask>>j&1 == 1 {
						hit = true
						break
					}
				}
				if !hit {
					ok = false
					break
				}
			}
			if ok {
				opt = min(opt, bits.OnesCount(uint(mask)))
			}
		}
		lam := make([]float64, nr)
		for i := range lam {
			lam[i] = rng.Float64() * 0.5
		}
		lb := core.volume(lam, float64(nc), nil, nil)
		if lb > float64(opt)+1e-9 {
			t.Fatalf("trial %d: volume bound %v above the optimum %d", trial, lb, opt)
		}
		// Recompute the Lagrangian at the returned multipliers.
		L := 0.0
		for i := range lam {
			if lam[i] < 0 {
				t.Fatalf("trial %d: negative multiplier %v", trial, lam[i])
			}
			L += lam[i]
		}
		for j := 0; j < nc; j++ {
			r := 1.0
			for _, i := range core.cols[j] {
				r -= lam[i]
			}
			L += math.Min(0, r)
		}
		if math.Abs(L-lb) > 1e-9 {
			t.Fatalf("trial %d: returned %v but the multipliers give %v", trial, lb, L)
		}
	}
}

// randomRows draws nr sorted covering rows over nc columns, each column in
// a row with probability 0.3 and no row empty.
func randomRows(rng *rand.Rand, nr, nc int) [][]int32 {
	rows := make([][]int32, nr)
	for i := range rows {
		for j := 0; j < nc; j++ {
			if rng.Float64() < 0.3 {
				rows[i] = append(rows[i], int32(j))
			}
		}
		if len(rows[i]) == 0 {
			rows[i] = []int32{int32(rng.IntN(nc))}
		}
	}
	return rows
}
