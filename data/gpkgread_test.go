package data

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The mini dataset's communes and offices read from GeoPackages made by GDAL
// (what QGIS writes) load exactly as from GeoJSON; a Shapefile, another CRS
// and a multi-layer file are refused with the command that fixes them.
func TestGeoPackageAndShapefileInputs(t *testing.T) {
	ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		t.Skip("ogr2ogr (gdal-bin) not installed: GeoPackage inputs not checked")
	}
	dir := t.TempDir()
	entries, _ := os.ReadDir(filepath.Join("testdata", "mini"))
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join("testdata", "mini", e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ogr, args...).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %v: %v\n%s", args, err, out)
		}
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	run("-f", "GPKG", in("communes.gpkg"), in("communes.geojson"))
	run("-f", "GPKG", "-t_srs", "EPSG:3405", in("communes-3405.gpkg"), in("communes.geojson"))
	run("-f", "GPKG", in("two.gpkg"), in("communes.geojson"), "-nln", "a")
	run("-f", "GPKG", "-update", in("two.gpkg"), in("communes.geojson"), "-nln", "b")
	run("-f", "ESRI Shapefile", in("shp"), in("communes.geojson"))

	yaml, _ := os.ReadFile(in("dataset.yaml"))
	want, err := LoadFile(in("dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, msg string }{
		{"communes.gpkg", ""},
		{"communes-3405.gpkg", "EPSG:3405"},
		{"two.gpkg", "2 feature layers"},
		{"shp/communes.shp", "ogr2ogr -f GeoJSON"},
		{"shp/communes.dbf", "part of a Shapefile"},
	} {
		t.Run(c.file, func(t *testing.T) {
			y := strings.Replace(string(yaml), "file: communes.geojson", "file: "+c.file, 1)
			p := in("ds-" + strings.ReplaceAll(c.file, "/", "-") + ".yaml")
			os.WriteFile(p, []byte(y), 0o644)
			got, err := LoadFile(p)
			if c.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				body := func(d *Dataset) string { _, rest, _ := strings.Cut(d.Summary().String(), "\n"); return rest } // past the dataset's path
				if body(got) != body(want) || len(got.Communes) != len(want.Communes) {
					t.Errorf("from the GeoPackage:\n%s\nfrom GeoJSON:\n%s", got.Summary(), want.Summary())
				}
				for i := range got.Communes {
					g, w := got.Communes[i], want.Communes[i]
					if g.Code != w.Code || g.Name != w.Name || g.Population != w.Population || len(g.Geometry) != len(w.Geometry) {
						t.Errorf("commune %d: %+v vs %+v", i, g.Code, w.Code)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one containing %q", err, c.msg)
			}
		})
	}
}

func TestGeoPackageGeometryHeader(t *testing.T) {
	// A point (1, 2) in WKB, little-endian, behind GP headers with no
	// envelope and with an XY envelope.
	wkbPoint := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}
	noEnv := append([]byte{'G', 'P', 0, 1, 0xe6, 0x10, 0, 0}, wkbPoint...)
	xyEnv := append(append([]byte{'G', 'P', 0, 3, 0xe6, 0x10, 0, 0}, make([]byte, 32)...), wkbPoint...)
	for _, b := range [][]byte{noEnv, xyEnv} {
		g, err := gpkgGeometry(b)
		if err != nil || g == nil || g.Bound().Min[0] != 1 || g.Bound().Min[1] != 2 {
			t.Errorf("geometry %v, %v", g, err)
		}
	}
	for _, b := range [][]byte{nil, []byte("GX"), {'G', 'P', 0, 0x0f, 0, 0, 0, 0}, {'G', 'P', 0, 3, 0, 0, 0, 0, 1}} {
		if _, err := gpkgGeometry(b); err == nil {
			t.Errorf("gpkgGeometry(%q) accepted", b)
		}
	}
}
