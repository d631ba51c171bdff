package coverage

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestAreaAggregatesRecomputed recomputes every commune's and district's
// cells, population, covered residents, unreachable residents, mean and
// max minutes straight from the cells, grouping them by commune code and
// district code, independently of the counting sort aggregate uses.
func TestAreaAggregatesRecomputed(t *testing.T) {
	ds := syntheticProvince(4, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	model, _ := NewStraightLine(DefaultTravel())
	res, err := Evaluate(context.Background(), idx, officesAt(orb.Point{106.55, 11.03}), model, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		cells                         int
		pop, covered, unreach, reachW int64
		sumMin, maxMin                float64
	}
	communes, districts := map[string]*want{}, map[string]*want{}
	get := func(m map[string]*want, k string) *want {
		if m[k] == nil {
			m[k] = &want{maxMin: math.Inf(-1)}
		}
		return m[k]
	}
	for i, c := range idx.Cells {
		cm := idx.Communes[c.Commune]
		for _, w := range []*want{get(communes, cm.Code), get(districts, cm.District)} {
			w.cells++
			w.pop += c.Population
			if res.Covered[i] {
				w.covered += c.Population
			}
			if m := res.Minutes[i]; math.IsNaN(m) {
				w.unreach += c.Population
			} else if c.Population > 0 {
				w.reachW += c.Population
				w.sumMin += m * float64(c.Population)
				w.maxMin = math.Max(w.maxMin, m)
			}
		}
	}
	check := func(kind string, a Aggregate, w *want) {
		t.Helper()
		if w == nil {
			w = &want{}
		}
		if a.Cells != w.cells || a.Population != w.pop || a.Covered != w.covered || a.Unreachable != w.unreach {
			t.Errorf("%s %s: cells %d pop %d covered %d unreachable %d; recomputed %d %d %d %d",
				kind, a.Code, a.Cells, a.Population, a.Covered, a.Unreachable, w.cells, w.pop, w.covered, w.unreach)
		}
		if w.reachW == 0 {
			if !math.IsNaN(a.Minutes.Mean) {
				t.Errorf("%s %s: mean minutes %v with nobody reachable", kind, a.Code, a.Minutes.Mean)
			}
			return
		}
		if mean := w.sumMin / float64(w.reachW); math.Abs(a.Minutes.Mean-mean) > 1e-9*math.Max(1, mean) || a.Minutes.Max != w.maxMin {
			t.Errorf("%s %s: mean %v max %v minutes; recomputed %v %v", kind, a.Code, a.Minutes.Mean, a.Minutes.Max, mean, w.maxMin)
		}
	}
	if len(res.Communes) != len(idx.Communes) {
		t.Fatalf("%d commune aggregates for %d communes", len(res.Communes), len(idx.Communes))
	}
	for ci, a := range res.Communes {
		if a.Code != idx.Communes[ci].Code {
			t.Errorf("commune aggregate %d is %s, want %s", ci, a.Code, idx.Communes[ci].Code)
		}
		check("commune", a, communes[a.Code])
	}
	if len(res.Districts) != len(districts) {
		t.Errorf("%d district aggregates, %d districts hold cells", len(res.Districts), len(districts))
	}
	for _, a := range res.Districts {
		check("district", a, districts[a.Code])
	}
}
