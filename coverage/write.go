package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/csvsafe"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// Output file names, the keys of Files.
const (
	SummaryFile  = "summary.json"
	CellsCSV     = "cells.csv"
	CellsGeoJSON = "cells.geojson"
	CommunesFile = "communes.geojson"
	OfficesFile  = "offices.geojson"
)

// CellsHeader is the exact header of cells.csv, comma-separated.
const CellsHeader = "h3,lon,lat,commune,population,minutes,km,office_by_time,office_by_distance,covered,rule"

// cellsColumns is CellsHeader split; a function, not a package variable,
// so no caller can change the header.
func cellsColumns() []string { return strings.Split(CellsHeader, ",") }

// Fixed decimals keep outputs byte-identical across runs and readable:
// 6 decimals of a degree is 0.1 m, minutes to the second-ish, km to 1 m.
const (
	degPrec = 6
	minPrec = 2
	kmPrec  = 3
	pctPrec = 2
)

// Files returns the encoders of a coverage run's outputs by file name:
// summary.json, cells.csv, cells.geojson, communes.geojson and
// offices.geojson. ds names the dataset in the summary; it may be nil.
// The caller decides where and how the files are written.
func Files(ds *data.Dataset, idx *Index, res *Result) (map[string]func(io.Writer) error, error) {
	if len(res.Minutes) != len(idx.Cells) {
		return nil, fmt.Errorf("coverage: result has %d cells but the index %d; evaluate with the same index", len(res.Minutes), len(idx.Cells))
	}
	return map[string]func(io.Writer) error{
		SummaryFile:  func(w io.Writer) error { return WriteSummary(w, ds, idx, res) },
		CellsCSV:     func(w io.Writer) error { return WriteCellsCSV(w, idx, res) },
		CellsGeoJSON: func(w io.Writer) error { return WriteCellsGeoJSON(w, idx, res) },
		CommunesFile: func(w io.Writer) error { return WriteCommunesGeoJSON(w, idx, res) },
		OfficesFile:  func(w io.Writer) error { return WriteOfficesGeoJSON(w, res.Offices) },
	}, nil
}

// fixed is a float written with a fixed number of decimals; NaN and ±Inf
// become JSON null.
type fixed struct {
	v    float64
	prec int
}

func (f fixed) MarshalJSON() ([]byte, error) {
	if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f.v, 'f', f.prec, 64), nil
}

type distJSON struct {
	Mean fixed `json:"mean"`
	P50  fixed `json:"p50"`
	P95  fixed `json:"p95"`
	Max  fixed `json:"max"`
}

func distOf(d Dist, prec int) distJSON {
	return distJSON{fixed{d.Mean, prec}, fixed{d.P50, prec}, fixed{d.P95, prec}, fixed{d.Max, prec}}
}

type areaJSON struct {
	Code                  string   `json:"code,omitempty"`
	Name                  string   `json:"name,omitempty"`
	Cells                 int      `json:"cells"`
	Population            int64    `json:"population"`
	CoveredPopulation     int64    `json:"covered_population"`
	UncoveredPopulation   int64    `json:"uncovered_population"`
	UnreachablePopulation int64    `json:"unreachable_population"`
	CoveredPct            fixed    `json:"covered_pct"`
	WithinTimePct         fixed    `json:"within_time_pct"`
	WithinDistancePct     fixed    `json:"within_distance_pct"`
	Minutes               distJSON `json:"minutes"`
	Km                    distJSON `json:"km"`
}

func areaOf(a Aggregate) areaJSON {
	return areaJSON{
		Code: a.Code, Name: a.Name, Cells: a.Cells,
		Population: a.Population, CoveredPopulation: a.Covered, UncoveredPopulation: a.Uncovered,
		UnreachablePopulation: a.Unreachable,
		CoveredPct:            fixed{a.CoveredPct, pctPrec},
		WithinTimePct:         fixed{a.WithinTimePct, pctPrec},
		WithinDistancePct:     fixed{a.WithinDistancePct, pctPrec},
		Minutes:               distOf(a.Minutes, minPrec),
		Km:                    distOf(a.Km, kmPrec),
	}
}

type summaryJSON struct {
	Dataset string `json:"dataset,omitempty"`
	areaJSON
	H3Resolution     int              `json:"h3_resolution"`
	Offices          int              `json:"offices"`
	UnreachableCells int              `json:"unreachable_cells"`
	UnplacedCells    int              `json:"unplaced_cells"`
	Rule             ruleJSON         `json:"rule"`
	TravelModel      string           `json:"travel_model"`
	TravelSettings   map[string]fixed `json:"travel_settings"`
	Index            IndexStatsJSON   `json:"index"`
	Districts        []areaJSON       `json:"districts"`
}

type ruleJSON struct {
	Minutes fixed  `json:"minutes"`
	Km      fixed  `json:"km"`
	Mode    string `json:"mode"`
}

