package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// qgisProbe opens each layer of a GeoPackage with QGIS's own Python API,
// which applies the default style from layer_styles as the desktop does,
// and prints the renderer QGIS ended up with.
const qgisProbe = `
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
out = {}
for name in sys.argv[2:]:
    lyr = QgsVectorLayer(sys.argv[1] + "|layername=" + name, name, "ogr")
    r = lyr.renderer() if lyr.isValid() else None
    kind = r.type() if r else "invalid"
    n = len(r.ranges()) if kind == "graduatedSymbol" else len(r.categories()) if kind == "categorizedSymbol" else 0
    attr = r.classAttribute() if n else ""
    out[name] = {"type": kind, "attr": attr, "classes": n}
print("PROBE" + json.dumps(out), flush=True)
os._exit(0)  # QGIS may crash tearing down its providers; the answer is out
`

// TestGeoPackageStylesInQGIS checks that QGIS itself applies the embedded
// styles. It needs python3-qgis (not installed in CI) and skips without it.
func TestGeoPackageStylesInQGIS(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts QGIS")
	}
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil || exec.Command(py, "-c", "import qgis.core").Run() != nil {
		t.Skip("python3-qgis not installed; the SQL and GDAL tests still check layer_styles")
	}
	dir := t.TempDir()
	run := syntheticRun(6, English)
	if err := writeExports(context.Background(), dir, run); err != nil {
		t.Fatal(err)
	}
	layers := gpkgLayers(run, mustCatchments(t, run))
	styles, err := gpkgStyles(run, layers)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-c", qgisProbe, filepath.Join(dir, FileGeoPackage)}
	for _, s := range styles {
		args = append(args, s.Layer)
	}
	cmd := exec.Command(py, args...)
	runtime := t.TempDir()
	if err := os.Chmod(runtime, 0o700); err != nil { // Qt refuses a wider one
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Environ(), "XDG_RUNTIME_DIR="+runtime)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("qgis: %v\n%s", err, out)
	}
	var got map[string]struct {
		Type, Attr string
		Classes    int
	}
	i := bytes.LastIndex(out, []byte("PROBE"))
	if i < 0 {
		t.Fatalf("no probe output:\n%s", out)
	}
	if err := json.Unmarshal(out[i+len("PROBE"):], &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	for _, s := range styles {
		g := got[s.Layer]
		if g.Type != s.Renderer || g.Attr != s.Attr || g.Classes != len(s.Classes) {
			t.Errorf("QGIS opened %s with %+v, want %s on %s with %d classes", s.Layer, g, s.Renderer, s.Attr, len(s.Classes))
		}
	}
}

func mustCatchments(t *testing.T, r Run) []Catchment {
	t.Helper()
	cs, err := Catchments(context.Background(), r.Cells)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
