package coverage

import (
	"math"
	"slices"

	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// Site is a place residents travel to: an office or a candidate location.
type Site struct {
	Name  string // used in error messages, e.g. the office id
	Point orb.Point
}

// siteIndex answers "which site is nearest in straight line" without
// scanning every site: sites are bucketed on a grid in a plane where x is
// longitude scaled by the smallest cos(latitude) of the data, so planar
// distances are lower bounds of great-circle distances, and a query visits
// rings of buckets outward until the ring's lower bound exceeds the best
// exact (haversine) distance found. With about two sites per bucket a
// query computes a handful of haversines however many sites there are. A
// tidwall/rtree best-first search was measured first: its queue pushes
// every point of a visited leaf, which with leaves of up to 64 points
// made it as slow as the brute-force scan for a province's offices.
type siteIndex struct {
	sites      []Site
	scale      float64 // x = lon * scale
	minX, minY float64
	size       float64 // bucket side, plane units (degrees of latitude)
	nx, ny     int
	start      []int32 // bucket b holds items[start[b]:start[b+1]]
	items      []int32
	xs, ys     []float64
}

// newSiteIndex indexes sites; maxAbsLat bounds the latitudes of every
// point that will be queried.
func newSiteIndex(sites []Site, maxAbsLat float64) *siteIndex {
	for _, s := range sites {
		maxAbsLat = math.Max(maxAbsLat, math.Abs(s.Point[1]))
	}
	x := &siteIndex{sites: sites, scale: math.Cos(math.Min(maxAbsLat, 89) * math.Pi / 180)}
	x.xs, x.ys = make([]float64, len(sites)), make([]float64, len(sites))
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i, s := range sites {
		x.xs[i], x.ys[i] = s.Point[0]*x.scale, s.Point[1]
		minX, maxX = math.Min(minX, x.xs[i]), math.Max(maxX, x.xs[i])
		minY, maxY = math.Min(minY, x.ys[i]), math.Max(maxY, x.ys[i])
	}
	if len(sites) == 0 {
		return x
	}
	w, h := maxX-minX, maxY-minY
	x.size = math.Max(math.Sqrt(w*h*2/float64(len(sites))), math.Max(w, h)/1024)
	x.size = math.Max(x.size, 1e-6)
	x.minX, x.minY = minX, minY
	x.nx, x.ny = int(w/x.size)+1, int(h/x.size)+1
	x.start = make([]int32, x.nx*x.ny+1)
	bucket := make([]int, len(sites))
	for i := range sites {
		bx := min(int((x.xs[i]-minX)/x.size), x.nx-1)
		by := min(int((x.ys[i]-minY)/x.size), x.ny-1)
		bucket[i] = by*x.nx + bx
		x.start[bucket[i]+1]++
	}
	for b := 1; b < len(x.start); b++ {
		x.start[b] += x.start[b-1]
	}
	x.items = make([]int32, len(sites))
	fill := slices.Clone(x.start[:len(x.start)-1])
	for i, b := range bucket {
		x.items[fill[b]] = int32(i)
		fill[b]++
	}
	return x
}

// nearest returns the nearest site to (lon, lat) and its distance in km;
// equally near sites resolve to the lowest index. -1 when there are no sites.
func (x *siteIndex) nearest(lon, lat float64) (int32, float64) {
	best, bestKm := int32(-1), math.Inf(1)
	if len(x.sites) == 0 {
		return best, bestKm
	}
	// 0.995: slack for the sphere's curvature over long distances.
	const lb = 0.995 * earth.KmPerDegree
	qx, qy := lon*x.scale, lat
	cx := int(math.Floor((qx - x.minX) / x.size))
	cy := int(math.Floor((qy - x.minY) / x.size))
	// Rings nearer than the grid's edge hold no buckets.
	r0 := max(0, -cx, cx-(x.nx-1), -cy, cy-(x.ny-1))
	rMax := max(cx, x.nx-1-cx, cy, x.ny-1-cy, r0)
	visit := func(bx, by int) {
		if bx < 0 || by < 0 || bx >= x.nx || by >= x.ny {
			return
		}
		b := by*x.nx + bx
		for _, i := range x.items[x.start[b]:x.start[b+1]] {
			if lb*math.Hypot(x.xs[i]-qx, x.ys[i]-qy) > bestKm {
				continue
			}
			d := earth.DistanceKm(orb.Point{lon, lat}, x.sites[i].Point)
			if d < bestKm || (d == bestKm && i < best) {
				best, bestKm = i, d
			}
		}
	}
	for r := r0; r <= rMax; r++ {
		// Every bucket of ring r is at least r-1 bucket sides away.
		if r > 0 && lb*float64(r-1)*x.size > bestKm {
			break
		}
		if r == 0 {
			visit(cx, cy)
			continue
		}
		// Only the part of the ring inside the grid: a query far outside
		// it must not walk rings of empty buckets.
		for bx := max(cx-r, 0); bx <= min(cx+r, x.nx-1); bx++ {
			visit(bx, cy-r)
			visit(bx, cy+r)
		}
		for by := max(cy-r+1, 0); by <= min(cy+r-1, x.ny-1); by++ {
			visit(cx-r, by)
			visit(cx+r, by)
		}
	}
	return best, bestKm
}
