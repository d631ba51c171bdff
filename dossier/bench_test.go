package dossier

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/onestop/onestop/data"
)

// provinceYear is about 2.5 M counter dossiers over 100 offices, each
// staffed with the fewest counters meeting the waiting target at its peak.
func provinceYear(b *testing.B) (QueueModel, []SimOffice) {
	m := DefaultQueueModel(2025)
	cal, err := newCalendar(m.Year, m.Hours, m.Profile)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	offices := make([]SimOffice, 100)
	for i := range offices {
		n := 12500 + rng.Float64()*25000 // mean 25,000 a year
		a := cal.peakPerMinute(n) * m.ServiceMeanMin
		offices[i] = SimOffice{ID: fmt.Sprintf("office-%03d", i), CounterDossiers: n, Servers: MinServers(a, m.ServiceMeanMin, 15, 0.85)}
	}
	return m, offices
}

// BenchmarkSimulateProvinceYear: target ≤ 1 s per province-year.
func BenchmarkSimulateProvinceYear(b *testing.B) {
	m, offices := provinceYear(b)
	var arrivals int64
	for b.Loop() {
		res, err := m.checkAndSimulate(context.Background(), offices)
		if err != nil {
			b.Fatal(err)
		}
		arrivals = 0
		for _, r := range res {
			arrivals += r.Arrivals
		}
	}
	b.ReportMetric(float64(arrivals), "dossiers/op")
}

func BenchmarkErlangC(b *testing.B) {
	for _, c := range []int{5, 50, 500} {
		a := 0.9 * float64(c)
		b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
			for b.Loop() {
				ErlangWait(c, a, 12)
			}
		})
	}
}

func BenchmarkMinServers(b *testing.B) {
	for b.Loop() {
		MinServers(37.5, 12, 15, 0.85)
	}
}

// BenchmarkRebalance: 100 offices, 600 staff badly placed.
func BenchmarkRebalance(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	offices := make([]StaffNeed, 100)
	for i := range offices {
		load := rng.Float64() * 8
		offices[i] = StaffNeed{
			ID: fmt.Sprintf("office-%03d", i), Staff: 1 + rng.IntN(11), Load: load,
			Min: MinServers(load, 12, 15, 0.85), Lon: 106.5 + rng.Float64()*0.5, Lat: 10.9 + rng.Float64()*0.5,
		}
	}
	for b.Loop() {
		if _, err := rebalance(context.Background(), offices, 600); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckLoadProvince is the whole load check (Erlang C, simulated
// year, flags, rebalancing) for ~2.7 M counter dossiers over 100 offices.
func BenchmarkCheckLoadProvince(b *testing.B) {
	_, sims := provinceYear(b)
	net := network{Serves: map[string]int{}}
	demand := make([]OfficeDemand, len(sims))
	for i, s := range sims {
		net.Offices = append(net.Offices, data.Office{ID: s.ID, Staff: s.Servers, Location: [2]float64{106.5 + float64(i%10)*0.05, 10.9 + float64(i/10)*0.05}})
		net.Class = append(net.Class, data.Urban)
		demand[i] = OfficeDemand{Total: int64(s.CounterDossiers / 0.6), Counter: int64(s.CounterDossiers)}
	}
	opt := DefaultOptions(2025)
	for b.Loop() {
		if _, err := checkLoad(context.Background(), net, demand, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemandRecorded: demand and assignment of an HCMC-sized grid
// (200,000 cells, 2,000 communes, half of them with two recorded offices).
func BenchmarkDemandRecorded(b *testing.B) {
	const communes, cells = 2000, 200_000
	rng := rand.New(rand.NewPCG(3, 4))
	net := network{Serves: map[string]int{}}
	var recorded []OfficeCount
	for c := range communes {
		code := fmt.Sprintf("C%04d", c)
		net.Serves[code] = len(net.Offices)
		for k := range 1 + c%2 {
			id := fmt.Sprintf("O%04d-%d", c, k)
			net.Offices = append(net.Offices, data.Office{ID: id, Commune: code, Staff: 4})
			net.Class = append(net.Class, data.Urban)
			if c%2 == 1 {
				recorded = append(recorded, OfficeCount{Office: id, Commune: code, PerYear: float64(1000 + rng.IntN(9000))})
			}
		}
	}
	pts := make([]Point, cells)
	for i := range pts {
		c := rng.IntN(communes)
		pts[i] = Point{Commune: fmt.Sprintf("C%04d", c), Class: data.Urban, Population: 1 + rng.Int64N(500), NearestOffice: rng.IntN(len(net.Offices))}
	}
	for _, bc := range []struct {
		name string
		rec  []OfficeCount
	}{{"rates", nil}, {"recorded", recorded}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := ComputeDemand(pts, DefaultRates(), nil, bc.rec)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := assign(net, pts, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
