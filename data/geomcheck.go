package data

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// geomIssue is one defect of a geometry, phrased for a Problem.
type geomIssue struct {
	msg, fix string
}

const ringFix = "repair the geometry in QGIS (Vector > Geometry Tools > Check Validity / Fix Geometries) or with ST_MakeValid"

// checkArea validates a (Multi)Polygon: every ring closed with at least four
// positions and non-zero area, and no polygon crossing itself.
func checkArea(mp orb.MultiPolygon) []geomIssue {
	if len(mp) == 0 {
		return []geomIssue{{"geometry is empty (no polygons)", "draw the boundary or delete the feature"}}
	}
	var out []geomIssue
	for pi, poly := range mp {
		where := ""
		if len(mp) > 1 {
			where = fmt.Sprintf("polygon %d: ", pi+1)
		}
		if len(poly) == 0 {
			out = append(out, geomIssue{where + "polygon has no rings", "delete the empty polygon"})
			continue
		}
		ringsOK := true
		for ri, ring := range poly {
			rw := where + fmt.Sprintf("ring %d", ri+1)
			switch {
			case len(ring) < 4:
				out = append(out, geomIssue{fmt.Sprintf("%s has %d position(s), a closed ring needs at least 4", rw, len(ring)), ringFix})
				ringsOK = false
			case ring[0] != ring[len(ring)-1]:
				out = append(out, geomIssue{fmt.Sprintf("%s is not closed: it starts at %v and ends at %v", rw, ring[0], ring[len(ring)-1]),
					"repeat the first position at the end of the ring"})
				ringsOK = false
			}
		}
		if !ringsOK {
			continue
		}
		// Crossing first: a symmetric bow tie also has zero signed area, and
		// "intersects itself" is the message that explains it.
		if p, ok := selfIntersection(poly); ok {
			out = append(out, geomIssue{fmt.Sprintf("%spolygon intersects itself near lon %.6f, lat %.6f", where, p[0], p[1]), ringFix})
			continue
		}
		for ri, ring := range poly {
			if ringArea(ring) == 0 {
				out = append(out, geomIssue{where + fmt.Sprintf("ring %d has zero area (all positions on one line or identical)", ri+1), ringFix})
			}
		}
	}
	return out
}

// ringArea is the signed shoelace area in squared degrees.
func ringArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

type segment struct {
	a, b       orb.Point
	ring, idx  int // ring number and position of the segment in its cleaned ring
	n          int // segments in the ring
	minX, maxX float64
}

// selfIntersection finds a point where two non-adjacent edges of the polygon
// meet. Edges are swept in x order so only edges with overlapping x ranges
// are compared: O(n log n + k) on real boundaries instead of O(n²).
// Edges of different rings may touch at a point (valid per OGC) but not cross.
func selfIntersection(poly orb.Polygon) (orb.Point, bool) {
	total := 0
	for _, ring := range poly {
		total += len(ring)
	}
	segs := make([]segment, 0, total)
	clean := make([]orb.Point, 0, total)
	for ri, ring := range poly {
		clean = clean[:0]
		for _, p := range ring {
			if len(clean) == 0 || clean[len(clean)-1] != p {
				clean = append(clean, p)
			}
		}
		n := len(clean) - 1
		if n < 3 {
			continue
		}
		for i := 0; i < n; i++ {
			a, b := clean[i], clean[i+1]
			segs = append(segs, segment{a: a, b: b, ring: ri, idx: i, n: n,
				minX: math.Min(a[0], b[0]), maxX: math.Max(a[0], b[0])})
		}
		// A spike (the ring turning back on itself) is an overlap of adjacent edges.
		for i := 0; i < n; i++ {
			p, q, r := clean[i], clean[i+1], clean[(i+2)%n]
			if i+2 > n {
				r = clean[1]
			}
			if orient(p, q, r) == 0 && (q[0]-p[0])*(r[0]-q[0])+(q[1]-p[1])*(r[1]-q[1]) < 0 {
				return q, true
			}
		}
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmp.Compare(a.minX, b.minX) })
	active := make([]int, 0, 64)
	for i := range segs {
		s := &segs[i]
		keep := active[:0]
		for _, j := range active {
			if segs[j].maxX >= s.minX {
				keep = append(keep, j)
			}
		}
		active = keep
		for _, j := range active {
			t := &segs[j]
			if p, ok := segmentsConflict(s, t); ok {
				return p, true
			}
		}
		active = append(active, i)
	}
	return orb.Point{}, false
}

