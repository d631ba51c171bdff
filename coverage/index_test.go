package coverage

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// checkIndex asserts the invariants every index must keep.
func checkIndex(t *testing.T, ds *data.Dataset, idx *Index) {
	t.Helper()
	sums := make([]int64, len(ds.Communes))
	for i, c := range idx.Cells {
		if i > 0 && idx.Cells[i-1].H3 >= c.H3 {
			t.Fatalf("cells not strictly sorted by H3 at %d", i)
		}
		if c.Commune < 0 || int(c.Commune) >= len(ds.Communes) {
			t.Fatalf("cell %s has commune %d", c.H3, c.Commune)
		}
		if c.Population < 0 {
			t.Fatalf("cell %s has population %d", c.H3, c.Population)
		}
		if got, ok := idx.Lookup(c.H3); !ok || got != int32(i) {
			t.Fatalf("Lookup(%s) = %d, %v; want %d", c.H3, got, ok, i)
		}
		sums[c.Commune] += c.Population
	}
	var total, want int64
	for ci, c := range ds.Communes {
		if sums[ci] != c.Population {
			t.Errorf("commune %s: cells hold %d residents, census %d", c.Code, sums[ci], c.Population)
		}
		if len(idx.CommuneCells[ci]) == 0 {
			t.Errorf("commune %s has no cell", c.Code)
		}
		for _, cell := range idx.CommuneCells[ci] {
			if idx.Cells[cell].Commune != int32(ci) {
				t.Fatalf("CommuneCells[%d] lists cell of commune %d", ci, idx.Cells[cell].Commune)
			}
		}
		total += sums[ci]
		want += c.Population
	}
	if total != want || idx.Population() != want {
		t.Errorf("index holds %d residents (Population() %d), dataset %d", total, idx.Population(), want)
	}
}

func TestIndexConservesPopulation(t *testing.T) {
	tests := []struct {
		name string
		ds   func() *data.Dataset
		res  int
	}{
		{"synthetic 4x3 res 8", func() *data.Dataset { return syntheticProvince(4, 3, 0.05) }, 8},
		{"synthetic 4x3 res 9", func() *data.Dataset { return syntheticProvince(4, 3, 0.05) }, 9},
		{"synthetic 2x2 res 7 (few cells per commune)", func() *data.Dataset { return syntheticProvince(2, 2, 0.03) }, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := tc.ds()
			idx := mustIndex(t, ds, tc.res)
			checkIndex(t, ds, idx)
			// Squares tile the plane, so each centre is in exactly its commune.
			for _, c := range idx.Cells {
				if !planar.MultiPolygonContains(ds.Communes[c.Commune].Geometry, orb.Point{c.Lon, c.Lat}) {
					t.Fatalf("cell %s centre not in its commune %s", c.H3, ds.Communes[c.Commune].Code)
				}
			}
			// Uniform spread: shares within one resident of each other.
			for ci, cells := range idx.CommuneCells {
				lo, hi := int64(1<<62), int64(-1)
				for _, c := range cells {
					lo, hi = min(lo, idx.Cells[c].Population), max(hi, idx.Cells[c].Population)
				}
				if hi-lo > 1 {
					t.Errorf("commune %d: uniform shares range %d..%d", ci, lo, hi)
				}
			}
		})
	}
}

func TestIndexBinhDuongRes9(t *testing.T) {
	ds := loadBinhDuong(t)
	if len(ds.Communes) != 91 {
		t.Fatalf("Binh Duong: %d communes, want 91", len(ds.Communes))
	}
	idx := mustIndex(t, ds, 9)
	checkIndex(t, ds, idx)
	if got := idx.Population(); got != 2426561 {
		t.Errorf("Binh Duong population %d, want 2,426,561", got)
	}
	// ~2,695 km² at ~0.105 km² per res-9 cell.
	if n := len(idx.Cells); n < 20000 || n > 32000 {
		t.Errorf("Binh Duong res 9: %d cells, expected about 25,600", n)
	}
	t.Logf("Binh Duong res 9: %d cells, stats %+v", len(idx.Cells), idx.Stats)
}

