package dossier

import "github.com/onestop/onestop/data"

// PointsFromCommunes makes one demand point per commune, for tests on
// datasets without gridded population: the whole commune's population at
// its centre, with the nearest office in a straight line.
func PointsFromCommunes(ds *data.Dataset) []Point {
	pts := make([]Point, len(ds.Communes))
	for i, c := range ds.Communes {
		near := -1
		if len(ds.Offices) > 0 {
			near = nearestOffice(ds.Offices, c)
		}
		pts[i] = Point{Commune: c.Code, Class: c.Class, Population: c.Population, NearestOffice: near}
	}
	return pts
}
