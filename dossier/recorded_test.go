package dossier

import (
	"math"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
)

func TestRecordedCountsChecked(t *testing.T) {
	tests := []struct {
		name    string
		office  data.Office
		wantN   int
		wantErr string
	}{
		{"count kept", data.Office{ID: "a", Commune: "A", DossiersPerYear: 2010}, 1, ""},
		{"0 reads as unknown", data.Office{ID: "a", Commune: "A"}, 0, ""},
		{"negative", data.Office{ID: "neg", Commune: "A", DossiersPerYear: -1}, 0, `office "neg": recorded dossiers per year -1`},
		{"NaN", data.Office{ID: "nan", Commune: "A", DossiersPerYear: math.NaN()}, 0, `office "nan": recorded dossiers per year NaN`},
		{"infinite", data.Office{ID: "inf", Commune: "A", DossiersPerYear: math.Inf(1)}, 0, `office "inf": recorded dossiers per year +Inf`},
		{"absurd", data.Office{ID: "big", Commune: "A", DossiersPerYear: data.MaxDossiersPerYear + 1}, 0, `office "big": recorded dossiers per year`},
		{"no commune", data.Office{ID: "lost", DossiersPerYear: 5}, 0, `office "lost" records 5 dossiers a year but lies in no commune`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RecordedCounts([]data.Office{tc.office})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "fix:") {
					t.Fatalf("error %v, want %q with a fix", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(got) != tc.wantN {
				t.Fatalf("got %v, %v; want %d counts", got, err, tc.wantN)
			}
		})
	}
	// ComputeDemand checks counts a caller scaled after RecordedCounts.
	_, err := ComputeDemand([]Point{{Commune: "A", Class: data.Urban, Population: 10}}, DefaultRates(), nil,
		[]OfficeCount{{Office: "x", Commune: "A", PerYear: math.NaN()}})
	if err == nil || !strings.Contains(err.Error(), `office "x"`) {
		t.Errorf("NaN count accepted by ComputeDemand: %v", err)
	}
}

// recordedNetwork has two offices in commune A (a branch and a one-stop
// department, both with counts), one in B (rates) and one in C (a count).
func recordedNetwork() network {
	return network{
		Offices: []data.Office{
			{ID: "a-branch", Commune: "A", Staff: 6},
			{ID: "a-onestop", Commune: "A", Staff: 4},
			{ID: "b", Commune: "B", Staff: 3},
			{ID: "c", Commune: "C", Staff: 2},
		},
		Serves: map[string]int{"A": 0, "B": 2, "C": 3},
		Class:  []data.AreaClass{data.Urban, data.Urban, data.Rural, data.Rural},
	}
}

// TestRecordedCountsFirst: where offices record counts, each office's load
// on the network the counts were recorded in is its count, to the dossier,
// boundary-free share or not; rates fill the commune without counts; an
// office fed by both says "mixed".
func TestRecordedCountsFirst(t *testing.T) {
	pts := []Point{
		{Commune: "A", Class: data.Urban, Population: 3001, NearestOffice: 2}, // nearest office is B's
		{Commune: "A", Class: data.Urban, Population: 1999, NearestOffice: 1},
		{Commune: "A", Class: data.Urban, Population: 7, NearestOffice: 3},
		{Commune: "B", Class: data.Rural, Population: 4000, NearestOffice: 3}, // rate cell, nearest is C's
		{Commune: "C", Class: data.Rural, Population: 1234, NearestOffice: 2},
	}
	recorded := []OfficeCount{
		{Office: "a-branch", Commune: "A", PerYear: 7149},
		{Office: "a-onestop", Commune: "A", PerYear: 2010},
		{Office: "c", Commune: "C", PerYear: 333},
	}
	r := DefaultRates()
	r.BoundaryFree = 0.3
	d, err := ComputeDemand(pts, r, nil, recorded)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Cells[0].Total + d.Cells[1].Total + d.Cells[2].Total; got != 7149+2010 {
		t.Errorf("commune A's cells hold %d dossiers, want the sum of its counts %d", got, 7149+2010)
	}
	// 4000 rural residents at 0.35 a year.
	if d.Cells[3].Total != 1400 || d.Cells[3].Source != FromRate || d.Cells[0].Source != FromRecorded {
		t.Errorf("rate cell %+v, recorded cell %+v", d.Cells[3], d.Cells[0])
	}
	od, err := assign(recordedNetwork(), pts, d)
	if err != nil {
		t.Fatal(err)
	}
	bf := d.Cells[3].BoundaryFree // B's boundary-free dossiers go to C's office, its nearest
	want := []struct {
		total int64
		src   string
	}{{7149, "recorded"}, {2010, "recorded"}, {1400 - bf, "rate"}, {333 + bf, "mixed"}}
	for i, w := range want {
		if od[i].Total != w.total || od[i].Source.String() != w.src {
			t.Errorf("office %s: %d dossiers from %s, want %d from %s", recordedNetwork().Offices[i].ID, od[i].Total, od[i].Source, w.total, w.src)
		}
		if od[i].Counter > od[i].Total || od[i].Counter < 0 {
			t.Errorf("office %d: %d counter dossiers of %d", i, od[i].Counter, od[i].Total)
		}
	}
	var sum int64
	for _, o := range od {
		sum += o.Total
	}
	if sum != d.Total {
		t.Errorf("offices hold %d dossiers, cells %d", sum, d.Total)
	}

	// Commune C loses its office to B's: its boundary-free dossiers now go
	// to each cell's nearest open office, the others to the absorber.
	net := recordedNetwork()
	net.Offices = net.Offices[:3]
	net.Class = net.Class[:3]
	net.Serves["C"] = 2
	pts[3].NearestOffice = 2
	od, err = assign(net, pts, d)
	if err != nil {
		t.Fatal(err)
	}
	if od[2].Total != 1400+333 || od[2].Source.String() != "mixed" {
		t.Errorf("absorber: %d dossiers from %s, want %d, mixed", od[2].Total, od[2].Source, 1400+333)
	}
}

// TestSplitRecordedCounter: counter dossiers never exceed an office's total.
func TestSplitRecordedCounter(t *testing.T) {
	for _, tc := range []struct {
		total, counter int64
		w              []float64
	}{
		{10, 10, []float64{1, 1, 1}}, {10, 9, []float64{3, 3, 4}}, {7, 5, []float64{1, 5, 1}}, {1, 1, []float64{1, 1}},
		{9159, 5495, []float64{7149, 2010}},
	} {
		tot, cnt := splitRecorded(tc.total, tc.counter, tc.w)
		var st, sc int64
		for j := range tot {
			if cnt[j] > tot[j] || cnt[j] < 0 {
				t.Errorf("%+v: office %d has %d counter of %d", tc, j, cnt[j], tot[j])
			}
			st += tot[j]
			sc += cnt[j]
		}
		if st != tc.total || sc != tc.counter {
			t.Errorf("%+v: split adds up to %d, %d", tc, st, sc)
		}
	}
}