func TestIndexTinyCommuneGetsInteriorCell(t *testing.T) {
	ds := syntheticProvince(2, 1, 0.05)
	// A 50 m square inside commune C000: no res-8 centre falls in it.
	tiny := orb.MultiPolygon{square(106.52, 11.02, 0.0005)}
	ds.Communes = append(ds.Communes, data.Commune{Code: "C999", Name: "Tiny", District: "D1", Class: data.Urban,
		Population: 777, Geometry: tiny, Bound: tiny.Bound()})
	idx := mustIndex(t, ds, 8)
	checkIndex(t, ds, idx)
	if idx.Stats.InteriorCells != 1 {
		t.Errorf("InteriorCells = %d, want 1", idx.Stats.InteriorCells)
	}
	cells := idx.CommuneCells[2]
	if len(cells) != 1 {
		t.Fatalf("tiny commune has %d cells, want 1", len(cells))
	}
	want := h3.LatLngToCell(h3.NewLatLng(11.02025, 106.52025), 8)
	if got := idx.Cells[cells[0]].H3; got != want {
		t.Errorf("tiny commune cell %s, want the cell of its interior point %s", got, want)
	}
}

func TestIndexOverlapGoesToSmallestCode(t *testing.T) {
	a := orb.MultiPolygon{square(106.50, 11.0, 0.04)}
	b := orb.MultiPolygon{square(106.52, 11.0, 0.04)} // overlaps a over 106.52..106.54
	for _, order := range [][2]string{{"A", "B"}, {"B", "A"}} {
		ds := &data.Dataset{Source: "overlap"}
		for _, code := range order {
			g := a
			if code == "B" {
				g = b
			}
			ds.Communes = append(ds.Communes, data.Commune{Code: code, Name: code, District: "D", Population: 1000, Geometry: g, Bound: g.Bound()})
		}
		idx := mustIndex(t, ds, 9)
		checkIndex(t, ds, idx)
		if idx.Stats.OverlapCells == 0 {
			t.Fatalf("order %v: no overlap cells counted", order)
		}
		for _, c := range idx.Cells {
			if c.Lon > 106.5205 && c.Lon < 106.5395 && ds.Communes[c.Commune].Code != "A" {
				t.Fatalf("order %v: overlap cell %s went to %s, want A (smallest code)", order, c.H3, ds.Communes[c.Commune].Code)
			}
		}
	}
}

func TestIndexGriddedPopulation(t *testing.T) {
	ds := syntheticProvince(2, 1, 0.05)
	idx0 := mustIndex(t, ds, 9)
	heavy := idx0.Cells[idx0.CommuneCells[0][5]]
	coarse := h3.LatLngToCell(h3.NewLatLng(11.025, 106.575), 7) // inside commune C001
	ds.Population = []data.PopulationCell{
		{Point: orb.Point{heavy.Lon, heavy.Lat}, Count: 9000},
		{Point: orb.Point{heavy.Lon + 0.0001, heavy.Lat}, Count: 1000},
		{H3: coarse.String(), Count: 490},
		{Point: orb.Point{100, 20}, Count: 5}, // no commune: reported, not counted
	}
	idx := mustIndex(t, ds, 9)
	checkIndex(t, ds, idx)
	if idx.Stats.GriddedRecords != 4 || idx.Stats.GriddedUnmatched != 1 {
		t.Errorf("gridded stats %+v, want 4 records, 1 unmatched", idx.Stats)
	}
	i, _ := idx.Lookup(heavy.H3)
	// All of C000's gridded weight sits in one cell, so it gets everyone.
	if got := idx.Cells[i].Population; got != ds.Communes[0].Population {
		t.Errorf("heavy cell holds %d, want the whole commune %d", got, ds.Communes[0].Population)
	}
	// C001's weight is spread over the res-7 record's children only.
	for _, c := range idx.CommuneCells[1] {
		cell := idx.Cells[c]
		if cell.Population > 0 && cell.H3.Parent(7) != coarse {
			t.Fatalf("cell %s outside the weighted res-7 cell holds %d residents", cell.H3, cell.Population)
		}
	}
}

