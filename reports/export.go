package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/onestop/onestop/data/csvsafe"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Export file names: the keys of Files and ExportFiles.
const (
	FileReport     = "report.html" // in Files, not ExportFiles
	FileCatchments = "catchments.geojson"
	FileCommunes   = "communes.csv"
	FileOffices    = "offices.csv"
	FileDistricts  = "districts.csv"
	FileMerges     = "merges.csv"
	FileCells      = "cells.csv"
	FileSummary    = "summary.csv"
	FileGeoPackage = "export.gpkg"
)

// Files returns report.html and every export of r by file name, each as an
// encoder: the usual output of one planning run. Everything is computed
// here, so an error surfaces before anything is written; the caller (the
// pipeline) writes the files and swaps the output directory into place.
func Files(ctx context.Context, r Run) (map[string]func(io.Writer) error, error) {
	page, err := Render(r)
	if err != nil {
		return nil, err
	}
	files, err := ExportFiles(ctx, r)
	if err != nil {
		return nil, err
	}
	files[FileReport] = bytesTo(page)
	return files, nil
}

// ExportFiles returns the analysts' files by name: the catchments as
// GeoJSON, one CSV per table and the GeoPackage. The bytes depend only on
// the run.
func ExportFiles(ctx context.Context, r Run) (map[string]func(io.Writer) error, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	cs, err := Catchments(ctx, r.Cells)
	if err != nil {
		return nil, fmt.Errorf("exports: catchments: %w", err)
	}
	gj, err := catchmentsGeoJSON(r, cs)
	if err != nil {
		return nil, err
	}
	files := map[string]func(io.Writer) error{FileCatchments: bytesTo(gj)}
	n := namesOf(r)
	tables := []struct {
		name string
		t    table
	}{
		{FileSummary, summaryTable(r)},
		{FileDistricts, districtsTable(r)},
		{FileCommunes, communesTable(r)},
		{FileOffices, officesTable(r, n)},
		{FileMerges, mergesTable(r, n)},
		{FileCells, cellsTable(r, n)},
	}
	for _, t := range tables {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := encodeCSV(t.t.records())
		if err != nil {
			return nil, fmt.Errorf("exports: %s: %w", t.name, err)
		}
		files[t.name] = bytesTo(b)
	}
	gpkg, err := geoPackage(ctx, r, cs)
	if err != nil {
		return nil, err
	}
	files[FileGeoPackage] = bytesTo(gpkg)
	return files, nil
}

