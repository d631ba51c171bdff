package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoadGeoJSON feeds arbitrary bytes as the communes file: Load must
// return a dataset or a *ValidationError, never panic.
// Run briefly with:
//
//	go test -run '^$' -fuzz FuzzLoadGeoJSON -fuzztime 30s -fuzzminimizetime 200x ./data/
func FuzzLoadGeoJSON(f *testing.F) {
	seeds := []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1","name":"A","district":"9","population":5,"kind":"ward"},"geometry":{"type":"Polygon","coordinates":[[[106.6,11],[106.7,11],[106.7,11.1],[106.6,11]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[1]]]}}]}`,
		`{"type":"FeatureCollection","features":[null, 5, "x", {"geometry":{"type":"Point","coordinates":[1,2,3]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1","population":-1e400},"geometry":{"type":"Polygon","coordinates":[]}}]}`,
		`{"type":"FeatureCollection"`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	yaml := []byte("communes:\n  file: communes.geojson\n")
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys := fstest.MapFS{"dataset.yaml": {Data: yaml}, "communes.geojson": {Data: b}}
		d, err := Load(fsys, "dataset.yaml")
		var ve *ValidationError
		switch {
		case err == nil && d == nil:
			t.Fatal("nil dataset without error")
		case err != nil && !errors.As(err, &ve):
			t.Fatalf("error is not a *ValidationError: %v", err)
		case err != nil && ve.Problems.Errors() == 0:
			t.Fatal("ValidationError without errors")
		}
	})
}

