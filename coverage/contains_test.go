package coverage

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// TestPreparedContainsMatchesPlanar checks the strip-indexed test against
// planar.MultiPolygonContains, which it replaces in assignCells, on the
// real Binh Duong communes: every vertex (boundary: in), edge midpoints,
// points nudged off vertices, every res-9 cell centre, and random points.
func TestPreparedContainsMatchesPlanar(t *testing.T) {
	ds := loadBinhDuong(t)
	idx := mustIndex(t, ds, 9)
	rng := rand.New(rand.NewPCG(1, 2))
	checked, inside := 0, 0
	for ci := range ds.Communes {
		mp := ds.Communes[ci].Geometry
		pm := prepareMultiPolygon(mp)
		var pts []orb.Point
		b := mp.Bound()
		for _, p := range mp {
			for _, r := range p {
				for i, v := range r {
					pts = append(pts, v, orb.Point{v[0], v[1] + 1e-12}, orb.Point{v[0] + 1e-12, v[1]})
					if i > 0 {
						u := r[i-1]
						pts = append(pts, orb.Point{(u[0] + v[0]) / 2, (u[1] + v[1]) / 2})
					}
				}
			}
		}
		for range 2000 {
			pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
		}
		// Cell centres near the commune (its own and its neighbours').
		for _, c := range idx.Cells {
			if p := (orb.Point{c.Lon, c.Lat}); b.Pad(0.01).Contains(p) {
				pts = append(pts, p)
			}
		}
		for _, p := range pts {
			want := planar.MultiPolygonContains(mp, p)
			if got := pm.contains(p); got != want {
				t.Fatalf("commune %s, point %v: prepared %v, planar %v", ds.Communes[ci].Code, p, got, want)
			}
			checked++
			if want {
				inside++
			}
		}
	}
	if inside == 0 || inside == checked {
		t.Fatalf("%d of %d points inside: the sample does not exercise both answers", inside, checked)
	}
	t.Logf("%d points agree (%d inside)", checked, inside)
}

func TestRayCrossEdgeCases(t *testing.T) {
	sq := orb.Ring{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}
	// A ring with a vertical edge, a horizontal edge and a spike.
	odd := orb.Ring{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {1, 1}, {0, 1}, {0, 0}}
	tests := []struct {
		name string
		r    orb.Ring
		p    orb.Point
		want bool
	}{
		{"interior", sq, orb.Point{1, 1}, true},
		{"vertex", sq, orb.Point{2, 2}, true},
		{"on vertical edge", sq, orb.Point{0, 1}, true},
		{"on horizontal edge", sq, orb.Point{1, 0}, true},
		{"outside right", sq, orb.Point{3, 1}, false},
		{"below a vertex column", sq, orb.Point{2, -1}, false},
		{"spike", odd, orb.Point{1, 2}, true},
		{"beside spike", odd, orb.Point{1.5, 2}, false},
		{"notch", odd, orb.Point{2, 0.5}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pr := prepareRing(tc.r)
			if got := pr.contains(tc.p); got != tc.want {
				t.Errorf("prepared contains %v = %v, want %v", tc.p, got, tc.want)
			}
			if got := planar.RingContains(tc.r, tc.p); got != tc.want {
				t.Errorf("planar contains %v = %v, want %v (the reference disagrees with the table)", tc.p, got, tc.want)
			}
		})
	}
}

// referenceOwners is the index's cell ownership as computed before the
// sorted-claims rewrite: a map of claims, the planar test on every
// candidate commune, the smallest code winning (interior cells aside).
func referenceOwners(t *testing.T, ds *data.Dataset, res int) map[h3.Cell]int32 {
	t.Helper()
	claims := make(map[h3.Cell][]int32)
	for i := range ds.Communes {
		for _, p := range ds.Communes[i].Geometry {
			cells, err := polygonCells(p, res)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range cells {
				if cl := claims[h]; len(cl) == 0 || cl[len(cl)-1] != int32(i) {
					claims[h] = append(cl, int32(i))
				}
			}
		}
	}
	owner := make(map[h3.Cell]int32, len(claims))
	for h, cl := range claims {
		ll := h.LatLng()
		pt := orb.Point{ll.Lng, ll.Lat}
		var containing []int32
		for ci := range ds.Communes {
			if planar.MultiPolygonContains(ds.Communes[ci].Geometry, pt) {
				containing = append(containing, int32(ci))
			}
		}
		owner[h], _, _ = pickOwner(cl, containing, ds.Communes)
	}
	return owner
}

// TestIndexOwnersMatchReference: the parallel, sorted-claims index gives
// every cell of real Binh Duong the owner the former map-based code gave.
func TestIndexOwnersMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("scans every commune per cell")
	}
	ds := loadBinhDuong(t)
	for _, res := range []int{8, 9} {
		want := referenceOwners(t, ds, res)
		idx, err := NewIndex(context.Background(), ds, IndexOptions{Resolution: res})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(idx.Cells) - idx.Stats.InteriorCells; got != len(want) {
			t.Fatalf("res %d: %d filled cells, reference %d", res, got, len(want))
		}
		if !slices.IsSortedFunc(idx.Cells, func(a, b Cell) int { return cmp.Compare(a.H3, b.H3) }) {
			t.Fatalf("res %d: cells not sorted", res)
		}
		for _, c := range idx.Cells {
			if o, ok := want[c.H3]; ok && o != c.Commune {
				t.Fatalf("res %d: cell %s owned by %s, reference %s", res, c.H3, ds.Communes[c.Commune].Code, ds.Communes[o].Code)
			}
		}
	}
}
