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

	"github.com/onestop/onestop/internal/testenv"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// binhDuongDataset loads the real Binh Duong communes, skipping the test
// when ../shared/data (beside the repository) is absent.
func binhDuongDataset(tb testing.TB) *data.Dataset {
	tb.Helper()
	d, err := data.LoadFile(testenv.BinhDuongYAML(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// binhDuongRun puts the real outlines, names and census population into a
// run: one office per commune at its bounding-box centre, a scenario closing
// every second ward office of Thủ Dầu Một, and H3 resolution-7 cells whose
// centres lie in a commune, sharing its population evenly, with travel
// times to the nearest open office (25 km/h, circuity 1.3).
func binhDuongRun(d *data.Dataset, lang Lang) Run {
	r := Run{Dataset: d.Name, Scenario: "Thủ Dầu Một ward merges", Phase: "3", Lang: lang}
	for _, dist := range d.Districts {
		r.Districts = append(r.Districts, DistrictRow{Code: dist.Code, Name: dist.Name})
	}
	var lastWard string
	province := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, c := range d.Communes {
		province = province.Union(c.Bound)
		ctr := c.Bound.Center()
		o := OfficeRow{ID: "OS-" + c.Code, Name: "Bộ phận Một cửa " + c.Name, Kind: data.OneStop, Lon: ctr[0], Lat: ctr[1], Commune: c.Code,
			Status: Kept, StaffBefore: 4, StaffAfter: 4}
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
	nearest := func(p orb.Point, after bool) (string, float64, float64) {
		id, best, km := "", math.Inf(1), 0.0
		for _, o := range r.Offices {
			if after && o.Status == Closed {
				continue
			}
			k := haversineKm(p, orb.Point{o.Lon, o.Lat})
			if m := k * 1.3 / 25 * 60; m < best {
				id, best, km = o.ID, m, k
			}
		}
		return id, round2(best), km
	}
	seen := map[h3.Cell]bool{}
	byCommune := map[int][]h3.Cell{}
	for y := province.Min[1]; y <= province.Max[1]; y += 0.01 {
		for x := province.Min[0]; x <= province.Max[0]; x += 0.01 {
			hc := h3.LatLngToCell(h3.LatLng{Lat: y, Lng: x}, 7)
			if seen[hc] {
				continue
			}
			seen[hc] = true
			ll := hc.LatLng()
			for i, c := range d.Communes {
				if c.Bound.Contains(orb.Point{ll.Lng, ll.Lat}) && planar.MultiPolygonContains(c.Geometry, orb.Point{ll.Lng, ll.Lat}) {
					byCommune[i] = append(byCommune[i], hc)
					break
				}
			}
		}
	}
	for i, c := range d.Communes {
		hs := byCommune[i]
		if len(hs) == 0 { // a commune smaller than a cell: one cell at its centre
			ctr := c.Bound.Center()
			hs = []h3.Cell{h3.LatLngToCell(h3.LatLng{Lat: ctr[1], Lng: ctr[0]}, 7)}
		}
		sort.Slice(hs, func(a, b int) bool { return hs[a] < hs[b] })
		left := c.Population
		for k, hc := range hs {
			pop := c.Population / int64(len(hs))
			if k == len(hs)-1 {
				pop = left
			}
			left -= pop
			ll := hc.LatLng()
			p := orb.Point{ll.Lng, ll.Lat}
			ob, mb, kb := nearest(p, false)
			oa, ma, ka := nearest(p, true)
			r.Cells = append(r.Cells, Cell{H3: hc.String(), Lon: round6(p[0]), Lat: round6(p[1]), Population: pop, Commune: c.Code,
				OfficeBefore: ob, OfficeAfter: oa, MinutesBefore: mb, MinutesAfter: ma, CoveredBefore: mb <= 30 || kb <= 5, CoveredAfter: ma <= 30 || ka <= 5})
		}
	}
	aggregate(&r)
	return r
}

func TestBinhDuongReport(t *testing.T) {
	t.Parallel()
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
	if err := writeExports(context.Background(), dir, r); err != nil {
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