func adjacent(s, t *segment) bool {
	if s.ring != t.ring {
		return false
	}
	d := s.idx - t.idx
	if d < 0 {
		d = -d
	}
	return d == 1 || d == s.n-1
}

// segmentsConflict reports whether two edges meet where a valid polygon's edges may not.
func segmentsConflict(s, t *segment) (orb.Point, bool) {
	if adjacent(s, t) {
		return orb.Point{}, false
	}
	if math.Max(s.a[1], s.b[1]) < math.Min(t.a[1], t.b[1]) || math.Max(t.a[1], t.b[1]) < math.Min(s.a[1], s.b[1]) {
		return orb.Point{}, false
	}
	o1, o2 := orient(s.a, s.b, t.a), orient(s.a, s.b, t.b)
	o3, o4 := orient(t.a, t.b, s.a), orient(t.a, t.b, s.b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return crossPoint(s.a, s.b, t.a, t.b), true
	}
	if o1 == 0 && o2 == 0 {
		// Collinear: overlapping with positive length is always invalid.
		if p, ok := collinearOverlap(s.a, s.b, t.a, t.b); ok {
			return p, true
		}
		if s.ring != t.ring {
			return orb.Point{}, false
		}
	}
	if s.ring != t.ring {
		return orb.Point{}, false
	}
	// Same ring: any contact of non-adjacent edges makes the ring self-touching.
	switch {
	case o1 == 0 && onSegment(s.a, s.b, t.a):
		return t.a, true
	case o2 == 0 && onSegment(s.a, s.b, t.b):
		return t.b, true
	case o3 == 0 && onSegment(t.a, t.b, s.a):
		return s.a, true
	case o4 == 0 && onSegment(t.a, t.b, s.b):
		return s.b, true
	}
	return orb.Point{}, false
}

// orient is the sign of the turn p→q→r: +1 left, -1 right, 0 collinear.
func orient(p, q, r orb.Point) int {
	v := (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func onSegment(a, b, p orb.Point) bool {
	return p[0] >= math.Min(a[0], b[0]) && p[0] <= math.Max(a[0], b[0]) &&
		p[1] >= math.Min(a[1], b[1]) && p[1] <= math.Max(a[1], b[1])
}

func collinearOverlap(a, b, c, d orb.Point) (orb.Point, bool) {
	// Project on the dominant axis and intersect the intervals.
	ax := 0
	if math.Abs(b[0]-a[0]) < math.Abs(b[1]-a[1]) {
		ax = 1
	}
	lo1, hi1 := math.Min(a[ax], b[ax]), math.Max(a[ax], b[ax])
	lo2, hi2 := math.Min(c[ax], d[ax]), math.Max(c[ax], d[ax])
	lo, hi := math.Max(lo1, lo2), math.Min(hi1, hi2)
	if hi > lo {
		for _, p := range []orb.Point{c, d, a, b} {
			if p[ax] == lo {
				return p, true
			}
		}
		return c, true
	}
	return orb.Point{}, false
}

func crossPoint(a, b, c, d orb.Point) orb.Point {
	den := (b[0]-a[0])*(d[1]-c[1]) - (b[1]-a[1])*(d[0]-c[0])
	if den == 0 {
		return a
	}
	t := ((c[0]-a[0])*(d[1]-c[1]) - (c[1]-a[1])*(d[0]-c[0])) / den
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

// Local metric conversion: at Vietnamese latitudes an equirectangular
// projection around the feature is accurate to well under 1 % for commune sizes.
const (
	kmPerDegLat = 110.574
	kmPerDegLon = 111.320
)

// polygonAreaKm2 is the area of a polygon (shell minus holes) in km².
func polygonAreaKm2(p orb.Polygon) float64 {
	if len(p) == 0 || len(p[0]) == 0 {
		return 0
	}
	k := kmPerDegLon * math.Cos(p[0][0][1]*math.Pi/180) * kmPerDegLat
	a := math.Abs(ringArea(p[0]))
	for _, h := range p[1:] {
		a -= math.Abs(ringArea(h))
	}
	return a * k
}

func ringPerimeterKm(r orb.Ring) float64 {
	if len(r) == 0 {
		return 0
	}
	cx := kmPerDegLon * math.Cos(r[0][1]*math.Pi/180)
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += math.Hypot((r[i+1][0]-r[i][0])*cx, (r[i+1][1]-r[i][1])*kmPerDegLat)
	}
	return s
}
