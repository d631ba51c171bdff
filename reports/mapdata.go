package reports

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// mapTolerance is the Douglas–Peucker tolerance (degrees, ≈ 30 m) for the
// commune outlines drawn in the report: finer detail is invisible at province
// scale and would only bloat the page. Exports keep the full geometry.
const mapTolerance = 0.0003

// registerMapJS returns the script line that registers the communes as an
// echarts map named name. Each feature's "name" is the commune code, which
// the map series' data items use to join.
func registerMapJS(name string, communes []CommuneRow) (string, error) {
	fc := geojson.NewFeatureCollection()
	for _, c := range communes {
		g := simplifyForMap(c.Geometry)
		if len(g) == 0 {
			continue
		}
		f := geojson.NewFeature(g)
		f.Properties = geojson.Properties{"name": c.Code}
		fc.Append(f)
	}
	b, err := json.Marshal(fc) // escapes <, > and &, so the script cannot be closed by a name
	if err != nil {
		return "", fmt.Errorf("encode commune outlines for the map: %w", err)
	}
	nameJSON, _ := json.Marshal(name)
	return fmt.Sprintf("echarts.registerMap(%s, %s);", nameJSON, b), nil
}

// simplifyForMap thins each ring and rounds coordinates to ~1 m. A ring
// that would collapse keeps its original points if it is an outer ring (so
// small communes still show) and is dropped if it is a hole.
func simplifyForMap(mp orb.MultiPolygon) orb.MultiPolygon {
	dp := simplify.DouglasPeucker(mapTolerance)
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		var poly orb.Polygon
		for ri, ring := range p {
			thin := dp.Ring(ring.Clone())
			if len(thin) < 4 {
				if ri > 0 {
					continue
				}
				thin = ring
			}
			r := make(orb.Ring, len(thin))
			for i, pt := range thin {
				r[i] = orb.Point{round5(pt[0]), round5(pt[1])}
			}
			poly = append(poly, r)
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	return out
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// districtOutlines returns the commune edges that bound a district — edges
// between communes of two districts and edges on the province border —
// chained into polylines along the rings. Real boundary sets rarely share
// vertices exactly, so an edge is classified by what lies a few metres to
// each side of its midpoint: the same district on both sides makes it
// internal. Each district border is drawn once, from the side of the
// smaller district code.
func districtOutlines(communes []CommuneRow) []geoLine {
	shapes := make([]orb.MultiPolygon, len(communes))
	bounds := make([]orb.Bound, len(communes))
	for i, c := range communes {
		shapes[i] = simplifyForMap(c.Geometry)
		bounds[i] = shapes[i].Bound()
	}
	districtAt := func(p orb.Point) (string, bool) {
		for i, c := range communes {
			if len(shapes[i]) > 0 && bounds[i].Contains(p) && planar.MultiPolygonContains(shapes[i], p) {
				return c.District, true
			}
		}
		return "", false
	}
	var lines []geoLine
	for i, c := range communes {
		for _, p := range shapes[i] {
			for _, ring := range p {
				var run orb.LineString
				flush := func() {
					if len(run) >= 2 {
						lines = append(lines, outlineLine(run))
					}
					run = nil
				}
				for k := 0; k+1 < len(ring); k++ {
					if !drawEdge(ring[k], ring[k+1], c.District, districtAt) {
						flush()
						continue
					}
					if len(run) == 0 {
						run = append(run, ring[k])
					}
					run = append(run, ring[k+1])
				}
				flush()
			}
		}
	}
	return lines
}

// sideOffset is how far (degrees, ≈ 15 m) from an edge's midpoint the two
// sides are probed: beyond the slivers between neighbouring outlines, well
// inside any commune.
const sideOffset = 0.00015

// drawEdge decides whether the edge a→b of a commune in district d is a
// district border to draw from this side: the province border (nothing
// beyond it) or a border with a district of a greater code.
func drawEdge(a, b orb.Point, d string, districtAt func(orb.Point) (string, bool)) bool {
	dx, dy := b[0]-a[0], b[1]-a[1]
	n := math.Hypot(dx, dy)
	if n == 0 {
		return false
	}
	mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	nx, ny := -dy/n*sideOffset, dx/n*sideOffset
	left, okL := districtAt(orb.Point{mid[0] + nx, mid[1] + ny})
	right, okR := districtAt(orb.Point{mid[0] - nx, mid[1] - ny})
	// the other side is the one that is not this commune's district, if any
	other, ok := left, okL
	if okL && left == d {
		other, ok = right, okR
	}
	switch {
	case !ok:
		return true // province border
	case other == d:
		return false // inside the district
	}
	return d < other
}

// outlineLine thins a boundary polyline for drawing.
func outlineLine(ls orb.LineString) geoLine {
	thin := simplify.DouglasPeucker(mapTolerance).LineString(ls.Clone())
	coords := make([][2]float64, len(thin))
	for i, pt := range thin {
		coords[i] = [2]float64{round5(pt[0]), round5(pt[1])}
	}
	return geoLine{Coords: coords}
}
