package coverage

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// candidateGrid spreads n candidates over the synthetic province.
func candidateGrid(n int, lon0, lat0, w, h float64) []Site {
	side := int(math.Ceil(math.Sqrt(float64(n))))
	out := make([]Site, 0, n)
	for k := 0; k < n; k++ {
		out = append(out, Site{Name: "cand", Point: orb.Point{
			lon0 + w*(float64(k%side)+0.37)/float64(side),
			lat0 + h*(float64(k/side)+0.61)/float64(side),
		}})
	}
	return out
}

type entry struct {
	minutes float64
	covered bool
}

// rowMap turns one CSR row into a map by cell, checking the row ascends.
func rowMap(s *CandidateSets, k int) map[int32]entry {
	cells, mins, cov := s.Row(k)
	m := make(map[int32]entry, len(cells))
	for i, c := range cells {
		if i > 0 && cells[i-1] >= c {
			panic("row not ascending")
		}
		m[c] = entry{float64(mins[i]), cov[i]}
	}
	return m
}

func TestCandidateSetsStraightLineMatchBruteForce(t *testing.T) {
	ds := syntheticProvince(4, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	tr := DefaultTravel()
	model, _ := NewStraightLine(tr)
	cands := candidateGrid(30, 106.5, 11.0, 0.2, 0.15)
	tests := []struct {
		name string
		opt  CandidateOptions
	}{
		{"rule any", CandidateOptions{Rule: Rule{Minutes: 10, Km: 3, Mode: "any"}}},
		{"rule all", CandidateOptions{Rule: Rule{Minutes: 10, Km: 3, Mode: "all"}}},
		{"wider p-median cutoff", CandidateOptions{Rule: Rule{Minutes: 10, Km: 3}, MaxMinutes: 25}},
		{"distance only", CandidateOptions{Rule: Rule{Minutes: 0, Km: 4}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sets, err := NewCandidateSets(context.Background(), idx, cands, model, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			rule, _ := tc.opt.Rule.validate()
			search := math.Max(tc.opt.MaxMinutes, rule.Minutes)
			for k, cand := range cands {
				got := rowMap(sets, k)
				for i, c := range idx.Cells {
					km := earth.DistanceKm(cand.Point, orb.Point{c.Lon, c.Lat})
					m := km * tr.Circuity / tr.Kmh.For(idx.Communes[c.Commune].Class) * 60
					near := func(x, y float64) bool { return math.Abs(x-y) < 1e-6 }
					if near(m, search) || near(km, rule.Km) || near(m, rule.Minutes) {
						continue // on a threshold: float noise may go either way
					}
					cov := rule.covers(rule.met(m, km))
					e, listed := got[int32(i)]
					if want := m <= search || cov; listed != want {
						t.Fatalf("candidate %d cell %d (%.3f km, %.2f min): listed %v, want %v", k, i, km, m, listed, want)
					}
					if !listed {
						continue
					}
					if e.covered != cov {
						t.Fatalf("candidate %d cell %d: covered %v, want %v", k, i, e.covered, cov)
					}
					if m <= search && math.Abs(e.minutes-m) > 1e-3 {
						t.Fatalf("candidate %d cell %d: %v min, want %v", k, i, e.minutes, m)
					}
					if m > search && !math.IsInf(e.minutes, 1) {
						t.Fatalf("candidate %d cell %d beyond the search: minutes %v, want +Inf", k, i, e.minutes)
					}
				}
			}
		})
	}
}

func TestCandidateSetsRoadMatchBruteForce(t *testing.T) {
	ds := syntheticProvince(3, 2, 0.04)
	net := gridNetwork(106.5, 11.0, 9, 9, 0.01, 20, orb.Point{106.61, 11.07})
	idx := mustIndex(t, ds, 8)
	tr := DefaultTravel()
	model, err := NewRoad(route.New(net), tr)
	if err != nil {
		t.Fatal(err)
	}
	cands := candidateGrid(12, 106.5, 11.0, 0.08, 0.08)
	cands = append(cands, Site{Name: "far", Point: orb.Point{106.9, 11.4}})
	opt := CandidateOptions{Rule: Rule{Minutes: 8, Km: 1.5}, MaxMinutes: 12}
	sets, err := NewCandidateSets(context.Background(), idx, cands, model, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sets.Unplaced, []int32{int32(len(cands) - 1)}) {
		t.Errorf("Unplaced = %v, want the far candidate only", sets.Unplaced)
	}
	access := func(m float64) float64 { return m / 1000 * tr.Circuity / tr.AccessKmh * 3600 }
	for k, cand := range cands[:len(cands)-1] {
		v0, m0 := nearestNode(net, cand.Point)
		to := dijkstraTo(net, v0)
		got := rowMap(sets, k)
		for i, c := range idx.Cells {
			v, m := nearestNode(net, orb.Point{c.Lon, c.Lat})
			mins := math.Inf(1)
			if m <= tr.SnapMeters {
				mins = (to[v] + access(m0) + access(m)) / 60
			}
			km := earth.DistanceKm(cand.Point, orb.Point{c.Lon, c.Lat})
			if math.Abs(mins-12) < 0.01 || math.Abs(mins-8) < 0.01 || math.Abs(km-1.5) < 1e-6 {
				continue
			}
			cov := opt.Rule.covers(opt.Rule.met(mins, km))
			e, listed := got[int32(i)]
			if want := mins <= 12 || cov; listed != want {
				t.Fatalf("candidate %d cell %d (%.2f min, %.3f km): listed %v, want %v", k, i, mins, km, listed, want)
			}
			if listed && e.covered != cov {
				t.Fatalf("candidate %d cell %d: covered %v, want %v", k, i, e.covered, cov)
			}
			if listed && mins <= 12 && math.Abs(e.minutes-mins) > 0.01 {
				t.Fatalf("candidate %d cell %d: %v min, brute force %v", k, i, e.minutes, mins)
			}
		}
	}
}

func TestCandidateSetsIndependentOfWorkers(t *testing.T) {
	ds := syntheticProvince(4, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	model, _ := NewStraightLine(DefaultTravel())
	cands := candidateGrid(57, 106.5, 11.0, 0.2, 0.15)
	var first *CandidateSets
	for _, w := range []int{1, 2, 5} {
		s, err := NewCandidateSets(context.Background(), idx, cands, model, CandidateOptions{Rule: DefaultRule(), MaxMinutes: 40, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = s
			if len(s.Cell) == 0 {
				t.Fatal("empty candidate sets")
			}
			continue
		}
		if !reflect.DeepEqual(first, s) {
			t.Fatalf("%d workers give different sets than 1", w)
		}
	}
}

func TestCandidateSetsCancelled(t *testing.T) {
	idx := mustIndex(t, syntheticProvince(2, 2, 0.05), 8)
	model, _ := NewStraightLine(DefaultTravel())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewCandidateSets(ctx, idx, candidateGrid(10, 106.5, 11.0, 0.1, 0.1), model, CandidateOptions{Rule: DefaultRule()}); err == nil {
		t.Fatal("cancelled context: no error")
	}
}

// TestCandidateSetsPopulatedOnly: with PopulatedOnly the sets are the full
// sets without the entries of empty cells, row by row, and nothing else
// changes.
func TestCandidateSetsPopulatedOnly(t *testing.T) {
	ds := syntheticProvince(4, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	empty := 0
	for i := range idx.Cells {
		if i%3 != 0 {
			idx.Cells[i].Population = 0
			empty++
		}
	}
	model, _ := NewStraightLine(DefaultTravel())
	cands := candidateGrid(57, 106.5, 11.0, 0.2, 0.15)
	opt := CandidateOptions{Rule: DefaultRule(), MaxMinutes: 40}
	full, err := NewCandidateSets(context.Background(), idx, cands, model, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.PopulatedOnly = true
	pop, err := NewCandidateSets(context.Background(), idx, cands, model, opt)
	if err != nil {
		t.Fatal(err)
	}
	if empty == 0 || len(pop.Cell) == 0 || len(pop.Cell) >= len(full.Cell) {
		t.Fatalf("test setup: %d empty cells, %d entries of %d kept", empty, len(pop.Cell), len(full.Cell))
	}
	for k := range cands {
		fc, fm, fv := full.Row(k)
		var wc []int32
		var wm []float32
		var wv []bool
		for e, c := range fc {
			if idx.Cells[c].Population > 0 {
				wc, wm, wv = append(wc, c), append(wm, fm[e]), append(wv, fv[e])
			}
		}
		gc, gm, gv := pop.Row(k)
		if !slices.Equal(gc, wc) || !slices.Equal(gm, wm) || !slices.Equal(gv, wv) {
			t.Fatalf("candidate %d: populated-only row %v %v %v, want %v %v %v", k, gc, gm, gv, wc, wm, wv)
		}
	}
	if !slices.Equal(pop.Unplaced, full.Unplaced) || pop.SearchMinutes != full.SearchMinutes {
		t.Errorf("unplaced %v / %v, search %v / %v", pop.Unplaced, full.Unplaced, pop.SearchMinutes, full.SearchMinutes)
	}
}
