package reports

import "github.com/onestop/onestop/data"

// Norms are the pilot's productivity targets: dossiers received per one-stop
// staff member per year, by the area class of the office's commune.
func Norms() map[data.AreaClass]float64 {
	n := data.DefaultNorms()
	return map[data.AreaClass]float64{data.Urban: n.Urban, data.Rural: n.Rural, data.Remote: n.Remote}
}

// NewRun starts a run from a dataset: its name, districts, communes (codes,
// names with diacritics, outlines, census population) and offices as the
// current network (status kept, staff before = after = the dataset's staff,
// dossiers per year when known, norm by the area class of the office's
// commune). The caller then applies the scenario — statuses, AbsorbedBy,
// new offices, staff after, merges —, adds the cells and waiting times from
// the engines, and calls FillFromCells.
func NewRun(d *data.Dataset, lang Lang) Run {
	r := Run{Dataset: d.Name, Lang: lang, GroupLevel: string(d.GroupLevel)}
	for _, dist := range d.Districts {
		r.Districts = append(r.Districts, DistrictRow{Code: dist.Code, Name: dist.Name})
	}
	class := map[string]data.AreaClass{}
	for _, c := range d.Communes {
		class[c.Code] = c.Class
		r.Communes = append(r.Communes, CommuneRow{Code: c.Code, Name: c.Name, District: c.District,
			Population: c.Population, Geometry: c.Geometry})
	}
	norms := Norms()
	for _, o := range d.Offices {
		r.Offices = append(r.Offices, OfficeRow{
			ID: o.ID, Name: o.Name, Kind: o.Kind, Lon: o.Location[0], Lat: o.Location[1], Commune: o.Commune,
			Status: Kept, StaffBefore: o.Staff, StaffAfter: o.Staff, Dossiers: o.DossiersPerYear,
			Norm: norms[class[o.Commune]],
		})
	}
	return r
}
