package coverage

import (
	"math"

	"github.com/paulmach/orb"
)

// preparedMultiPolygon answers "is this point in the multipolygon" with
// exactly the answer of planar.MultiPolygonContains (boundary points are
// in, the same ray-casting tie-breaks) but without its per-call cost:
// planar.RingContains recomputes the ring's bound (a pass over every
// vertex) and tests every edge on each call, so the tie-break of
// assignCells cost O(vertices) per cell and was the largest CPU item of a
// national index (docs/performance.md). Here each ring keeps its bound and
// its edges bucketed into vertical strips, so a query tests only the edges
// whose x-range can hold the point.
type preparedMultiPolygon struct {
	polys []preparedPolygon
}

type preparedPolygon struct {
	bound orb.Bound // of the outer ring: nothing outside it can be inside
	rings []preparedRing
}

type preparedRing struct {
	r          orb.Ring
	bound      orb.Bound
	minX, step float64 // strip k covers x in [minX + k*step, minX + (k+1)*step)
	start      []int32 // strip k holds edges[start[k]:start[k+1]]
	edges      []int32 // edge e joins r[e-1] and r[e]; edge 0 joins r[len-1] and r[0]
}

func prepareMultiPolygon(mp orb.MultiPolygon) preparedMultiPolygon {
	out := preparedMultiPolygon{polys: make([]preparedPolygon, len(mp))}
	for i, p := range mp {
		pp := preparedPolygon{rings: make([]preparedRing, len(p))}
		for j, r := range p {
			pp.rings[j] = prepareRing(r)
		}
		if len(p) > 0 {
			pp.bound = pp.rings[0].bound
		}
		out.polys[i] = pp
	}
	return out
}

// edgeEnds returns the two ends of edge e in the order planar.RingContains
// passes them (its first test is the closing edge r[0]–r[len-1]).
func (pr *preparedRing) edgeEnds(e int32) (orb.Point, orb.Point) {
	if e == 0 {
		return pr.r[0], pr.r[len(pr.r)-1]
	}
	return pr.r[e-1], pr.r[e]
}

// prepareRing buckets the edges of r into about one strip per four edges,
// so a strip holds a handful of edges plus those crossing it.
func prepareRing(r orb.Ring) preparedRing {
	pr := preparedRing{r: r}
	if len(r) == 0 {
		return pr
	}
	pr.bound = r.Bound()
	n := max(1, len(r)/4)
	w := pr.bound.Max[0] - pr.bound.Min[0]
	pr.minX = pr.bound.Min[0]
	pr.step = w / float64(n)
	if !(pr.step > 0) {
		n, pr.step = 1, 1 // a vertical or one-point ring: one strip
	}
	pr.start = make([]int32, n+1)
	// Two passes (count, then fill) keep the strips in one array.
	for pass := 0; pass < 2; pass++ {
		fill := pr.start
		if pass == 1 {
			for k := 1; k <= n; k++ {
				pr.start[k] += pr.start[k-1]
			}
			pr.edges = make([]int32, pr.start[n])
			fill = append([]int32(nil), pr.start[:n]...)
		}
		for e := int32(0); int(e) < len(r); e++ {
			a, b := pr.edgeEnds(e)
			k0, k1 := pr.strip(min(a[0], b[0]), n), pr.strip(max(a[0], b[0]), n)
			for k := k0; k <= k1; k++ {
				if pass == 0 {
					pr.start[k+1]++
				} else {
					pr.edges[fill[k]] = e
					fill[k]++
				}
			}
		}
	}
	return pr
}

// strip is the strip of x, clamped to [0, n). It is monotone in x, so an
// edge spanning [lo, hi] is listed in every strip a point with lo ≤ x ≤ hi
// can fall in.
func (pr *preparedRing) strip(x float64, n int) int {
	return min(max(int(math.Floor((x-pr.minX)/pr.step)), 0), n-1)
}

// contains is planar.RingContains(pr.r, p). Edges whose x-range does not
// hold p.x can neither be crossed by p's ray nor hold p (rayCross returns
// false, false for them), so skipping them changes nothing; parity and
// "on the boundary" do not depend on the order the edges are tested in.
func (pr *preparedRing) contains(p orb.Point) bool {
	if len(pr.r) == 0 || !pr.bound.Contains(p) {
		return false
	}
	n := len(pr.start) - 1
	k := pr.strip(p[0], n)
	in := false
	for _, e := range pr.edges[pr.start[k]:pr.start[k+1]] {
		a, b := pr.edgeEnds(e)
		cross, on := rayCross(p, a, b)
		if on {
			return true
		}
		if cross {
			in = !in
		}
	}
	return in
}

func (pp *preparedPolygon) contains(p orb.Point) bool {
	if len(pp.rings) == 0 || !pp.rings[0].contains(p) {
		return false
	}
	for i := 1; i < len(pp.rings); i++ {
		if pp.rings[i].contains(p) {
			return false // in a hole
		}
	}
	return true
}

func (pm *preparedMultiPolygon) contains(p orb.Point) bool {
	for i := range pm.polys {
		if pm.polys[i].bound.Contains(p) && pm.polys[i].contains(p) {
			return true
		}
	}
	return false
}

// rayCross reports whether the upward ray from p (towards +y) crosses the
// segment a–b, and whether p lies on it. It is the edge test of
// paulmach/orb's planar.RingContains (MIT), restated so the prepared rings
// decide every point, boundary and degenerate cases included, exactly as
// the planar test the index used before, with the same floating-point
// expressions. A point sharing an x with an end of the segment is nudged
// one ulp to +x so a vertex is counted once.
func rayCross(p, a, b orb.Point) (cross, on bool) {
	if a[0] > b[0] {
		a, b = b, a
	}
	switch p[0] {
	case a[0]:
		if p[1] == a[1] {
			return false, true // p is an end
		}
		if a[0] == b[0] { // vertical segment: on it when between the ends
			if (a[1] > b[1] && a[1] >= p[1] && p[1] >= b[1]) || (b[1] > a[1] && b[1] >= p[1] && p[1] >= a[1]) {
				return false, true
			}
		}
		p[0] = math.Nextafter(p[0], math.Inf(1))
	case b[0]:
		if p[1] == b[1] {
			return false, true
		}
		p[0] = math.Nextafter(p[0], math.Inf(1))
	}
	if p[0] < a[0] || p[0] > b[0] {
		return false, false
	}
	lo, hi := a[1], b[1]
	if lo > hi {
		lo, hi = hi, lo
	}
	if p[1] > hi {
		return false, false
	}
	if p[1] < lo {
		return true, false
	}
	rs := (p[1] - a[1]) / (p[0] - a[0])
	ds := (b[1] - a[1]) / (b[0] - a[0])
	if rs == ds {
		return false, true
	}
	return rs <= ds, false
}
