package coverage

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func writeAll(t *testing.T, ds *data.Dataset, idx *Index, res *Result) string {
	t.Helper()
	dir := t.TempDir()
	files, err := Files(ds, idx, res)
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range files {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFilesDeterministicAndConsistent(t *testing.T) {
	ds := syntheticProvince(3, 2, 0.04)
	idx := mustIndex(t, ds, 8)
	net := gridNetwork(106.5, 11.0, 9, 9, 0.01, 20, orb.Point{106.61, 11.07})
	road, err := NewRoad(route.New(net), DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	offices := officesAt(orb.Point{106.512, 11.013}, orb.Point{106.571, 11.062})
	offices[1].ID = "UB,ND 2" // needs CSV quoting
	res, err := Evaluate(context.Background(), idx, offices, road, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	if res.UnreachableCells == 0 {
		t.Fatal("test setup: want unreachable cells")
	}
	dir1 := writeAll(t, ds, idx, res)

	// Same input, fresh index and evaluation: byte-identical files.
	idx2 := mustIndex(t, ds, 8)
	res2, err := Evaluate(context.Background(), idx2, offices, road, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	dir2 := writeAll(t, ds, idx2, res2)
	for _, name := range []string{SummaryFile, CellsCSV, CellsGeoJSON, CommunesFile, OfficesFile} {
		a, err := os.ReadFile(filepath.Join(dir1, name))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(dir2, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between identical runs", name)
		}
	}

	t.Run("cells.csv", func(t *testing.T) {
		f, _ := os.Open(filepath.Join(dir1, CellsCSV))
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rows[0], ","); got != "h3,lon,lat,commune,population,minutes,km,office_by_time,office_by_distance,covered,rule" {
			t.Fatalf("header %q", got)
		}
		if len(rows)-1 != len(idx.Cells) {
			t.Fatalf("%d rows for %d cells", len(rows)-1, len(idx.Cells))
		}
		var pop int64
		unreachable := 0
		for i, r := range rows[1:] {
			p, _ := strconv.ParseInt(r[4], 10, 64)
			pop += p
			if r[5] == "" {
				unreachable++
				if r[7] != "" || (r[9] == "true" && r[10] != "distance") {
					t.Fatalf("row %d: unreachable cell %v", i+1, r)
				}
			}
			if r[10] != res.Met[i].String() || r[9] != strconv.FormatBool(res.Covered[i]) {
				t.Fatalf("row %d: %v disagrees with the result", i+1, r)
			}
		}
		if pop != idx.Population() || unreachable != res.UnreachableCells {
			t.Errorf("csv population %d (index %d), unreachable %d (result %d)", pop, idx.Population(), unreachable, res.UnreachableCells)
		}
	})

	t.Run("summary.json", func(t *testing.T) {
		raw, _ := os.ReadFile(filepath.Join(dir1, SummaryFile))
		var s map[string]any
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"population", "covered_population", "covered_pct", "within_time_pct", "within_distance_pct", "minutes", "km", "cells", "h3_resolution", "unreachable_cells", "rule", "travel_model"} {
			if _, ok := s[key]; !ok {
				t.Errorf("summary.json lacks %q", key)
			}
		}
		if s["population"].(float64) != float64(idx.Population()) || s["cells"].(float64) != float64(len(idx.Cells)) {
			t.Errorf("summary population/cells wrong: %v %v", s["population"], s["cells"])
		}
		for _, k := range []string{"mean", "p50", "p95", "max"} {
			if _, ok := s["minutes"].(map[string]any)[k]; !ok {
				t.Errorf("summary minutes lacks %q", k)
			}
		}
	})

	t.Run("geojson", func(t *testing.T) {
		for _, name := range []string{CellsGeoJSON, CommunesFile, OfficesFile} {
			raw, _ := os.ReadFile(filepath.Join(dir1, name))
			fc, err := geojson.UnmarshalFeatureCollection(raw)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for i, f := range fc.Features {
				var polys []orb.Polygon
				switch g := f.Geometry.(type) {
				case orb.Polygon:
					polys = []orb.Polygon{g}
				case orb.MultiPolygon:
					polys = g
				}
				for _, p := range polys {
					for ri, r := range p {
						if want := orb.CCW; (ri == 0) != (r.Orientation() == want) {
							t.Fatalf("%s feature %d ring %d: wrong winding for RFC 7946", name, i, ri)
						}
					}
				}
			}
			switch name {
			case CellsGeoJSON:
				if len(fc.Features) != len(idx.Cells) {
					t.Fatalf("%s: %d features", name, len(fc.Features))
				}
			case CommunesFile:
				if len(fc.Features) != len(ds.Communes) || fc.Features[0].Properties["covered_population"] == nil {
					t.Fatalf("%s: %d features, props %v", name, len(fc.Features), fc.Features[0].Properties)
				}
			case OfficesFile:
				if fc.Features[1].Properties["id"] != "UB,ND 2" || fc.Features[1].Properties["staff"] != 3.0 {
					t.Fatalf("%s: props %v", name, fc.Features[1].Properties)
				}
			}
		}
	})
}

func TestFixedJSON(t *testing.T) {
	tests := []struct {
		in   fixed
		want string
	}{
		{fixed{1.0 / 3, 2}, "0.33"},
		{fixed{2, 3}, "2.000"},
		{fixed{math.NaN(), 2}, "null"},
		{fixed{math.Inf(1), 2}, "null"},
	}
	for _, tc := range tests {
		b, err := tc.in.MarshalJSON()
		if err != nil || string(b) != tc.want {
			t.Errorf("%v → %s, %v; want %s", tc.in, b, err, tc.want)
		}
	}
}

func TestFilesMismatchedResult(t *testing.T) {
	ds := syntheticProvince(2, 1, 0.04)
	idx := mustIndex(t, ds, 8)
	model, _ := NewStraightLine(DefaultTravel())
	res, err := Evaluate(context.Background(), idx, officesAt(orb.Point{106.51, 11.01}), model, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	other := mustIndex(t, ds, 9)
	if _, err := Files(ds, other, res); err == nil || !strings.Contains(err.Error(), "same index") {
		t.Fatalf("err = %v", err)
	}
}
