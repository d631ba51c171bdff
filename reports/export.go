package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/onestop/onestop/data/csvsafe"
	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/paulmach/orb/geojson"
)

// Export file names inside the directory given to WriteExports.
const (
	FileReport     = "report.html" // written by WriteAll
	FileCatchments = "catchments.geojson"
	FileCommunes   = "communes.csv"
	FileOffices    = "offices.csv"
	FileDistricts  = "districts.csv"
	FileMerges     = "merges.csv"
	FileCells      = "cells.csv"
	FileSummary    = "summary.csv"
	FileGeoPackage = "export.gpkg"
)

// WriteAll writes report.html and every export into dir, the usual output
// of one planning run. Pair it with atomicfile.Dir to swap a whole output
// directory into place.
func WriteAll(ctx context.Context, dir string, r Run) error {
	if err := WriteHTML(filepath.Join(dir, FileReport), r); err != nil {
		return err
	}
	return WriteExports(ctx, dir, r)
}

// WriteExports writes the analysts' files into dir: the catchments as
// GeoJSON, one CSV per table and the GeoPackage. Each file is written
// atomically; the bytes depend only on the run.
func WriteExports(ctx context.Context, dir string, r Run) error {
	if err := r.Validate(); err != nil {
		return err
	}
	cs, err := Catchments(ctx, r.Cells)
	if err != nil {
		return fmt.Errorf("exports: catchments: %w", err)
	}
	gj, err := catchmentsGeoJSON(r, cs)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, FileCatchments), gj); err != nil {
		return err
	}
	tables := []struct {
		name string
		rows [][]string
	}{
		{FileSummary, summaryCSV(r)},
		{FileDistricts, districtsCSV(r)},
		{FileCommunes, communesCSV(r)},
		{FileOffices, officesCSV(r)},
		{FileMerges, mergesCSV(r)},
		{FileCells, cellsCSV(r)},
	}
	for _, t := range tables {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := encodeCSV(t.rows)
		if err != nil {
			return fmt.Errorf("exports: %s: %w", t.name, err)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, t.name), b); err != nil {
			return err
		}
	}
	return writeGeoPackage(ctx, filepath.Join(dir, FileGeoPackage), r, cs)
}

// catchmentsGeoJSON is a FeatureCollection with one feature per office that
// serves cells after; see Catchment for what the geometry is.
func catchmentsGeoJSON(r Run, cs []Catchment) ([]byte, error) {
	offices := map[string]OfficeRow{}
	for _, o := range r.Offices {
		offices[o.ID] = o
	}
	fc := geojson.NewFeatureCollection()
	for _, c := range cs {
		if len(c.Geometry) == 0 {
			continue // only point cells: nothing to draw
		}
		o := offices[c.Office]
		f := geojson.NewFeature(c.Geometry)
		f.Properties = geojson.Properties{
			"office_id":    c.Office,
			"office_name":  o.Name,
			"kind":         string(o.Kind),
			"status":       string(o.Status),
			"cells":        c.Cells,
			"point_cells":  c.Points,
			"population":   c.Population,
			"mean_minutes": round2(c.MeanMinutes),
			"geometry":     geometryKind(c.Dissolved),
		}
		fc.Append(f)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return nil, fmt.Errorf("exports: encode catchments: %w", err)
	}
	return append(b, '\n'), nil
}

func geometryKind(dissolved bool) string {
	if dissolved {
		return "dissolved"
	}
	return "hexagons"
}

