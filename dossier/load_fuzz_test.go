package dossier

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/onestop/onestop/data"
)

// FuzzCheckLoad: any numbers given to the demand and load check (staff,
// counters, dossiers, targets, year, norms, per-capita rates, measured
// rates) give a result or an error, never a panic, a hang or NaN in the
// outputs; and the totals add up.
func FuzzCheckLoad(f *testing.F) {
	f.Add(4, 2, 3, 0, int64(6800), int64(4000), int64(60000), int64(50000), 15.0, 0.85, 2025, 0, 1600.0, 0.45, 1000.0, 0.6, true)
	f.Add(0, 0, 0, 4, int64(0), int64(0), int64(1), int64(1), 1e-9, 1.0, 2000, 12, 0.0, 100.0, 0.0, 0.0, false)
	f.Add(2000000000, 1, 1, 0, int64(1), int64(1), int64(1), int64(1), 15.0, 0.85, 2025, 0, 0.0, 0.45, 1.0, 1.0, true)
	f.Add(1, 1, 1, 1, int64(2e10), int64(1e10), int64(1), int64(1), math.Inf(1), math.NaN(), 300000, -1, math.NaN(), math.Inf(1), math.NaN(), 2.0, false)
	f.Fuzz(func(t *testing.T, staff0, staff1, staff2, counters int, total0, counter0, total1, counter1 int64,
		wait, util float64, year, totalStaff int, norm, rate, measured, share float64, skipSim bool) {
		net := testNetwork()
		net.Offices[0].Staff, net.Offices[1].Staff, net.Offices[2].Staff = staff0, staff1, staff2
		net.Offices[1].Counters = counters
		demand := []OfficeDemand{{Total: total0, Counter: counter0}, {Total: total1, Counter: counter1}, {Total: 100, Counter: 60}}
		opt := DefaultOptions(year)
		opt.WaitTargetMin, opt.MaxOccupancy, opt.TotalStaff = wait, util, totalStaff
		opt.Norms = map[data.AreaClass]float64{data.Urban: norm}
		// A simulated year costs up to a second at the dossier cap: keep
		// the fuzzer fast by simulating small offices only.
		opt.SkipSimulation = skipSim || total0 > 1e5 || total1 > 1e5
		res, err := checkLoad(context.Background(), net, demand, opt)
		if err == nil {
			if res.Summary.Dossiers != total0+total1+100 {
				t.Fatalf("summary %d dossiers, offices %d", res.Summary.Dossiers, total0+total1+100)
			}
			var b bytes.Buffer
			if err := res.WriteJSON(&b); err != nil {
				t.Fatalf("load.json: %v", err)
			}
			if err := res.WriteCSV(&b); err != nil {
				t.Fatalf("load.csv: %v", err)
			}
		}

		rates := DefaultRates()
		rates.PerResident.Urban = rate
		pts := []Point{{Commune: "A", Class: data.Urban, Population: int64(staff0)}, {Commune: "B", Class: data.Rural, Population: total0}}
		d, err := ComputeDemand(pts, rates, map[string]CommuneRate{"B": {PerYear: measured, CounterShare: share}}, nil)
		if err != nil {
			return
		}
		var sum, counter int64
		for _, c := range d.Cells {
			if c.Total < 0 || c.Counter < 0 || c.Counter > c.Total || c.BoundaryFree > c.Total {
				t.Fatalf("cell %+v", c)
			}
			sum += c.Total
			counter += c.Counter
		}
		if sum != d.Total || counter != d.Counter || d.Total > maxDemand+1 {
			t.Fatalf("cells add to %d (%d counter), demand says %d (%d)", sum, counter, d.Total, d.Counter)
		}
	})
}
