package coverage

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// bruteStraight is the straight-line answer by scanning every office, with
// H3's great-circle distance as an independent implementation.
func bruteStraight(idx *Index, offices []data.Office, tr Travel) (minutes, km []float64, office []int32) {
	for _, c := range idx.Cells {
		best, bkm := int32(-1), math.Inf(1)
		for i, o := range offices {
			d := h3.GreatCircleDistanceKm(h3.NewLatLng(c.Lat, c.Lon), h3.NewLatLng(o.Location[1], o.Location[0]))
			if d < bkm-1e-9 {
				best, bkm = int32(i), d
			}
		}
		km = append(km, bkm)
		office = append(office, best)
		minutes = append(minutes, bkm*tr.Circuity/tr.Kmh.For(idx.Communes[c.Commune].Class)*60)
	}
	return
}

func TestEvaluateStraightLineMatchesBruteForce(t *testing.T) {
	ds := syntheticProvince(4, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	tr := DefaultTravel()
	model, err := NewStraightLine(tr)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		offices []data.Office
	}{
		{"one office", officesAt(orb.Point{106.6, 11.07})},
		{"three offices", officesAt(orb.Point{106.52, 11.01}, orb.Point{106.65, 11.12}, orb.Point{106.68, 11.02})},
		{"forty offices", func() []data.Office {
			var pts []orb.Point
			for k := 0; k < 40; k++ {
				pts = append(pts, orb.Point{106.5 + float64(k%8)*0.025, 11.0 + float64(k/8)*0.03})
			}
			return officesAt(pts...)
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Evaluate(context.Background(), idx, tc.offices, model, DefaultRule())
			if err != nil {
				t.Fatal(err)
			}
			wm, wk, wo := bruteStraight(idx, tc.offices, tr)
			for i := range idx.Cells {
				// H3 and this package use Earth radii 3e-7 apart.
				if math.Abs(res.Km[i]-wk[i]) > 1e-6*wk[i] {
					t.Fatalf("cell %d: km %v, brute force %v", i, res.Km[i], wk[i])
				}
				if math.Abs(res.Minutes[i]-wm[i]) > 1e-6*wm[i] {
					t.Fatalf("cell %d: minutes %v, brute force %v", i, res.Minutes[i], wm[i])
				}
				c := idx.Cells[i]
				got := tc.offices[res.OfficeByDistance[i]].Location
				gotKm := h3.GreatCircleDistanceKm(h3.NewLatLng(c.Lat, c.Lon), h3.NewLatLng(got[1], got[0]))
				tie := math.Abs(gotKm-wk[i]) <= 1e-6*wk[i]
				if (res.OfficeByDistance[i] != wo[i] && !tie) || res.OfficeByTime[i] != res.OfficeByDistance[i] {
					t.Fatalf("cell %d: offices %d/%d, brute force %d", i, res.OfficeByTime[i], res.OfficeByDistance[i], wo[i])
				}
				wantMet := MetNone
				if wm[i] <= 30 {
					wantMet |= MetTime
				}
				if wk[i] <= 5 {
					wantMet |= MetDistance
				}
				if res.Met[i] != wantMet || res.Covered[i] != (wantMet != MetNone) {
					t.Fatalf("cell %d: met %v covered %v, want %v", i, res.Met[i], res.Covered[i], wantMet)
				}
			}
			if res.UnreachableCells != 0 {
				t.Errorf("straight line: %d unreachable cells", res.UnreachableCells)
			}
		})
	}
}

