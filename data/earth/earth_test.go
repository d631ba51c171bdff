package earth

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want float64 // metres
		tol  float64
	}{
		{"same point", orb.Point{0, 0}, orb.Point{0, 0}, 0, 0},
		{"one degree of latitude", orb.Point{0, 0}, orb.Point{0, 1}, 111195.08, 0.1},
		{"half the equator", orb.Point{0, 0}, orb.Point{180, 0}, 20015114, 100},
		{"antipodes", orb.Point{10, 45}, orb.Point{-170, -45}, math.Pi * Radius, 1e-6},
		{"Binh Duong, 0.1° of longitude", orb.Point{106.6, 11}, orb.Point{106.7, 11}, 10915.7, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Distance(tc.a, tc.b)
			if math.Abs(got-tc.want) > tc.tol {
				t.Errorf("Distance(%v, %v) = %v, want %v ± %v", tc.a, tc.b, got, tc.want, tc.tol)
			}
			if back := Distance(tc.b, tc.a); back != got {
				t.Errorf("Distance is not symmetric: %v there, %v back", got, back)
			}
			if km := DistanceKm(tc.a, tc.b); math.Abs(km*1000-got) > 1e-6*got {
				t.Errorf("DistanceKm = %v, Distance = %v m", km, got)
			}
		})
	}
}

func TestHaversineOf(t *testing.T) {
	a := orb.Point{106.65, 11.0}
	for _, km := range []float64{0, 0.5, 3, 12.7, 40} {
		b := orb.Point{a[0], a[1] + km/KmPerDegree}
		d := DistanceKm(a, b)
		if h, lim := Haversine(a, b), HaversineOf(d); h > lim*(1+1e-12) {
			t.Errorf("%v km: haversine %v above the limit %v of its own distance", km, h, lim)
		}
		if got := HaversineOf(1e9); got != 1 {
			t.Errorf("HaversineOf(1e9) = %v, want 1", got)
		}
	}
}
