package setcover

import (
	"context"
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/onestop/onestop/optimize/work"
)

// bruteCover is the size of a minimum cover by enumeration (nc <= 20).
func bruteCover(rows [][]int32, fixed []bool) int {
	nc := len(fixed)
	var must uint32
	for j, f := range fixed {
		if f {
			must |= 1 << j
		}
	}
	best := nc + 1
	for set := uint32(0); set < 1<<nc; set++ {
		if set&must != must || bits.OnesCount32(set) >= best {
			continue
		}
		ok := true
		for _, r := range rows {
			hit := false
			for _, j := range r {
				if set&(1<<j) != 0 {
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
			best = bits.OnesCount32(set)
		}
	}
	return best
}

func TestSolveMatchesEnumeration(t *testing.T) {
	tests := []struct {
		name           string
		seed           uint64
		nr, nc, maxLen int
		fixed          int
	}{
		{"sparse", 1, 40, 14, 3, 0},
		{"dense", 2, 60, 16, 6, 0},
		{"fixed columns", 3, 50, 15, 4, 2},
		{"many rows", 4, 200, 18, 5, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed, 9))
			rows := rwlsRandomRows(rng, tc.nr, tc.nc, tc.maxLen)
			fixed := make([]bool, tc.nc)
			for j := 0; j < tc.fixed; j++ {
				fixed[rng.IntN(tc.nc)] = true
			}
			want := bruteCover(rows, fixed)
			res := Solve(rows, fixed, nil)
			if !res.Optimal || len(res.Chosen) != want || res.Lower != want {
				t.Fatalf("%d columns (lower %d, optimal %v), enumeration %d", len(res.Chosen), res.Lower, res.Optimal, want)
			}
			chosen := make([]bool, tc.nc)
			for _, j := range res.Chosen {
				chosen[j] = true
			}
			for j, f := range fixed {
				if f && !chosen[j] {
					t.Errorf("fixed column %d left out", j)
				}
			}
			for i, r := range rows {
				if !Meets(r, chosen) {
					t.Fatalf("row %d not covered", i)
				}
			}
		})
	}
}

// A tiny budget still returns a cover, with a valid bound.
func TestSolveOutOfWork(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	rows := rwlsRandomRows(rng, 3000, 600, 8)
	res := Solve(rows, make([]bool, 600), work.New(context.Background(), 1, time.Time{}))
	chosen := make([]bool, 600)
	for _, j := range res.Chosen {
		chosen[j] = true
	}
	for i, r := range rows {
		if !Meets(r, chosen) {
			t.Fatalf("row %d not covered", i)
		}
	}
	if res.Lower > len(res.Chosen) {
		t.Fatalf("lower bound %d above the cover %d", res.Lower, len(res.Chosen))
	}
}

func BenchmarkSolve(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 9))
	rows := rwlsRandomRows(rng, 4000, 800, 10)
	fixed := make([]bool, 800)
	var res Result
	for b.Loop() {
		res = Solve(rows, fixed, work.New(context.Background(), 2e9, time.Time{}))
	}
	b.ReportMetric(float64(len(res.Chosen)), "cover")
	b.ReportMetric(float64(res.Lower), "lower")
}
