package reports

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
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
// between communes of two districts, and edges no other commune shares (the
// province border) — chained into polylines along the rings, thinned like
// the commune outlines. Edges are matched by their end points rounded to
// ~0.1 m, so communes cut from one boundary set share them exactly.
func districtOutlines(communes []CommuneRow) []geoLine {
	type edge [2][2]float64
	key := func(a, b orb.Point) edge {
		p, q := [2]float64{round7(a[0]), round7(a[1])}, [2]float64{round7(b[0]), round7(b[1])}
		if p[0] > q[0] || (p[0] == q[0] && p[1] > q[1]) {
			p, q = q, p
		}
		return edge{p, q}
	}
	owners := map[edge][]string{} // districts of the communes sharing the edge
	for _, c := range communes {
		forEachEdge(c.Geometry, func(a, b orb.Point) {
			k := key(a, b)
			owners[k] = append(owners[k], c.District)
		})
	}
	bounding := func(k edge) bool {
		ds := owners[k]
		if len(ds) == 1 {
			return true
		}
		for _, d := range ds[1:] {
			if d != ds[0] {
				return true
			}
		}
		return false
	}
	done := map[edge]bool{}
	var lines []geoLine
	for _, c := range communes {
		for _, p := range c.Geometry {
			for _, ring := range p {
				var run orb.LineString
				flush := func() {
					if len(run) >= 2 {
						lines = append(lines, outlineLine(run))
					}
					run = nil
				}
				for i := 0; i+1 < len(ring); i++ {
					k := key(ring[i], ring[i+1])
					if !bounding(k) || done[k] {
						flush()
						continue
					}
					done[k] = true
					if len(run) == 0 {
						run = append(run, ring[i])
					}
					run = append(run, ring[i+1])
				}
				flush()
			}
		}
	}
	return lines
}

// forEachEdge calls f for every segment of every ring.
func forEachEdge(mp orb.MultiPolygon, f func(a, b orb.Point)) {
	for _, p := range mp {
		for _, ring := range p {
			for i := 0; i+1 < len(ring); i++ {
				f(ring[i], ring[i+1])
			}
		}
	}
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

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }
