package coverage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"

	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// sameResult fails unless a and b agree on every per-cell value and every
// aggregate. Values are compared through %v, which prints the shortest
// text that reads back to the same float64, so equal text is equal bits
// (and NaN matches NaN, which == would not).
func sameResult(t *testing.T, what string, a, b *Result) {
	t.Helper()
	check := func(field string, x, y any) {
		t.Helper()
		if sx, sy := fmt.Sprintf("%v", x), fmt.Sprintf("%v", y); sx != sy {
			t.Fatalf("%s: %s differs:\nincremental %.300s\nevaluate    %.300s", what, field, sx, sy)
		}
	}
	ids := func(os []data.Office) []string {
		out := make([]string, len(os))
		for i, o := range os {
			out[i] = o.ID
		}
		return out
	}
	check("offices", ids(a.Offices), ids(b.Offices))
	check("minutes", a.Minutes, b.Minutes)
	check("office by time", a.OfficeByTime, b.OfficeByTime)
	check("km", a.Km, b.Km)
	check("office by distance", a.OfficeByDistance, b.OfficeByDistance)
	check("met", a.Met, b.Met)
	check("covered", a.Covered, b.Covered)
	check("unreachable", a.UnreachableCells, b.UnreachableCells)
	check("unplaced", a.UnplacedCells, b.UnplacedCells)
	check("province", a.Province, b.Province)
	check("districts", a.Districts, b.Districts)
	check("communes", a.Communes, b.Communes)
	check("model", a.Model+fmt.Sprint(a.Settings), b.Model+fmt.Sprint(b.Settings))
}

// runEdits applies random closes, reopens and new points to an
// Incremental seeded with offices and compares it with Evaluate after
// every edit.
func runEdits(t *testing.T, idx *Index, model TravelModel, offices []data.Office, seed uint64, edits int) {
	ctx := context.Background()
	rule := DefaultRule()
	x, err := NewIncremental(ctx, idx, model, rule)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	type entry struct {
		office data.Office
		key    int64
		slot   int
	}
	var all []entry
	for k, o := range offices {
		s, err := x.Open(o, int64(k))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, entry{o, int64(k), s})
	}
	lo, hi := idx.Cells[0], idx.Cells[0]
	for _, c := range idx.Cells {
		lo.Lon, lo.Lat = min(lo.Lon, c.Lon), min(lo.Lat, c.Lat)
		hi.Lon, hi.Lat = max(hi.Lon, c.Lon), max(hi.Lat, c.Lat)
	}
	nextKey := int64(len(offices))
	for e := range edits {
		open := 0
		for _, a := range all {
			if x.IsOpen(a.slot) {
				open++
			}
		}
		switch r := rng.IntN(3); {
		case r == 0 && open > 1: // close a random open office
			for {
				a := all[rng.IntN(len(all))]
				if x.IsOpen(a.slot) {
					if err := x.Close(ctx, a.slot); err != nil {
						t.Fatal(err)
					}
					break
				}
			}
		case r == 1: // reopen a closed one under its old key, or add a copy of an open one (a tie)
			a := all[rng.IntN(len(all))]
			if slices.ContainsFunc(all, func(b entry) bool { return b.key == a.key && x.IsOpen(b.slot) }) {
				a.office.ID += fmt.Sprintf("-twin%d", e)
				a.key = nextKey
				nextKey++
			}
			s, err := x.Open(a.office, a.key)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, entry{a.office, a.key, s})
		default: // a new point somewhere in the province
			p := orb.Point{lo.Lon + rng.Float64()*(hi.Lon-lo.Lon), lo.Lat + rng.Float64()*(hi.Lat-lo.Lat)}
			o := data.Office{ID: fmt.Sprintf("new-%d", e), Name: "new", Kind: data.InterWard, Location: p}
			s, err := x.Open(o, nextKey)
			if err != nil {
				continue // off the road network: refused, like Evaluate would
			}
			all = append(all, entry{o, nextKey, s})
			nextKey++
		}
		got, err := x.Result(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var cur []entry
		for _, a := range all {
			if x.IsOpen(a.slot) {
				cur = append(cur, a)
			}
		}
		slices.SortFunc(cur, func(a, b entry) int { return int(a.key - b.key) })
		var offs []data.Office
		for _, a := range cur {
			offs = append(offs, a.office)
		}
		want, err := Evaluate(ctx, idx, offs, model, rule)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, fmt.Sprintf("seed %d edit %d", seed, e), got, want)
	}
}

