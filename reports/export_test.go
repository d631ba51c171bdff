// This file runs past 600 lines on purpose: one test table per export
// format (CSV, GeoJSON, GeoPackage, Excel dialect) sharing the same fixtures.

package reports

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

func cellsOf(office string, hs ...h3.Cell) []Cell {
	out := make([]Cell, len(hs))
	for i, h := range hs {
		ll := h.LatLng()
		out[i] = Cell{H3: h.String(), Lon: ll.Lng, Lat: ll.Lat, Population: 100, OfficeAfter: office, MinutesAfter: float64(i)}
	}
	return out
}

func TestCatchmentsDissolve(t *testing.T) {
	t.Parallel()
	centre := h3.LatLngToCell(h3.LatLng{Lat: 11.0, Lng: 106.65}, 8)
	disk := centre.GridDisk(1)
	var ring []h3.Cell
	for _, c := range disk {
		if c != centre {
			ring = append(ring, c)
		}
	}
	far := h3.LatLngToCell(h3.LatLng{Lat: 11.3, Lng: 106.5}, 8)
	hexArea := func(hs []h3.Cell) float64 {
		a := 0.0
		for _, h := range hs {
			p, _ := cellPolygon(Cell{H3: h.String()})
			a += math.Abs(planar.Area(p))
		}
		return a
	}
	tests := []struct {
		name          string
		cells         []Cell
		wantPolygons  int
		wantHoles     int
		wantDissolved bool
		wantArea      float64 // 0: skip
	}{
		{"one hexagon", cellsOf("A", centre), 1, 0, true, hexArea([]h3.Cell{centre})},
		{"disk of seven", cellsOf("A", disk...), 1, 0, true, hexArea(disk)},
		{"ring with a hole", cellsOf("A", ring...), 1, 1, true, hexArea(ring)},
		{"two patches", cellsOf("A", centre, far), 2, 0, true, hexArea([]h3.Cell{centre, far})},
		{"same cell twice", cellsOf("A", centre, centre, disk[1]), 1, 0, true, hexArea([]h3.Cell{centre, disk[1]})},
		{"mixed resolutions overlap", cellsOf("A", centre, centre.Children(9)[0]), 2, 0, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := Catchments(context.Background(), tc.cells)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 {
				t.Fatalf("got %d catchments, want 1", len(cs))
			}
			c := cs[0]
			if c.Dissolved != tc.wantDissolved || len(c.Geometry) != tc.wantPolygons {
				t.Fatalf("dissolved=%v polygons=%d, want %v and %d", c.Dissolved, len(c.Geometry), tc.wantDissolved, tc.wantPolygons)
			}
			holes := 0
			for _, p := range c.Geometry {
				holes += len(p) - 1
				if p[0].Orientation() != orb.CCW {
					t.Error("outer ring is not counter-clockwise (RFC 7946)")
				}
				for _, h := range p[1:] {
					if h.Orientation() != orb.CW {
						t.Error("hole is not clockwise")
					}
				}
			}
			if holes != tc.wantHoles {
				t.Errorf("holes = %d, want %d", holes, tc.wantHoles)
			}
			if tc.wantArea > 0 {
				got := 0.0
				for _, p := range c.Geometry {
					got += planar.Area(p)
				}
				if math.Abs(math.Abs(got)-tc.wantArea) > 1e-9*tc.wantArea {
					t.Errorf("area %g, want the hexagons' %g", got, tc.wantArea)
				}
			}
			if c.Population != int64(100*len(tc.cells)) || c.Cells != len(tc.cells) {
				t.Errorf("population %d cells %d", c.Population, c.Cells)
			}
		})
	}
}