// IndexStatsJSON is the index section of summary.json.
type IndexStatsJSON struct {
	OrphanCells      int `json:"orphan_cells"`
	OverlapCells     int `json:"overlap_cells"`
	InteriorCells    int `json:"interior_cells"`
	GriddedRecords   int `json:"gridded_records"`
	GriddedUnmatched int `json:"gridded_unmatched"`
}

// WriteSummary writes summary.json.
func WriteSummary(w io.Writer, ds *data.Dataset, idx *Index, res *Result) error {
	s := summaryJSON{
		areaJSON:         areaOf(res.Province),
		H3Resolution:     idx.Resolution,
		Offices:          len(res.Offices),
		UnreachableCells: res.UnreachableCells,
		UnplacedCells:    res.UnplacedCells,
		Rule:             ruleJSON{fixed{res.Rule.Minutes, minPrec}, fixed{res.Rule.Km, kmPrec}, res.Rule.Mode},
		TravelModel:      res.Model,
		TravelSettings:   make(map[string]fixed, len(res.Settings)),
		Index:            IndexStatsJSON(idx.Stats),
		Districts:        make([]areaJSON, len(res.Districts)),
	}
	s.areaJSON.Code, s.areaJSON.Name = "", ""
	if ds != nil {
		s.Dataset = ds.Name
	}
	for k, v := range res.Settings {
		s.TravelSettings[k] = fixed{v, 3} // map keys are sorted by encoding/json
	}
	for i, d := range res.Districts {
		s.Districts[i] = areaOf(d)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// cellRecord is one cells.csv row, shared with cells.geojson.
func cellRecord(idx *Index, res *Result, i int, rec []string) []string {
	c := &idx.Cells[i]
	rec = rec[:0]
	rec = append(rec,
		c.H3.String(),
		strconv.FormatFloat(c.Lon, 'f', degPrec, 64),
		strconv.FormatFloat(c.Lat, 'f', degPrec, 64),
		idx.Communes[c.Commune].Code,
		strconv.FormatInt(c.Population, 10),
	)
	if m := res.Minutes[i]; math.IsNaN(m) {
		rec = append(rec, "")
	} else {
		rec = append(rec, strconv.FormatFloat(m, 'f', minPrec, 64))
	}
	rec = append(rec, strconv.FormatFloat(res.Km[i], 'f', kmPrec, 64))
	rec = append(rec, officeID(res.Offices, res.OfficeByTime[i]), officeID(res.Offices, res.OfficeByDistance[i]))
	rec = append(rec, strconv.FormatBool(res.Covered[i]), res.Met[i].String())
	return rec
}

func officeID(offices []data.Office, i int32) string {
	if i < 0 {
		return ""
	}
	return offices[i].ID
}

// WriteCellsCSV writes cells.csv, one row per cell in index order.
func WriteCellsCSV(w io.Writer, idx *Index, res *Result) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(cellsColumns()); err != nil {
		return err
	}
	rec := make([]string, 0, 11)
	for i := range idx.Cells {
		rec = cellRecord(idx, res, i, rec)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonString writes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// appendJSONString appends s as encoding/json writes it. Plain ASCII (ids,
// codes, H3 ids) is quoted as is; anything json.Marshal would escape (quotes,
// backslashes, control and HTML characters, non-ASCII) goes through it.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return append(buf, jsonString(s)...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// WriteCellsGeoJSON writes every cell as its hexagon with the cells.csv
// columns as properties (numbers as numbers, unreachable minutes as null).
// A national index has 2.85 M cells (1.26 GB of GeoJSON): the features are
// formatted in chunks by GOMAXPROCS goroutines and written in cell order,
// so the bytes do not depend on the number of workers.
func WriteCellsGeoJSON(w io.Writer, idx *Index, res *Result) error {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	columns := cellsColumns()
	keys := make([]string, len(columns)) // "name": with its comma
	for j, name := range columns {
		keys[j] = jsonString(name) + ":"
		if j > 0 {
			keys[j] = "," + keys[j]
		}
	}
	const chunk = 2048
	n := len(idx.Cells)
	workers := max(1, min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk))
	bufs := make([][]byte, workers)
	for lo := 0; lo < n; lo += chunk * workers {
		var wg sync.WaitGroup
		for k := range workers {
			a := lo + k*chunk
			if a >= n {
				bufs[k] = bufs[k][:0]
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				bufs[k] = appendCellFeatures(bufs[k][:0], idx, res, keys, a, min(a+chunk, n))
			}()
		}
		wg.Wait()
		for k := range workers {
			if _, err := w.Write(bufs[k]); err != nil {
				return err
			}
		}
	}
	_, err := io.WriteString(w, "\n]}\n")
	return err
}

// appendCellFeatures appends the features of cells [lo, hi), each but the
// very first preceded by a comma.
func appendCellFeatures(buf []byte, idx *Index, res *Result, keys []string, lo, hi int) []byte {
	columns := cellsColumns()
	rec := make([]string, 0, len(columns))
	ring := make(orb.Ring, 0, 8)
	for i := lo; i < hi; i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		rec = cellRecord(idx, res, i, rec)
		buf = append(buf, "\n{\"type\":\"Feature\",\"properties\":{"...)
		for j, name := range columns {
			buf = append(buf, keys[j]...)
			v := rec[j]
			switch name {
			case "lon", "lat", "population", "km", "covered":
				buf = append(buf, v...)
			case "minutes":
				if v == "" {
					v = "null"
				}
				buf = append(buf, v...)
			case "office_by_time", "office_by_distance":
				if v == "" {
					buf = append(buf, "null"...) // unreachable
				} else {
					buf = appendJSONString(buf, v)
				}
			default:
				buf = appendJSONString(buf, v)
			}
		}
		buf = append(buf, "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["...)
		ring = hexRing(idx.Cells[i].H3, ring[:0])
		buf = appendRing(buf, ring)
		buf = append(buf, "]}}"...)
	}
	return buf
}

// hexRing is the closed, counter-clockwise boundary of an H3 cell.
func hexRing(h h3.Cell, ring orb.Ring) orb.Ring {
	for _, ll := range h.Boundary() {
		ring = append(ring, orb.Point{ll.Lng, ll.Lat})
	}
	ring = append(ring, ring[0])
	if ring.Orientation() == orb.CW {
		ring.Reverse()
	}
	return ring
}

// appendRing appends r as a GeoJSON ring, degPrec decimals per coordinate.
func appendRing(buf []byte, r orb.Ring) []byte {
	buf = append(buf, '[')
	for k, p := range r {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		buf = strconv.AppendFloat(buf, p[0], 'f', degPrec, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, p[1], 'f', degPrec, 64)
		buf = append(buf, ']')
	}
	return append(buf, ']')
}

func writeRing(bw *errWriter, r orb.Ring) {
	bw.str(string(appendRing(nil, r)))
}

// WriteCommunesGeoJSON writes each commune's polygons with its aggregate.
// Rings follow RFC 7946: exteriors counter-clockwise, holes clockwise.
func WriteCommunesGeoJSON(w io.Writer, idx *Index, res *Result) error {
	bw := &errWriter{w: w}
	bw.str(`{"type":"FeatureCollection","features":[`)
	for ci, c := range idx.Communes {
		if ci > 0 {
			bw.str(",")
		}
		a := areaOf(res.Communes[ci])
		props := struct {
			Code     string `json:"code"`
			Name     string `json:"name"`
			District string `json:"district"`
			Kind     string `json:"kind"`
			Class    string `json:"class"`
			areaJSON
		}{c.Code, c.Name, c.District, string(c.Kind), string(c.Class), a}
		props.areaJSON.Code, props.areaJSON.Name = "", ""
		pb, err := json.Marshal(props)
		if err != nil {
			return err
		}
		bw.str("\n{\"type\":\"Feature\",\"properties\":")
		bw.str(string(pb))
		bw.str(",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[")
		for pi, p := range c.Geometry {
			if pi > 0 {
				bw.str(",")
			}
			bw.str("[")
			for ri, r := range p {
				if ri > 0 {
					bw.str(",")
				}
				r = closedRing(r)
				if want := orb.CCW; (ri == 0) != (r.Orientation() == want) {
					r.Reverse()
				}
				writeRing(bw, r)
			}
			bw.str("]")
		}
		bw.str("]}}")
	}
	bw.str("\n]}\n")
	return bw.err
}

// closedRing copies r, closing it if the input left it open, so the
// dataset's geometry is never modified in place.
func closedRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r), len(r)+1)
	copy(out, r)
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// WriteOfficesGeoJSON writes the offices as points; id is the one cells.csv uses.
func WriteOfficesGeoJSON(w io.Writer, offices []data.Office) error {
	bw := &errWriter{w: w}
	bw.str(`{"type":"FeatureCollection","features":[`)
	for i, o := range offices {
		if i > 0 {
			bw.str(",")
		}
		props := struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Kind     string `json:"kind"`
			Staff    int    `json:"staff"`
			Counters int    `json:"counters"`
			Commune  string `json:"commune"`
			Locked   bool   `json:"locked"`
		}{o.ID, o.Name, string(o.Kind), o.Staff, o.Counters, o.Commune, o.Locked}
		pb, err := json.Marshal(props)
		if err != nil {
			return err
		}
		bw.str("\n{\"type\":\"Feature\",\"properties\":")
		bw.str(string(pb))
		bw.str(",\"geometry\":{\"type\":\"Point\",\"coordinates\":[" +
			strconv.FormatFloat(o.Location[0], 'f', degPrec, 64) + "," +
			strconv.FormatFloat(o.Location[1], 'f', degPrec, 64) + "]}}")
	}
	bw.str("\n]}\n")
	return bw.err
}

// errWriter remembers the first write error so the GeoJSON writers can
// emit many small pieces and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) str(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}
