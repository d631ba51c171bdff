package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// The local frame is an equirectangular projection around the province's
// middle latitude: over 70 km its scale error is far below the 10 % area
// tolerance, and it keeps straight lines straight in both frames.
const (
	originLon   = 106.30
	originLat   = 10.85
	midLat      = 11.18
	kmPerDegLat = 110.574
)

func kmPerDegLon() float64 { return 111.320 * math.Cos(midLat*math.Pi/180) }

func toLonLat(p pt) (lon, lat float64) {
	return originLon + p.X/kmPerDegLon(), originLat + p.Y/kmPerDegLat
}

func fromLonLat(lon, lat float64) pt {
	return pt{(lon - originLon) * kmPerDegLon(), (lat - originLat) * kmPerDegLat}
}

// districtPlan fixes what the pilot province looks like at district level:
// GSO-style codes 718–726, the unit mix of each district (47 wards, 5
// towns, 39 rural communes in all) and its rough place and size, so every
// seed yields the same administrative structure with different shapes.
type districtPlan struct {
	code     string
	name     string
	lon, lat float64 // approximate middle of the district
	areaKm2  float64
	wards    int
	towns    int
	communes int
}

func districtPlans() []districtPlan {
	return []districtPlan{
		{"718", "Thành phố Bình Phú", 106.66, 11.00, 118, 14, 0, 0},
		{"719", "Huyện Lai Hưng", 106.62, 11.27, 340, 0, 1, 6},
		{"720", "Huyện Minh Tân", 106.43, 11.36, 720, 0, 1, 11},
		{"721", "Thị xã Mỹ Phước", 106.56, 11.13, 234, 6, 0, 2},
		{"722", "Huyện Phước Hòa", 106.80, 11.36, 543, 0, 1, 10},
		{"723", "Thành phố Vĩnh Tân", 106.80, 11.06, 192, 11, 0, 1},
		{"724", "Thành phố Đông Hòa", 106.78, 10.92, 60, 7, 0, 0},
		{"725", "Thành phố An Thạnh", 106.70, 10.93, 84, 9, 0, 1},
		{"726", "Huyện Tân Định", 106.88, 11.19, 400, 0, 2, 8},
	}
}

// provinceCode is the GSO code of the pilot province the demo imitates.
const provinceCode = "74"

// outline is the province boundary: the convex hull of a rough trace of
// Binh Duong's shape, scaled about its centroid to the planned total area.
// Convexity lets every cell be cut with half-planes only.
func outline(totalKm2 float64) ring {
	trace := [][2]float64{
		{106.70, 10.88}, {106.80, 10.87}, {106.90, 10.97}, {106.98, 11.12},
		{106.97, 11.32}, {106.82, 11.47}, {106.55, 11.50}, {106.36, 11.43},
		{106.33, 11.30}, {106.50, 11.10}, {106.62, 10.95},
	}
	pts := make([]pt, len(trace))
	for i, t := range trace {
		pts[i] = fromLonLat(t[0], t[1])
	}
	h := convexHull(pts)
	c := h.centroid()
	k := math.Sqrt(totalKm2 / h.area())
	for i := range h {
		h[i] = c.add(h[i].sub(c).scale(k))
	}
	return h
}

// fitDistricts cuts the outline into one convex cell per district: a power
// diagram whose weights are adjusted until every cell has its planned area.
// Centers are jittered by the seed so each seed draws different borders.
func fitDistricts(rng *rand.Rand, plans []districtPlan, out ring) ([]ring, []pt, error) {
	n := len(plans)
	sites := make([]pt, n)
	for i, p := range plans {
		sites[i] = fromLonLat(p.lon, p.lat).add(pt{rng.Float64()*3 - 1.5, rng.Float64()*3 - 1.5})
	}
	w := make([]float64, n)
	cells := make([]ring, n)
	worst := 0.0
	for iter := 0; iter < 400; iter++ {
		worst = 0
		for i := range plans {
			cells[i] = powerCell(out, sites, w, i)
			a := 0.0
			if cells[i] != nil {
				a = cells[i].area()
			}
			rel := math.Abs(a-plans[i].areaKm2) / plans[i].areaKm2
			worst = math.Max(worst, rel)
			// dArea/dWeight is about the cell's perimeter over twice the
			// distance to its neighbours, of order 1–3; a quarter step converges
			// without overshooting.
			w[i] += 0.25 * (plans[i].areaKm2 - a)
		}
		if worst < 0.003 {
			break
		}
	}
	for i := range plans {
		cells[i] = powerCell(out, sites, w, i)
		if cells[i] == nil {
			return nil, nil, fmt.Errorf("district %s: power diagram left no area", plans[i].code)
		}
	}
	if worst > 0.05 {
		return nil, nil, fmt.Errorf("district areas did not converge (worst error %.1f %%)", 100*worst)
	}
	return cells, sites, nil
}

// sampleInConvex draws a uniform point at least margin km inside convex ring r.
func sampleInConvex(rng *rand.Rand, r ring, margin float64) pt {
	lo, hi := r.bbox()
	for try := 0; try < 10000; try++ {
		p := pt{lo.X + rng.Float64()*(hi.X-lo.X), lo.Y + rng.Float64()*(hi.Y-lo.Y)}
		if r.containsConvex(p, margin) {
			return p
		}
	}
	return r.centroid() // a cell thinner than twice the margin: its centroid is still inside
}

// splitDistrict cuts a district cell into n convex commune cells: seeded
// sites moved by Lloyd iterations towards their cells' centroids. More
// iterations make evenly sized cells (planned urban wards); fewer keep the
// uneven sizes of rural communes.
func splitDistrict(rng *rand.Rand, cell ring, n, lloyd int) []ring {
	sites := make([]pt, n)
	for i := range sites {
		sites[i] = sampleInConvex(rng, cell, 0.2)
	}
	w := make([]float64, n)
	cells := make([]ring, n)
	for it := 0; ; it++ {
		for i := range sites {
			cells[i] = powerCell(cell, sites, w, i)
		}
		if it == lloyd {
			return cells
		}
		for i := range sites {
			if cells[i] != nil {
				sites[i] = cells[i].centroid()
			}
		}
	}
}
