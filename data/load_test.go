package data

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestLoadFileMini(t *testing.T) {
	d, err := LoadFile(filepath.Join("testdata", "mini", "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkMini(t, d)
	if d.Files == nil || d.DossierLog == "" {
		t.Fatalf("dossier log not resolved: Files=%v DossierLog=%q", d.Files, d.DossierLog)
	}
	f, err := d.Files.Open(d.DossierLog)
	if err != nil {
		t.Fatalf("open dossier log through Dataset.Files: %v", err)
	}
	f.Close()
}

func TestLoadFSMini(t *testing.T) {
	d, err := Load(os.DirFS("testdata"), "./mini/dataset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checkMini(t, d)
	if _, err := fs.Stat(d.Files, d.DossierLog); err != nil {
		t.Fatalf("dossier log %q not found in Dataset.Files: %v", d.DossierLog, err)
	}
}

func checkMini(t *testing.T, d *Dataset) {
	t.Helper()
	if d.Name != "Mini province" {
		t.Errorf("Name = %q", d.Name)
	}
	wantCommunes := []struct {
		code  string
		kind  CommuneKind
		class AreaClass
		pop   int64
		parts int
	}{
		{"10001", KindWard, Urban, 1000, 1},
		{"10002", KindCommune, Remote, 2000, 1},
		{"10003", KindTown, Urban, 3000, 2},
	}
	if len(d.Communes) != len(wantCommunes) {
		t.Fatalf("%d communes, want %d", len(d.Communes), len(wantCommunes))
	}
	for i, w := range wantCommunes {
		c := d.Communes[i]
		if c.Code != w.code || c.Kind != w.kind || c.Class != w.class || c.Population != w.pop || len(c.Geometry) != w.parts {
			t.Errorf("commune %d = %s %s %s %d parts=%d, want %+v", i, c.Code, c.Kind, c.Class, c.Population, len(c.Geometry), w)
		}
		if c.Bound != c.Geometry.Bound() {
			t.Errorf("commune %s: Bound not filled", c.Code)
		}
	}
	if got := d.Districts; len(got) != 2 || got[0] != (District{"700", "Huyện Alpha"}) || got[1] != (District{"701", "Huyện Beta"}) {
		t.Errorf("Districts = %+v", got)
	}
	wantOffices := []Office{
		{ID: "B-700", Name: "Chi nhánh Alpha", Kind: Branch, Location: orb.Point{106.61, 11.01}, Commune: "10001", Staff: 8, Counters: 4, DossiersPerYear: 12000, Locked: true},
		{ID: "OS-10002", Name: "Một cửa Hai", Kind: OneStop, Location: orb.Point{106.63, 11.01}, Commune: "10002", Staff: 3, Counters: 3, DossiersPerYear: 2400},
		// Staff defaults to ceil(3000 × 0.5 / 1600) = 1 → at least 2; commune found by point in the second part.
		{ID: "OS-10003", Name: "Một cửa Ba", Kind: OneStop, Location: orb.Point{106.655, 11.025}, Commune: "10003", Staff: 2, Counters: 2},
	}
	if len(d.Offices) != len(wantOffices) {
		t.Fatalf("%d offices, want %d", len(d.Offices), len(wantOffices))
	}
	for i, w := range wantOffices {
		if d.Offices[i] != w {
			t.Errorf("office %d = %+v\nwant %+v", i, d.Offices[i], w)
		}
	}
	if len(d.Population) != 4 || d.Population[3].Count != 500 || d.Population[3].Point != (orb.Point{106.655, 11.025}) {
		t.Errorf("Population = %+v", d.Population)
	}
	if d.Roads == nil || len(d.Roads.Arcs) == 0 {
		t.Errorf("roads not loaded: %+v", d.Roads)
	}
	if !hasProblem(d.Warnings, Warning, "offices.csv", 0, "", "no staff count") {
		t.Errorf("missing warning about the defaulted staff; warnings: %v", d.Warnings)
	}
}

func hasProblem(ps Problems, sev Severity, file string, rec int, id, msg string) bool {
	for _, p := range ps {
		if p.Severity == sev && strings.HasSuffix(filepath.ToSlash(p.File), file) && p.Record == rec &&
			(id == "" || p.ID == id) && strings.Contains(p.Msg, msg) {
			return true
		}
	}
	return false
}

// TestLoadFilePaths checks that dataset.yaml may point outside its directory
// with ".." and with absolute paths, which os.DirFS could not serve.
func TestLoadFilePaths(t *testing.T) {
	mini, err := filepath.Abs(filepath.Join("testdata", "mini"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "specs")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(mini, "communes.geojson"), filepath.Join(dir, "communes.geojson"))
	yaml := "communes:\n  file: ../communes.geojson\n  population: pop\n  kind: type\n" +
		"  kinds: {\"Phường\": ward, \"Xã\": commune, \"Thị trấn\": town}\n" +
		"dossiers:\n  file: " + filepath.ToSlash(filepath.Join(mini, "dossiers.csv")) + "\n"
	p := filepath.Join(sub, "dataset.yaml")
	writeFile(t, p, yaml)
	d, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Communes) != 3 || d.Name != "dataset" {
		t.Errorf("communes=%d name=%q", len(d.Communes), d.Name)
	}
	// Derived districts: no district_name, so the name is the code.
	if len(d.Districts) != 2 || d.Districts[0] != (District{"700", "700"}) {
		t.Errorf("Districts = %+v", d.Districts)
	}
	// Generated offices: one per commune, inside it.
	if len(d.Offices) != 3 {
		t.Fatalf("%d generated offices", len(d.Offices))
	}
	for i, o := range d.Offices {
		c := d.Communes[i]
		if o.ID != "OS-"+c.Code || o.Name != "Bộ phận Một cửa "+c.Name || o.Kind != OneStop || o.Commune != c.Code || o.Staff < MinStaff {
			t.Errorf("generated office %+v for commune %s", o, c.Code)
		}
		if !planar.MultiPolygonContains(c.Geometry, o.Location) {
			t.Errorf("office %s at %v is outside its commune", o.ID, o.Location)
		}
	}
	if _, err := fs.Stat(d.Files, d.DossierLog); err != nil {
		t.Errorf("absolute dossier path not reachable through Files: %v", err)
	}
}

func TestLoadFSRejectsEscapingPaths(t *testing.T) {
	fsys := fstest.MapFS{
		"ds/dataset.yaml": {Data: []byte("communes:\n  file: ../../communes.geojson\n")},
	}
	_, err := Load(fsys, "ds/dataset.yaml")
	ps := problemsOf(t, err)
	if !hasProblem(ps, Error, "ds/dataset.yaml", 0, "", "leaves the dataset") {
		t.Errorf("want a problem about the escaping path, got %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := LoadFile(filepath.Join("testdata", "mini", "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadFile(filepath.Join("testdata", "mini", "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Summary().String() != b.Summary().String() {
		t.Error("two loads give different summaries")
	}
	for i := range a.Warnings {
		if a.Warnings[i] != b.Warnings[i] {
			t.Errorf("warning %d differs: %v vs %v", i, a.Warnings[i], b.Warnings[i])
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(b))
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
