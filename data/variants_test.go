package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestVariants loads the mini dataset with one section swapped for another
// accepted form and checks what that form controls.
func TestVariants(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(t *testing.T, f map[string]string)
		check func(t *testing.T, d *Dataset)
	}{
		{"offices as GeoJSON with feature ids", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: offices.csv", "file: offices.geojson\n  staff: nhan_su")
			f["offices.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","id":"P1","properties":{"kind":"province-center","locked":"yes","nhan_su":20},"geometry":{"type":"Point","coordinates":[106.61,11.01]}},` +
				`{"type":"Feature","properties":{"id":"I1","kind":"inter-ward","nhan_su":"4"},"geometry":{"type":"Point","coordinates":[106.635,11.035]}}]}`
		}, func(t *testing.T, d *Dataset) {
			want := []Office{
				{ID: "P1", Name: "P1", Kind: ProvinceCenter, Location: d.Offices[0].Location, Commune: "10001", Staff: 20, Counters: 20, Locked: true},
				{ID: "I1", Name: "I1", Kind: InterWard, Location: d.Offices[1].Location, Commune: "10003", Staff: 4, Counters: 4},
			}
			for i := range want {
				if d.Offices[i] != want[i] {
					t.Errorf("office %d = %+v, want %+v", i, d.Offices[i], want[i])
				}
			}
		}},
		{"districts as GeoJSON", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: districts.csv\n  id: code\n  name: name", "file: districts.geojson\n  id: ma\n  name: ten")
			f["districts.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"ma":"701","ten":"Beta"},"geometry":null},` +
				`{"type":"Feature","properties":{"ma":700,"ten":"Alpha"},"geometry":null}]}`
		}, func(t *testing.T, d *Dataset) {
			if len(d.Districts) != 2 || d.Districts[0] != (District{"700", "Alpha"}) || d.Districts[1] != (District{"701", "Beta"}) {
				t.Errorf("districts %+v", d.Districts)
			}
		}},
		{"derived districts with names", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "districts:\n  file: districts.csv\n  id: code\n  name: name\n", "")
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  district_name: dname\n")
			replace(t, f, "communes.geojson", `"district":"701",`, `"district":"701","dname":"Huyện Beta",`)
		}, func(t *testing.T, d *Dataset) {
			if len(d.Districts) != 2 || d.Districts[0] != (District{"700", "700"}) || d.Districts[1] != (District{"701", "Huyện Beta"}) {
				t.Errorf("districts %+v", d.Districts)
			}
		}},
		{"population by H3", func(t *testing.T, f map[string]string) {
			f["population.csv"] = "h3,population\n8865a1a64bfffff,10\n8865a1a641fffff,20\n"
		}, func(t *testing.T, d *Dataset) {
			if len(d.Population) != 2 || d.Population[0].H3 != "8865a1a64bfffff" || d.Population[1].Count != 20 {
				t.Fatalf("population %+v", d.Population)
			}
			if p := d.Population[0].Point; p[0] < 100 || p[0] > 110 || p[1] < 8 || p[1] > 24 {
				t.Errorf("H3 cell centre %v is not in Vietnam", p)
			}
		}},
		{"population as GeoJSON points", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: population.csv", "file: population.geojson\n  count: dan_so")
			f["population.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"dan_so":6000},"geometry":{"type":"Point","coordinates":[106.61,11.01]}}]}`
		}, func(t *testing.T, d *Dataset) {
			if len(d.Population) != 1 || d.Population[0].Count != 6000 {
				t.Errorf("population %+v", d.Population)
			}
		}},
		{"area class from a field, overridden by a list", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  by_kind: {ward: urban, town: urban, commune: rural}\n  remote: [\"10002\"]", "  field: vung\n  rural: [\"Phường Một\"]")
			replace(t, f, "communes.geojson", `"code":"10001",`, `"code":"10001","vung":"URBAN",`)
			replace(t, f, "communes.geojson", `"code":"10002",`, `"code":"10002","vung":"remote",`)
			replace(t, f, "communes.geojson", `"code":"10003",`, `"code":"10003","vung":"rural",`)
		}, func(t *testing.T, d *Dataset) {
			for i, want := range []AreaClass{Rural, Remote, Rural} {
				if d.Communes[i].Class != want {
					t.Errorf("commune %s class %s, want %s", d.Communes[i].Code, d.Communes[i].Class, want)
				}
			}
		}},
		{"by_kind override", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  by_kind: {ward: urban, town: urban, commune: rural}\n  remote: [\"10002\"]", "  by_kind: {town: rural}")
		}, func(t *testing.T, d *Dataset) {
			for i, want := range []AreaClass{Urban, Rural, Rural} {
				if d.Communes[i].Class != want {
					t.Errorf("commune %s class %s, want %s", d.Communes[i].Code, d.Communes[i].Class, want)
				}
			}
		}},
		{"semicolon CSV with BOM", func(t *testing.T, f map[string]string) {
			f["districts.csv"] = "\xef\xbb\xbfcode;name\n700;A\n701;B\n"
		}, func(t *testing.T, d *Dataset) {
			if len(d.Districts) != 2 || d.Districts[1].Name != "B" {
				t.Errorf("districts %+v", d.Districts)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := miniFiles(t)
			tc.edit(t, files)
			dir := t.TempDir()
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			d, err := LoadFile(filepath.Join(dir, "dataset.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, d)
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := LoadFileContext(ctx, filepath.Join("testdata", "mini", "dataset.yaml"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestLoadMissingDatasetFile(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "nope.yaml"))
	ps := problemsOf(t, err)
	if !hasProblem(ps, Error, "nope.yaml", 0, "", "does not exist") {
		t.Errorf("got %v", err)
	}
}
