package demo

import (
	"bytes"
	"math/rand/v2"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
)

// logYear is the year of the demo's dossier log, a sample of
// dossier.DefaultRates().Sample of its dossiers.
const logYear = 2024

// dossierLog draws the demo's dossier log with package dossier's generator
// and default rates.
func (pv *province) dossierLog(rng *rand.Rand) ([]byte, int, error) {
	var b bytes.Buffer
	if err := dossier.GenerateLog(&b, pv.dataset(), logYear, rng, dossier.DefaultRates()); err != nil {
		return nil, 0, err
	}
	return b.Bytes(), bytes.Count(b.Bytes(), []byte{'\n'}) - 1, nil
}

// dataset is the part of the province the dossier log is drawn from.
func (pv *province) dataset() *data.Dataset {
	ds := &data.Dataset{Name: "demo"}
	for _, c := range pv.communes {
		ds.Communes = append(ds.Communes, data.Commune{Code: c.code, District: pv.districts[c.district].code,
			Class: c.class, Population: c.pop})
	}
	for _, o := range pv.offices {
		lon, lat := toLonLat(o.at)
		ds.Offices = append(ds.Offices, data.Office{ID: o.id, Kind: o.kind,
			Commune: pv.communes[o.commune].code, Location: [2]float64{lon, lat}})
	}
	return ds
}
