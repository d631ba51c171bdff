package dossier

import (
	"fmt"

	"github.com/onestop/onestop/data"
)

// NetworkFromDataset is the network as the dataset describes it, before any
// optimisation: every office open, each commune served by an office located
// in it (the lowest id when several), or else by the nearest office in a
// straight line. An office's class is its commune's class (urban when the
// commune is unknown).
func NetworkFromDataset(ds *data.Dataset) (Network, error) {
	if len(ds.Offices) == 0 {
		return Network{}, fmt.Errorf("dataset %q has no offices; fix: add an offices file or let the loader generate them", ds.Name)
	}
	net := Network{Offices: ds.Offices, Serves: map[string]int{}, Class: make([]data.AreaClass, len(ds.Offices))}
	class := map[string]data.AreaClass{}
	for _, c := range ds.Communes {
		class[c.Code] = c.Class
	}
	for i, o := range ds.Offices {
		net.Class[i] = data.Urban
		if c, ok := class[o.Commune]; ok {
			net.Class[i] = c
		}
		if prev, ok := net.Serves[o.Commune]; !ok || o.ID < ds.Offices[prev].ID {
			net.Serves[o.Commune] = i
		}
	}
	for _, c := range ds.Communes {
		if _, ok := net.Serves[c.Code]; !ok {
			net.Serves[c.Code] = nearestOffice(ds.Offices, c)
		}
	}
	return net, nil
}

// PointsFromCommunes makes one demand point per commune, for datasets
// without gridded population: the whole commune's population at its centre,
// with the nearest office in a straight line. Coverage results, when
// available, give better points.
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
