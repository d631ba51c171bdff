package data

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
	_ "modernc.org/sqlite" // pure-Go SQLite: reads GeoPackages without cgo or GDAL
)

// GeoPackage and Shapefile inputs. A GeoPackage layer is turned into the
// GeoJSON FeatureCollection the loaders already read, so both formats are
// validated by the same code and give the same messages. Shapefiles are
// several files (.shp, .shx, .dbf, .prj) that a single path cannot name, and
// their .dbf text encodings are a common source of garbled Vietnamese names:
// they are refused with the one command that converts them.

var sqliteMagic = []byte("SQLite format 3\x00")

// isGeoPackage reports whether b is an SQLite database (a GeoPackage is one).
func isGeoPackage(b []byte) bool { return bytes.HasPrefix(b, sqliteMagic) }

// shapefileProblem recognises a Shapefile part by its name or its header
// (file code 9994, big-endian) and says how to convert it.
func shapefileProblem(file string, b []byte) (Problem, bool) {
	ext := strings.ToLower(path.Ext(filepath.ToSlash(file)))
	isShp := len(b) >= 4 && binary.BigEndian.Uint32(b) == 9994
	switch {
	case isShp, ext == ".shp", ext == ".shx", ext == ".dbf", ext == ".prj":
	default:
		return Problem{}, false
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	return Problem{File: file, Msg: "this is part of a Shapefile, which onestop does not read (a Shapefile is several files, and its .dbf often stores Vietnamese names in a legacy encoding)",
		Fix: fmt.Sprintf("convert it to GeoJSON in WGS84 with GDAL: ogr2ogr -f GeoJSON -t_srs EPSG:4326 -lco RFC7946=YES %s.geojson %s.shp (QGIS: right-click the layer → Export → Save Features As… → GeoJSON, CRS EPSG:4326, encoding UTF-8) and name the .geojson in dataset.yaml", base, base)}, true
}

// geoPackageFeatures reads the one feature layer of a GeoPackage as GeoJSON
// bytes. SQLite reads files, so the bytes are written to a private
// temporary file first (the input may come from an embedded file system).
func geoPackageFeatures(file string, b []byte) ([]byte, *Problem) {
	fail := func(msg, fix string) ([]byte, *Problem) {
		return nil, &Problem{File: file, Msg: msg, Fix: fix}
	}
	dir, err := os.MkdirTemp("", "onestop-gpkg-read-")
	if err != nil {
		return fail("cannot read the GeoPackage: "+err.Error(), "check the temporary directory ($TMPDIR) is writable")
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "in.gpkg")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fail("cannot read the GeoPackage: "+err.Error(), "check the temporary directory ($TMPDIR) has space")
	}
	db, err := sql.Open("sqlite", "file:"+tmp+"?mode=ro")
	if err != nil {
		return fail("cannot open the GeoPackage: "+err.Error(), "export the layer again as a GeoPackage or GeoJSON")
	}
	defer db.Close()
	layer, geomCol, srs, err := featureLayer(db)
	if err != nil {
		return fail(err.Error(), fmt.Sprintf("export the one layer you mean as GeoJSON: ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson %s LAYER", filepath.Base(file)))
	}
	if srs != 4326 {
		return fail(fmt.Sprintf("layer %q is in EPSG:%d, not WGS84 longitude/latitude (EPSG:4326)", layer, srs),
			fmt.Sprintf("reproject it: ogr2ogr -f GPKG -t_srs EPSG:4326 out.gpkg %s", filepath.Base(file)))
	}
	fc, err := readLayer(db, layer, geomCol)
	if err != nil {
		return fail(fmt.Sprintf("layer %q: %v", layer, err), "open the GeoPackage in QGIS and check the layer, or export it as GeoJSON")
	}
	out, err := json.Marshal(fc)
	if err != nil {
		return fail(fmt.Sprintf("layer %q: %v", layer, err), "export the layer as GeoJSON")
	}
	return out, nil
}

// featureLayer finds the GeoPackage's single feature table, its geometry
// column and the EPSG code of its coordinates.
func featureLayer(db *sql.DB) (layer, geomCol string, srs int, err error) {
	rows, err := db.Query(`SELECT c.table_name, g.column_name, COALESCE(s.organization_coordsys_id, c.srs_id), COALESCE(UPPER(s.organization), 'EPSG')
		FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
		LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = c.srs_id
		WHERE c.data_type = 'features' ORDER BY c.table_name`)
	if err != nil {
		return "", "", 0, fmt.Errorf("not a GeoPackage (no gpkg_contents / gpkg_geometry_columns tables): %v", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name, col, org string
		var code int
		if err := rows.Scan(&name, &col, &code, &org); err != nil {
			return "", "", 0, err
		}
		if org != "EPSG" {
			code = -code
		}
		names = append(names, name)
		layer, geomCol, srs = name, col, code
	}
	if err := rows.Err(); err != nil {
		return "", "", 0, err
	}
	switch len(names) {
	case 0:
		return "", "", 0, errors.New("the GeoPackage has no feature layer")
	case 1:
		return layer, geomCol, srs, nil
	}
	return "", "", 0, fmt.Errorf("the GeoPackage holds %d feature layers (%s); onestop reads a file with one", len(names), strings.Join(names, ", "))
}

// readLayer reads every row of table as a feature: the geometry from
// geomCol, every other column but the primary key as a property.
func readLayer(db *sql.DB, table, geomCol string) (*geojson.FeatureCollection, error) {
	q := `SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	fc := geojson.NewFeatureCollection()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for n := 1; rows.Next(); n++ {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("row %d: %w", n, err)
		}
		var g orb.Geometry
		props := geojson.Properties{}
		for i, c := range cols {
			switch {
			case strings.EqualFold(c, geomCol):
				blob, _ := vals[i].([]byte)
				if blob == nil {
					continue // an empty geometry: the loader reports it
				}
				if g, err = gpkgGeometry(blob); err != nil {
					return nil, fmt.Errorf("row %d: geometry: %w", n, err)
				}
			case strings.EqualFold(c, "fid"):
			default:
				switch v := vals[i].(type) {
				case []byte:
					props[c] = string(v)
				default:
					props[c] = v
				}
			}
		}
		f := geojson.NewFeature(g)
		f.Properties = props
		fc.Append(f)
	}
	return fc, rows.Err()
}

// gpkgGeometry decodes a GeoPackage geometry blob: the "GP" header with its
// optional envelope, then standard WKB.
func gpkgGeometry(b []byte) (orb.Geometry, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("not a GeoPackage geometry (no GP header)")
	}
	flags := b[3]
	if flags&0x10 != 0 {
		return nil, nil // the empty-geometry flag
	}
	envelope := [...]int{0, 32, 48, 48, 64}
	kind := int(flags>>1) & 7
	if kind >= len(envelope) {
		return nil, fmt.Errorf("unknown envelope type %d", kind)
	}
	start := 8 + envelope[kind]
	if len(b) < start {
		return nil, errors.New("truncated geometry header")
	}
	return wkb.Unmarshal(b[start:])
}