func TestCatchmentsGrouping(t *testing.T) {
	t.Parallel()
	a := h3.LatLngToCell(h3.LatLng{Lat: 11.0, Lng: 106.65}, 8)
	cells := append(cellsOf("B", a), Cell{Lon: 106.7, Lat: 11.1, Population: 50, OfficeAfter: "A", MinutesAfter: 10},
		Cell{Lon: 106.7, Lat: 11.1, Population: 150, OfficeAfter: "A", MinutesAfter: 20},
		Cell{Lon: 106.7, Lat: 11.1, Population: 10})
	cs, err := Catchments(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Office != "A" || cs[1].Office != "B" {
		t.Fatalf("catchments %+v, want A then B", cs)
	}
	if cs[0].Points != 2 || cs[0].Cells != 0 || len(cs[0].Geometry) != 0 || cs[0].MeanMinutes != 17.5 {
		t.Errorf("point catchment %+v, want 2 points, no geometry, mean 17.5 min", cs[0])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Catchments(ctx, cells); err == nil {
		t.Error("cancelled context not honoured")
	}
}

func TestWriteExports(t *testing.T) {
	t.Parallel()
	r := syntheticRun(5, Vietnamese)
	dir := filepath.Join(t.TempDir(), "exports")
	if err := writeExports(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	// deterministic bytes, file by file
	dir2 := filepath.Join(t.TempDir(), "again")
	if err := writeExports(context.Background(), dir2, r); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileCatchments, FileCommunes, FileOffices, FileDistricts, FileMerges, FileCells, FileSummary, FileGeoPackage} {
		a, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(dir2, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two exports of the same run", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}

	t.Run("csv", func(t *testing.T) {
		f, _ := os.Open(filepath.Join(dir, FileCommunes))
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(r.Communes)+1 || rows[0][0] != "code" || rows[1][1] != r.Communes[0].Name {
			t.Fatalf("communes.csv: %d rows, first %v", len(rows), rows[:2])
		}
		if !strings.Contains(rows[1][1], "ư") && !strings.Contains(rows[1][1], "ã") && !strings.Contains(rows[1][1], "ờ") {
			// names in the synthetic run all carry diacritics; make sure they survived
			if !strings.ContainsAny(rows[1][1], "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ") {
				t.Errorf("diacritics lost: %q", rows[1][1])
			}
		}
	})

	t.Run("geojson", func(t *testing.T) {
		b, _ := os.ReadFile(filepath.Join(dir, FileCatchments))
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, o := range r.Offices {
			if o.Status != Closed {
				open++
			}
		}
		if len(fc.Features) == 0 || len(fc.Features) > open {
			t.Fatalf("%d catchments for %d open offices", len(fc.Features), open)
		}
		var pop int64
		for _, f := range fc.Features {
			if f.Properties["geometry"] != "dissolved" {
				t.Errorf("catchment %v not dissolved", f.Properties["office_id"])
			}
			if _, ok := f.Geometry.(orb.MultiPolygon); !ok {
				t.Errorf("catchment geometry is %T", f.Geometry)
			}
			pop += int64(f.Properties.MustFloat64("population"))
		}
		if pop != r.After.Population {
			t.Errorf("catchments hold %d residents, the run %d", pop, r.After.Population)
		}
	})

	t.Run("geopackage", func(t *testing.T) { checkGeoPackage(t, filepath.Join(dir, FileGeoPackage), r) })
}

// checkGeoPackage reads the file back with SQL the way QGIS/GDAL would.
func checkGeoPackage(t *testing.T, path string, r Run) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("SQLite format 3\x00")) {
		t.Fatal("not an SQLite file")
	}
	if id := binary.BigEndian.Uint32(raw[68:72]); id != gpkgApplicationID {
		t.Fatalf("application_id %#x, want GPKG", id)
	}
	if v := binary.BigEndian.Uint32(raw[60:64]); v != gpkgUserVersion {
		t.Fatalf("user_version %d, want %d", v, gpkgUserVersion)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var def string
	if err := db.QueryRow(`SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 4326 AND organization = 'EPSG'`).Scan(&def); err != nil || !strings.Contains(def, "WGS 84") {
		t.Fatalf("srs 4326: %q %v", def, err)
	}
	var nsrs int
	db.QueryRow(`SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (-1, 0, 4326)`).Scan(&nsrs)
	if nsrs != 3 {
		t.Errorf("gpkg_spatial_ref_sys has %d of the 3 required rows", nsrs)
	}
	layers := map[string]struct {
		geomType string
		rows     int
	}{
		"communes": {"MULTIPOLYGON", len(r.Communes)},
		"offices":  {"POINT", len(r.Offices)},
		"cells":    {"POLYGON", len(r.Cells)},
	}
	for name, want := range layers {
		var dataType, geomType string
		var srs int
		var minX, maxX float64
		err := db.QueryRow(`SELECT c.data_type, g.geometry_type_name, g.srs_id, c.min_x, c.max_x FROM gpkg_contents c
			JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.table_name = ? AND g.column_name = 'geom'`, name).
			Scan(&dataType, &geomType, &srs, &minX, &maxX)
		if err != nil {
			t.Fatalf("layer %s metadata: %v", name, err)
		}
		if dataType != "features" || geomType != want.geomType || srs != 4326 || !(minX < maxX) {
			t.Errorf("layer %s: %s %s srs %d extent %v..%v", name, dataType, geomType, srs, minX, maxX)
		}
		var n int
		db.QueryRow(`SELECT count(*) FROM "` + name + `"`).Scan(&n)
		if n != want.rows {
			t.Errorf("layer %s has %d rows, want %d", name, n, want.rows)
		}
	}
	// first commune: header bytes, envelope and WKB decode back to the input
	var blob []byte
	var code, cname string
	if err := db.QueryRow(`SELECT geom, code, name FROM communes ORDER BY fid LIMIT 1`).Scan(&blob, &code, &cname); err != nil {
		t.Fatal(err)
	}
	if code != r.Communes[0].Code || cname != r.Communes[0].Name {
		t.Errorf("first commune %s %q, want %s %q", code, cname, r.Communes[0].Code, r.Communes[0].Name)
	}
	if string(blob[:2]) != "GP" || blob[2] != 0 || blob[3] != 0x03 {
		t.Fatalf("geometry header % x: want GP, version 0, flags 0x03 (little-endian, xy envelope)", blob[:4])
	}
	if srs := int32(binary.LittleEndian.Uint32(blob[4:8])); srs != 4326 {
		t.Fatalf("header srs %d", srs)
	}
	env := make([]float64, 4)
	for i := range env {
		env[i] = math.Float64frombits(binary.LittleEndian.Uint64(blob[8+8*i:]))
	}
	b := r.Communes[0].Geometry.Bound()
	if env[0] != b.Min[0] || env[1] != b.Max[0] || env[2] != b.Min[1] || env[3] != b.Max[1] {
		t.Errorf("envelope %v, want %v", env, b)
	}
	g, err := wkb.Unmarshal(blob[40:])
	if err != nil {
		t.Fatal(err)
	}
	if !orb.Equal(g, r.Communes[0].Geometry) {
		t.Errorf("WKB decodes to %v, want %v", g, r.Communes[0].Geometry)
	}
	// a point: no envelope, WKB right after the 8-byte header
	if err := db.QueryRow(`SELECT geom FROM offices ORDER BY fid LIMIT 1`).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	if blob[3] != 0x01 {
		t.Errorf("point flags %#x, want 0x01", blob[3])
	}
	p, err := wkb.Unmarshal(blob[8:])
	if err != nil || !orb.Equal(p, orb.Point{r.Offices[0].Lon, r.Offices[0].Lat}) {
		t.Errorf("office point %v %v", p, err)
	}
	var closed int
	db.QueryRow(`SELECT count(*) FROM offices WHERE status = 'closed' AND absorbed_by <> ''`).Scan(&closed)
	if closed != len(r.Merges) {
		t.Errorf("%d closed offices with absorbed_by, want %d", closed, len(r.Merges))
	}
	var catch int
	db.QueryRow(`SELECT count(*) FROM catchments WHERE geometry = 'dissolved'`).Scan(&catch)
	if catch == 0 {
		t.Error("no dissolved catchments in the GeoPackage")
	}
	// The first cell is its H3 hexagon, centre kept in lon/lat.
	var lon, lat float64
	if err := db.QueryRow(`SELECT geom, lon, lat FROM cells ORDER BY fid LIMIT 1`).Scan(&blob, &lon, &lat); err != nil {
		t.Fatal(err)
	}
	hex, err := wkb.Unmarshal(blob[40:])
	if err != nil {
		t.Fatal(err)
	}
	want, _ := cellPolygon(r.Cells[0])
	if !orb.Equal(hex, want) || lon != r.Cells[0].Lon || lat != r.Cells[0].Lat {
		t.Errorf("first cell %v at %v,%v; want hexagon %v at %v,%v", hex, lon, lat, want, r.Cells[0].Lon, r.Cells[0].Lat)
	}
	// Spatial index: registered, one box per feature, each box holding its
	// feature's envelope (boxes are float32, rounded outwards).
	for _, layer := range []string{"communes", "offices", "cells", "catchments"} {
		var ext int
		db.QueryRow(`SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND column_name = 'geom' AND extension_name = 'gpkg_rtree_index'`, layer).Scan(&ext)
		var boxes, feats int
		db.QueryRow(`SELECT count(*) FROM "rtree_` + layer + `_geom"`).Scan(&boxes)
		db.QueryRow(`SELECT count(*) FROM "` + layer + `"`).Scan(&feats)
		if ext != 1 || boxes != feats || feats == 0 {
			t.Errorf("layer %s: extension rows %d, index boxes %d for %d features", layer, ext, boxes, feats)
		}
		rows, err := db.Query(`SELECT l.geom, r.minx, r.maxx, r.miny, r.maxy FROM "` + layer + `" l JOIN "rtree_` + layer + `_geom" r ON r.id = l.fid`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var minX, maxX, minY, maxY float64
			if err := rows.Scan(&blob, &minX, &maxX, &minY, &maxY); err != nil {
				t.Fatal(err)
			}
			off := 40
			if blob[3] == 0x01 {
				off = 8
			}
			g, err := wkb.Unmarshal(blob[off:])
			if err != nil {
				t.Fatal(err)
			}
			if b := g.Bound(); b.Min[0] < minX || b.Max[0] > maxX || b.Min[1] < minY || b.Max[1] > maxY {
				t.Errorf("layer %s: box %v..%v × %v..%v misses the feature's bound %v", layer, minX, maxX, minY, maxY, b)
			}
		}
		rows.Close()
	}
}

func TestGeoPackageGeometryHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		g         orb.Geometry
		wantFlags byte
		wantLen   int // header length before WKB
	}{
		{"point", orb.Point{106.6, 11}, 0x01, 8},
		{"multipolygon", orb.MultiPolygon{{{{106, 11}, {107, 11}, {107, 12}, {106, 11}}}}, 0x03, 40},
		{"empty multipolygon", orb.MultiPolygon{}, 0x11, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := gpkgGeometry(tc.g)
			if err != nil {
				t.Fatal(err)
			}
			if string(b[:2]) != "GP" || b[3] != tc.wantFlags {
				t.Fatalf("header % x, want flags %#x", b[:4], tc.wantFlags)
			}
			g, err := wkb.Unmarshal(b[tc.wantLen:])
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(g, tc.g) {
				t.Errorf("round trip %v, want %v", g, tc.g)
			}
		})
	}
}