func TestIndexBadInput(t *testing.T) {
	good := func() *data.Dataset { return syntheticProvince(2, 1, 0.05) }
	tests := []struct {
		name   string
		mutate func(*data.Dataset)
		res    int
		want   string
	}{
		{"resolution too fine", func(*data.Dataset) {}, 16, "resolution 16 out of range"},
		{"no communes", func(ds *data.Dataset) { ds.Communes = nil }, 9, "no communes"},
		{"duplicate code", func(ds *data.Dataset) { ds.Communes[1].Code = ds.Communes[0].Code }, 9, "code already used"},
		{"negative population", func(ds *data.Dataset) { ds.Communes[1].Population = -1 }, 9, "negative"},
		{"no geometry", func(ds *data.Dataset) { ds.Communes[0].Geometry = nil }, 9, `commune 1 (code "C000"`},
		{"projected coordinates", func(ds *data.Dataset) {
			ds.Communes[0].Geometry = orb.MultiPolygon{square(500000, 1200000, 1000)}
		}, 9, "EPSG:4326"},
		{"bad H3 id in population", func(ds *data.Dataset) {
			ds.Population = []data.PopulationCell{{H3: "zz-not-h3", Count: 3}}
		}, 9, "record 1"},
		{"negative gridded count", func(ds *data.Dataset) {
			ds.Population = []data.PopulationCell{{Point: orb.Point{106.51, 11.01}, Count: -4}}
		}, 9, "negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := good()
			tc.mutate(ds)
			_, err := NewIndex(context.Background(), ds, IndexOptions{Resolution: tc.res})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		{"uniform remainder to first", 10, nil, []int64{4, 3, 3}},
		{"uniform exact", 9, nil, []int64{3, 3, 3}},
		{"zero total", 0, []int64{1, 2}, []int64{0, 0}},
		{"proportional", 100, []int64{1, 1, 2}, []int64{25, 25, 50}},
		{"largest remainder", 10, []int64{1, 1, 1}, []int64{4, 3, 3}},
		{"largest remainder wins over position", 10, []int64{1, 2, 4}, []int64{1, 3, 6}},
		{"equal remainders go to the lower position", 5, []int64{3, 3, 4}, []int64{2, 1, 2}},
		{"zero weight gets nothing", 5, []int64{0, 1, 0}, []int64{0, 5, 0}},
		{"huge values no overflow", 1 << 40, []int64{1 << 40, 1 << 40}, []int64{1 << 39, 1 << 39}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := make([]int64, len(tc.want))
			apportion(tc.total, tc.weights, out)
			if !slices.Equal(out, tc.want) {
				t.Fatalf("apportion(%d, %v) = %v, want %v", tc.total, tc.weights, out, tc.want)
			}
		})
	}
}

func TestPickOwner(t *testing.T) {
	communes := []data.Commune{{Code: "25747"}, {Code: "25741"}, {Code: "25750"}}
	tests := []struct {
		name                string
		claimants, contains []int32
		want                int32
		orphan, overlap     bool
	}{
		{"claimed and contained by one", []int32{0}, []int32{0}, 0, false, false},
		{"contained by a non-claimant wins", []int32{0}, []int32{2}, 2, false, false},
		{"overlap: smallest code", []int32{0, 1}, []int32{0, 1}, 1, false, true},
		{"overlap order does not matter", []int32{1, 0}, []int32{2, 0}, 0, false, true},
		{"orphan stays with a claimant", []int32{2, 0}, nil, 0, true, false},
		{"orphan, single claimant", []int32{2}, nil, 2, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, orphan, overlap := pickOwner(tc.claimants, tc.contains, communes)
			if o != tc.want || orphan != tc.orphan || overlap != tc.overlap {
				t.Fatalf("pickOwner = %d, orphan %v, overlap %v; want %d, %v, %v", o, orphan, overlap, tc.want, tc.orphan, tc.overlap)
			}
		})
	}
}

func TestSmallAngleFunctions(t *testing.T) {
	for _, x := range []float64{0, 1e-9, -3e-5, 0.0021, -0.0099, 0.00999, 0.01, 0.3, -1.2} {
		if got, want := smallSin(x), math.Sin(x); math.Abs(got-want) > 1e-15*math.Max(1e-300, math.Abs(want))+1e-300 {
			t.Errorf("smallSin(%v) = %v, math.Sin %v", x, got, want)
		}
		if x < 0 {
			continue
		}
		if got, want := smallAsin(x), math.Asin(x); math.Abs(got-want) > 1e-15*math.Abs(want)+1e-300 {
			t.Errorf("smallAsin(%v) = %v, math.Asin %v", x, got, want)
		}
	}
}
