package reports

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeoPackageWithGDAL opens the export with GDAL, the library QGIS reads
// GeoPackages with, and asks GEOS whether every polygon is valid. GDAL is
// optional (apt-get install gdal-bin); without ogrinfo the test skips.
func TestGeoPackageWithGDAL(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not installed (apt-get install gdal-bin); the SQL read-back tests still check the GeoPackage")
	}
	dir := t.TempDir()
	if err := WriteExports(context.Background(), dir, syntheticRun(9, Vietnamese)); err != nil {
		t.Fatal(err)
	}
	gpkg := filepath.Join(dir, FileGeoPackage)
	out, err := exec.Command(ogrinfo, "-ro", "-so", gpkg).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"using driver `GPKG' successful", "communes (Multi Polygon)", "offices (Point)", "cells (Point)", "catchments (Multi Polygon)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ogrinfo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(string(out)), "warning") {
		t.Errorf("GDAL warns:\n%s", out)
	}
	for _, layer := range []string{"communes", "catchments"} {
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
