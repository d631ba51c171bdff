package coverage

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Site is a place residents travel to: an office or a candidate location.
type Site struct {
	Name  string // used in error messages, e.g. the office id
	Point orb.Point
}

// siteIndex answers "which site is nearest in straight line" without
// scanning every site. Boxes live in a plane where x is longitude scaled by
// the smallest cos(latitude) of the data, so planar box distances are lower
// bounds of great-circle distances and the best-first search stays exact;
// the items themselves are ranked by exact haversine distance.
type siteIndex struct {
	tr    rtree.RTreeG[int32]
	sites []Site
	scale float64 // x = lon * scale
}

// newSiteIndex indexes sites; maxAbsLat bounds the latitudes of every
// point that will be queried.
func newSiteIndex(sites []Site, maxAbsLat float64) *siteIndex {
	for _, s := range sites {
		maxAbsLat = math.Max(maxAbsLat, math.Abs(s.Point[1]))
	}
	x := &siteIndex{sites: sites, scale: math.Cos(math.Min(maxAbsLat, 89) * math.Pi / 180)}
	for i, s := range sites {
		p := [2]float64{s.Point[0] * x.scale, s.Point[1]}
		x.tr.Insert(p, p, int32(i))
	}
	return x
}

// nearest returns the nearest site to (lon, lat) and its distance in km;
// equally near sites resolve to the lowest index.
func (x *siteIndex) nearest(lon, lat float64) (int32, float64) {
	q := [2]float64{lon * x.scale, lat}
	best, bestKm := int32(-1), math.Inf(1)
	x.tr.Nearby(
		func(min, max [2]float64, i int32, item bool) float64 {
			if item {
				s := x.sites[i].Point
				return haversineKm(lon, lat, s[0], s[1])
			}
			// 0.995: slack for the sphere's curvature over long boxes.
			return 0.995 * kmPerDegree * boxDist(q, min, max)
		},
		func(_, _ [2]float64, i int32, d float64) bool {
			if d > bestKm {
				return false
			}
			if d < bestKm || i < best {
				best, bestKm = i, d
			}
			return true
		},
	)
	return best, bestKm
}

func boxDist(q, min, max [2]float64) float64 {
	dx := math.Max(0, math.Max(min[0]-q[0], q[0]-max[0]))
	dy := math.Max(0, math.Max(min[1]-q[1], q[1]-max[1]))
	return math.Hypot(dx, dy)
}
