package data

import (
	"math"

	"github.com/paulmach/orb"
)

// edgeIndex answers point-in-polygon and distance-to-boundary queries on one
// MultiPolygon by looking only at the edges near the point. A national
// boundary file has communes of thousands of vertices, and the overlap check
// asks hundreds of such questions per pair of neighbours: a full pass over
// the edges for each made validating 3,321 units take half a minute.
//
// The edges are bucketed into vertical bands of equal width; an edge is in
// every band its x extent touches. Containment follows orb's planar
// semantics (a point on a ring counts as inside that ring; a polygon
// contains a point inside its shell and inside none of its holes), so the
// answers match planar.MultiPolygonContains.
//
// An edgeIndex keeps scratch state for its queries: it is not safe for
// concurrent use (the loader is sequential).
type edgeIndex struct {
	mp     orb.MultiPolygon
	bound  orb.Bound
	rings  []orb.Ring
	polyOf []int32 // polygon of each ring
	isHole []bool
	minX   float64
	bandW  float64 // 0 when there is a single band
	bands  [][]edgeRef
	// Per-query scratch, indexed by ring: crossings parity and "on the ring".
	odd, on []bool
	touched []int32
}

// edgeRef is the edge from rings[ring][i] to rings[ring][i+1].
type edgeRef struct{ ring, i int32 }

// edgesPerBand is the target number of edges per band: small enough that a
// query reads a few dozen edges, large enough that long edges spanning many
// bands do not multiply the index.
const edgesPerBand = 8

func newEdgeIndex(mp orb.MultiPolygon, bound orb.Bound) *edgeIndex {
	ix := &edgeIndex{mp: mp, bound: bound, minX: bound.Min[0]}
	n := 0
	for pi, p := range mp {
		for ri, r := range p {
			ix.rings = append(ix.rings, r)
			ix.polyOf = append(ix.polyOf, int32(pi))
			ix.isHole = append(ix.isHole, ri > 0)
			n += len(r)
		}
	}
	nb := max(1, min(n/edgesPerBand, 1<<16))
	if w := bound.Max[0] - bound.Min[0]; w > 0 && nb > 1 {
		ix.bandW = w / float64(nb)
	} else {
		nb = 1
	}
	ix.bands = make([][]edgeRef, nb)
	for ri, r := range ix.rings {
		for i := 0; i+1 < len(r); i++ {
			lo, hi := ix.band(math.Min(r[i][0], r[i+1][0])), ix.band(math.Max(r[i][0], r[i+1][0]))
			for b := lo; b <= hi; b++ {
				ix.bands[b] = append(ix.bands[b], edgeRef{int32(ri), int32(i)})
			}
		}
	}
	ix.odd = make([]bool, len(ix.rings))
	ix.on = make([]bool, len(ix.rings))
	return ix
}

// band is the band holding x, clamped to the index.
func (ix *edgeIndex) band(x float64) int {
	if ix.bandW == 0 {
		return 0
	}
	b := int((x - ix.minX) / ix.bandW)
	return max(0, min(b, len(ix.bands)-1))
}

// contains tells whether p lies in the MultiPolygon (boundary included).
func (ix *edgeIndex) contains(p orb.Point) bool {
	if !ix.bound.Contains(p) {
		return false
	}
	// A vertical ray upwards from p crosses only edges whose x extent holds
	// p[0], and all of those are in p's band.
	for _, e := range ix.bands[ix.band(p[0])] {
		a, b := ix.rings[e.ring][e.i], ix.rings[e.ring][e.i+1]
		o := orient(a, b, p)
		if o == 0 && onSegment(a, b, p) {
			ix.mark(e.ring, true)
			continue
		}
		// Half-open rule: an edge counts when p[0] is in [min x, max x), so
		// a vertex on the ray is counted once.
		if (a[0] <= p[0]) == (b[0] <= p[0]) {
			continue
		}
		if a[0] > b[0] {
			o = -o
		}
		if o < 0 { // the edge passes above p
			ix.mark(e.ring, false)
		}
	}
	in := false
	for _, r := range ix.touched {
		if !ix.isHole[r] && (ix.odd[r] || ix.on[r]) && !ix.inHoleOf(ix.polyOf[r]) {
			in = true
			break
		}
	}
	for _, r := range ix.touched {
		ix.odd[r], ix.on[r] = false, false
	}
	ix.touched = ix.touched[:0]
	return in
}

// inHoleOf tells whether the current query point is in (or on) a hole of
// polygon poly; only touched rings can hold it.
func (ix *edgeIndex) inHoleOf(poly int32) bool {
	for _, r := range ix.touched {
		if ix.isHole[r] && ix.polyOf[r] == poly && (ix.odd[r] || ix.on[r]) {
			return true
		}
	}
	return false
}

// mark records a crossing of ring r (or p lying on it).
func (ix *edgeIndex) mark(r int32, on bool) {
	if !ix.odd[r] && !ix.on[r] {
		ix.touched = append(ix.touched, r)
	}
	if on {
		ix.on[r] = true
	} else {
		ix.odd[r] = !ix.odd[r]
	}
}

// distanceKm is the distance from p to the nearest edge, in km, computed as
// distanceToBoundaryKm does (equirectangular at p's latitude) but reading
// bands outward from p's until no nearer edge can remain.
func (ix *edgeIndex) distanceKm(p orb.Point) float64 {
	kx := kmPerDegLon * math.Cos(p[1]*math.Pi/180)
	lp := orb.Point{p[0] * kx, p[1] * kmPerDegLat}
	best := math.Inf(1)
	scan := func(b int) {
		for _, e := range ix.bands[b] {
			r := ix.rings[e.ring]
			a := orb.Point{r[e.i][0] * kx, r[e.i][1] * kmPerDegLat}
			c := orb.Point{r[e.i+1][0] * kx, r[e.i+1][1] * kmPerDegLat}
			best = math.Min(best, segDistSq(lp, a, c))
		}
	}
	home := ix.band(p[0])
	scan(home)
	for k := 1; k < len(ix.bands); k++ {
		lo, hi := home-k, home+k
		if lo < 0 && hi >= len(ix.bands) {
			break
		}
		// The nearest x any edge of band home±k can have is k-1 band widths
		// (plus p's offset inside its band) away; a lower bound is enough.
		gap := float64(k-1) * ix.bandW * kx
		if gap*gap >= best {
			break
		}
		if lo >= 0 {
			scan(lo)
		}
		if hi < len(ix.bands) {
			scan(hi)
		}
	}
	return math.Sqrt(best)
}
