package dossier

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
)

// testNetwork is three offices; communes A and B have their own office, C
// (after a merge) is served by office 0.
func testNetwork() network {
	return network{
		Offices: []data.Office{
			{ID: "o0", Name: "Office 0", Location: [2]float64{106.65, 10.98}, Staff: 4},
			{ID: "o1", Name: "Office 1", Location: [2]float64{106.70, 11.00}, Staff: 2},
			{ID: "o2", Name: "Office 2", Location: [2]float64{106.60, 11.30}, Staff: 3},
		},
		Serves: map[string]int{"A": 0, "B": 1, "C": 0, "D": 2},
		Class:  []data.AreaClass{data.Urban, data.Urban, data.Rural},
	}
}

// randomPoints draws n cells with odd populations so that every rounding path is exercised.
func randomPoints(seed uint64, n int) []Point {
	rng := rand.New(rand.NewPCG(seed, 1))
	communes := []string{"A", "B", "C", "D"}
	classes := []data.AreaClass{data.Urban, data.Rural, data.Remote}
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{
			Commune:       communes[rng.IntN(len(communes))],
			Class:         classes[rng.IntN(len(classes))],
			Population:    rng.Int64N(5000),
			NearestOffice: rng.IntN(4) - 1, // -1: no office reachable
		}
	}
	return pts
}

// TestConservation checks, in integers, that every dossier of every cell is
// assigned to exactly one office, whatever the shares.
func TestConservation(t *testing.T) {
	tests := []struct {
		name                 string
		counter, boundary    float64
		measured             map[string]CommuneRate
		seed                 uint64
		cells                int
		wantTotalFromClasses bool
	}{
		{"defaults", 0.6, 0.3, nil, 1, 500, true},
		{"no boundary-free", 0.6, 0, nil, 2, 300, true},
		{"all boundary-free, all counter", 1, 1, nil, 3, 300, true},
		{"all online", 0, 0.5, nil, 4, 300, true},
		{"odd shares", 0.333, 0.777, nil, 5, 1000, true},
		{"measured communes", 0.6, 0.3, map[string]CommuneRate{"A": {PerYear: 12345.6, CounterShare: 0.71}, "C": {PerYear: 7, CounterShare: 0.2}}, 6, 400, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pts := randomPoints(tc.seed, tc.cells)
			r := DefaultRates()
			r.CounterShare, r.BoundaryFree = tc.counter, tc.boundary
			d, err := ComputeDemand(pts, r, tc.measured, nil)
			if err != nil {
				t.Fatal(err)
			}
			var cells, counter int64
			var expected float64
			for i, c := range d.Cells {
				if c.Counter > c.Total || c.BoundaryFree > c.Total || c.BoundaryFreeCounter > c.Counter ||
					c.BoundaryFreeCounter > c.BoundaryFree || c.BoundaryFree-c.BoundaryFreeCounter > c.Total-c.Counter || c.Counter < 0 {
					t.Fatalf("cell %d inconsistent: %+v", i, c)
				}
				cells += c.Total
				counter += c.Counter
				pc, _ := r.PerCapita(pts[i].Class)
				expected += pc * float64(pts[i].Population)
			}
			if cells != d.Total || counter != d.Counter {
				t.Fatalf("cell sums %d/%d, demand totals %d/%d", cells, counter, d.Total, d.Counter)
			}
			if tc.wantTotalFromClasses && d.Total != int64(math.Round(expected)) {
				t.Errorf("total %d, want the rounded expectation %v", d.Total, math.Round(expected))
			}
			od, err := assign(testNetwork(), pts, d)
			if err != nil {
				t.Fatal(err)
			}
			var tot, ctr, bf int64
			for _, o := range od {
				tot += o.Total
				ctr += o.Counter
				bf += o.BoundaryFree
			}
			var wantBF int64
			for _, c := range d.Cells {
				wantBF += c.BoundaryFree
			}
			if tot != d.Total || ctr != d.Counter || bf != wantBF {
				t.Errorf("offices got %d dossiers (%d counter, %d boundary-free), cells have %d (%d, %d)", tot, ctr, bf, d.Total, d.Counter, wantBF)
			}
		})
	}
}

// TestAssignRouting checks where each kind of dossier goes.
func TestAssignRouting(t *testing.T) {
	pts := []Point{
		{Commune: "C", Class: data.Urban, Population: 1000, NearestOffice: 1}, // merged into o0, nearest o1
		{Commune: "D", Class: data.Urban, Population: 1000, NearestOffice: -1},
	}
	r := DefaultRates()
	r.PerResident.Urban, r.CounterShare, r.BoundaryFree = 1, 0.5, 0.25
	d, err := ComputeDemand(pts, r, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	od, err := assign(testNetwork(), pts, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []OfficeDemand{
		{Total: 750, Counter: 375, Source: FromRate},
		{Total: 250, Counter: 125, BoundaryFree: 250, Source: FromRate},
		{Total: 1000, Counter: 500, BoundaryFree: 250, Source: FromRate},
	}
	for i := range want {
		if od[i] != want[i] {
			t.Errorf("office %d got %+v, want %+v", i, od[i], want[i])
		}
	}
}

func TestAssignErrors(t *testing.T) {
	tests := []struct {
		name string
		pt   Point
		net  func(*network)
		want string
	}{
		{"commune without office", Point{Commune: "Z", Class: data.Urban, Population: 10}, nil, `commune "Z", which no office serves`},
		{"nearest out of range", Point{Commune: "A", Class: data.Urban, Population: 10, NearestOffice: 9}, nil, "nearest office index 9"},
		{"class count", Point{Commune: "A", Class: data.Urban, Population: 10}, func(n *network) { n.Class = n.Class[:1] }, "1 area classes for 3 offices"},
		{"serves out of range", Point{Commune: "A", Class: data.Urban, Population: 10}, func(n *network) { n.Serves["A"] = 5 }, `commune "A" is served by office index 5`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net := testNetwork()
			if tc.net != nil {
				tc.net(&net)
			}
			pts := []Point{tc.pt}
			d, err := ComputeDemand(pts, DefaultRates(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = assign(net, pts, d)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := ComputeDemand([]Point{{Commune: "A", Class: "suburban", Population: 1}}, DefaultRates(), nil, nil); err == nil || !strings.Contains(err.Error(), `unknown area class "suburban"`) {
		t.Errorf("bad class: %v", err)
	}
	bad := DefaultRates()
	bad.CounterShare = 1.5
	if _, err := ComputeDemand(nil, bad, nil, nil); err == nil || !strings.Contains(err.Error(), "counter share") {
		t.Errorf("bad share: %v", err)
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		x    []float64
		want []int64
	}{
		{[]float64{0.5, 0.5, 0.5}, []int64{1, 1, 0}}, // sum 1.5 rounds to 2; ties to lower index
		{[]float64{1.2, 2.7, 3.1}, []int64{1, 3, 3}},
		{[]float64{0.1, 0.1, 0.1}, []int64{0, 0, 0}},
		{[]float64{4, 5}, []int64{4, 5}},
		{nil, []int64{}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.x), func(t *testing.T) {
			got := apportion(tc.x)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("apportion(%v) = %v, want %v", tc.x, got, tc.want)
			}
		})
	}
}
