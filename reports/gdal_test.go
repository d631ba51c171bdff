package reports

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeoPackageWithGDAL opens the export with GDAL, the library QGIS reads
// GeoPackages with, and asks GEOS whether every polygon is valid. GDAL is
// optional (apt-get install gdal-bin); without ogrinfo the test skips.
func TestGeoPackageWithGDAL(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts GDAL's ogrinfo; the SQL read-back tests still check the GeoPackage")
	}
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not installed (apt-get install gdal-bin); the SQL read-back tests still check the GeoPackage")
	}
	dir := t.TempDir()
	run := syntheticRun(9, Vietnamese)
	if err := writeExports(context.Background(), dir, run); err != nil {
		t.Fatal(err)
	}
	gpkg := filepath.Join(dir, FileGeoPackage)
	out, err := exec.Command(ogrinfo, "-ro", "-so", gpkg).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"using driver `GPKG' successful", "communes (Multi Polygon)", "offices (Point)", "cells (Polygon)", "catchments (Multi Polygon)",
		"layer_styles (None)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ogrinfo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(string(out)), "warning") {
		t.Errorf("GDAL warns:\n%s", out)
	}
	// The catchments layer has the GeoJSON's fields, as GDAL reads them.
	out, err = exec.Command(ogrinfo, "-ro", "-so", gpkg, "catchments").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo catchments: %v\n%s", err, out)
	}
	for _, field := range []string{"office_id: String", "office_name: String", "kind: String", "status: String", "mean_minutes: Real"} {
		if !strings.Contains(string(out), field) {
			t.Errorf("catchments layer lacks %q:\n%s", field, out)
		}
	}
	checkStylesWithGDAL(t, ogrinfo, gpkg)
	// GDAL sees the spatial index of every layer, and its triggers run
	// when a layer is edited (as in QGIS): here on a copy.
	for _, layer := range []string{"communes", "offices", "cells", "catchments"} {
		q := "SELECT HasSpatialIndex('" + layer + "', 'geom')"
		out, err := exec.Command(ogrinfo, "-ro", "-sql", q, gpkg).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "HasSpatialIndex (Integer) = 1") {
			t.Errorf("layer %s has no spatial index GDAL uses: %v\n%s", layer, err, out)
		}
	}
	edit := filepath.Join(t.TempDir(), "edit.gpkg")
	if err := exec.Command("cp", gpkg, edit).Run(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"UPDATE cells SET geom = (SELECT geom FROM cells WHERE fid = 2) WHERE fid = 1",
		"DELETE FROM cells WHERE fid = 3",
	} {
		if out, err := exec.Command(ogrinfo, "-sql", q, edit).CombinedOutput(); err != nil || strings.Contains(strings.ToLower(string(out)), "error") {
			t.Fatalf("ogrinfo %s: %v\n%s", q, err, out)
		}
	}
	q := "SELECT (SELECT count(*) FROM cells) AS n, (SELECT count(*) FROM rtree_cells_geom) - (SELECT count(*) FROM cells) AS drift, " +
		"(SELECT count(*) FROM rtree_cells_geom r JOIN cells c ON c.fid = r.id WHERE r.minx > ST_MinX(c.geom) OR r.maxx < ST_MaxX(c.geom)) AS stale"
	out, err = exec.Command(ogrinfo, "-ro", "-sql", q, edit).CombinedOutput()
	n := fmt.Sprintf("n (Integer) = %d", len(run.Cells)-1) // the delete took effect
	if err != nil || !strings.Contains(string(out), n) || !strings.Contains(string(out), "drift (Integer) = 0") || !strings.Contains(string(out), "stale (Integer) = 0") {
		t.Errorf("spatial index out of step after edits: %v\n%s", err, out)
	}
	for _, layer := range []string{"communes", "catchments", "cells"} {
		q := "SELECT count(*) AS invalid FROM " + layer + " WHERE NOT ST_IsValid(geom)"
		out, err := exec.Command(ogrinfo, "-ro", "-dialect", "SQLite", "-sql", q, gpkg).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", q, err, out)
		}
		if !strings.Contains(string(out), "invalid (Integer) = 0") {
			t.Errorf("layer %s has invalid geometries:\n%s", layer, out)
		}
	}
}

// checkStylesWithGDAL: GDAL reads layer_styles as an attribute table without
// a warning, and finds exactly one default style for each layer.
func checkStylesWithGDAL(t *testing.T, ogrinfo, gpkg string) {
	t.Helper()
	out, err := exec.Command(ogrinfo, "-ro", "-so", gpkg, "layer_styles").CombinedOutput()
	if err != nil || strings.Contains(strings.ToLower(string(out)), "warning") || !strings.Contains(string(out), "Feature Count: 4") {
		t.Errorf("ogrinfo layer_styles: %v\n%s", err, out)
	}
	q := "SELECT l.table_name AS layer, (SELECT count(*) FROM layer_styles s WHERE s.f_table_name = l.table_name AND s.f_geometry_column = 'geom' AND s.useAsDefault) AS styles " +
		"FROM gpkg_contents l WHERE l.data_type = 'features' ORDER BY l.table_name"
	out, err = exec.Command(ogrinfo, "-ro", "-sql", q, gpkg).CombinedOutput()
	if err != nil || strings.Contains(strings.ToLower(string(out)), "warning") {
		t.Fatalf("ogrinfo %s: %v\n%s", q, err, out)
	}
	for _, layer := range []string{"catchments", "cells", "communes", "offices"} {
		if !strings.Contains(string(out), "layer (String) = "+layer+"\n  styles (Integer) = 1\n") {
			t.Errorf("layer %s has not exactly one default style:\n%s", layer, out)
		}
	}
}
