package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// toRing projects a closed GeoJSON ring into the local km frame, without the
// closing point.
func toRing(r orb.Ring) ring {
	out := make(ring, 0, len(r)-1)
	for _, p := range r[:len(r)-1] {
		out = append(out, fromLonLat(p[0], p[1]))
	}
	return out
}

// segmentsTouch reports whether segments ab and cd share any point (touching
// included); callers skip pairs of neighbouring edges.
func segmentsTouch(a, b, c, d pt) bool {
	o := func(p, q, r pt) float64 { return cross(q.sub(p), r.sub(p)) }
	d1, d2 := o(c, d, a), o(c, d, b)
	d3, d4 := o(a, b, c), o(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(p, q, r pt) bool { // r on segment pq, given collinear
		return math.Min(p.X, q.X) <= r.X && r.X <= math.Max(p.X, q.X) && math.Min(p.Y, q.Y) <= r.Y && r.Y <= math.Max(p.Y, q.Y)
	}
	return (d1 == 0 && on(c, d, a)) || (d2 == 0 && on(c, d, b)) || (d3 == 0 && on(a, b, c)) || (d4 == 0 && on(a, b, d))
}

func TestCommunePolygonsAreSimple(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			codes, polys, _ := communePolygons(t, generate(t, seed))
			for _, code := range codes {
				p := polys[code]
				if len(p) != 1 {
					t.Errorf("commune %s: %d rings, want 1", code, len(p))
					continue
				}
				r := p[0]
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("commune %s: ring not closed or too short (%d points)", code, len(r))
					continue
				}
				if a := geo.SignedArea(r); a <= 0 {
					t.Errorf("commune %s: exterior ring is clockwise (signed area %v), RFC 7946 wants counter-clockwise", code, a)
				}
				q := toRing(r)
				seen := map[pt]bool{}
				for _, v := range q {
					if seen[v] {
						t.Errorf("commune %s: vertex %v repeats", code, v)
					}
					seen[v] = true
				}
				n := len(q)
				for i := 0; i < n; i++ {
					for j := i + 2; j < n; j++ {
						if i == 0 && j == n-1 {
							continue // neighbours through the closing edge
						}
						if segmentsTouch(q[i], q[(i+1)%n], q[j], q[(j+1)%n]) {
							t.Errorf("commune %s: edges %d and %d intersect", code, i, j)
						}
					}
				}
			}
		})
	}
}

// TestPartitionHasNoOverlapsOrGaps checks the communes tile the outline:
// exact pairwise overlap by convex clipping, the area sum against the
// outline, and a point sample in which every point inside the outline lies
// in exactly one commune (orb's point-in-polygon, independent of the generator).
func TestPartitionHasNoOverlapsOrGaps(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			files := generate(t, seed)
			codes, polys, _ := communePolygons(t, files)
			rings := make([]ring, len(codes))
			sum := 0.0
			for i, c := range codes {
				rings[i] = toRing(polys[c][0])
				sum += rings[i].area()
				// convexity within rounding (1 cm): the exact clip below needs it
				r := rings[i]
				for k := range r {
					a, b, c2 := r[k], r[(k+1)%len(r)], r[(k+2)%len(r)]
					if cr := cross(b.sub(a), c2.sub(b)); cr < -1e-4 {
						t.Fatalf("commune %s is not convex at vertex %d (turn %g)", c, k+1, cr)
					}
				}
			}
			pv := built(t, seed)
			if d := math.Abs(sum - pv.outline.area()); d > 1e-3*pv.outline.area() {
				t.Errorf("communes cover %.3f km², the outline %.3f km²", sum, pv.outline.area())
			}
			for i := range rings {
				lo1, hi1 := rings[i].bbox()
				for j := i + 1; j < len(rings); j++ {
					lo2, hi2 := rings[j].bbox()
					if lo1.X > hi2.X || lo2.X > hi1.X || lo1.Y > hi2.Y || lo2.Y > hi1.Y {
						continue
					}
					clip := append(ring(nil), rings[i]...)
					r := rings[j]
					for k := range r {
						a, b := r[k], r[(k+1)%len(r)]
						// keep the left side of edge ab (inside a counter-clockwise ring)
						clip = clipHalfPlane(clip, b.Y-a.Y, a.X-b.X, (b.Y-a.Y)*a.X+(a.X-b.X)*a.Y)
						if clip == nil {
							break
						}
					}
					if clip != nil && clip.area() > 1e-4 { // 100 m²: rounding slivers are far smaller
						t.Errorf("communes %s and %s overlap by %.6f km²", codes[i], codes[j], clip.area())
					}
				}
			}
			rng := rand.New(rand.NewPCG(uint64(seed), 7))
			lo, hi := pv.outline.bbox()
			inside, gaps := 0, 0
			for k := 0; k < 20000; k++ {
				p := pt{lo.X + rng.Float64()*(hi.X-lo.X), lo.Y + rng.Float64()*(hi.Y-lo.Y)}
				lon, lat := toLonLat(p)
				hits := 0
				for _, c := range codes {
					if planar.PolygonContains(polys[c], orb.Point{lon, lat}) {
						hits++
					}
				}
				if pv.outline.contains(p) {
					inside++
					if hits == 0 {
						gaps++
					}
				}
				if hits > 1 {
					t.Errorf("point %.7f,%.7f lies in %d communes", lon, lat, hits)
				}
			}
			if gaps > 0 {
				t.Errorf("%d of %d sample points inside the province lie in no commune", gaps, inside)
			}
		})
	}
}

// TestDistrictsAreContiguous checks that the communes of each district form
// one connected group through shared borders.
func TestDistrictsAreContiguous(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			codes, polys, fc := communePolygons(t, generate(t, seed))
			district := map[string]string{}
			for i, f := range fc.Features {
				district[codes[i]], _ = f.Properties["district"].(string)
			}
			type edge struct{ a, b orb.Point }
			owner := map[edge]string{}
			for _, c := range codes {
				r := polys[c][0]
				for k := 0; k+1 < len(r); k++ {
					owner[edge{r[k], r[k+1]}] = c
				}
			}
			adj := map[string][]string{}
			for _, c := range codes {
				r := polys[c][0]
				for k := 0; k+1 < len(r); k++ {
					if o, ok := owner[edge{r[k+1], r[k]}]; ok && district[o] == district[c] {
						adj[c] = append(adj[c], o)
					}
				}
			}
			members := map[string][]string{}
			for _, c := range codes {
				members[district[c]] = append(members[district[c]], c)
			}
			for d, ms := range members {
				seen := map[string]bool{ms[0]: true}
				stack := []string{ms[0]}
				for len(stack) > 0 {
					c := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					for _, o := range adj[c] {
						if !seen[o] {
							seen[o] = true
							stack = append(stack, o)
						}
					}
				}
				if len(seen) != len(ms) {
					t.Errorf("district %s: only %d of its %d communes are connected through shared borders", d, len(seen), len(ms))
				}
			}
		})
	}
}

func TestConformJoinsSharedCorners(t *testing.T) {
	t.Parallel()
	// two unit squares sharing the edge x=1, the right one split in two so
	// its middle corner lies on the left square's edge (a T-junction)
	tests := []struct {
		name  string
		cells []ring
		want  []int // vertex count of each output ring
	}{
		{"T-junction", []ring{
			{{0, 0}, {1, 0}, {1, 2}, {0, 2}},
			{{1, 0}, {2, 0}, {2, 1}, {1, 1}},
			{{1, 1}, {2, 1}, {2, 2}, {1, 2}},
		}, []int{5, 4, 4}},
		{"near-duplicate corner", []ring{
			{{0, 0}, {1, 0}, {1, 1}, {0, 1}},
			{{1 + 1e-12, 0}, {2, 0}, {2, 1}, {1, 1 - 1e-12}},
		}, []int{4, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := conform(tc.cells)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range out {
				if len(r) != tc.want[i] {
					t.Errorf("cell %d: %d vertices %v, want %d", i, len(r), r, tc.want[i])
				}
			}
			// every vertex of every cell must be an exact vertex of the cells it touches
			verts := map[pt]bool{}
			for _, r := range out {
				for _, p := range r {
					verts[p] = true
				}
			}
			for _, r := range out {
				for k := range r {
					a, b := r[k], r[(k+1)%len(r)]
					for v := range verts {
						if v == a || v == b {
							continue
						}
						if d, _ := distToSegment(v, a, b); d < 1e-9 {
							t.Errorf("vertex %v lies inside edge %v-%v", v, a, b)
						}
					}
				}
			}
		})
	}
	if _, err := conform([]ring{{{0, 0}, {1e-9, 0}, {0, 1e-9}}}); err == nil {
		t.Error("a cell collapsing to a point was accepted")
	}
}
