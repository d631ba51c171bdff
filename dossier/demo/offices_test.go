package demo

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestOfficesLieInTheirCommunes(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			files := generate(t, seed)
			_, polys, fc := communePolygons(t, files)
			kindOf := map[string]string{}
			for _, f := range fc.Features {
				code, _ := f.Properties["code"].(string)
				kindOf[code], _ = f.Properties["kind"].(string)
			}
			header, rows := parseCSV(t, files[fileOffices], fileOffices)
			if got := strings.Join(header, ","); got != "id,name,kind,lon,lat,commune,staff,counters,dossiers_per_year,locked" {
				t.Fatalf("offices.csv header %q", got)
			}
			count := map[string]int{}
			oneStop := map[string]int{}
			recorded := 0
			ids := map[string]bool{}
			for i, r := range rows {
				rec := fmt.Sprintf("offices.csv row %d (%s)", i+1, r["id"])
				if ids[r["id"]] {
					t.Errorf("%s: duplicate id", rec)
				}
				ids[r["id"]] = true
				count[r["kind"]]++
				lon, err1 := strconv.ParseFloat(r["lon"], 64)
				lat, err2 := strconv.ParseFloat(r["lat"], 64)
				staff, err3 := strconv.Atoi(r["staff"])
				counters, err4 := strconv.Atoi(r["counters"])
				dpy, err5 := 0, error(nil)
				if r["dossiers_per_year"] != "" {
					dpy, err5 = strconv.Atoi(r["dossiers_per_year"])
					recorded++
				}
				locked, err6 := strconv.ParseBool(r["locked"])
				for _, err := range []error{err1, err2, err3, err4, err5, err6} {
					if err != nil {
						t.Fatalf("%s: %v", rec, err)
					}
				}
				poly, ok := polys[r["commune"]]
				if !ok {
					t.Errorf("%s: unknown commune %q", rec, r["commune"])
					continue
				}
				if !planar.PolygonContains(poly, orb.Point{lon, lat}) {
					t.Errorf("%s at %v,%v lies outside its commune %s", rec, lon, lat, r["commune"])
				}
				if counters < 1 || counters > staff {
					t.Errorf("%s: %d counters for %d staff", rec, counters, staff)
				}
				if (dpy > 0) != (r["dossiers_per_year"] != "") {
					t.Errorf("%s: %d dossiers per year", rec, dpy)
				}
				if locked != (r["kind"] == string(data.ProvinceCenter)) {
					t.Errorf("%s: kind %s locked=%v; only the province center is locked", rec, r["kind"], locked)
				}
				switch r["kind"] {
				case string(data.OneStop):
					oneStop[r["commune"]]++
					if staff < 2 || staff > 12 {
						t.Errorf("%s: one-stop office with %d staff, want 2–12", rec, staff)
					}
				case string(data.Branch):
					if k := kindOf[r["commune"]]; k == "Xã" {
						t.Errorf("%s: branch sits in a rural commune, want the central ward or town", rec)
					}
				}
			}
			// The offices of districts 718, 720 and 723 (38 one-stop
			// departments, 3 branches, the province center) carry counts.
			if recorded != 42 {
				t.Errorf("%d offices carry a dossier count, want 42", recorded)
			}
			if count[string(data.OneStop)] != 91 || count[string(data.Branch)] != 9 || count[string(data.ProvinceCenter)] != 1 {
				t.Errorf("office kinds %v, want 91 one-stop, 9 branch, 1 province-center", count)
			}
			for code := range polys {
				if oneStop[code] != 1 {
					t.Errorf("commune %s has %d one-stop offices, want 1", code, oneStop[code])
				}
			}
		})
	}
}