func TestEvaluateRoadMatchesBruteForce(t *testing.T) {
	ds := syntheticProvince(3, 2, 0.04)
	// Roads cover only the western 0.08° of the 0.12°-wide province: the
	// eastern cells are > 2 km from any road and must come out unreachable.
	net := gridNetwork(106.5, 11.0, 9, 9, 0.01, 20, orb.Point{106.61, 11.07})
	g := route.New(net)
	idx := mustIndex(t, ds, 8)
	tr := DefaultTravel()
	model, err := NewRoad(g, tr)
	if err != nil {
		t.Fatal(err)
	}
	offices := officesAt(orb.Point{106.512, 11.013}, orb.Point{106.571, 11.062})
	res, err := Evaluate(context.Background(), idx, offices, model, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}

	access := func(m float64) float64 { return m / 1000 * tr.Circuity / tr.AccessKmh * 3600 }
	var toOffice [][]float64
	var officeAccess []float64
	for _, o := range offices {
		v, m := nearestNode(net, o.Location)
		toOffice = append(toOffice, dijkstraTo(net, v))
		officeAccess = append(officeAccess, access(m))
	}
	unreach, unplaced, islandCells := 0, 0, 0
	for i, c := range idx.Cells {
		v, m := nearestNode(net, orb.Point{c.Lon, c.Lat})
		want, wantO := math.Inf(1), int32(-1)
		if m <= tr.SnapMeters {
			for k := range offices {
				if s := toOffice[k][v] + officeAccess[k]; s < want {
					want, wantO = s, int32(k)
				}
			}
			want = (want + access(m)) / 60
		} else {
			unplaced++
		}
		if v >= int32(len(net.Nodes)-2) && m <= tr.SnapMeters {
			islandCells++
		}
		if math.IsInf(want, 1) {
			unreach++
			if !math.IsNaN(res.Minutes[i]) || res.OfficeByTime[i] != -1 {
				t.Fatalf("cell %d should be unreachable, got %v min via %d", i, res.Minutes[i], res.OfficeByTime[i])
			}
			if res.Met[i]&MetTime != 0 {
				t.Fatalf("unreachable cell %d meets the time rule", i)
			}
			continue
		}
		// Arc times are rounded to milliseconds by the router.
		if math.Abs(res.Minutes[i]-want) > 0.01 {
			t.Fatalf("cell %d: %v min, brute force %v", i, res.Minutes[i], want)
		}
		if res.OfficeByTime[i] != wantO && math.Abs(toOffice[0][v]+officeAccess[0]-toOffice[1][v]-officeAccess[1]) > 0.01 {
			t.Fatalf("cell %d: office %d, brute force %d", i, res.OfficeByTime[i], wantO)
		}
	}
	if unreach != res.UnreachableCells || unplaced != res.UnplacedCells {
		t.Errorf("unreachable %d (unplaced %d), brute force %d (%d)", res.UnreachableCells, res.UnplacedCells, unreach, unplaced)
	}
	if unplaced == 0 || islandCells == 0 {
		t.Fatalf("test setup: want cells off the network (%d) and on the island (%d)", unplaced, islandCells)
	}
	if res.Province.Unreachable == 0 {
		t.Errorf("unreachable residents not reported in the province aggregate")
	}
}

func TestEvaluateBadInput(t *testing.T) {
	ds := syntheticProvince(2, 1, 0.04)
	idx := mustIndex(t, ds, 8)
	straight, _ := NewStraightLine(DefaultTravel())
	net := gridNetwork(106.5, 11.0, 5, 5, 0.01, 20, orb.Point{106.9, 11.5})
	road, err := NewRoad(route.New(net), DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		model   TravelModel
		offices []data.Office
		rule    Rule
		want    string
	}{
		{"zero offices", straight, nil, DefaultRule(), "no open offices"},
		{"office off the network", road, officesAt(orb.Point{106.51, 11.01}, orb.Point{106.75, 11.3}), DefaultRule(), `office 2 (id "O2", Office 2)`},
		{"office not lon/lat", straight, officesAt(orb.Point{600000, 1200000}), DefaultRule(), "not lon/lat"},
		{"duplicate office id", straight, append(officesAt(orb.Point{106.51, 11.01}), officesAt(orb.Point{106.52, 11.01})...), DefaultRule(), "same id"},
		{"unknown rule mode", straight, officesAt(orb.Point{106.51, 11.01}), Rule{Minutes: 30, Km: 5, Mode: "either"}, `mode "either"`},
		{"negative threshold", straight, officesAt(orb.Point{106.51, 11.01}), Rule{Minutes: -1, Km: 5}, "thresholds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(context.Background(), idx, tc.offices, tc.model, tc.rule)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestTravelValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Travel)
		want   string
	}{
		{"zero urban speed", func(tr *Travel) { tr.Kmh.Urban = 0 }, "Kmh.Urban"},
		{"circuity below one", func(tr *Travel) { tr.Circuity = 0.8 }, "Circuity"},
		{"NaN rural speed", func(tr *Travel) { tr.Kmh.Rural = math.NaN() }, "Kmh.Rural"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := DefaultTravel()
			tc.mutate(&tr)
			if _, err := NewStraightLine(tr); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want it to mention %q", err, tc.want)
			}
		})
	}
	g := route.New(gridNetwork(106.5, 11.0, 2, 2, 0.01, 20, orb.Point{107, 11}))
	tr := DefaultTravel()
	tr.SnapMeters = 0
	if _, err := NewRoad(g, tr); err == nil || !strings.Contains(err.Error(), "SnapMeters") {
		t.Fatalf("zero snap distance: err = %v", err)
	}
}

