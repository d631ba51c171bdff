package data

import (
	"fmt"

	"github.com/paulmach/orb"
)

// checkDegrees tells whether a bound can be lon/lat degrees. Two mistakes are
// common in Vietnamese GIS exports: projected metres (VN-2000 / UTM 48N, e.g.
// 680000, 1220000) and lat/lon order. Vietnam spans lon 102–110, lat 8–24, so
// a longitude there is > 90 and swapped axes show up as |lat| > 90.
func checkDegrees(b orb.Bound) (msg, fix string) {
	minX, minY, maxX, maxY := b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	absMax := func(a, b float64) float64 {
		if a < 0 {
			a = -a
		}
		if b < 0 {
			b = -b
		}
		if a > b {
			return a
		}
		return b
	}
	ax, ay := absMax(minX, maxX), absMax(minY, maxY)
	switch {
	case ax <= 180 && ay <= 90:
		return "", ""
	case ax <= 90 && ay <= 180:
		return fmt.Sprintf("coordinates look like lat/lon (first value %.4g, second %.4g): GeoJSON and onestop use lon, lat", minX, minY),
			"swap the axes: write [longitude, latitude], e.g. [106.65, 10.98] in Binh Duong"
	default:
		return fmt.Sprintf("coordinates are not lon/lat degrees (e.g. %.0f, %.0f): they look like projected metres (UTM/VN-2000)", minX, minY),
			"reproject to WGS84 lon/lat (EPSG:4326), e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"
	}
}
