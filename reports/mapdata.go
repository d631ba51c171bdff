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
