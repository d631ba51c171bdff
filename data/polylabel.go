package data

import (
	"container/heap"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// InteriorPoint returns a point inside the multipolygon, far from its edges:
// the pole of inaccessibility of its largest part (polylabel: quadtree
// search with a priority queue on the best possible distance of each cell),
// found in a local metric frame so "far" means metres, not degrees.
// The result is checked with a point-in-polygon test; should rounding ever
// put it outside, a scanline interior point is returned instead, which is
// inside by construction. ok is false only for an empty or zero-area geometry.
func InteriorPoint(mp orb.MultiPolygon) (orb.Point, bool) {
	best, bestArea := -1, 0.0
	for i, p := range mp {
		if len(p) == 0 || len(p[0]) < 4 {
			continue
		}
		if a := polygonAreaKm2(p); a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return orb.Point{}, false
	}
	poly := mp[best]
	if pt, ok := poleOfInaccessibility(poly, 1e-3); ok && planar.PolygonContains(poly, pt) && !onBoundary(poly, pt) {
		return pt, true
	}
	return scanlinePoint(poly)
}

// localFrame scales longitude so one unit is the same distance on both axes.
type localFrame struct{ kx float64 }

func (f localFrame) to(p orb.Point) orb.Point   { return orb.Point{p[0] * f.kx, p[1]} }
func (f localFrame) from(p orb.Point) orb.Point { return orb.Point{p[0] / f.kx, p[1]} }

type plCell struct {
	c    orb.Point
	h    float64 // half size
	d    float64 // signed distance from c to the polygon (positive inside)
	max  float64 // best distance any point of the cell can reach
	used bool
}

type cellQueue []*plCell

func (q cellQueue) Len() int           { return len(q) }
func (q cellQueue) Less(i, j int) bool { return q[i].max > q[j].max }
func (q cellQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)        { *q = append(*q, x.(*plCell)) }
func (q *cellQueue) Pop() any          { old := *q; n := len(old); x := old[n-1]; *q = old[:n-1]; return x }
func newCell(c orb.Point, h float64, p orb.Polygon) *plCell {
	d := signedDistance(c, p)
	return &plCell{c: c, h: h, d: d, max: d + h*math.Sqrt2}
}

// poleOfInaccessibility runs polylabel with precision given as a fraction
// of the polygon's larger bound side.
func poleOfInaccessibility(poly orb.Polygon, relPrecision float64) (orb.Point, bool) {
	lat := poly[0][0][1]
	f := localFrame{kx: math.Cos(lat * math.Pi / 180)}
	if f.kx <= 1e-9 {
		return orb.Point{}, false
	}
	lp := make(orb.Polygon, len(poly))
	for i, r := range poly {
		lr := make(orb.Ring, len(r))
		for j, p := range r {
			lr[j] = f.to(p)
		}
		lp[i] = lr
	}
	b := lp[0].Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if w <= 0 || h <= 0 {
		return orb.Point{}, false
	}
	// Cells at least 1/64 of the long side keep the first grid small for
	// thin strips; the cell bound (d + h√2) stays valid for any size.
	size := math.Max(math.Min(w, h), math.Max(w, h)/64)
	precision := math.Max(w, h) * relPrecision
	half := size / 2
	q := &cellQueue{}
	for x := b.Min[0]; x < b.Max[0]; x += size {
		for y := b.Min[1]; y < b.Max[1]; y += size {
			heap.Push(q, newCell(orb.Point{x + half, y + half}, half, lp))
		}
	}
	// Start from the centroid, then the bound centre: either is often a good first guess.
	best := newCell(centroidOf(lp[0]), 0, lp)
	if bc := newCell(b.Center(), 0, lp); bc.d > best.d {
		best = bc
	}
	// The cell budget bounds the work on pathological inputs.
	for budget := 200000; q.Len() > 0 && budget > 0; budget-- {
		c := heap.Pop(q).(*plCell)
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		hh := c.h / 2
		for _, off := range [4][2]float64{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
			heap.Push(q, newCell(orb.Point{c.c[0] + off[0]*hh, c.c[1] + off[1]*hh}, hh, lp))
		}
	}
	if best.d <= 0 {
		return orb.Point{}, false
	}
	return f.from(best.c), true
}

// signedDistance is the distance from p to the polygon's nearest edge,
// positive inside (shell but not a hole) and negative outside.
func signedDistance(p orb.Point, poly orb.Polygon) float64 {
	inside := false
	minSq := math.Inf(1)
	for _, r := range poly {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
				inside = !inside
			}
			if d := segDistSq(p, a, b); d < minSq {
				minSq = d
			}
		}
	}
	d := math.Sqrt(minSq)
	if inside {
		return d
	}
	return -d
}

func segDistSq(p, a, b orb.Point) float64 {
	x, y := a[0], a[1]
	dx, dy := b[0]-x, b[1]-y
	if dx != 0 || dy != 0 {
		t := ((p[0]-x)*dx + (p[1]-y)*dy) / (dx*dx + dy*dy)
		if t > 1 {
			x, y = b[0], b[1]
		} else if t > 0 {
			x += dx * t
			y += dy * t
		}
	}
	dx, dy = p[0]-x, p[1]-y
	return dx*dx + dy*dy
}

func centroidOf(r orb.Ring) orb.Point {
	var a, cx, cy float64
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		f := r[i][0]*r[j][1] - r[j][0]*r[i][1]
		cx += (r[i][0] + r[j][0]) * f
		cy += (r[i][1] + r[j][1]) * f
		a += f * 3
	}
	if a == 0 {
		return r[0]
	}
	return orb.Point{cx / a, cy / a}
}

func onBoundary(poly orb.Polygon, p orb.Point) bool {
	for _, r := range poly {
		for i := 0; i+1 < len(r); i++ {
			if orient(r[i], r[i+1], p) == 0 && onSegment(r[i], r[i+1], p) {
				return true
			}
		}
	}
	return false
}

// scanlinePoint returns the midpoint of the widest inside interval of a
// horizontal line through the polygon. The line is placed between vertex
// latitudes, so it never passes through a vertex and the crossings pair up
// into inside intervals exactly.
func scanlinePoint(poly orb.Polygon) (orb.Point, bool) {
	ys := make([]float64, 0, len(poly[0]))
	for _, r := range poly {
		for _, p := range r {
			ys = append(ys, p[1])
		}
	}
	slices.Sort(ys)
	// Try the gap between the two middle distinct latitudes first, then widen.
	type gap struct{ y, w float64 }
	var gaps []gap
	for i := 0; i+1 < len(ys); i++ {
		if ys[i+1] > ys[i] {
			gaps = append(gaps, gap{(ys[i] + ys[i+1]) / 2, ys[i+1] - ys[i]})
		}
	}
	var best orb.Point
	bestW := 0.0
	for _, g := range gaps {
		var xs []float64
		for _, r := range poly {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, b := r[i], r[j]
				if (a[1] > g.y) != (b[1] > g.y) {
					xs = append(xs, a[0]+(g.y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
				}
			}
		}
		slices.Sort(xs)
		for k := 0; k+1 < len(xs); k += 2 {
			if w := xs[k+1] - xs[k]; w > bestW {
				bestW, best = w, orb.Point{(xs[k] + xs[k+1]) / 2, g.y}
			}
		}
	}
	return best, bestW > 0
}
