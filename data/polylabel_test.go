package data

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestInteriorPoint(t *testing.T) {
	cases := []struct {
		name string
		mp   orb.MultiPolygon
		// near is where the pole must be (within tol degrees); nil to skip.
		near *orb.Point
		tol  float64
	}{
		{"square", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}, &orb.Point{0.5, 0.5}, 0.01},
		// A U shape: the centroid (≈ 0.5, 0.4) lies in the notch, outside.
		{"U shape", orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}}, nil, 0},
		// A C shape opening to the right.
		{"C shape", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {4, 3}, {4, 4}, {0, 4}, {0, 0}}}}, nil, 0},
		// A square with a square hole in the middle: the centre is in the hole.
		{"hole", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}}, nil, 0},
		// Two parts: the point goes into the larger one.
		{"multipolygon", orb.MultiPolygon{
			{{{0, 0}, {0.1, 0}, {0.1, 0.1}, {0, 0.1}, {0, 0}}},
			{{{5, 5}, {7, 5}, {7, 7}, {5, 7}, {5, 5}}},
		}, &orb.Point{6, 6}, 0.02},
		// A thin diagonal strip and a spiral-like comb stress the search.
		{"thin strip", orb.MultiPolygon{{{{0, 0}, {10, 10}, {10, 10.01}, {0, 0.01}, {0, 0}}}}, nil, 0},
		{"comb", orb.MultiPolygon{{{{0, 0}, {5, 0}, {5, 3}, {4, 3}, {4, 1}, {3, 1}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}}, nil, 0},
		// Clockwise shell (GeoJSON wants counter-clockwise, real files vary).
		{"clockwise", orb.MultiPolygon{{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}}, &orb.Point{0.5, 0.5}, 0.01},
		// At Binh Duong's latitude.
		{"real latitude", orb.MultiPolygon{{{{106.6, 11}, {106.7, 11}, {106.7, 11.01}, {106.61, 11.01}, {106.61, 11.05}, {106.6, 11.05}, {106.6, 11}}}}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := InteriorPoint(tc.mp)
			if !ok {
				t.Fatal("no interior point")
			}
			if !planar.MultiPolygonContains(tc.mp, p) {
				t.Fatalf("point %v is outside", p)
			}
			if tc.near != nil && (math.Abs(p[0]-tc.near[0]) > tc.tol || math.Abs(p[1]-tc.near[1]) > tc.tol) {
				t.Errorf("point %v, want near %v", p, *tc.near)
			}
		})
	}
}

func TestInteriorPointEmpty(t *testing.T) {
	for _, mp := range []orb.MultiPolygon{nil, {{}}, {{{{0, 0}, {1, 1}, {0, 0}}}}, {{{{0, 0}, {1, 1}, {2, 2}, {0, 0}}}}} {
		if p, ok := InteriorPoint(mp); ok {
			t.Errorf("InteriorPoint(%v) = %v, want none", mp, p)
		}
	}
}

// TestScanlinePoint checks the fallback alone, which must be inside by construction.
func TestScanlinePoint(t *testing.T) {
	polys := []orb.Polygon{
		{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}},
		{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}},
		{{{0, 0}, {10, 10}, {10, 10.01}, {0, 0.01}, {0, 0}}},
	}
	for i, p := range polys {
		pt, ok := scanlinePoint(p)
		if !ok || !planar.PolygonContains(p, pt) {
			t.Errorf("polygon %d: scanline point %v ok=%v is not inside", i, pt, ok)
		}
	}
}

// TestInteriorPointBinhDuong places a point in each of the 91 real communes
// and checks it is inside and not hugging the border.
func TestInteriorPointBinhDuong(t *testing.T) {
	d, err := LoadFile(binhDuongYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range d.Communes {
		p, ok := InteriorPoint(c.Geometry)
		if !ok || !planar.MultiPolygonContains(c.Geometry, p) {
			t.Errorf("commune %s %s: point %v outside", c.Code, c.Name, p)
			continue
		}
		// The pole must be at least as far from the border as the centroid
		// whenever the centroid is inside.
		cen, _ := planar.CentroidArea(c.Geometry)
		if planar.MultiPolygonContains(c.Geometry, cen) &&
			distanceToBoundaryKm(p, c.Geometry) < distanceToBoundaryKm(cen, c.Geometry)*0.99 {
			t.Errorf("commune %s: pole %v is closer to the border than the centroid %v", c.Code, p, cen)
		}
	}
}

func BenchmarkInteriorPointBinhDuong(b *testing.B) {
	d, err := LoadFile(binhDuongYAML(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range d.Communes {
			InteriorPoint(c.Geometry)
		}
	}
}