// fuzzMiniFS is testdata/mini as an fs.FS with one file replaced.
func fuzzMiniFS(f *testing.F, name string, b []byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	entries, err := os.ReadDir(filepath.Join("testdata", "mini"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "mini", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	if b != nil {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// FuzzLoadOfficesCSV feeds arbitrary bytes as the offices CSV of the mini dataset.
func FuzzLoadOfficesCSV(f *testing.F) {
	base := fuzzMiniFS(f, "", nil)
	f.Add(base["offices.csv"].Data)
	f.Add([]byte("id,lon,lat\n\"a,1,2\nb,106.61,11.01,extra\n"))
	f.Add([]byte("id;lon;lat\nx;106,61;11,01\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys := fuzzMiniFS(f, "offices.csv", b)
		d, err := Load(fsys, "dataset.yaml")
		var ve *ValidationError
		if (err == nil) == (d == nil) || (err != nil && !errors.As(err, &ve)) {
			t.Fatalf("dataset %v, error %v", d != nil, err)
		}
	})
}

// FuzzLoadYAML feeds arbitrary bytes as the dataset.yaml of the mini dataset.
func FuzzLoadYAML(f *testing.F) {
	base := fuzzMiniFS(f, "", nil)
	f.Add(base["dataset.yaml"].Data)
	f.Add([]byte("communes: {file: communes.geojson, kinds: {a: b}}\narea_class: {by_kind: {x: y}, remote: [1, 2]}\n"))
	f.Add([]byte("communes:\n\tfile: x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys := fuzzMiniFS(f, "dataset.yaml", b)
		d, err := Load(fsys, "dataset.yaml")
		var ve *ValidationError
		if (err == nil) == (d == nil) || (err != nil && !errors.As(err, &ve)) {
			t.Fatalf("dataset %v, error %v", d != nil, err)
		}
	})
}

// fuzzMiniLoad loads testdata/mini (read once, in base) with one file
// replaced by b and dataset.yaml edited by yamlEdit, and checks what every
// load must satisfy: a dataset or a *ValidationError with at least one
// error, never a panic; and no count out of range or total that overflows.
func fuzzMiniLoad(t *testing.T, base fstest.MapFS, name string, b []byte, yamlEdit func(string) string) {
	fsys := fstest.MapFS{}
	for k, v := range base {
		fsys[k] = v
	}
	fsys[name] = &fstest.MapFile{Data: b}
	if yamlEdit != nil {
		fsys["dataset.yaml"] = &fstest.MapFile{Data: []byte(yamlEdit(string(base["dataset.yaml"].Data)))}
	}
	d, err := Load(fsys, "dataset.yaml")
	var ve *ValidationError
	switch {
	case err == nil && d == nil:
		t.Fatal("nil dataset without error")
	case err != nil && !errors.As(err, &ve):
		t.Fatalf("error is not a *ValidationError: %v", err)
	case err != nil && ve.Problems.Errors() == 0:
		t.Fatal("ValidationError without errors")
	case err != nil:
		return
	}
	for _, c := range d.Communes {
		if c.Population < 0 || c.Population > MaxPopulation {
			t.Fatalf("commune %s population %d out of range", c.Code, c.Population)
		}
	}
	for _, c := range d.Population {
		if c.Count < 0 || c.Count > MaxPopulation {
			t.Fatalf("population record count %d out of range", c.Count)
		}
	}
	for _, o := range d.Offices {
		if o.Staff < 0 || o.Counters < 0 || int64(o.Counters) > MaxStaff || o.DossiersPerYear < 0 || o.DossiersPerYear > MaxDossiersPerYear {
			t.Fatalf("office %s: staff %d, counters %d, dossiers %v out of range", o.ID, o.Staff, o.Counters, o.DossiersPerYear)
		}
	}
	if s := d.Summary(); s.Err != nil {
		t.Fatalf("summary of a loaded dataset: %v", s.Err)
	}
}

func miniBase(f *testing.F) fstest.MapFS { return fuzzMiniFS(f, "", nil) }

// swapFile points dataset.yaml's key from one file name to another.
func swapFile(from, to string) func(string) string {
	return func(y string) string { return strings.Replace(y, "file: "+from, "file: "+to, 1) }
}

// FuzzLoadCommunes feeds arbitrary bytes as the communes of the mini
// dataset, whose offices, grid and area-class lists then refer to them
// (the rejected-commune paths).
func FuzzLoadCommunes(f *testing.F) {
	base := miniBase(f)
	c := base["communes.geojson"].Data
	f.Add(c)
	f.Add(bytes.Replace(c, []byte(`"pop":1000`), []byte(`"pop":9223372036854775807`), 1))
	f.Add(bytes.Replace(c, []byte(`"pop":2000`), []byte(`"pop":-1e400`), 1))
	f.Add(bytes.Replace(c, []byte("Xã Hai"), []byte("X\xe3 Hai"), 1))
	f.Add(append([]byte(utf8BOM), c...))
	f.Add(bytes.Replace(c, []byte(`"coordinates":[[[106.60,11.00]`), []byte(`"coordinates":[[],[[106.60,11.00]`), 1))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzMiniLoad(t, base, "communes.geojson", b, nil) })
}

// FuzzLoadPopulationCSV feeds arbitrary bytes as the gridded population CSV.
func FuzzLoadPopulationCSV(f *testing.F) {
	base := miniBase(f)
	f.Add(base["population.csv"].Data)
	f.Add([]byte("h3,population\n8865a1a64bfffff,100\nzz,5\n"))
	f.Add([]byte("lon;lat;population\n106,61;11,01;9223372036854775807\n106.63;11.01;1e400\n"))
	f.Add([]byte("\xef\xbb\xbflon,lat,population\n106.61,11.01,NaN\n106.61,11.01,0x10\n"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzMiniLoad(t, base, "population.csv", b, nil) })
}

// FuzzLoadPopulationGeoJSON feeds arbitrary bytes as GeoJSON population points.
func FuzzLoadPopulationGeoJSON(f *testing.F) {
	base := miniBase(f)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"population":5},"geometry":{"type":"Point","coordinates":[106.61,11.01]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"population":5e20},"geometry":{"type":"Point","coordinates":[106.61]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzMiniLoad(t, base, "population.geojson", b, swapFile("population.csv", "population.geojson"))
	})
}

// FuzzLoadOfficesGeoJSON feeds arbitrary bytes as GeoJSON office points.
func FuzzLoadOfficesGeoJSON(f *testing.F) {
	base := miniBase(f)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A","staff":3,"counters":"2","dossiers_per_year":1200.5,"locked":true},"geometry":{"type":"Point","coordinates":[106.61,11.01]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"B","properties":{"staff":1e19,"commune":"10002"},"geometry":{"type":"Point","coordinates":[11.01,106.63]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzMiniLoad(t, base, "offices.geojson", b, swapFile("offices.csv", "offices.geojson"))
	})
}

// FuzzLoadDistrictsCSV feeds arbitrary bytes as the districts CSV.
func FuzzLoadDistrictsCSV(f *testing.F) {
	base := miniBase(f)
	f.Add(base["districts.csv"].Data)
	f.Add([]byte("code,name\n700,A\n700,B\n,C\n"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzMiniLoad(t, base, "districts.csv", b, nil) })
}

// FuzzLoadRoadsGeoJSON feeds arbitrary bytes as the road GeoJSON.
func FuzzLoadRoadsGeoJSON(f *testing.F) {
	base := miniBase(f)
	f.Add(base["roads.geojson"].Data)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"primary","maxspeed":"1e400","oneway":"-1"},"geometry":{"type":"LineString","coordinates":[[106.6,11],[106.6,11]]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzMiniLoad(t, base, "roads.geojson", b, nil) })
}
