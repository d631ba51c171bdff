package demo

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// File names of the demo dataset.
const (
	fileDataset   = "dataset.yaml"
	fileCommunes  = "communes.geojson"
	fileDistricts = "districts.csv"
	fileOffices   = "offices.csv"
	fileRoads     = "roads.geojson"
	fileDossiers  = "dossiers.csv"
	filePeople    = "population.csv"
)

// coord writes one lon/lat value rounded to 1e-7° (about 1 cm), the
// precision the road loader joins endpoints at.
func coord(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, math.Round(v*1e7)/1e7, 'f', -1, 64)
}

func appendPoint(b []byte, p pt) []byte {
	lon, lat := toLonLat(p)
	b = append(b, '[')
	b = coord(b, lon)
	b = append(b, ',')
	b = coord(b, lat)
	return append(b, ']')
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a Go string always marshals
	return append(b, q...)
}

// encodeCommunes writes one Polygon Feature per commune, rings closed and
// counter-clockwise as RFC 7946 asks.
func (pv *province) encodeCommunes() []byte {
	var b []byte
	b = append(b, `{"type":"FeatureCollection","features":[`...)
	for i, c := range pv.communes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n"+`{"type":"Feature","properties":{"code":`...)
		b = appendJSONString(b, c.code)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, c.name)
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, kindPrefix(c.kind))
		d := pv.districts[c.district]
		b = append(b, `,"district":`...)
		b = appendJSONString(b, d.code)
		b = append(b, `,"district_name":`...)
		b = appendJSONString(b, d.name)
		b = append(b, `,"population":`...)
		b = strconv.AppendInt(b, c.pop, 10)
		b = append(b, `,"area_class":`...)
		b = appendJSONString(b, c.class)
		b = append(b, `},"geometry":{"type":"Polygon","coordinates":[[`...)
		for k, p := range c.cell {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendPoint(b, p)
		}
		b = append(b, ',')
		b = appendPoint(b, c.cell[0])
		b = append(b, "]]}}"...)
	}
	return append(b, "\n]}\n"...)
}