// encodeCSV writes rows through csvsafe: names come from files anyone may
// edit, and a cell such as "=HYPERLINK(…)" would run when an analyst opens
// the file in a spreadsheet. Such cells get a leading apostrophe; numbers
// (also negative ones) are written as they are.
func encodeCSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	if err := csvsafe.NewWriter(&buf).WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func f64(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
func i64(v int64) string   { return strconv.FormatInt(v, 10) }
func itoa(v int) string    { return strconv.Itoa(v) }
func btoa(v bool) string   { return strconv.FormatBool(v) }

func summaryCSV(r Run) [][]string {
	rows := [][]string{{"metric", "before", "after"}}
	add := func(name string, b, a string) { rows = append(rows, []string{name, b, a}) }
	b, a := r.Before, r.After
	add("population", i64(b.Population), i64(a.Population))
	add("covered", i64(b.Covered), i64(a.Covered))
	add("covered_share", f64(b.CoveredShare()), f64(a.CoveredShare()))
	add("offices", itoa(b.Offices), itoa(a.Offices))
	add("staff", itoa(b.Staff), itoa(a.Staff))
	add("mean_minutes", f64(b.MeanMinutes), f64(a.MeanMinutes))
	add("p95_minutes", f64(b.P95Minutes), f64(a.P95Minutes))
	add("max_minutes", f64(b.MaxMinutes), f64(a.MaxMinutes))
	add("offices_over_wait", itoa(b.OfficesOverWait), itoa(a.OfficesOverWait))
	return rows
}

func districtsCSV(r Run) [][]string {
	rows := [][]string{{"code", "name", "population", "covered_before", "covered_after",
		"mean_minutes_before", "mean_minutes_after", "offices_before", "offices_after"}}
	for _, d := range r.Districts {
		rows = append(rows, []string{d.Code, d.Name, i64(d.Population), i64(d.CoveredBefore), i64(d.CoveredAfter),
			f64(d.MeanMinutesBefore), f64(d.MeanMinutesAfter), itoa(d.OfficesBefore), itoa(d.OfficesAfter)})
	}
	return rows
}

func communesCSV(r Run) [][]string {
	rows := [][]string{{"code", "name", "district_code", "district_name", "population",
		"mean_minutes_before", "mean_minutes_after", "covered_share_before", "covered_share_after", "worse_off"}}
	for _, c := range r.Communes {
		rows = append(rows, []string{c.Code, c.Name, c.District, r.districtName(c.District), i64(c.Population),
			f64(c.MeanMinutesBefore), f64(c.MeanMinutesAfter), f64(c.CoveredShareBefore), f64(c.CoveredShareAfter), btoa(c.WorseOff)})
	}
	return rows
}

func officesCSV(r Run) [][]string {
	rows := [][]string{{"id", "name", "kind", "lon", "lat", "status", "absorbed_by", "staff_before", "staff_after",
		"dossiers", "norm", "utilisation", "wait_erlang_min", "wait_sim_mean_min", "flag"}}
	for _, o := range r.Offices {
		rows = append(rows, []string{o.ID, o.Name, string(o.Kind), f64(o.Lon), f64(o.Lat), string(o.Status), o.AbsorbedBy,
			itoa(o.StaffBefore), itoa(o.StaffAfter), f64(o.Dossiers), f64(o.Norm), f64(o.utilisation()),
			f64(o.WaitErlangMin), f64(o.WaitSimMeanMin), o.Flag})
	}
	return rows
}

func mergesCSV(r Run) [][]string {
	rows := [][]string{{"from", "to", "reason"}}
	for _, m := range r.Merges {
		rows = append(rows, []string{m.From, m.To, m.Reason})
	}
	return rows
}

func cellsCSV(r Run) [][]string {
	rows := [][]string{{"h3", "lon", "lat", "population", "commune", "office_before", "office_after",
		"minutes_before", "minutes_after", "covered_before", "covered_after"}}
	for _, c := range r.Cells {
		rows = append(rows, []string{c.H3, f64(c.Lon), f64(c.Lat), i64(c.Population), c.Commune, c.OfficeBefore, c.OfficeAfter,
			f64(c.MinutesBefore), f64(c.MinutesAfter), btoa(c.CoveredBefore), btoa(c.CoveredAfter)})
	}
	return rows
}
