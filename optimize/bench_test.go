package optimize

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/onestop/onestop/coverage"
)

// realistic is a province-sized synthetic instance: 142×142 ≈ 20,000 demand
// points 0.37 km apart (H3 res 9 spacing), 2,000 candidates of which 91 are
// existing offices, the 30-minute-or-5-km rule and a 45-minute time cutoff.
func realistic() genSpec {
	return genSpec{seed: 2024, side: 142, spacing: 0.37, cands: 2000, existing: 91, locked: 9,
		radiusKm: 5, coverMin: 30, timeMin: 45, dossierRate: 0.25}
}

// realisticInstance scales the synthetic population to Binh Duong's
// 2,426,561 residents with one dossier per four residents and year.
func realisticInstance() *Instance {
	inst := genInstance(realistic())
	total := 0.0
	for _, d := range inst.Demand {
		total += d
	}
	for i, d := range inst.Demand {
		inst.Demand[i] = math.Round(d * 2426561 / total)
		inst.Dossiers[i] = inst.Demand[i] / 4
	}
	return inst
}

func benchSolve(b *testing.B, inst *Instance, opt Options) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		var err error
		res, err = Solve(context.Background(), inst, opt)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(res.Points), "points")
	b.ReportMetric(res.GapPct, "gap%")
	if opt.Model == LSCP || opt.Model == Consolidate {
		b.ReportMetric(float64(res.PointsLower), "points_lb")
	}
}

func BenchmarkSyntheticLSCP(b *testing.B) {
	benchSolve(b, realisticInstance(), Options{Model: LSCP, TimeLimit: benchLimit})
}

func BenchmarkSyntheticConsolidate(b *testing.B) {
	benchSolve(b, capStaff(realisticInstance(), 40), Options{Model: Consolidate, TimeLimit: benchLimit})
}

func BenchmarkSyntheticConsolidateNoCapacity(b *testing.B) {
	benchSolve(b, realisticInstance(), Options{Model: Consolidate, TimeLimit: benchLimit})
}

func BenchmarkSyntheticMCLP(b *testing.B) {
	benchSolve(b, realisticInstance(), Options{Model: MCLP, P: 20, TimeLimit: benchLimit})
}

func BenchmarkSyntheticPMedian(b *testing.B) {
	benchSolve(b, realisticInstance(), Options{Model: PMedian, P: 40, TimeLimit: benchLimit})
}

// The real Binh Duong communes at H3 res 9 (skipped without ../shared/data).
// docs/optimize.md lists their results.

func BenchmarkBinhDuongLSCP(b *testing.B) {
	_, inst := binhDuong(b, coverage.DefaultRule(), 9)
	benchSolve(b, inst, Options{Model: LSCP, TimeLimit: benchLimit})
}

func BenchmarkBinhDuongLSCP5km(b *testing.B) {
	_, inst := binhDuong(b, coverage.Rule{Km: 5, Mode: "any"}, 9)
	benchSolve(b, inst, Options{Model: LSCP, TimeLimit: benchLimit})
}

func BenchmarkBinhDuongConsolidateNoCapacity(b *testing.B) {
	_, inst := binhDuong(b, coverage.DefaultRule(), 9)
	benchSolve(b, inst, Options{Model: Consolidate, TimeLimit: benchLimit})
}

func BenchmarkBinhDuongConsolidate(b *testing.B) {
	_, inst := binhDuong(b, coverage.DefaultRule(), 9)
	benchSolve(b, capStaff(inst, 40), Options{Model: Consolidate, TimeLimit: benchLimit})
}

// benchLimit is only a safety limit: the benchmarks run on the default work
// budget, so their plans do not depend on the load of the machine.
const benchLimit = 10 * time.Minute
