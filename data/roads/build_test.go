package roads

import (
	"math"
	"testing"
)

func TestHaversine(t *testing.T) {
	tests := []struct {
		a, b [2]float64
		want float64
		tol  float64
	}{
		{[2]float64{0, 0}, [2]float64{0, 0}, 0, 0},
		{[2]float64{0, 0}, [2]float64{0, 1}, 111195.08, 0.1},  // one degree of latitude
		{[2]float64{0, 0}, [2]float64{180, 0}, 20015114, 100}, // half the equator
		{[2]float64{106.6, 11}, [2]float64{106.7, 11}, 10915.7, 1},
	}
	for _, tc := range tests {
		if got := Haversine(tc.a, tc.b); math.Abs(got-tc.want) > tc.tol {
			t.Errorf("Haversine(%v, %v) = %v, want %v ± %v", tc.a, tc.b, got, tc.want, tc.tol)
		}
	}
}
