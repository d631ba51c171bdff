package data

import (
	"errors"
	"os"
	"path/filepath"
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
