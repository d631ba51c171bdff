// Package earth is onestop's one model of the Earth: a sphere of the IUGG
// mean radius, and the great-circle distance between lon/lat points on it.
// Every package that measures a straight line (cell to office, road
// segment, staff move, candidate site) measures it here, so their
// kilometres agree.
//
// orb/geo's distances use orb.EarthRadius, 6,378,137 m: the WGS 84
// equatorial radius of Web Mercator, 0.11 % longer than the mean radius and
// not settable. The mean radius is the sphere that best fits the ellipsoid,
// and the one onestop's coverage and road travel times have always used.
package earth

import (
	"math"

	"github.com/paulmach/orb"
)

// Radius is the IUGG mean Earth radius R1 in metres.
const Radius = 6371008.8

// RadiusKm is Radius in kilometres.
const RadiusKm = Radius / 1000

// KmPerDegree is the length of one degree of latitude (and of longitude at
// the equator) in kilometres.
const KmPerDegree = RadiusKm * math.Pi / 180

// Distance is the great-circle (haversine) distance in metres between two
// lon/lat points.
func Distance(a, b orb.Point) float64 {
	return Radius * angle(a, b)
}

// DistanceKm is Distance in kilometres.
func DistanceKm(a, b orb.Point) float64 {
	return RadiusKm * angle(a, b)
}

// Haversine is the haversine of the central angle between a and b,
// sin²(Δlat/2) + cos(lat a)·cos(lat b)·sin²(Δlon/2), capped at 1: a radius
// search can compare it with HaversineOf(km) and skip the square root and
// arcsine for points outside.
func Haversine(a, b orb.Point) float64 {
	const rad = math.Pi / 180
	lat1, lat2 := a[1]*rad, b[1]*rad
	s1 := math.Sin((lat2 - lat1) / 2)
	s2 := math.Sin((b[0] - a[0]) * rad / 2)
	return math.Min(1, s1*s1+math.Cos(lat1)*math.Cos(lat2)*s2*s2)
}

// HaversineOf is the haversine of a distance of km kilometres (km ≥ 0):
// DistanceKm(a, b) ≤ km exactly when Haversine(a, b) ≤ HaversineOf(km).
// Distances beyond half the circumference give 1.
func HaversineOf(km float64) float64 {
	s := math.Sin(math.Min(km/(2*RadiusKm), math.Pi/2))
	return s * s
}

// angle is the central angle in radians between a and b.
func angle(a, b orb.Point) float64 {
	return 2 * math.Asin(math.Sqrt(Haversine(a, b)))
}