func bytesTo(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

// catchmentTable is one row per office that serves cells after, with the
// office's name, kind and status; geoms holds each row's area. Offices
// served only by point cells have nothing to draw and no row. The GeoJSON
// and the GeoPackage layer are both made from it, so they carry the same
// fields.
func catchmentTable(r Run, cs []Catchment, n runNames) (t table, geoms []orb.Geometry) {
	offices := map[string]OfficeRow{}
	for _, o := range r.Offices {
		offices[o.ID] = o
	}
	// the office's two load measures ride along, so a map of catchments can
	// be coloured by either without a join
	t.cols = []column{textCol("office_id"), textCol("office_name"), textCol("kind"), textCol("status"),
		intCol("cells"), intCol("point_cells"), intCol("population"), minutesCol("mean_minutes"),
		shareCol("productivity_vs_norm"), shareCol("peak_occupancy"), minutesCol("wait_min"), textCol("verdict"), textCol("geometry")}
	wait := r.Targets.withDefaults().WaitMinutes
	for _, c := range cs {
		if len(c.Geometry) == 0 {
			continue // only point cells: nothing to draw
		}
		o := offices[c.Office]
		t.rows = append(t.rows, []any{c.Office, n.office(c.Office), string(o.Kind), string(o.Status),
			c.Cells, c.Points, c.Population, c.MeanMinutes,
			o.productivity(), o.PeakOccupancy, officeWait(o), strings.Join(o.verdicts(wait), " "), geometryKind(c.Dissolved)})
		geoms = append(geoms, c.Geometry)
	}
	return t, geoms
}

// catchmentsGeoJSON is a FeatureCollection with one feature per row of the
// catchment table; see Catchment for what the geometry is.
func catchmentsGeoJSON(r Run, cs []Catchment) ([]byte, error) {
	t, geoms := catchmentTable(r, cs, namesOf(r))
	fc := geojson.NewFeatureCollection()
	for i, row := range t.rows {
		f := geojson.NewFeature(geoms[i])
		for j, c := range t.cols {
			f.Properties[c.name] = c.value(row[j])
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

// summaryTable holds a number of a different kind in each row, so each row
// is rounded for its metric and written as text.
func summaryTable(r Run) table {
	t := table{cols: []column{textCol("metric"), textCol("before"), textCol("after")}}
	b, a := r.Before, r.After
	count := func(name string, vb, va int64) {
		t.rows = append(t.rows, []any{name, strconv.FormatInt(vb, 10), strconv.FormatInt(va, 10)})
	}
	decimal := func(name string, vb, va float64, d int) {
		t.rows = append(t.rows, []any{name, fixed(vb, d), fixed(va, d)})
	}
	count("population", b.Population, a.Population)
	count("covered", b.Covered, a.Covered)
	decimal("covered_share", b.CoveredShare(), a.CoveredShare(), digitsShare)
	count("offices", int64(b.Offices), int64(a.Offices))
	count("staff", int64(b.Staff), int64(a.Staff))
	decimal("mean_minutes", b.MeanMinutes, a.MeanMinutes, digitsMinutes)
	decimal("p95_minutes", b.P95Minutes, a.P95Minutes, digitsMinutes)
	decimal("max_minutes", b.MaxMinutes, a.MaxMinutes, digitsMinutes)
	count("offices_overloaded", int64(b.OfficesOverWait), int64(a.OfficesOverWait))
	count("offices_underused", int64(b.OfficesUnderused), int64(a.OfficesUnderused))
	return t
}

func districtsTable(r Run) table {
	t := table{cols: []column{textCol("code"), textCol("name"), intCol("population"), intCol("covered_before"), intCol("covered_after"),
		minutesCol("mean_minutes_before"), minutesCol("mean_minutes_after"), intCol("offices_before"), intCol("offices_after")}}
	for _, d := range r.Districts {
		t.rows = append(t.rows, []any{d.Code, d.Name, d.Population, d.CoveredBefore, d.CoveredAfter,
			d.MeanMinutesBefore, d.MeanMinutesAfter, d.OfficesBefore, d.OfficesAfter})
	}
	return t
}

// communesTable is also the GeoPackage communes layer.
func communesTable(r Run) table {
	t := table{cols: []column{textCol("code"), textCol("name"), textCol("district_code"), textCol("district_name"), intCol("population"),
		minutesCol("mean_minutes_before"), minutesCol("mean_minutes_after"), shareCol("covered_share_before"), shareCol("covered_share_after"),
		boolCol("worse_off")}}
	for _, c := range r.Communes {
		t.rows = append(t.rows, []any{c.Code, c.Name, c.District, r.districtName(c.District), c.Population,
			c.MeanMinutesBefore, c.MeanMinutesAfter, c.CoveredShareBefore, c.CoveredShareAfter, c.WorseOff})
	}
	return t
}

// officesTable is also the GeoPackage offices layer.
func officesTable(r Run, n runNames) table {
	t := table{cols: []column{textCol("id"), textCol("name"), textCol("kind"), degreesCol("lon"), degreesCol("lat"),
		textCol("commune"), textCol("commune_name"), textCol("status"), textCol("absorbed_by"), textCol("absorbed_by_name"),
		intCol("staff_before"), intCol("staff_after"), realCol("dossiers", digitsWhole), realCol("norm", digitsWhole),
		shareCol("productivity_vs_norm"), shareCol("peak_occupancy"), minutesCol("wait_erlang_min"), minutesCol("wait_sim_mean_min"),
		intCol("queue_min_staff"), intCol("staff_standard"), textCol("load_source"), textCol("verdict"), textCol("flag")}}
	wait := r.Targets.withDefaults().WaitMinutes
	en, _ := English.labels()
	for _, o := range r.Offices {
		// The engine's flags are superseded by the verdict (its "overloaded"
		// also counted peak occupancy, which would contradict it); a
		// planner's own text stays.
		flag := o.Flag
		if isEngineFlag(flag, en) {
			flag = ""
		}
		t.rows = append(t.rows, []any{o.ID, n.office(o.ID), string(o.Kind), o.Lon, o.Lat,
			o.Commune, n.commune(o.Commune), string(o.Status), o.AbsorbedBy, n.office(o.AbsorbedBy),
			o.StaffBefore, o.StaffAfter, o.Dossiers, o.Norm,
			o.productivity(), o.PeakOccupancy, o.WaitErlangMin, o.WaitSimMeanMin,
			o.QueueMinStaff, o.StaffStandard, o.LoadSource, strings.Join(o.verdicts(wait), " "), flag})
	}
	return t
}

// mergesTable names both offices and the closed office's commune beside
// their ids, with the numbers the report words the reason from.
func mergesTable(r Run, n runNames) table {
	commune := map[string]string{}
	for _, o := range r.Offices {
		commune[o.ID] = o.Commune
	}
	t := table{cols: []column{textCol("from"), textCol("from_name"), textCol("to"), textCol("to_name"),
		textCol("commune"), textCol("commune_name"), intCol("residents"), minutesCol("mean_minutes"), minutesCol("max_minutes"),
		realCol("max_km", digitsKm), intCol("outside_rule"), textCol("reason")}}
	for _, m := range r.Merges {
		c := commune[m.From]
		t.rows = append(t.rows, []any{m.From, n.office(m.From), m.To, n.office(m.To), c, n.commune(c),
			m.Residents, m.MeanMinutes, m.MaxMinutes, m.MaxKm, m.OutsideRule, m.Reason})
	}
	return t
}

// cellsTable is also the GeoPackage cells layer.
func cellsTable(r Run, n runNames) table {
	t := table{cols: []column{textCol("h3"), degreesCol("lon"), degreesCol("lat"), intCol("population"),
		textCol("commune"), textCol("commune_name"), textCol("office_before"), textCol("office_before_name"),
		textCol("office_after"), textCol("office_after_name"), minutesCol("minutes_before"), minutesCol("minutes_after"),
		boolCol("covered_before"), boolCol("covered_after")}}
	for _, c := range r.Cells {
		t.rows = append(t.rows, []any{c.H3, c.Lon, c.Lat, c.Population, c.Commune, n.commune(c.Commune),
			c.OfficeBefore, n.office(c.OfficeBefore), c.OfficeAfter, n.office(c.OfficeAfter),
			c.MinutesBefore, c.MinutesAfter, c.CoveredBefore, c.CoveredAfter})
	}
	return t
}
