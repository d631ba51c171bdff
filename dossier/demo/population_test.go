package demo

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestPopulationGridMatchesCommunes checks every gridded point lies in a
// commune and the points of each commune add up to its census population.
func TestPopulationGridMatchesCommunes(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, 3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			files := generate(t, seed)
			codes, polys, fc := communePolygons(t, files)
			want := map[string]int64{}
			for i, f := range fc.Features {
				want[codes[i]] = int64(f.Properties.MustFloat64("population", -1))
			}
			_, rows := parseCSV(t, files[filePeople], filePeople)
			if len(rows) < 91*10 {
				t.Errorf("%d population points, want at least ten per commune", len(rows))
			}
			got := map[string]int64{}
			for i, r := range rows {
				lon, err1 := strconv.ParseFloat(r["lon"], 64)
				lat, err2 := strconv.ParseFloat(r["lat"], 64)
				n, err3 := strconv.ParseInt(r["population"], 10, 64)
				if err1 != nil || err2 != nil || err3 != nil || n <= 0 {
					t.Fatalf("population.csv row %d: %v", i+2, r)
				}
				p := orb.Point{lon, lat}
				in := ""
				for _, c := range codes {
					if polys[c].Bound().Contains(p) && planar.PolygonContains(polys[c], p) {
						in = c
						break
					}
				}
				if in == "" {
					t.Errorf("population.csv row %d at %v lies in no commune", i+2, p)
				}
				got[in] += n
			}
			for _, c := range codes {
				if got[c] != want[c] {
					t.Errorf("commune %s: grid holds %d people, census %d", c, got[c], want[c])
				}
			}
		})
	}
}
