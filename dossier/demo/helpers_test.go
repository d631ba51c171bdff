package demo

import (
	"bytes"
	"encoding/csv"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// testSeeds are the seeds every invariant is checked on: the shipped one
// and a few others, since a generator that only works for one seed is broken.
var testSeeds = []int64{DefaultSeed, 1, 2, 2024, 987654321}

// seeds is testSeeds, or under -short its first two: the shipped seed and
// one other still catch a generator that works for one seed only.
func seeds(t testing.TB, max int) []int64 {
	s := testSeeds[:max]
	if testing.Short() {
		s = s[:2]
	}
	return s
}

// fixture is one seed's generated province, built once per test binary:
// every invariant test reads the same files, and generating them costs
// about a second. Tests only read what it returns.
type fixture struct {
	filesOnce sync.Once
	files     map[string][]byte
	filesErr  error

	pvOnce sync.Once
	pv     *province
	pvErr  error
}

// fixtures has a fixture for every seed a test generates; the map is
// filled here and only read after, so parallel tests may share it.
var fixtures = func() map[int64]*fixture {
	m := map[int64]*fixture{DefaultSeed + 1: {}}
	for _, s := range testSeeds {
		m[s] = &fixture{}
	}
	return m
}()

func fixtureFor(t testing.TB, seed int64) *fixture {
	t.Helper()
	f, ok := fixtures[seed]
	if !ok {
		t.Fatalf("seed %d has no fixture; add it to testSeeds", seed)
	}
	return f
}

// generate is Files(seed), generated once per test binary; it fails the
// test on error.
func generate(t testing.TB, seed int64) map[string][]byte {
	t.Helper()
	f := fixtureFor(t, seed)
	f.filesOnce.Do(func() { f.files, f.filesErr = Files(seed) })
	if f.filesErr != nil {
		t.Fatalf("Files(%d): %v", seed, f.filesErr)
	}
	return f.files
}

// built is build(seed), once per test binary; it fails the test on error.
func built(t testing.TB, seed int64) *province {
	t.Helper()
	f := fixtureFor(t, seed)
	f.pvOnce.Do(func() { f.pv, f.pvErr = build(seed) })
	if f.pvErr != nil {
		t.Fatalf("build(%d): %v", seed, f.pvErr)
	}
	return f.pv
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