func TestWriteAll(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := writeAll(context.Background(), dir, syntheticRun(8, English)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileReport, FileCatchments, FileCommunes, FileOffices, FileDistricts, FileMerges, FileCells, FileSummary, FileGeoPackage} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
		}
	}
}

func TestWriteExportsRejectsBadRun(t *testing.T) {
	t.Parallel()
	r := syntheticRun(5, English)
	r.Offices[0].Status = "gone"
	dir := t.TempDir()
	err := writeExports(context.Background(), dir, r)
	if err == nil || !strings.Contains(err.Error(), `status "gone"`) {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written for a bad run: %v", entries)
	}
}

func TestCatchmentsGeoJSONProperties(t *testing.T) {
	t.Parallel()
	r := syntheticRun(6, English)
	cs, err := Catchments(context.Background(), r.Cells)
	if err != nil {
		t.Fatal(err)
	}
	b, err := catchmentsGeoJSON(r, cs)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"office_id", "office_name", "kind", "status", "cells", "population", "mean_minutes",
		"productivity_vs_norm", "peak_occupancy", "wait_min", "verdict", "geometry"} {
		if _, ok := doc.Features[0].Properties[k]; !ok {
			t.Errorf("property %q missing", k)
		}
	}
}

func TestFixed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    float64
		d    int
		want string
	}{
		{4.057481773802236, digitsMinutes, "4.1"},
		{1.079e-31, digitsShare, "0"},
		{-1.079e-31, digitsShare, "0"},
		{-0.04, digitsMinutes, "0"},
		{-12.46, digitsMinutes, "-12.5"},
		{0.99999999, digitsShare, "1"},
		{0.96512, digitsShare, "0.9651"},
		{106.65232149, digitsDegrees, "106.652321"},
		{10.9, digitsDegrees, "10.9"},
		{8.4849, digitsKm, "8.48"},
		{3556.4, digitsWhole, "3556"},
		{1e21, digitsWhole, "1000000000000000000000"},
		{30, digitsMinutes, "30"},
		{0, digitsMinutes, "0"},
	}
	for _, tc := range tests {
		if got := fixed(tc.v, tc.d); got != tc.want {
			t.Errorf("fixed(%v, %d) = %q, want %q", tc.v, tc.d, got, tc.want)
		}
		if got, want := rounded(tc.v, tc.d), mustParse(t, tc.want); got != want {
			t.Errorf("rounded(%v, %d) = %v, want %v", tc.v, tc.d, got, want)
		}
	}
}