func TestRuleModes(t *testing.T) {
	tests := []struct {
		name        string
		rule        Rule
		minutes, km float64
		met         Met
		covered     bool
	}{
		{"any, time only", DefaultRule(), 29, 6, MetTime, true},
		{"any, distance only", DefaultRule(), 31, 5, MetDistance, true},
		{"any, both at the thresholds", DefaultRule(), 30, 5, MetBoth, true},
		{"any, neither", DefaultRule(), 30.01, 5.001, MetNone, false},
		{"any, unreachable but near", DefaultRule(), math.NaN(), 1, MetDistance, true},
		{"all, time only", Rule{30, 5, "all"}, 10, 6, MetTime, false},
		{"all, both", Rule{30, 5, "all"}, 10, 4, MetBoth, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.rule.validate()
			if err != nil {
				t.Fatal(err)
			}
			m := r.met(tc.minutes, tc.km)
			if m != tc.met || r.covers(m) != tc.covered {
				t.Fatalf("met %v covered %v, want %v %v", m, r.covers(m), tc.met, tc.covered)
			}
		})
	}
}

func TestEvaluateAggregates(t *testing.T) {
	ds := syntheticProvince(4, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	model, _ := NewStraightLine(DefaultTravel())
	res, err := Evaluate(context.Background(), idx, officesAt(orb.Point{106.55, 11.03}), model, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	var covered, pop int64
	for i, c := range idx.Cells {
		pop += c.Population
		if res.Covered[i] {
			covered += c.Population
		}
	}
	p := res.Province
	if p.Population != pop || p.Covered != covered || p.Uncovered != pop-covered {
		t.Fatalf("province %+v; want population %d covered %d", p, pop, covered)
	}
	if covered == 0 || covered == pop {
		t.Fatalf("test setup: want partial coverage, got %d of %d", covered, pop)
	}
	var sumC, sumD int64
	for _, a := range res.Communes {
		sumC += a.Covered
	}
	for _, a := range res.Districts {
		sumD += a.Covered
	}
	if sumC != covered || sumD != covered || len(res.Districts) != 2 {
		t.Errorf("commune sum %d, district sum %d (%d districts), province %d", sumC, sumD, len(res.Districts), covered)
	}
	if !(p.Minutes.P50 <= p.Minutes.P95 && p.Minutes.P95 <= p.Minutes.Max && p.Km.Mean > 0) {
		t.Errorf("province distributions out of order: %+v %+v", p.Minutes, p.Km)
	}
	if math.Abs(p.CoveredPct-100*float64(covered)/float64(pop)) > 1e-9 {
		t.Errorf("covered pct %v", p.CoveredPct)
	}
}

func TestWeightedDist(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		in   []weighted
		want Dist
	}{
		{"empty", nil, Dist{nan, nan, nan, nan}},
		{"single", []weighted{{7, 3}}, Dist{7, 7, 7, 7}},
		{"equal weights", []weighted{{4, 1}, {1, 1}, {3, 1}, {2, 1}}, Dist{2.5, 2, 4, 4}},
		{"heavy value dominates", []weighted{{1, 1}, {10, 98}, {100, 1}}, Dist{10.81, 10, 10, 100}},
		{"exact 50% boundary takes the lower value", []weighted{{1, 50}, {2, 50}}, Dist{1.5, 1, 2, 2}},
		{"p95 boundary", []weighted{{1, 95}, {9, 5}}, Dist{1.4, 1, 1, 9}},
		{"just past p95", []weighted{{1, 94}, {9, 6}}, Dist{1.48, 1, 9, 9}},
		{"NaN and zero weights skipped", []weighted{{nan, 10}, {5, 0}, {2, 2}}, Dist{2, 2, 2, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := weightedDist(append([]weighted(nil), tc.in...))
			same := func(a, b float64) bool { return (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) < 1e-9 }
			if !same(got.Mean, tc.want.Mean) || !same(got.P50, tc.want.P50) || !same(got.P95, tc.want.P95) || !same(got.Max, tc.want.Max) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
