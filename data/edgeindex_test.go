package data

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestEdgeIndexMatchesFullScan checks the banded index against orb's
// containment and the full-scan boundary distance on shapes with holes,
// several parts, long edges and points on vertices and edges.
func TestEdgeIndexMatchesFullScan(t *testing.T) {
	star := func(cx, cy, r float64, n int) orb.Ring {
		ring := make(orb.Ring, 0, n+1)
		for k := 0; k < n; k++ {
			a := 2 * math.Pi * float64(k) / float64(n)
			rr := r * (0.6 + 0.4*float64(k%2))
			ring = append(ring, orb.Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	square := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	cases := []struct {
		name string
		mp   orb.MultiPolygon
	}{
		{"square", orb.MultiPolygon{{square(106, 11, 106.1, 11.1)}}},
		{"star with a hole", orb.MultiPolygon{{star(106.5, 11.5, 0.2, 400), square(106.45, 11.45, 106.55, 11.55)}}},
		{"two parts", orb.MultiPolygon{{star(105, 20, 0.05, 60)}, {square(105.2, 20, 105.3, 20.01)}}},
		{"single edge band", orb.MultiPolygon{{square(106, 11, 106, 11.1)}}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.mp.Bound()
			ix := newEdgeIndex(c.mp, b)
			var probes []orb.Point
			for _, p := range c.mp {
				for _, r := range p {
					probes = append(probes, r...)
					for i := 0; i+1 < len(r); i++ {
						probes = append(probes, orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2})
					}
				}
			}
			for k := 0; k < 3000; k++ {
				probes = append(probes, orb.Point{b.Min[0] - 0.01 + rng.Float64()*(b.Max[0]-b.Min[0]+0.02),
					b.Min[1] - 0.01 + rng.Float64()*(b.Max[1]-b.Min[1]+0.02)})
			}
			for _, p := range probes {
				if got, want := ix.contains(p), planar.MultiPolygonContains(c.mp, p); got != want {
					t.Errorf("contains(%v) = %v, planar says %v", p, got, want)
				}
				if got, want := ix.distanceKm(p), distanceToBoundaryKm(p, c.mp); got != want {
					t.Errorf("distanceKm(%v) = %v, full scan %v", p, got, want)
				}
			}
		})
	}
}