func mustParse(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// noisyRun is a synthetic run with the floating-point noise engines leave
// in their sums, and a new point named by the optimizer's placeholder.
func noisyRun() Run {
	r := syntheticRun(5, Vietnamese)
	r.Communes[0].MeanMinutesAfter = 4.057481773802236
	r.Communes[0].CoveredShareAfter = 1.079e-31
	r.Communes[1].CoveredShareBefore = 1 - 1e-16
	r.Cells[0].MinutesAfter = 1.079e-31
	r.Cells[0].Lon += 1e-12
	r.Offices[0].Dossiers = 3556.4999999
	r.Offices[0].WaitSimMeanMin = 0.30000000000000004
	r.Before.MeanMinutes = 12.345678901234
	for i := range r.Merges {
		r.Merges[i].MaxKm = 4.0574817738
	}
	for i := range r.Offices {
		if r.Offices[i].Status == New {
			r.Offices[i].Name = "grid point " + r.Offices[i].ID
			break
		}
	}
	return r
}

// exportTables are every CSV table of a run, by file name.
func exportTables(r Run) map[string]table {
	n := namesOf(r)
	return map[string]table{
		FileSummary: summaryTable(r), FileDistricts: districtsTable(r), FileCommunes: communesTable(r),
		FileOffices: officesTable(r, n), FileMerges: mergesTable(r, n), FileCells: cellsTable(r, n),
	}
}

// TestExportPrecision: every value has the Go type its column says, and no
// number carries more decimals than its column keeps or an exponent.
func TestExportPrecision(t *testing.T) {
	t.Parallel()
	r := noisyRun()
	for file, tb := range exportTables(r) {
		for i, row := range tb.rows {
			if len(row) != len(tb.cols) {
				t.Fatalf("%s row %d has %d cells for %d columns", file, i, len(row), len(tb.cols))
			}
			for j, v := range row {
				c := tb.cols[j]
				ok := false
				switch v.(type) {
				case string:
					ok = c.kind == kindText
				case int, int64:
					ok = c.kind == kindInt
				case float64:
					ok = c.kind == kindReal
				case bool:
					ok = c.kind == kindBool
				}
				if !ok {
					t.Errorf("%s column %s holds %T", file, c.name, v)
				}
				s := c.text(v)
				if c.kind == kindReal && (strings.ContainsAny(s, "eE") || decimals(s) > c.digits) {
					t.Errorf("%s column %s: %q has more than %d decimals or an exponent", file, c.name, s, c.digits)
				}
				if _, err := strconv.ParseFloat(s, 64); err == nil && strings.ContainsAny(s, "eE") {
					t.Errorf("%s column %s: %q in exponent notation", file, c.name, s)
				}
			}
		}
	}
	communes := exportTables(r)[FileCommunes].records()
	if got := communes[1][6]; got != "4.1" {
		t.Errorf("mean_minutes_after %q, want 4.1", got)
	}
	if got := communes[1][8]; got != "0" {
		t.Errorf("covered_share_after %q, want 0", got)
	}
	if got := communes[2][7]; got != "1" {
		t.Errorf("covered_share_before %q, want 1", got)
	}
	summary := exportTables(r)[FileSummary].records()
	if summary[6][0] != "mean_minutes" || summary[6][1] != "12.3" {
		t.Errorf("summary mean_minutes row %q, want 12.3 before", summary[6])
	}
}

func decimals(s string) int {
	_, frac, _ := strings.Cut(s, ".")
	return len(frac)
}

// TestExportNames: every id of an office or a commune in a CSV has its name
// beside it, and a new point named by the optimizer's placeholder is named
// as the report names it, its id kept.
func TestExportNames(t *testing.T) {
	t.Parallel()
	r := noisyRun()
	dir := t.TempDir()
	if err := writeExports(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	lb, _ := r.Lang.labels()
	shown := map[string]string{}
	for _, o := range r.localized(lb).Offices {
		shown[o.ID] = o.Name
	}
	communes := map[string]string{}
	for _, c := range r.Communes {
		communes[c.Code] = c.Name
	}
	pairs := map[string][][2]string{ // file → (id column, name column)
		FileOffices:  {{"id", "name"}, {"absorbed_by", "absorbed_by_name"}, {"commune", "commune_name"}},
		FileMerges:   {{"from", "from_name"}, {"to", "to_name"}, {"commune", "commune_name"}},
		FileCells:    {{"office_before", "office_before_name"}, {"office_after", "office_after_name"}, {"commune", "commune_name"}},
		FileCommunes: {{"district_code", "district_name"}},
	}
	for file, ps := range pairs {
		rows := readCSV(t, filepath.Join(dir, file))
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, p := range ps {
			idCol, okID := col[p[0]]
			nameCol, okName := col[p[1]]
			if !okID || !okName {
				t.Fatalf("%s lacks %s or %s: header %q", file, p[0], p[1], rows[0])
			}
			named := 0
			for _, row := range rows[1:] {
				id, name := row[idCol], row[nameCol]
				want := shown[id]
				if p[0] == "commune" {
					want = communes[id]
				}
				if p[0] == "district_code" {
					want = r.districtName(id)
				}
				if name != want {
					t.Errorf("%s: %s %q named %q, want %q", file, p[0], id, name, want)
				}
				if id != "" && name != "" {
					named++
				}
			}
			if named == 0 && len(rows) > 1 {
				t.Errorf("%s: no %s has a name", file, p[0])
			}
		}
	}
	for _, row := range readCSV(t, filepath.Join(dir, FileOffices))[1:] {
		if strings.HasPrefix(row[1], "grid point") {
			t.Errorf("offices.csv names %s %q: want the name the report gives it", row[0], row[1])
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestExportFormatsAgree: the GeoJSON catchments carry exactly the fields of
// the GeoPackage catchments layer, with the same values, and every other
// layer has the columns of its CSV file.
func TestExportFormatsAgree(t *testing.T) {
	t.Parallel()
	r := noisyRun()
	dir := t.TempDir()
	if err := writeExports(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileGeoPackage)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	b, err := os.ReadFile(filepath.Join(dir, FileCatchments))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	cols := layerColumns(t, db, "catchments")
	for i, f := range fc.Features {
		var props []string
		for k := range f.Properties {
			props = append(props, k)
		}
		sort.Strings(props)
		want := slices.Sorted(slices.Values(cols))
		if !slices.Equal(props, want) {
			t.Fatalf("feature %d properties %q, GeoPackage catchments columns %q", i, props, want)
		}
		var name, kind, status string
		var minutes float64
		if err := db.QueryRow(`SELECT office_name, kind, status, mean_minutes FROM catchments WHERE office_id = ?`, f.Properties["office_id"]).
			Scan(&name, &kind, &status, &minutes); err != nil {
			t.Fatal(err)
		}
		if name != f.Properties["office_name"] || kind != f.Properties["kind"] || status != f.Properties["status"] || minutes != f.Properties["mean_minutes"] {
			t.Errorf("catchment %v: GeoPackage %q %q %q %v, GeoJSON %v", f.Properties["office_id"], name, kind, status, minutes, f.Properties)
		}
	}
	for layer, file := range map[string]string{"communes": FileCommunes, "offices": FileOffices, "cells": FileCells} {
		header := readCSV(t, filepath.Join(dir, file))[0]
		if got := layerColumns(t, db, layer); !slices.Equal(got, header) {
			t.Errorf("layer %s columns %q, %s header %q", layer, got, file, header)
		}
	}
	var lon, minutes float64
	if err := db.QueryRow(`SELECT lon, minutes_after FROM cells ORDER BY fid LIMIT 1`).Scan(&lon, &minutes); err != nil {
		t.Fatal(err)
	}
	if lon != rounded(r.Cells[0].Lon, digitsDegrees) || minutes != 0 {
		t.Errorf("first cell lon %v minutes %v, want the rounded %v and 0", lon, minutes, rounded(r.Cells[0].Lon, digitsDegrees))
	}
}

// layerColumns are a GeoPackage table's columns after fid and geom.
func layerColumns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name != "fid" && name != "geom" {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		t.Fatalf("table %s has no columns", table)
	}
	return out
}
