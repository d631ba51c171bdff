package demo

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// testSeeds are the seeds every invariant is checked on: the shipped one
// and a few others, since a generator that only works for one seed is broken.
var testSeeds = []int64{DefaultSeed, 1, 2, 2024, 987654321}

// generate runs Files and fails the test on error. Nothing is cached
// between tests, so each one stays independent.
func generate(t testing.TB, seed int64) map[string][]byte {
	t.Helper()
	files, err := Files(seed)
	if err != nil {
		t.Fatalf("Files(%d): %v", seed, err)
	}
	return files
}

func parseFC(t testing.TB, b []byte, name string) *geojson.FeatureCollection {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return fc
}

func parseCSV(t testing.TB, b []byte, name string) (header []string, rows []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: empty", name)
	}
	header = recs[0]
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range header {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return header, rows
}

// communePolygons returns the commune polygons keyed by code, in file order.
func communePolygons(t testing.TB, files map[string][]byte) ([]string, map[string]orb.Polygon, *geojson.FeatureCollection) {
	t.Helper()
	fc := parseFC(t, files[fileCommunes], fileCommunes)
	var codes []string
	polys := map[string]orb.Polygon{}
	for i, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		p, ok := f.Geometry.(orb.Polygon)
		if !ok {
			t.Fatalf("commune %d (%s): geometry is %T, want Polygon", i+1, code, f.Geometry)
		}
		codes = append(codes, code)
		polys[code] = p
	}
	return codes, polys, fc
}
