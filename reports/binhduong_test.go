package reports

import (
	"bytes"
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// binhDuongDataset loads the real Binh Duong communes, skipping the test
// when ../shared/data (beside the repository) is absent.
func binhDuongDataset(tb testing.TB) *data.Dataset {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared", "data", "censusVN2009_choisy", "binh_duong_communes.geojson")
	if _, err := os.Stat(shared); err != nil {
		tb.Skipf("real Binh Duong data not available (%s missing); it lives in ../shared/data beside the repository", shared)
	}
	d, err := data.LoadFile(filepath.Join(dir, "testdata", "binhduong", "dataset.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// binhDuongRun puts the real outlines, names and census population into a
// run: one office per commune at its bounding-box centre, a scenario closing
// every second ward office of Thủ Dầu Một, and travel times from the commune
// centre to the nearest open office (25 km/h, circuity 1.3).
func binhDuongRun(d *data.Dataset, lang Lang) Run {
	r := Run{Dataset: d.Name, Scenario: "Thủ Dầu Một ward merges", Phase: "3", Lang: lang}
	for _, dist := range d.Districts {
		r.Districts = append(r.Districts, DistrictRow{Code: dist.Code, Name: dist.Name})
	}
	var lastWard string
	for i, c := range d.Communes {
		ctr := c.Bound.Center()
		o := OfficeRow{ID: "OS-" + c.Code, Name: "Bộ phận Một cửa " + c.Name, Kind: data.OneStop, Lon: ctr[0], Lat: ctr[1],
			Status: Kept, StaffBefore: 4, StaffAfter: 4, Norm: 1600}
		if c.District == "718" && c.Kind == data.KindWard {
			if lastWard != "" && i%2 == 1 {
				o.Status, o.AbsorbedBy, o.StaffAfter = Closed, lastWard, 0
				r.Merges = append(r.Merges, Merge{From: o.ID, To: lastWard, Reason: "Phường liền kề, trụ sở gần"})
			} else {
				lastWard = o.ID
			}
		}
		r.Offices = append(r.Offices, o)
		r.Communes = append(r.Communes, CommuneRow{Code: c.Code, Name: c.Name, District: c.District, Population: c.Population, Geometry: c.Geometry})
	}
	minutes := func(p orb.Point, after bool) float64 {
		best := math.Inf(1)
		for _, o := range r.Offices {
			if after && o.Status == Closed {
				continue
			}
			best = math.Min(best, haversineKm(p, orb.Point{o.Lon, o.Lat})*1.3/25*60)
		}
		return round2(best)
	}
	var before, after []float64
	for i, c := range d.Communes {
		cr := &r.Communes[i]
		cr.MeanMinutesBefore, cr.MeanMinutesAfter = minutes(c.Bound.Center(), false), minutes(c.Bound.Center(), true)
		cr.CoveredShareBefore, cr.CoveredShareAfter = 1, 1
		if cr.MeanMinutesAfter > 30 {
			cr.CoveredShareAfter = 0
		}
		cr.WorseOff = cr.MeanMinutesAfter > cr.MeanMinutesBefore+2
		before, after = append(before, cr.MeanMinutesBefore), append(after, cr.MeanMinutesAfter)
	}
	summary := func(mins []float64, closedOpen bool) Summary {
		s := Summary{Histogram: []Bin{{0, 5, 0}, {5, 10, 0}, {10, 20, 0}, {20, 30, 0}, {30, math.Inf(1), 0}}}
		var sum float64
		for i, c := range r.Communes {
			s.Population += c.Population
			if mins[i] <= 30 {
				s.Covered += c.Population
			}
			sum += mins[i] * float64(c.Population)
			s.MaxMinutes = math.Max(s.MaxMinutes, mins[i])
			for b := range s.Histogram {
				if mins[i] >= s.Histogram[b].FromMin && mins[i] < s.Histogram[b].ToMin {
					s.Histogram[b].Population += c.Population
				}
			}
		}
		s.MeanMinutes = round2(sum / float64(s.Population))
		sorted := append([]float64(nil), mins...)
		sort.Float64s(sorted)
		s.P95Minutes = sorted[len(sorted)*95/100]
		for _, o := range r.Offices {
			if closedOpen || o.Status != Closed {
				s.Offices++
				s.Staff += o.StaffBefore
			}
		}
		return s
	}
	r.Before, r.After = summary(before, true), summary(after, false)
	r.After.Staff = 0
	for _, o := range r.Offices {
		r.After.Staff += o.StaffAfter
	}
	return r
}

func TestBinhDuongReport(t *testing.T) {
	d := binhDuongDataset(t)
	r := binhDuongRun(d, Vietnamese)
	if len(r.Communes) != 91 || r.Before.Population != 2426561 {
		t.Fatalf("%d communes, %d people: want the 91 communes and 2,426,561 people of the 2019 census", len(r.Communes), r.Before.Population)
	}
	page, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Phường Phú Cường", "Thành phố Thủ Dầu Một", "2.426.561", `"25747"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), "binhduong_vi.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteExports(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileGeoPackage)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var pop int64
	if err := db.QueryRow(`SELECT count(*), sum(population) FROM communes`).Scan(&n, &pop); err != nil {
		t.Fatal(err)
	}
	if n != 91 || pop != 2426561 {
		t.Errorf("GeoPackage communes: %d rows, %d people", n, pop)
	}
	var name string
	if err := db.QueryRow(`SELECT name FROM communes WHERE code = '25747'`).Scan(&name); err != nil || name != "Phường Phú Cường" {
		t.Errorf("commune 25747 is %q (%v), want Phường Phú Cường with its diacritics", name, err)
	}
}

func BenchmarkRenderBinhDuong(b *testing.B) {
	r := binhDuongRun(binhDuongDataset(b), Vietnamese)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(r); err != nil {
			b.Fatal(err)
		}
	}
}