func TestIncrementalMatchesEvaluate(t *testing.T) {
	ds := syntheticProvince(4, 4, 0.03)
	idx := mustIndex(t, ds, 9)
	var offices []data.Office
	for _, c := range ds.Communes {
		ctr := c.Bound.Center()
		offices = append(offices, officesAt(orb.Point{ctr[0] + 0.004, ctr[1] - 0.003})[0])
		offices[len(offices)-1].ID = "UB" + c.Code
	}
	net := gridNetwork(106.5, 11.0, 13, 13, 0.01, 20, orb.Point{106.61, 11.07})
	road, err := NewRoad(route.New(net), DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	straight, _ := NewStraightLine(DefaultTravel())
	for _, tc := range []struct {
		name  string
		model TravelModel
	}{{"road", road}, {"straight-line", straight}} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(5) {
				runEdits(t, idx, tc.model, offices, seed, 15)
			}
		})
	}
	t.Run("binh duong", func(t *testing.T) {
		if testing.Short() {
			t.Skip("real data: not in -short")
		}
		ds := loadBinhDuong(t)
		idx := mustIndex(t, ds, 9)
		runEdits(t, idx, straight, oneOfficePerCommune(ds), 1, 6)
	})
}

func TestIncrementalRefuses(t *testing.T) {
	ctx := context.Background()
	ds := syntheticProvince(3, 3, 0.05)
	idx := mustIndex(t, ds, 8)
	model, _ := NewStraightLine(DefaultTravel())
	x, err := NewIncremental(ctx, idx, model, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Result(ctx); err == nil {
		t.Fatal("Result with no open office: want an error")
	}
	o := officesAt(orb.Point{105.02, 21.02})[0]
	s, err := x.Open(o, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Open(o, 2); err == nil {
		t.Error("the same id opened twice: want an error")
	}
	if err := x.Close(ctx, s+1); err == nil {
		t.Error("closing an unknown slot: want an error")
	}
	if err := x.Close(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(ctx, s); err == nil {
		t.Error("closing a closed slot: want an error")
	}
	bad := o
	bad.Location = orb.Point{200, 0}
	if _, err := x.Open(bad, 3); err == nil {
		t.Error("an office at lon 200: want an error")
	}
}

// BenchmarkIncrementalBinhDuong is one edit (close an office, then the
// result with its aggregates) on the real Binh Duong communes at res 9.
func BenchmarkIncrementalBinhDuong(b *testing.B) {
	ds := loadBinhDuong(b)
	idx := mustIndex(b, ds, 9)
	offices := oneOfficePerCommune(ds)
	model, _ := NewStraightLine(DefaultTravel())
	ctx := context.Background()
	x, err := NewIncremental(ctx, idx, model, DefaultRule())
	if err != nil {
		b.Fatal(err)
	}
	slots := make([]int, len(offices))
	for k, o := range offices {
		if slots[k], err = x.Open(o, int64(k)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	for i := range b.N {
		k := (i / 2) % len(offices)
		// Alternate: close office k, then reopen it (a new slot, same key).
		if x.IsOpen(slots[k]) {
			err = x.Close(ctx, slots[k])
		} else {
			slots[k], err = x.Open(offices[k], int64(k))
		}
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x.Result(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// CPU time per edit: the wall time on a shared machine is mostly the
	// wait for a core.
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(len(idx.Cells)), "cells")
}
