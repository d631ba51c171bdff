package coverage

import (
	"math"

	"github.com/onestop/onestop/data/earth"
)

// cellGrid buckets cell centres on a regular lon/lat grid so "all cells
// within r km of p" touches only the buckets of a box around p instead of
// every cell; candidate sets ask that thousands of times.
type cellGrid struct {
	minLon, minLat float64
	size           float64 // bucket side, degrees
	nx, ny         int
	start          []int32 // bucket b holds items[start[b]:start[b+1]]
	items          []int32 // cell indices, ascending within a bucket
	lon, lat       []float64
	cosLat         []float64 // cached: within needs it for every pair
}

func newCellGrid(cells []Cell) cellGrid {
	g := cellGrid{lon: make([]float64, len(cells)), lat: make([]float64, len(cells)), cosLat: make([]float64, len(cells))}
	if len(cells) == 0 {
		return g
	}
	minLon, minLat := math.Inf(1), math.Inf(1)
	maxLon, maxLat := math.Inf(-1), math.Inf(-1)
	for i, c := range cells {
		g.lon[i], g.lat[i] = c.Lon, c.Lat
		g.cosLat[i] = math.Cos(c.Lat * math.Pi / 180)
		minLon, maxLon = math.Min(minLon, c.Lon), math.Max(maxLon, c.Lon)
		minLat, maxLat = math.Min(minLat, c.Lat), math.Max(maxLat, c.Lat)
	}
	// About eight cells per bucket on average: small enough that a query
	// box wastes little, large enough that the bucket table stays small.
	area := (maxLon - minLon + 1e-9) * (maxLat - minLat + 1e-9)
	g.size = math.Max(math.Sqrt(area*8/float64(len(cells))), 1e-6)
	g.minLon, g.minLat = minLon, minLat
	g.nx = int((maxLon-minLon)/g.size) + 1
	g.ny = int((maxLat-minLat)/g.size) + 1
	g.start = make([]int32, g.nx*g.ny+1)
	bucket := make([]int32, len(cells))
	for i, c := range cells {
		b := g.bucket(c.Lon, c.Lat)
		bucket[i] = int32(b)
		g.start[b+1]++
	}
	for b := 1; b < len(g.start); b++ {
		g.start[b] += g.start[b-1]
	}
	g.items = make([]int32, len(cells))
	fill := make([]int32, g.nx*g.ny)
	copy(fill, g.start[:g.nx*g.ny])
	for i := range cells {
		b := bucket[i]
		g.items[fill[b]] = int32(i)
		fill[b]++
	}
	return g
}

func (g *cellGrid) bucket(lon, lat float64) int {
	ix := min(max(int((lon-g.minLon)/g.size), 0), g.nx-1)
	iy := min(max(int((lat-g.minLat)/g.size), 0), g.ny-1)
	return iy*g.nx + ix
}

// within calls visit for every cell whose centre is at most r km from
// (lon, lat), with its distance. Order: by bucket, then cell index.
//
// It is earth.DistanceKm specialised for the hot loop of candidate sets,
// on the same sphere: cos(lat) of every cell is cached, cells outside pay
// no sqrt/asin, and small angles take a Taylor path. It is several times
// faster (BenchmarkCandidateSetsBinhDuong; docs/coverage.md).
func (g *cellGrid) within(lon, lat, r float64, visit func(cell int32, km float64)) {
	if len(g.items) == 0 || r < 0 {
		return
	}
	dLat := r/earth.KmPerDegree*1.01 + 1e-9
	// The box must reach r km east-west at the box's most poleward latitude.
	maxAbs := math.Min(math.Abs(lat)+dLat, 89.9)
	dLon := math.Min(r/(earth.KmPerDegree*math.Cos(maxAbs*math.Pi/180))*1.01+1e-9, 180)
	x0 := int(math.Floor((lon - dLon - g.minLon) / g.size))
	x1 := int(math.Floor((lon + dLon - g.minLon) / g.size))
	y0 := int(math.Floor((lat - dLat - g.minLat) / g.size))
	y1 := int(math.Floor((lat + dLat - g.minLat) / g.size))
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, g.nx-1), min(y1, g.ny-1)
	// Compare the haversine itself against the radius's, so cells outside
	// pay no asin/sqrt.
	const rad = math.Pi / 180
	aMax := earth.HaversineOf(r)
	cosQ := math.Cos(lat * rad)
	for iy := y0; iy <= y1; iy++ {
		for ix := x0; ix <= x1; ix++ {
			b := iy*g.nx + ix
			for _, c := range g.items[g.start[b]:g.start[b+1]] {
				s1 := smallSin((g.lat[c] - lat) * rad / 2)
				s2 := smallSin((g.lon[c] - lon) * rad / 2)
				a := s1*s1 + cosQ*g.cosLat[c]*s2*s2
				if a <= aMax {
					visit(c, 2*earth.RadiusKm*smallAsin(math.Sqrt(math.Min(1, a))))
				}
			}
		}
	}
}

// smallSin and smallAsin are sin and asin with a Taylor fast path for the
// small angles of a radius search (|x| < 0.01 rad, 64 km): the first
// omitted term is below 1e-13 of the result, and the radius searches of
// candidate sets spend most of their time here. Larger angles use math.
func smallSin(x float64) float64 {
	if math.Abs(x) >= 0.01 {
		return math.Sin(x)
	}
	x2 := x * x
	return x * (1 - x2/6*(1-x2/20*(1-x2/42)))
}

func smallAsin(x float64) float64 {
	if x >= 0.01 {
		return math.Asin(x)
	}
	x2 := x * x
	return x * (1 + x2*(1.0/6+x2*(3.0/40+x2*(15.0/336))))
}
