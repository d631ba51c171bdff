package data

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestCheckArea(t *testing.T) {
	sq := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	cases := []struct {
		name string
		mp   orb.MultiPolygon
		want string // part of the first issue; "" for a valid geometry
	}{
		{"square", orb.MultiPolygon{{sq}}, ""},
		{"concave", orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}}, ""},
		{"square with hole", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}}, ""},
		{"hole touching shell at a point", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{0, 2}, {2, 3}, {2, 1}, {0, 2}}}}, ""},
		{"repeated vertex", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}, ""},
		{"empty", orb.MultiPolygon{}, "empty"},
		{"no rings", orb.MultiPolygon{{}}, "no rings"},
		{"three positions", orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 0}}}}, "at least 4"},
		{"open ring", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}}, "not closed"},
		{"collinear ring", orb.MultiPolygon{{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}}, "intersects itself"},
		{"identical positions", orb.MultiPolygon{{{{1, 1}, {1, 1}, {1, 1}, {1, 1}}}}, "zero area"},
		{"bow tie", orb.MultiPolygon{{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}}, "intersects itself near lon 0.500000, lat 0.500000"},
		{"figure eight touching", orb.MultiPolygon{{{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 1}, {0, 0}}}}, "intersects itself"},
		{"spike", orb.MultiPolygon{{{{0, 0}, {2, 0}, {3, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}}, "intersects itself"},
		{"hole crossing shell", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{3, 1}, {5, 1}, {5, 2}, {3, 2}, {3, 1}}}}, "intersects itself"},
		{"overlapping edge with hole", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 0}, {3, 0}, {2, 1}, {1, 0}}}}, "intersects itself"},
		{"second part bad", orb.MultiPolygon{{sq}, {{{5, 5}, {6, 6}, {6, 5}, {5, 6}, {5, 5}}}}, "polygon 2: polygon intersects itself"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := checkArea(tc.mp)
			if tc.want == "" {
				if len(got) > 0 {
					t.Fatalf("valid geometry reported: %v", got)
				}
				return
			}
			if len(got) == 0 || !strings.Contains(got[0].msg, tc.want) {
				t.Fatalf("issues %v, want one containing %q", got, tc.want)
			}
			if got[0].fix == "" {
				t.Error("issue without a fix")
			}
		})
	}
}

// TestSelfIntersectionLarge checks the sweep on a long valid ring (a fine
// circle) and on the same ring with one crossing inserted.
func TestSelfIntersectionLarge(t *testing.T) {
	ring := circle(20000)
	if p, ok := selfIntersection(orb.Polygon{ring}); ok {
		t.Fatalf("valid circle reported crossing at %v", p)
	}
	bad := append(orb.Ring{}, ring...)
	bad[5000], bad[15000] = bad[15000], bad[5000]
	if _, ok := selfIntersection(orb.Polygon{bad}); !ok {
		t.Fatal("crossing not found")
	}
}

func circle(n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		r = append(r, orb.Point{106.6 + 0.1*math.Cos(a), 11 + 0.1*math.Sin(a)})
	}
	return append(r, r[0])
}

func BenchmarkSelfIntersection20k(b *testing.B) {
	p := orb.Polygon{circle(20000)}
	b.ReportAllocs()
	for b.Loop() {
		selfIntersection(p)
	}
}

func TestCheckDegrees(t *testing.T) {
	cases := []struct {
		name string
		b    orb.Bound
		want string
	}{
		{"binh duong", orb.Bound{Min: orb.Point{106.3, 10.8}, Max: orb.Point{107, 11.5}}, ""},
		{"southern hemisphere", orb.Bound{Min: orb.Point{-70, -40}, Max: orb.Point{-60, -30}}, ""},
		{"swapped", orb.Bound{Min: orb.Point{10.8, 106.3}, Max: orb.Point{11.5, 107}}, "lat/lon"},
		{"utm", orb.Bound{Min: orb.Point{680000, 1220000}, Max: orb.Point{690000, 1230000}}, "projected metres"},
		{"vn2000 easting only", orb.Bound{Min: orb.Point{500000, 10}, Max: orb.Point{510000, 11}}, "projected metres"},
	}
	for _, tc := range cases {
		msg, _ := checkDegrees(tc.b)
		if (tc.want == "") != (msg == "") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, msg, tc.want)
		}
	}
}