func (pv *province) encodeRoads() []byte {
	var b []byte
	b = append(b, `{"type":"FeatureCollection","features":[`...)
	for i, r := range pv.roads {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n"+`{"type":"Feature","properties":{"highway":"`...)
		b = append(b, roadClass(r.rank)...)
		b = append(b, '"')
		if s := maxspeed(r.rank); s > 0 {
			b = append(b, `,"maxspeed":`...)
			b = strconv.AppendInt(b, int64(s), 10)
		}
		b = append(b, `},"geometry":{"type":"LineString","coordinates":[`...)
		for k, p := range r.line {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendPoint(b, p)
		}
		b = append(b, "]}}"...)
	}
	return append(b, "\n]}\n"...)
}

func writeCSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("encode csv: %w", err)
	}
	return buf.Bytes(), nil
}

func (pv *province) encodeDistricts() ([]byte, error) {
	rows := [][]string{{"code", "name", "population"}}
	for _, d := range pv.districts {
		rows = append(rows, []string{d.code, d.name, strconv.FormatInt(d.pop, 10)})
	}
	return writeCSV(rows)
}

func (pv *province) encodeOffices() ([]byte, error) {
	rows := [][]string{{"id", "name", "kind", "lon", "lat", "commune", "staff", "counters", "dossiers_per_year", "locked"}}
	for _, o := range pv.offices {
		lon, lat := toLonLat(o.at)
		rows = append(rows, []string{
			o.id, o.name, o.kind,
			string(coord(nil, lon)), string(coord(nil, lat)),
			pv.communes[o.commune].code,
			strconv.Itoa(o.staff), strconv.Itoa(o.counters), strconv.Itoa(o.dossiers),
			strconv.FormatBool(o.locked),
		})
	}
	return writeCSV(rows)
}

func (pv *province) encodePeople() ([]byte, error) {
	rows := [][]string{{"lon", "lat", "population"}}
	for _, p := range pv.people {
		lon, lat := toLonLat(p.at)
		rows = append(rows, []string{string(coord(nil, lon)), string(coord(nil, lat)), strconv.FormatInt(p.count, 10)})
	}
	return writeCSV(rows)
}

func (pv *province) encodeDossiers() ([]byte, error) {
	rows := [][]string{{"id", "procedure", "received_at", "returned_at", "due_at", "office", "applicant_commune", "channel"}}
	for _, d := range pv.dossiers {
		ret := ""
		if !d.returned.IsZero() {
			ret = d.returned.Format(time.RFC3339)
		}
		rows = append(rows, []string{
			d.id, d.procedure, d.received.Format(time.RFC3339), ret, d.due.Format(time.RFC3339),
			d.office, d.commune, d.channel,
		})
	}
	return writeCSV(rows)
}

func roadClass(rank int) string {
	switch rank {
	case rTrunk:
		return "trunk"
	case rPrimary:
		return "primary"
	case rSecondary:
		return "secondary"
	case rTertiary:
		return "tertiary"
	case rUnclassified:
		return "unclassified"
	}
	return "residential"
}

// encodeDataset writes dataset.yaml: the mapping of the files above onto
// onestop's schema (data/spec.go), commented so users can copy it for
// their own province.
func (pv *province) encodeDataset(seed int64) []byte {
	var nodes int
	for _, r := range pv.roads {
		nodes += len(r.line)
	}
	return fmt.Appendf(nil, `# onestop demo province — a synthetic province shaped like Bình Dương
# (9 district-level units, 91 communes, %s residents, about %s km²),
# generated by package data/demo with seed %d. Nothing here is real data:
# names, borders, offices, roads and dossiers are all drawn by the generator.
# Copy this file next to your own data and edit the file names and
# property/column names; paths are relative to this file.
name: Demo province (synthetic, shaped like Bình Dương), seed %d

# Commune-level units: a GeoJSON FeatureCollection of Polygons (lon/lat,
# EPSG:4326). Each key names the property that holds the value.
communes:
  file: %s
  id: code                  # 5-digit GSO-style commune code
  name: name
  district: district        # 3-digit district code
  district_name: district_name
  population: population    # residents
  kind: kind                # Vietnamese unit type, mapped below
  kinds: {"Phường": ward, "Xã": commune, "Thị trấn": town}

# District-level units (huyện / thị xã / thành phố). Optional: without it
# districts are derived from the communes' district codes.
districts:
  file: %s
  id: code
  name: name

# Area class decides the productivity norm (urban 1,600, rural 1,200,
# remote 800 dossiers per staff per year) and travel speeds. Here it is a
# commune property; without it wards and towns count as urban, communes rural.
area_class:
  field: area_class

# Gridded population: where people live inside each commune (lon/lat
# points here; an h3 column works too). It only weights how a commune's
# census population is spread; commune totals stay those above.
# %s points.
population:
  file: %s
  lon: lon
  lat: lat
  count: population

# Service points. Columns: id,name,kind,lon,lat,commune,staff,counters,
# dossiers_per_year,locked. kind is province-center, branch, one-stop or
# inter-ward; locked offices are never closed by the optimizer.
offices:
  file: %s

# Roads: GeoJSON LineStrings with the OSM "highway" class and "maxspeed"
# (km/h) on arterials; lines join where their endpoints coincide.
# %s LineStrings with %s vertices in all.
roads:
  file: %s
  profile: motorbike
  class: highway
  speed: maxspeed

# Dossier log of 2024 (format: docs/dossiers.md). It is a 1 %% random
# sample of all dossiers (%s rows): multiply counts by 100 for yearly volumes.
dossiers:
  file: %s
  sample: 0.01
`, thousands(targetPopulation), thousands(int64(math.Round(pv.outline.area()))), seed, seed,
		fileCommunes, fileDistricts, thousands(int64(len(pv.people))), filePeople, fileOffices,
		thousands(int64(len(pv.roads))), thousands(int64(nodes)), fileRoads, thousands(int64(len(pv.dossiers))), fileDossiers)
}

// thousands formats n with comma separators, as the comments' prose does.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
