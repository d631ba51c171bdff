package reports

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	_ "modernc.org/sqlite" // pure-Go SQLite: no cgo, no system library
)

// GeoPackage layout (OGC 12-128r18, version 1.3).
const (
	gpkgApplicationID = 0x47504B47 // "GPKG"
	gpkgUserVersion   = 10300
	srsWGS84          = 4326
	// gpkgTimestamp is the last_change of every layer. GeoPackage wants a
	// time here; a fixed one keeps the file's bytes a function of the run.
	gpkgTimestamp = "2000-01-01T00:00:00.000Z"
)

const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// gpkgSchema creates the mandatory metadata tables with the three spatial
// reference systems the standard requires.
func gpkgSchema() []string {
	return []string{
		fmt.Sprintf("PRAGMA application_id = %d", gpkgApplicationID),
		fmt.Sprintf("PRAGMA user_version = %d", gpkgUserVersion),
		`CREATE TABLE gpkg_spatial_ref_sys (
		srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES
		('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
		('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
		('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
		`CREATE TABLE gpkg_contents (
		table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
		last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
		CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
		`CREATE TABLE gpkg_geometry_columns (
		table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
		z TINYINT NOT NULL, m TINYINT NOT NULL,
		CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
		CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
		`CREATE TABLE gpkg_extensions (
		table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
		CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	}
}

// gpkgRtree creates the spatial index of a layer's geom column (the
// gpkg_rtree_index extension, GeoPackage 1.3 annex F.3): the R-tree table
// and the triggers that keep it in step when a user edits the layer in
// QGIS (they call the ST_* functions GDAL registers).
func gpkgRtree(t string) []string {
	r := fmt.Sprintf("%q", "rtree_"+t+"_geom")
	q := fmt.Sprintf("%q", t)
	trig := func(name string) string { return fmt.Sprintf("%q", "rtree_"+t+"_geom_"+name) }
	ins := "INSERT OR REPLACE INTO " + r + " VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));"
	return []string{
		"CREATE VIRTUAL TABLE " + r + " USING rtree(id, minx, maxx, miny, maxy)",
		"CREATE TRIGGER " + trig("insert") + " AFTER INSERT ON " + q + " WHEN (NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN " + ins + " END",
		"CREATE TRIGGER " + trig("update1") + " AFTER UPDATE OF geom ON " + q + " WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN " + ins + " END",
		"CREATE TRIGGER " + trig("update2") + " AFTER UPDATE OF geom ON " + q + " WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM " + r + " WHERE id = OLD.fid; END",
		"CREATE TRIGGER " + trig("update3") + " AFTER UPDATE ON " + q + " WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM " + r + " WHERE id = OLD.fid; " + ins + " END",
		"CREATE TRIGGER " + trig("update4") + " AFTER UPDATE ON " + q + " WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM " + r + " WHERE id IN (OLD.fid, NEW.fid); END",
		"CREATE TRIGGER " + trig("delete") + " AFTER DELETE ON " + q + " WHEN OLD.geom NOT NULL BEGIN DELETE FROM " + r + " WHERE id = OLD.fid; END",
	}
}

// gpkgLayer is one feature table: an export table and one geometry per row.
type gpkgLayer struct {
	name, description, geomType string
	table                       table
	geoms                       []orb.Geometry
}

// geoPackage builds the GeoPackage of r and returns its bytes. SQLite needs
// a real file, so it is built in a private temporary directory that is
// removed before returning.
func geoPackage(ctx context.Context, r Run, cs []Catchment) ([]byte, error) {
	dir, err := os.MkdirTemp("", "onestop-gpkg-")
	if err != nil {
		return nil, fmt.Errorf("geopackage: %w", err)
	}
	defer os.RemoveAll(dir)
	tmpName := filepath.Join(dir, FileGeoPackage)
	layers := gpkgLayers(r, cs)
	styles, err := gpkgStyles(r, layers)
	if err != nil {
		return nil, fmt.Errorf("geopackage: %w", err)
	}
	if err := buildGeoPackage(ctx, tmpName, layers, styles); err != nil {
		return nil, fmt.Errorf("geopackage: %w", err)
	}
	b, err := os.ReadFile(tmpName)
	if err != nil {
		return nil, fmt.Errorf("geopackage: %w", err)
	}
	return b, nil
}

// gpkgLayers maps the run onto the layers communes, offices, cells and
// catchments. Each layer's fields are the columns of its CSV file (the
// catchments' those of the GeoJSON), so every format carries the same
// attributes, rounded alike.
func gpkgLayers(r Run, cs []Catchment) []gpkgLayer {
	n := namesOf(r)
	communes := gpkgLayer{name: "communes", geomType: "MULTIPOLYGON",
		description: "commune-level units with mean travel time and covered share before/after",
		table:       communesTable(r)}
	for _, c := range r.Communes {
		communes.geoms = append(communes.geoms, c.Geometry)
	}
	offices := gpkgLayer{name: "offices", geomType: "POINT",
		description: "offices with status (kept/closed/new), staff, load against the norm and waiting times",
		table:       officesTable(r, n)}
	for _, o := range r.Offices {
		offices.geoms = append(offices.geoms, orb.Point{o.Lon, o.Lat})
	}
	cells := gpkgLayer{name: "cells", geomType: "POLYGON",
		description: "population cells (H3 hexagons, or centres) with nearest office and travel time before/after",
		table:       cellsTable(r, n)}
	cells.geoms, cells.geomType = cellGeometries(r.Cells)
	catch := gpkgLayer{name: "catchments", geomType: "MULTIPOLYGON",
		description: "area served by each office after: union of its cells' hexagons (geometry=dissolved) or the hexagons themselves (geometry=hexagons)"}
	catch.table, catch.geoms = catchmentTable(r, cs, n)
	return []gpkgLayer{communes, offices, cells, catch}
}

// cellGeometries are the cells' hexagons, so QGIS draws a coverage map
// rather than dots; a run with any cell known only by its centre keeps
// points for all (a layer has one geometry type).
func cellGeometries(cells []Cell) ([]orb.Geometry, string) {
	geoms := make([]orb.Geometry, len(cells))
	for i, c := range cells {
		h, ok := cellPolygon(c)
		if !ok {
			for j, c := range cells {
				geoms[j] = orb.Point{c.Lon, c.Lat}
			}
			return geoms, "POINT"
		}
		geoms[i] = h
	}
	return geoms, "POLYGON"
}

// buildGeoPackage writes the metadata tables, the layers and their
// default QGIS styles into file.
func buildGeoPackage(ctx context.Context, file string, layers []gpkgLayer, styles []layerStyle) error {
	db, err := sql.Open("sqlite", file)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // PRAGMAs and the transaction must share one connection
	for _, stmt := range gpkgSchema() {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create metadata: %w", err)
		}
	}
	for _, l := range layers {
		if err := writeLayer(ctx, db, l); err != nil {
			return fmt.Errorf("layer %s: %w", l.name, err)
		}
	}
	if err := writeStyles(ctx, db, styles); err != nil {
		return fmt.Errorf("layer styles: %w", err)
	}
	return db.Close()
}

func writeLayer(ctx context.Context, db *sql.DB, l gpkgLayer) error {
	cols := "fid INTEGER PRIMARY KEY AUTOINCREMENT, geom " + l.geomType
	names := "geom"
	marks := "?"
	for _, c := range l.table.cols {
		cols += ", " + c.sqlDecl()
		names += ", " + c.quoted()
		marks += ", ?"
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %q (%s)", l.name, cols)); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %q (%s) VALUES (%s)", l.name, names, marks))
	if err != nil {
		return err
	}
	defer ins.Close()
	// The index goes in before the rows: its triggers would call ST_*
	// functions this SQLite does not have, so the rows' boxes are inserted
	// by hand below.
	if _, err := tx.ExecContext(ctx, gpkgRtree(l.name)[0]); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	idx, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %q VALUES (?, ?, ?, ?, ?)", "rtree_"+l.name+"_geom"))
	if err != nil {
		return err
	}
	defer idx.Close()
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	args := make([]any, 1+len(l.table.cols))
	for i, row := range l.table.rows {
		if i%2048 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		geom := l.geoms[i]
		blob, err := gpkgGeometry(geom)
		if err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
		args[0] = blob
		for j, c := range l.table.cols {
			args[1+j] = c.value(row[j])
		}
		res, err := ins.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
		if !isEmpty(geom) {
			rb := geom.Bound()
			b = b.Union(rb)
			fid, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("row %d: %w", i+1, err)
			}
			// R-tree boxes are 32-bit floats: round outwards so the box
			// still contains the geometry.
			if _, err := idx.ExecContext(ctx, fid, down(rb.Min[0]), up(rb.Max[0]), down(rb.Min[1]), up(rb.Max[1])); err != nil {
				return fmt.Errorf("row %d: spatial index: %w", i+1, err)
			}
		}
	}
	for _, stmt := range gpkgRtree(l.name)[1:] {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("spatial index: %w", err)
		}
	}
	var minX, minY, maxX, maxY any // NULL for an empty layer
	if len(l.table.rows) > 0 && !math.IsInf(b.Min[0], 0) {
		minX, minY, maxX, maxY = b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)`, l.name, l.name, l.description, gpkgTimestamp, minX, minY, maxX, maxY, srsWGS84); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, l.name, l.geomType, srsWGS84); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, l.name); err != nil {
		return err
	}
	return tx.Commit()
}

// down and up round a coordinate to the float32 the R-tree stores, never
// inwards.
func down(v float64) float64 {
	f := float32(v)
	if float64(f) > v {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return float64(f)
}

func up(v float64) float64 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return float64(f)
}

func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.MultiPolygon:
		return len(g) == 0
	case nil:
		return true
	}
	return false
}

// gpkgGeometry encodes a GeoPackage binary geometry: the "GP" header
// (version 0, little-endian flag, envelope for non-points, srs id) followed
// by standard little-endian WKB. Empty geometries set the empty flag.
func gpkgGeometry(g orb.Geometry) ([]byte, error) {
	_, isPoint := g.(orb.Point)
	empty := isEmpty(g)
	flags := byte(0x01) // little-endian header values
	envelope := !isPoint && !empty
	if envelope {
		flags |= 0x01 << 1 // envelope [minx, maxx, miny, maxy]
	}
	if empty {
		flags |= 0x10
	}
	head := make([]byte, 8, 8+32)
	head[0], head[1], head[2], head[3] = 'G', 'P', 0, flags
	binary.LittleEndian.PutUint32(head[4:], uint32(int32(srsWGS84)))
	if envelope {
		b := g.Bound()
		for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			head = binary.LittleEndian.AppendUint64(head, math.Float64bits(v))
		}
	}
	if g == nil {
		g = orb.MultiPolygon{}
	}
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("encode WKB: %w", err)
	}
	return append(head, body...), nil
}
